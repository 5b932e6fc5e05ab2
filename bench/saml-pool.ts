/**
 * The SAML validation pool's own cost (decision 0038): CPU per validation of the same signed Response on the main
 * thread (WORKERS=0) and through a pool of worker threads, interleaved round by round, with the load average:
 *
 *   node --import tsx bench/saml-pool.ts [--validations 2000] [--rounds 4] [--threads 2] [--in-flight 16]
 *
 * CPU is process.cpuUsage(), which counts every thread of the process, so the pool's threads and the cloning of
 * tasks and answers are included. On a shared machine compare the CPU columns, not the rates.
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { createPrivateKey } from 'node:crypto';
import { buildSamlResponse, createTestIdp } from '../test/support/saml-idp.ts';
import { publicKeyFromCertificate } from '../src/sso/saml/validate-response.ts';
import { createSamlValidationPool, type SamlValidationPool, type ValidationTask } from '../src/sso/saml/validation-pool.ts';
import { describeMachine } from './support/machine.ts';
import { markdownTable } from './support/stats.ts';

const { values: args } = parseArgs({ options: { validations: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '4' }, threads: { type: 'string', default: '2' }, 'in-flight': { type: 'string', default: '16' } } });
const N = Number(args.validations);
const IN_FLIGHT = Number(args['in-flight']);

const idp = await createTestIdp();
const sp = await createTestIdp();
const SP = 'https://sp.bench.test', ACS = `${SP}/api/oauth/saml`, REQUEST = '_bench-request';
const xml = buildSamlResponse({ idp, spEntityId: SP, acsUrl: ACS, inResponseTo: REQUEST, nameId: 'alice@acme.com', attributes: { email: 'alice@acme.com', groups: ['admins', 'staff'] } });
const task = (): ValidationTask => ({
  xml,
  opts: { trustedKeys: [publicKeyFromCertificate(idp.certPem)], spEntityId: SP, acsUrl: ACS, idpEntityId: idp.entityId, expectedInResponseTo: REQUEST, decryptionKeys: [createPrivateKey(sp.privateKeyPem)], now: Date.now(), skewSeconds: 90, allowSha1: false },
});
const base = task();

async function measure(pool: SamlValidationPool): Promise<{ cpuUs: number; sysUs: number; wallMs: number; load: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < N) {
      next++;
      const v = await pool.run(base);
      if (v.stage !== 'validated' || !v.result.ok) throw new Error(`not accepted: ${JSON.stringify(v).slice(0, 200)}`);
    }
  }));
  const c = process.cpuUsage(c0);
  return { cpuUs: (c.user + c.system) / N, sysUs: c.system / N, wallMs: performance.now() - t0, load: loadavg()[0]! };
}

const variants: [string, SamlValidationPool][] = [['WORKERS=0 (main thread)', createSamlValidationPool(0)], [`pool of ${args.threads} threads`, createSamlValidationPool(Number(args.threads))]];
for (const [, p] of variants) await measure(p); // warm-up (JIT; the pool's threads start)
const results = new Map<string, { cpuUs: number; sysUs: number; rate: number; load: number }[]>();
for (let r = 0; r < Number(args.rounds); r++) {
  for (const [name, p] of variants) {
    const m = await measure(p);
    results.set(name, [...(results.get(name) ?? []), { cpuUs: m.cpuUs, sysUs: m.sysUs, rate: (N / m.wallMs) * 1000, load: m.load }]);
    process.stderr.write(`${name}: ${m.cpuUs.toFixed(0)} µs CPU per validation (${m.sysUs.toFixed(0)} system), ${((N / m.wallMs) * 1000).toFixed(0)}/s, load avg ${m.load.toFixed(2)}\n`);
  }
}
for (const [, p] of variants) await p.close();
const baseCpu = Math.min(...results.get(variants[0]![0])!.map((x) => x.cpuUs));
process.stdout.write(`
## SAML validation on the main thread and through the pool

Machine: ${describeMachine()}; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' / ')}

${markdownTable(['Variant', 'CPU µs per validation (each round)', 'of which system', 'lowest', '× main thread (lowest)', 'validations/s (each round)', 'load avg (1 min, each round)'],
  variants.map(([name]) => {
    const xs = results.get(name)!;
    const low = Math.min(...xs.map((x) => x.cpuUs));
    return [name, xs.map((x) => x.cpuUs.toFixed(0)).join(', '), xs.map((x) => x.sysUs.toFixed(0)).join(', '), low.toFixed(0), `${(low / baseCpu).toFixed(2)}×`, xs.map((x) => x.rate.toFixed(0)).join(', '), xs.map((x) => x.load.toFixed(1)).join(', ')];
  }))}

Method: one ${(xml.length / 1024).toFixed(1)} KiB Response signed twice (RSA-SHA256, exc-c14n), parsed and validated ${N} times per
round with ${IN_FLIGHT} in flight, rounds interleaved; CPU is process.cpuUsage() (every thread) ÷ validations.
`);
