/**
 * Logins/s and SCIM ops/s with 1, 2 and 3 Gatehouse instances on one PostgreSQL:
 *
 *   node --import tsx bench/multi-instance.ts [--instances 1,2,3] [--logins 600] [--scim-ops 2000] [--concurrency 32]
 *
 * Each row starts N `src/main.ts` processes on a fresh database (shared ENCRYPTION_KEY, API key and
 * EXTERNAL_URL) and drives them round-robin per request (support/instances.ts), so a login's authorize,
 * ACS, token and userinfo land on different instances. Logins use the method of bench/login.ts
 * (support/login-flow.ts: the IdP's signing is not timed). SCIM ops are creates and PATCHes
 * (replace name and active) of users of one directory, half and half, at the same concurrency.
 */
import { parseArgs } from 'node:util';
import { createTestIdp } from '../test/support/saml-idp.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import { BENCH_API_KEY, createConnection, runLogins } from './support/login-flow.ts';
import { backendsSpentMs, databaseBackendsCpuMs, startFleet, loadAverage, SHARED_EXTERNAL_URL, type Fleet } from './support/instances.ts';
import { cpuBetween, cpuSnapshot, waitForQuiet } from './support/cpu.ts';
import { markdownTable, percentile, since } from './support/stats.ts';
import type { BenchResponse } from './support/transport.ts';
import { describeMachine } from './support/machine.ts';

const { values: args } = parseArgs({
  options: {
    instances: { type: 'string', default: '1,2,3' },
    logins: { type: 'string', default: '600' },
    'scim-ops': { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '150' },
  },
});
const COUNTS = args.instances.split(',').map(Number);
const LOGINS = Number(args.logins);
const SCIM_OPS = Number(args['scim-ops']);
const CONCURRENCY = Number(args.concurrency);
const WARMUP = Number(args.warmup);

interface ScimResult {
  ops: number;
  failures: number;
  samples: string[];
  wallMs: number;
  latencies: number[];
}

async function createDirectory(fleet: Fleet): Promise<{ path: string; secret: string }> {
  const res = await fleet.transport.send({ method: 'POST', path: '/api/v1/dsync', headers: { authorization: `Api-Key ${BENCH_API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'acme.com', product: 'crm', name: 'Bench', type: 'generic-scim-v2' }) });
  if (res.status !== 201) throw new Error(`directory: ${res.status} ${res.body}`);
  const d = JSON.parse(res.body).data;
  return { path: new URL(d.scim.endpoint).pathname, secret: d.scim.secret };
}

/**
 * `ops` SCIM writes on `concurrency` workers: each worker creates a user, then PATCHes it, and so on.
 * (support/transport.ts types only GET and POST; node:http sends any method.)
 */
async function runScim(fleet: Fleet, dir: { path: string; secret: string }, ops: number, concurrency: number, tag: string): Promise<ScimResult> {
  const headers = { authorization: `Bearer ${dir.secret}`, 'content-type': 'application/scim+json' };
  const latencies: number[] = [];
  const samples: string[] = [];
  let failures = 0;
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      let userId: string | null = null;
      while (issued < ops) {
        const n = issued++;
        const t0 = performance.now();
        const res: BenchResponse = userId === null
          ? await fleet.transport.send({ method: 'POST', path: `${dir.path}/Users`, headers, body: JSON.stringify({ userName: `${tag}-${w}-${n}@acme.com`, name: { givenName: 'Bench', familyName: String(n) }, emails: [{ value: `${tag}-${w}-${n}@acme.com`, primary: true }], active: true }) })
          : await fleet.transport.send({ method: 'PATCH' as 'POST', path: `${dir.path}/Users/${userId}`, headers, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: n % 2 === 0, 'name.familyName': `P${n}` } }] }) });
        latencies.push(performance.now() - t0);
        const ok: boolean = userId === null ? res.status === 201 : res.status === 204;
        if (!ok) {
          failures++;
          if (samples.length < 5) samples.push(`${res.status} ${res.body.slice(0, 160)}`);
        }
        userId = userId === null && ok ? (JSON.parse(res.body) as { id: string }).id : null;
      }
    }),
  );
  return { ops, failures, samples, wallMs: since(started), latencies };
}

interface Row {
  n: number;
  loginsPerSecond: number;
  loginFailures: number;
  acsP95: number;
  tokenP95: number;
  loginCpu: { gatehouseMs: number; postgresMs: number; clientMs: number; otherCores: number };
  scimPerSecond: number;
  scimFailures: number;
  scimP50: number;
  scimP95: number;
  scimCpu: { gatehouseMs: number; postgresMs: number; clientMs: number; otherCores: number };
  load: string;
}

const started = performance.now();
const idp = await createTestIdp();
const rows: Row[] = [];
for (const n of COUNTS) {
  const db = await createTestDatabase('postgres');
  if (!db) throw new Error('PostgreSQL is unreachable');
  const fleet = await startFleet(n, db.url);
  try {
    const client = await createConnection(fleet.transport, idp);
    const target = { transport: fleet.transport, idp, client, spEntityId: SHARED_EXTERNAL_URL, acsUrl: `${SHARED_EXTERNAL_URL}/api/oauth/saml` };
    const dir = await createDirectory(fleet);
    await runLogins(target, { logins: WARMUP, concurrency: CONCURRENCY, tag: `warm${n}`, serverPid: null });
    await runScim(fleet, dir, WARMUP * 2, CONCURRENCY, `warm${n}`);
    await waitForQuiet(null, 15_000);

    const dbName = new URL(db.url).pathname.slice(1);
    let gh = fleet.cpuMs();
    let pgBefore = databaseBackendsCpuMs(dbName);
    const logins = await runLogins(target, { logins: LOGINS, concurrency: CONCURRENCY, tag: `run${n}`, serverPid: null });
    const loginGh = fleet.cpuMs() - gh; // the instances idle while the IdP signs (phase B), so the whole run is theirs
    const loginPg = backendsSpentMs(pgBefore, databaseBackendsCpuMs(dbName));
    // runLogins' CPU split (phases A and C) counts this process as "self" and the instances as "other".
    const c = logins.cpu;
    const loginCpu = { gatehouseMs: loginGh / LOGINS, postgresMs: loginPg / LOGINS, clientMs: c.selfMs / LOGINS, otherCores: Math.max(0, c.otherCores - (loginGh + loginPg - c.postgresMs) / c.wallMs) };
    process.stderr.write(`${n} instance(s): ${logins.loginsPerSecond.toFixed(0)} logins/s, ${logins.failures} failures ${logins.failureSamples.join(' | ')}\n`);

    await waitForQuiet(null, 15_000);
    const cpu = cpuSnapshot(null);
    gh = fleet.cpuMs();
    pgBefore = databaseBackendsCpuMs(dbName);
    const scim = await runScim(fleet, dir, SCIM_OPS, CONCURRENCY, `run${n}`);
    const spent = cpuBetween(cpu, cpuSnapshot(null));
    const scimGh = fleet.cpuMs() - gh;
    const scimPg = backendsSpentMs(pgBefore, databaseBackendsCpuMs(dbName));
    const scimCpu = { gatehouseMs: scimGh / SCIM_OPS, postgresMs: scimPg / SCIM_OPS, clientMs: spent.selfMs / SCIM_OPS, otherCores: Math.max(0, spent.otherCores - (scimGh + scimPg - spent.postgresMs) / spent.wallMs) };
    process.stderr.write(`${n} instance(s): ${((SCIM_OPS - scim.failures) / scim.wallMs * 1000).toFixed(0)} SCIM ops/s, ${scim.failures} failures ${scim.samples.join(' | ')}\n`);

    rows.push({
      n, loginsPerSecond: logins.loginsPerSecond, loginFailures: logins.failures,
      acsP95: percentile(logins.steps.acs, 95), tokenP95: percentile(logins.steps.token, 95), loginCpu,
      scimPerSecond: ((SCIM_OPS - scim.failures) / scim.wallMs) * 1000, scimFailures: scim.failures,
      scimP50: percentile(scim.latencies, 50), scimP95: percentile(scim.latencies, 95), scimCpu, load: loadAverage(),
    });
  } finally {
    await fleet.stop();
    await db.drop();
  }
}

const f = (x: number, d = 0) => x.toFixed(d);
process.stdout.write(`
## Several instances on one PostgreSQL

Machine: ${describeMachine()}

${markdownTable(
  ['Instances', '**Logins/s**', 'login failures', 'ACS p95 ms', 'token p95 ms', 'Gatehouse CPU ms/login (all instances)', 'PostgreSQL CPU ms/login', 'client CPU ms/login', '**SCIM ops/s**', 'SCIM failures', 'SCIM p50 / p95 ms', 'Gatehouse CPU ms/op', 'PostgreSQL CPU ms/op', 'other load (cores)', 'load average after'],
  rows.map((r) => [
    String(r.n), `**${f(r.loginsPerSecond)}**`, String(r.loginFailures), f(r.acsP95, 1), f(r.tokenP95, 1), f(r.loginCpu.gatehouseMs, 2), f(r.loginCpu.postgresMs, 2), f(r.loginCpu.clientMs, 2),
    `**${f(r.scimPerSecond)}**`, String(r.scimFailures), `${f(r.scimP50, 1)} / ${f(r.scimP95, 1)}`, f(r.scimCpu.gatehouseMs, 2), f(r.scimCpu.postgresMs, 2), `${f(r.loginCpu.otherCores, 2)} / ${f(r.scimCpu.otherCores, 2)}`, r.load,
  ]),
)}

Method: ${LOGINS} full SAML logins (authorize → ACS → token → userinfo, PKCE + client secret, the IdP's signing not
timed; see bench/login.ts) and ${SCIM_OPS} SCIM writes (create, then PATCH of the same user, alternating) per row, each at
concurrency ${CONCURRENCY}, after ${WARMUP} warm-up logins and ${WARMUP * 2} warm-up SCIM ops. The load generator sends each
request to the next instance in turn (a round-robin balancer on the client side), so one login's steps are served by
different instances. Instances: the server bundle (\`dist/server/main.mjs\` with the shipped V8 flags), NODE_ENV=production, LOG_LEVEL=warn, pool of 10
connections each, rate limits off (all traffic comes from 127.0.0.1). PostgreSQL 127.0.0.1:5432, a fresh database per row.
PostgreSQL CPU is that of the backends serving the row's database. "other load" is the rest of the machine (other
people's test runs and their databases), in cores, during logins / SCIM. Whole run
${f((performance.now() - started) / 1000)} s.
`);
