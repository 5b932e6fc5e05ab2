/**
 * Full-login throughput and per-step latency:
 *
 *   node --import tsx bench/login.ts [--dialect sqlite|postgres]… [--transport in-process|http]… [--concurrency 1,16,64]
 *                                    [--logins 600] [--warmup 200] [--client node-http|fetch] [--quiet-wait 10]
 *                                    [--workers auto,0] [--processes 1,2] [--jackson 60.1] [--repeat 3]
 *
 * --workers: WORKERS of each Gatehouse (the SAML validation pool's threads; 0 validates on the main thread).
 * --processes (HTTP only): that many server processes on the one database, requests spread round robin.
 * Every variant of a dialect and transport runs side by side and the runs are interleaved (A, B, A, B…), so
 * other load on a shared machine falls on all of them alike; each row shows the 1-minute load average.
 *
 * For each dialect, Gatehouse runs in-process (driven with app.inject()) and as its own process over
 * HTTP (src/main.ts on 127.0.0.1, driven over keep-alive connections), sequentially and at
 * concurrency 16 and 64. See support/login-flow.ts for the method; it is printed with the results.
 */
import { parseArgs } from 'node:util';
import { createTestIdp } from '../test/support/saml-idp.ts';
import type { DialectName } from '../src/storage/dialect.ts';
import type { RunResult } from './support/login-flow.ts';
import type { Transport } from './support/transport.ts';
import { markdownTable, p50p95 } from './support/stats.ts';
import { describeMachine } from './support/machine.ts';
import { httpDeployment, inProcessDeployment, measureLogins, variantLabel, warmUp, type Deployment, type Variant } from './support/login-deployments.ts';
import { loadavg } from 'node:os';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', multiple: true },
    logins: { type: 'string', default: '600' },
    warmup: { type: 'string', default: '500' },
    'quiet-wait': { type: 'string', default: '10' },
    client: { type: 'string', default: 'node-http' },
    repeat: { type: 'string', default: '1' },
    transport: { type: 'string', multiple: true },
    concurrency: { type: 'string', default: '1,16,64' },
    workers: { type: 'string', default: 'auto' },
    processes: { type: 'string', default: '1' },
    /** SAML Jackson's logins/s on SQLite in the same sitting (issue 18: 60.1/s sequential), for the ratio column. */
    jackson: { type: 'string', default: '60.1' },
  },
});
const WORKERS = args.workers.split(',');
const PROCESSES = args.processes.split(',').map(Number);
const JACKSON = Number(args.jackson);
const dialects = (args.dialect ?? ['sqlite', 'postgres']) as DialectName[];
const transports = (args.transport ?? ['in-process', 'http']) as ('in-process' | 'http')[];
const concurrencies = args.concurrency.split(',').map(Number);
const LOGINS = Number(args.logins);
const WARMUP = Number(args.warmup);
const QUIET_WAIT_MS = Number(args['quiet-wait']) * 1000;
const REPEAT = Math.max(1, Number(args.repeat));

interface Row {
  dialect: DialectName;
  variant: Variant;
  /** 1-minute load average when the fastest run ended. */
  loadAvg: number;
  transport: Transport['name'];
  /** The fastest of the repeats. */
  result: RunResult;
  /** Over every repeat. */
  logins: number;
  failures: number;
  /** Database statements per login over the fastest run (the server's own count; null with several processes). */
  statementsPerLogin: number | null;
}

const rows: Row[] = [];
const started = performance.now();
const idp = await createTestIdp();
for (const dialect of dialects) {
  for (const transport of transports) {
    const variants: Variant[] = WORKERS.flatMap((workers) => (transport === 'http' ? PROCESSES : [1]).map((processes) => ({ workers, processes })));
    const deployments: Deployment[] = [];
    try {
      for (const v of variants) deployments.push(await (transport === 'http' ? httpDeployment(dialect, idp, v, { client: args.client as 'node-http' | 'fetch', maxConcurrency: Math.max(...concurrencies) }) : inProcessDeployment(dialect, idp, v)));
      // Warm-up (JIT, connection pools, SQLite page cache, the pool's threads); not reported.
      for (const [i, d] of deployments.entries()) await warmUp(d, WARMUP, `${dialect}-${transport}-${i}`);
      const byKey = new Map<string, Row>();
      for (let r = 0; r < REPEAT; r++) {
        for (const concurrency of concurrencies) {
          // Interleaved: every variant runs once per repeat and concurrency before any runs again.
          for (const [i, d] of deployments.entries()) {
            const variant = variants[i]!;
            const key = `${i}-${concurrency}`;
            const row = byKey.get(key) ?? { dialect, variant, loadAvg: 0, transport: d.target.transport.name, result: undefined as unknown as RunResult, logins: 0, failures: 0, statementsPerLogin: null };
            byKey.set(key, row);
            const { result, statementsPerLogin } = await measureLogins(d, { logins: LOGINS, concurrency, tag: `${dialect}-${transport}-${i}-${concurrency}-${r}`, quietWaitMs: QUIET_WAIT_MS });
            row.logins += result.logins;
            row.failures += result.failures;
            if (!row.result || result.loginsPerSecond > row.result.loginsPerSecond) Object.assign(row, { result, statementsPerLogin, loadAvg: loadavg()[0]! });
            process.stderr.write(`${dialect} ${row.transport} ${variantLabel(variant)} c=${concurrency}: ${result.loginsPerSecond.toFixed(0)} logins/s, ${result.gatehouseCpuMsPerLogin.toFixed(2)} CPU ms/login, other load ${result.cpu.otherCores.toFixed(2)}, load avg ${loadavg()[0]!.toFixed(2)}, ${result.failures} failures${result.failures ? ` (${result.failureSamples.join(' | ')})` : ''}\n`);
          }
        }
      }
      rows.push(...[...byKey.values()].sort((a, b) => a.result.concurrency - b.result.concurrency));
    } finally {
      for (const d of deployments) await d.close();
    }
  }
}

const rate = (n: number, ms: number) => ((n / ms) * 1000).toFixed(0);
const label = (r: Row) => [r.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL', r.transport, variantLabel(r.variant), r.result.concurrency === 1 ? '1 (sequential)' : String(r.result.concurrency)];
/** The first variant of the same dialect, transport and concurrency: the base of the "× first variant" column. */
const baseOf = (r: Row) => rows.find((b) => b.dialect === r.dialect && b.transport === r.transport && b.result.concurrency === r.result.concurrency)!;
const ms = (n: number | null) => (n === null ? '—' : n.toFixed(2));
const throughput = markdownTable(
  ['Database', 'Transport', 'Variant', 'Concurrency', 'Logins', 'Failures', '**Logins/s**', `× Jackson (${JACKSON}/s)`, '× first variant', 'authorize/s', 'ACS→token→userinfo/s', 'DB statements/login', 'Gatehouse CPU ms/login (all threads)', '× first variant (CPU)', 'PostgreSQL CPU ms/login', 'client CPU ms/login', 'other load (cores)', 'load avg (1 min)'],
  rows.map((row) => {
    const r = row.result;
    const base = baseOf(row).result;
    return [
      ...label(row), String(row.logins), String(row.failures), `**${r.loginsPerSecond.toFixed(0)}**`, `${(r.loginsPerSecond / JACKSON).toFixed(1)}×`, `${(r.loginsPerSecond / base.loginsPerSecond).toFixed(2)}×`,
      rate(r.logins, r.authorizePhaseMs), rate(r.logins, r.completePhaseMs), row.statementsPerLogin === null ? '—' : row.statementsPerLogin.toFixed(1),
      ms(r.gatehouseCpuMsPerLogin), `${(r.gatehouseCpuMsPerLogin / base.gatehouseCpuMsPerLogin).toFixed(2)}×`, row.dialect === 'postgres' ? ms(r.cpu.postgresMs / r.logins) : '—', ms(r.clientCpuMsPerLogin), r.cpu.otherCores.toFixed(2), row.loadAvg.toFixed(2),
    ];
  }),
);
const latency = markdownTable(
  ['Database', 'Transport', 'Variant', 'Concurrency', 'authorize p50 / p95 ms', 'ACS p50 / p95 ms', 'token p50 / p95 ms', 'userinfo p50 / p95 ms'],
  rows.map((row) => [...label(row), p50p95(row.result.steps.authorize), p50p95(row.result.steps.acs), p50p95(row.result.steps.token), p50p95(row.result.steps.userinfo)]),
);
const sequentialInProcess = rows.filter((r) => r.transport === 'in-process' && r.result.concurrency === 1);
const stepCpu = markdownTable(
  ['Database', 'Variant', 'authorize', 'ACS', 'token', 'userinfo', 'total CPU ms/login'],
  sequentialInProcess.map(({ dialect, variant, result: r }) => {
    const per = (k: keyof typeof r.stepCpu) => r.stepCpu[k] / r.steps[k].length;
    return [dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL', variantLabel(variant), ...(['authorize', 'acs', 'token', 'userinfo'] as const).map((k) => per(k).toFixed(2)), (per('authorize') + per('acs') + per('token') + per('userinfo')).toFixed(2)];
  }),
);
const signMs = rows.reduce((s, r) => s + r.result.idpSignMs, 0) / rows.reduce((s, r) => s + r.result.logins, 0);

process.stdout.write(`
## Full logins: authorize → ACS → token → userinfo

Machine: ${describeMachine()}; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min)

### Throughput

${throughput}

### Latency per step (client-side, per request)

${latency}
${sequentialInProcess.length ? `
### CPU per step, in-process and sequential (ms of process CPU, all threads, while the request was in flight)

${stepCpu}
` : ''}
Method:
- Every login is SP-initiated SAML with PKCE (S256) and a confidential client: GET /api/oauth/authorize → 302 to the IdP;
  the IdP answers with a Response signed twice (assertion and response, RSA-SHA256, exc-c14n) carrying the AuthnRequest's
  InResponseTo; POST /api/oauth/saml → 302 to the app with a code; POST /api/oauth/token (client_secret + code_verifier)
  → access_token + RS256 id_token; GET /api/oauth/userinfo → 200. A login counts only if userinfo returns its own email
  (one distinct user per login); anything else is a failure.
- Three phases per run, each with the same number of concurrent workers: (A) every authorize, measured; (B) the IdP signs
  a Response for every AuthnRequest, not measured (${signMs.toFixed(2)} ms per response, the IdP's CPU, not Gatehouse's);
  (C) ACS → token → userinfo for every login, measured. Logins/s = successful logins ÷ (wall time of A + wall time of C).
  authorize/s and ACS→token→userinfo/s are the two phases' own rates. Per-step p50/p95 are client-side latencies of each
  request, so at concurrency 16 and 64 they include queueing inside Gatehouse.
- in-process: Gatehouse (boot → buildApp) in the benchmark's own process, requests through app.inject() (no sockets).
  HTTP: the server bundle (\`node --max-old-space-size=256 --max-semi-space-size=2 dist/server/main.mjs\`, as \`npm start\` runs it) as its own process on 127.0.0.1 (NODE_ENV=production), requests over
  keep-alive connections with ${args.client === 'fetch' ? "Node's fetch (undici)" : 'node:http (an Agent with keepAlive, one socket per worker; --client fetch uses undici fetch)'};
  the load generator and the server share the machine's CPUs.
- DB statements/login: the server's own count of statements sent to the database (\`gatehouse_db_statements_total\` on
  /metrics, read before and after the run) ÷ logins; each is one round trip on PostgreSQL. Background work is included;
  \`bench/round-trips.ts\` counts one login's exactly, per step. Not counted with several processes.
- CPU columns: Gatehouse CPU ms/login is the server process's user+system time over phases A and C ÷ logins (in-process,
  the whole benchmark process, inject() and the benchmark's own code included), all threads: the id_token's RSA
  signature runs on libuv's threadpool and part of GC on helper threads, so logins/s can exceed 1000 ÷ CPU ms/login.
  PostgreSQL CPU is the backends of the row's database plus the server's auxiliary processes (WAL writer,
  checkpointer…); client CPU is the load generator over HTTP; other load is what the rest of the machine used
  meanwhile, in cores (this is a shared machine; each row waits up to ${QUIET_WAIT_MS / 1000} s for other load under
  0.25 cores before it starts).
- Each Gatehouse starts on a fresh database (SQLite file in WAL mode in the temp directory; PostgreSQL 127.0.0.1:5432,
  pool of 10) and gets ${WARMUP} warm-up logins first. LOG_LEVEL=silent. The per-IP OAuth rate limit is set to 0 (off):
  every benchmark request comes from 127.0.0.1 and the default 1,200 requests/min per IP would cap one address at
  300 logins/min.
- Variants: WORKERS is the SAML validation pool's thread count (decision 0038; 0 validates on the main thread); "n processes"
  is n Gatehouse processes on the one database, requests spread round robin over them. Variants of one database and
  transport run side by side, interleaved run by run. × Jackson divides by SAML Jackson's SQLite rate given with --jackson
  (issue 18: 60.1/s, measured in-process in the same sitting as the HTTP figures); × first variant divides by the first
  variant's row of the same database, transport and concurrency. CPU ms/login counts every thread of the server processes.
- ${LOGINS} logins per run${REPEAT > 1 ? `; each row ran ${REPEAT} times and shows the fastest run (least disturbed by other load; Logins and Failures count every run)` : ''}; whole run ${(((performance.now() - started) / 1000)).toFixed(0)} s.
`);
