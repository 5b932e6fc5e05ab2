/**
 * Full-login throughput and per-step latency:
 *
 *   node --import tsx bench/login.ts [--dialect sqlite|postgres]… [--transport in-process|http]… [--concurrency 1,16,64]
 *                                    [--logins 600] [--warmup 200] [--client node-http|fetch] [--quiet-wait 10]
 *
 * For each dialect, Gatehouse runs in-process (driven with app.inject()) and as its own process over
 * HTTP (src/main.ts on 127.0.0.1, driven over keep-alive connections), sequentially and at
 * concurrency 16 and 64. See support/login-flow.ts for the method; it is printed with the results.
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { createTestIdp, type TestIdp } from '../test/support/saml-idp.ts';
import { startGatehouse } from '../test/support/gatehouse.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import type { DialectName } from '../src/storage/dialect.ts';
import { BENCH_API_KEY, createConnection, runLogins, type LoginTarget, type RunResult } from './support/login-flow.ts';
import { startServerProcess } from './support/server-process.ts';
import { fetchTransport, injectTransport, nodeHttpTransport, type Transport } from './support/transport.ts';
import { markdownTable, p50p95 } from './support/stats.ts';
import { describeMachine } from './support/machine.ts';
import { waitForQuiet } from './support/cpu.ts';

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
  },
});
const dialects = (args.dialect ?? ['sqlite', 'postgres']) as DialectName[];
const transports = (args.transport ?? ['in-process', 'http']) as ('in-process' | 'http')[];
const concurrencies = args.concurrency.split(',').map(Number);
const LOGINS = Number(args.logins);
const WARMUP = Number(args.warmup);
const QUIET_WAIT_MS = Number(args['quiet-wait']) * 1000;
const REPEAT = Math.max(1, Number(args.repeat));

/**
 * The server's statement counter (gatehouse_db_statements_total on /metrics, decision 0039). Background work (the
 * webhook deliverer's polls, connection upkeep, the scrape's own outbox query) is included, so it is an upper bound;
 * bench/round-trips.ts counts one login's statements exactly, step by step.
 */
async function statementsSent(transport: Transport): Promise<number | null> {
  const res = await transport.send({ method: 'GET', path: '/metrics' });
  const m = /^gatehouse_db_statements_total (\d+)/m.exec(res.body);
  return res.status === 200 && m ? Number(m[1]) : null;
}

interface Row {
  dialect: DialectName;
  transport: Transport['name'];
  /** The fastest of the repeats. */
  result: RunResult;
  /** Over every repeat. */
  logins: number;
  failures: number;
  /** Database statements per login over the fastest run (null when /metrics could not be read). */
  statementsPerLogin: number | null;
}

/** A running Gatehouse plus the target the login driver needs. */
interface Deployment {
  target: LoginTarget;
  /** The Gatehouse process when it is not this one. */
  serverPid: number | null;
  /** PostgreSQL database name (its backends are counted in the PostgreSQL CPU column). */
  postgresDatabase?: string;
  close(): Promise<void>;
}

const databaseName = (url: string) => (url.startsWith('postgres') ? new URL(url).pathname.slice(1) : undefined);

const QUIET = { LOG_LEVEL: 'silent', NODE_ENV: 'production', RATE_LIMIT_OAUTH_PER_MINUTE: '0', API_KEYS: BENCH_API_KEY };

async function inProcess(dialect: DialectName, idp: TestIdp): Promise<Deployment> {
  const gh = await startGatehouse({ dialect, env: QUIET });
  if (!gh) throw new Error(`${dialect} is unreachable`);
  const transport = injectTransport(gh.app);
  const client = await createConnection(transport, idp);
  return { target: { transport, idp, client, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl }, serverPid: null, postgresDatabase: databaseName(gh.db.url), close: () => gh.close() };
}

async function overHttp(dialect: DialectName, idp: TestIdp): Promise<Deployment> {
  const db = await createTestDatabase(dialect);
  if (!db) throw new Error(`${dialect} is unreachable`);
  const server = await startServerProcess({ databaseUrl: db.url, env: { LOG_LEVEL: 'silent' } });
  const transport = args.client === 'fetch' ? fetchTransport(server.baseUrl) : nodeHttpTransport(server.baseUrl, Math.max(...concurrencies, 16));
  const client = await createConnection(transport, idp);
  return {
    target: { transport, idp, client, spEntityId: server.baseUrl, acsUrl: `${server.baseUrl}/api/oauth/saml` },
    serverPid: server.pid,
    postgresDatabase: databaseName(db.url),
    close: async () => {
      await server.stop();
      await db.drop();
    },
  };
}

const rows: Row[] = [];
const started = performance.now();
const idp = await createTestIdp();
for (const dialect of dialects) {
  for (const transport of transports) {
    const deployment = await (transport === 'http' ? overHttp : inProcess)(dialect, idp);
    try {
      // Warm-up (JIT, connection pools, SQLite page cache); not reported.
      const { serverPid, postgresDatabase } = deployment;
      if (WARMUP > 0) await runLogins(deployment.target, { logins: WARMUP, concurrency: 16, tag: `warm-${dialect}-${transport}`, serverPid, postgresDatabase });
      for (const concurrency of concurrencies) {
        const row: Row = { dialect, transport: deployment.target.transport.name, result: undefined as unknown as RunResult, logins: 0, failures: 0, statementsPerLogin: null };
        for (let r = 0; r < REPEAT; r++) {
          await waitForQuiet(serverPid, QUIET_WAIT_MS);
          const s0 = await statementsSent(deployment.target.transport);
          const result = await runLogins(deployment.target, { logins: LOGINS, concurrency, tag: `${dialect}-${transport}-${concurrency}-${r}`, serverPid, postgresDatabase });
          const s1 = await statementsSent(deployment.target.transport);
          row.logins += result.logins;
          row.failures += result.failures;
          if (!row.result || result.loginsPerSecond > row.result.loginsPerSecond) {
            row.result = result;
            row.statementsPerLogin = s0 === null || s1 === null ? null : (s1 - s0) / Math.max(1, result.logins);
          }
          process.stderr.write(`${dialect} ${row.transport} c=${concurrency}: ${result.loginsPerSecond.toFixed(0)} logins/s, ${result.gatehouseCpuMsPerLogin.toFixed(2)} CPU ms/login, other load ${result.cpu.otherCores.toFixed(2)}, ${result.failures} failures${result.failures ? ` (${result.failureSamples.join(' | ')})` : ''}\n`);
        }
        rows.push(row);
      }
    } finally {
      await deployment.close();
    }
  }
}

const rate = (n: number, ms: number) => ((n / ms) * 1000).toFixed(0);
const label = (r: Row) => [r.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL', r.transport, r.result.concurrency === 1 ? '1 (sequential)' : String(r.result.concurrency)];
const ms = (n: number | null) => (n === null ? '—' : n.toFixed(2));
const throughput = markdownTable(
  ['Database', 'Transport', 'Concurrency', 'Logins', 'Failures', '**Logins/s**', 'authorize/s', 'ACS→token→userinfo/s', 'DB statements/login', 'Gatehouse CPU ms/login', 'PostgreSQL CPU ms/login', 'client CPU ms/login', 'other load (cores)'],
  rows.map((row) => {
    const r = row.result;
    return [
      ...label(row), String(row.logins), String(row.failures), `**${r.loginsPerSecond.toFixed(0)}**`, rate(r.logins, r.authorizePhaseMs), rate(r.logins, r.completePhaseMs),
      row.statementsPerLogin === null ? '—' : row.statementsPerLogin.toFixed(1), ms(r.gatehouseCpuMsPerLogin), row.dialect === 'postgres' ? ms(r.cpu.postgresMs / r.logins) : '—', ms(r.clientCpuMsPerLogin), r.cpu.otherCores.toFixed(2),
    ];
  }),
);
const latency = markdownTable(
  ['Database', 'Transport', 'Concurrency', 'authorize p50 / p95 ms', 'ACS p50 / p95 ms', 'token p50 / p95 ms', 'userinfo p50 / p95 ms'],
  rows.map((row) => [...label(row), p50p95(row.result.steps.authorize), p50p95(row.result.steps.acs), p50p95(row.result.steps.token), p50p95(row.result.steps.userinfo)]),
);
const sequentialInProcess = rows.filter((r) => r.transport === 'in-process' && r.result.concurrency === 1);
const stepCpu = markdownTable(
  ['Database', 'authorize', 'ACS', 'token', 'userinfo', 'total CPU ms/login'],
  sequentialInProcess.map(({ dialect, result: r }) => {
    const per = (k: keyof typeof r.stepCpu) => r.stepCpu[k] / r.steps[k].length;
    return [dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL', ...(['authorize', 'acs', 'token', 'userinfo'] as const).map((k) => per(k).toFixed(2)), (per('authorize') + per('acs') + per('token') + per('userinfo')).toFixed(2)];
  }),
);
const signMs = rows.reduce((s, r) => s + r.result.idpSignMs, 0) / rows.reduce((s, r) => s + r.result.logins, 0);

process.stdout.write(`
## Full logins: authorize → ACS → token → userinfo

Machine: ${describeMachine()}; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(', ')}

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
  \`bench/round-trips.ts\` counts one login's exactly, per step.
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
- ${LOGINS} logins per run${REPEAT > 1 ? `; each row ran ${REPEAT} times and shows the fastest run (least disturbed by other load; Logins and Failures count every run)` : ''}; whole run ${(((performance.now() - started) / 1000)).toFixed(0)} s.
`);
