/**
 * One sitting: SAML Jackson (the published @boxyhq/saml-jackson) and Gatehouse measured on the same machine, one
 * after the other, and one table per issue (18: logins, CPU, statements, SCIM throughput, cold start, RSS; 19: SCIM
 * one request at a time) with each row's Jackson figure, Gatehouse's, their ratio, the target and whether it is met:
 *
 *   node --import tsx bench/sitting.ts                 # everything, ≤ 15 min on 2 quiet vCPUs
 *   node --import tsx bench/sitting.ts --quick         # small sizes, to see it work (~3–5 min)
 *   node --import tsx bench/sitting.ts --issue 19      # one issue's rows only (repeatable)
 *   node --import tsx bench/sitting.ts --no-jackson    # Gatehouse only
 *
 * Rows run in pairs where both sides are measured (Jackson's, then Gatehouse's), so neighbours in time compare.
 * bench/README.md and decision 0046 give the method; it is also printed with the tables.
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { createTestIdp } from '../test/support/saml-idp.ts';
import type { DialectName } from '../src/storage/dialect.ts';
import { describeMachine } from './support/machine.ts';
import { httpDeployment, inProcessDeployment, measureLogins, warmUp, type MeasuredRun } from './support/login-deployments.ts';
import { runDirectoryBench, runFirstSync } from './support/scim-runs.ts';
import { runSequentialRounds } from './support/scim-sequential-rounds.ts';
import { coldStarts, peakRss } from './support/startup-runs.ts';
import { jacksonColdStart, jacksonInProcess, jacksonPeakRss } from './jackson/index.ts';
import { issue18Rows, issue19Rows, type SittingResults } from './support/sitting-rows.ts';
import { sittingTable } from './support/sitting-table.ts';
import { countLoginStatements } from './support/login-statements.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    issue: { type: 'string', multiple: true },
    'no-jackson': { type: 'boolean', default: false },
    'quiet-wait': { type: 'string' },
    logins: { type: 'string' },
    'jackson-c16-logins': { type: 'string' },
    warmup: { type: 'string' },
    'scim-users': { type: 'string' },
    'scim-groups': { type: 'string' },
    'scim-warmup': { type: 'string' },
    'pg-users': { type: 'string' },
    'pg-groups': { type: 'string' },
    'first-sync': { type: 'string' },
    'first-sync-groups': { type: 'string' },
    'start-runs': { type: 'string' },
    'rss-logins': { type: 'string' },
    'jackson-rss-logins': { type: 'string' },
    rounds: { type: 'string' },
    'round-n': { type: 'string' },
  },
});
const Q = args.quick;
const size = (name: keyof typeof args, full: number, quick: number) => (args[name] === undefined ? (Q ? quick : full) : Number(args[name]));
const S = {
  quietWaitMs: size('quiet-wait', 10, 3) * 1000,
  logins: size('logins', 600, 100),
  jacksonC16Logins: size('jackson-c16-logins', 300, 64),
  warmup: size('warmup', 500, 100),
  scimUsers: size('scim-users', 1000, 100),
  scimGroups: size('scim-groups', 50, 5),
  scimWarmup: size('scim-warmup', 5000, 500),
  pgUsers: size('pg-users', 2000, 200),
  pgGroups: size('pg-groups', 200, 20),
  firstSyncUsers: size('first-sync', 10_000, 500),
  firstSyncGroups: size('first-sync-groups', 500, 25),
  startRuns: size('start-runs', 5, 2),
  rssLogins: size('rss-logins', 2000, 300),
  jacksonRssLogins: size('jackson-rss-logins', 1000, 100),
  rounds: size('rounds', 2, 1),
  roundN: size('round-n', 1000, 200),
};
const issues = new Set((args.issue ?? ['18', '19']).map((i) => i.replace(/^issue-?/i, '')));
const JACKSON = !args['no-jackson'];
/** Jackson's SCIM writes are ~50× slower than Gatehouse's (webhooks inside the request): a warm-up of its own size. */
const jacksonScimWarmup = Math.min(S.scimWarmup, S.scimUsers, 200);

const started = Date.now();
const loadAtStart = loadavg();
const res: SittingResults = { jackson: {}, gatehouse: {} };
const problems: string[] = [];
const clock = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;

/** Runs one measurement; a failure is reported in the output and the sitting goes on. */
async function step<T>(label: string, run: () => Promise<T>, keep: (r: T) => void): Promise<void> {
  process.stderr.write(`[${clock()}] ${label} (load ${loadavg()[0]!.toFixed(2)})\n`);
  try {
    keep(await run());
  } catch (err) {
    const message = `${label}: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`;
    problems.push(message);
    process.stderr.write(`  FAILED ${message}\n`);
  }
}

const idp = await createTestIdp();
const workers = { workers: 'auto', processes: 1 };

/** Gatehouse: a fresh deployment, a warm-up, one measured run at `concurrency`. */
async function gatehouseLogins(dialect: DialectName, transport: 'in-process' | 'http', concurrency: number): Promise<MeasuredRun> {
  const d = transport === 'http' ? await httpDeployment(dialect, idp, workers, { maxConcurrency: concurrency }) : await inProcessDeployment(dialect, idp, workers);
  try {
    await warmUp(d, S.warmup, `${dialect}-${transport}`);
    return await measureLogins(d, { logins: S.logins, concurrency, tag: `${dialect}-${transport}-${concurrency}`, quietWaitMs: S.quietWaitMs });
  } finally {
    await d.close();
  }
}

const jacksonLogins = (store: 'sqlite' | 'mem', concurrency: number, logins: number) =>
  jacksonInProcess({ kind: 'logins', store, concurrency, logins, warmup: Math.min(S.warmup, 200), quietWaitMs: S.quietWaitMs }).then((r) => r.result);

if (issues.has('18')) {
  if (JACKSON) await step('Jackson: logins, SQLite, in-process, c=1', () => jacksonLogins('sqlite', 1, S.logins), (r) => (res.jackson.seq = r));
  await step('Gatehouse: logins, SQLite, in-process, c=1', () => gatehouseLogins('sqlite', 'in-process', 1), (r) => (res.gatehouse.seq = r));
  if (JACKSON) await step('Jackson: logins, SQLite, in-process, c=16', () => jacksonLogins('sqlite', 16, S.jacksonC16Logins), (r) => (res.jackson.c16 = r));
  if (JACKSON) await step('Jackson: logins, in-memory store, in-process, c=16', () => jacksonLogins('mem', 16, S.logins), (r) => (res.jackson.mem16 = r));
  await step('Gatehouse: logins, SQLite, HTTP, c=16', () => gatehouseLogins('sqlite', 'http', 16), (r) => (res.gatehouse.http16 = r));
  await step('Gatehouse: logins, PostgreSQL, HTTP, c=16', () => gatehouseLogins('postgres', 'http', 16), (r) => (res.gatehouse.pg16 = r));
  await step('Gatehouse: statements per login, PostgreSQL, per request', async () => {
    const counted = await countLoginStatements('postgres', idp, Q ? 5 : 20);
    if (!counted) throw new Error('PostgreSQL is unreachable');
    return counted;
  }, (r) => (res.gatehouse.pgLoginStatements = r));
}
if (JACKSON) {
  await step('Jackson: SCIM, SQLite, in-process, sequential', () => jacksonInProcess({ kind: 'scim', store: 'sqlite', users: S.scimUsers, groups: S.scimGroups, warmup: jacksonScimWarmup, webhooks: true, quietWaitMs: S.quietWaitMs }), (r) => (res.jackson.scim = r));
}
await step('Gatehouse: SCIM, SQLite, in-process, sequential', () => runDirectoryBench('sqlite', 'in-process', { users: S.scimUsers, groups: S.scimGroups, listUsers: 0, warmup: S.scimWarmup, concurrency: 1, webhooks: true, logLevel: 'info', quietWaitMs: S.quietWaitMs }), (r) => (res.gatehouse.scimSeq = r));
if (issues.has('18')) {
  await step('Gatehouse: SCIM, PostgreSQL, HTTP, c=32, webhooks on', () => runDirectoryBench('postgres', 'http', { users: S.pgUsers, groups: S.pgGroups, listUsers: 0, warmup: S.scimWarmup, concurrency: 32, webhooks: true, logLevel: 'info', quietWaitMs: S.quietWaitMs }), (r) => (res.gatehouse.scimPg = r));
  if (JACKSON) await step('Jackson: cold start (its own process)', () => jacksonColdStart({ runs: S.startRuns, quietWaitMs: S.quietWaitMs }), (r) => (res.jackson.start = r));
  await step('Gatehouse: cold start (the server bundle)', () => coldStarts({ runs: S.startRuns, kinds: ['restartBundle', 'restartNoCache', 'firstBundle'], quietWaitMs: S.quietWaitMs }), (r) => (res.gatehouse.start = r));
  if (JACKSON) await step('Jackson: peak RSS under logins', () => jacksonPeakRss({ logins: S.jacksonRssLogins, concurrency: 1, quietWaitMs: S.quietWaitMs }), (r) => (res.jackson.rss = r));
  await step('Gatehouse: peak RSS under logins', async () => (await peakRss({ dialect: 'sqlite', runner: 'bundle', logins: S.rssLogins, idp, quietWaitMs: S.quietWaitMs }))!, (r) => (res.gatehouse.rss = r));
}
if (issues.has('19')) {
  const firstSync = { users: S.firstSyncUsers, groups: S.firstSyncGroups, members: 20, warmup: S.scimWarmup, logLevel: 'info', quietWaitMs: S.quietWaitMs };
  await step('Gatehouse: first sync, SQLite, HTTP', () => runFirstSync('sqlite', 'http', firstSync), (r) => (res.gatehouse.firstSyncSqlite = r));
  await step('Gatehouse: first sync, PostgreSQL, HTTP', () => runFirstSync('postgres', 'http', firstSync), (r) => (res.gatehouse.firstSyncPg = r));
  // The same, with the lean keep-alive client (decision 0062): a real IdP's client runs on its own machine, here it shares the 2 cores.
  await step('Gatehouse: first sync, SQLite, HTTP, raw client', () => runFirstSync('sqlite', 'http', { ...firstSync, client: 'raw' }), (r) => (res.gatehouse.firstSyncSqliteRaw = r));
  await step('Gatehouse: first sync, PostgreSQL, HTTP, raw client', () => runFirstSync('postgres', 'http', { ...firstSync, client: 'raw' }), (r) => (res.gatehouse.firstSyncPgRaw = r));
  await step('Gatehouse: CPU per request, c=1 and c=32, interleaved', () => runSequentialRounds({ rounds: S.rounds, n: S.roundN, warmup: Math.min(S.scimWarmup, 3000) }), (r) => (res.gatehouse.rounds = r));
}
const loadAtEnd = loadavg();

const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
const out: string[] = [
  `# A sitting: SAML Jackson 26.2.0 and Gatehouse on the same machine${Q ? ' (--quick: small sizes, indicative only)' : ''}`,
  '',
  `Machine: ${describeMachine()}. Load average (1 / 5 / 15 min) at the start ${load(loadAtStart)}, at the end ${load(loadAtEnd)}.`,
  `Started ${new Date(started).toISOString()}, took ${((Date.now() - started) / 60_000).toFixed(1)} min.`,
  '',
];
if (issues.has('18')) out.push('## Issue 18: logins, CPU, round trips, SCIM throughput, cold start, memory', '', sittingTable(issue18Rows(res, S)), '');
if (issues.has('19')) out.push('## Issue 19: Directory Sync one request at a time', '', sittingTable(issue19Rows(res, S)), '');
if (problems.length) out.push('## Measurements that failed', '', ...problems.map((p) => `- ${p}`), '');
const g = res.gatehouse;
const j = res.jackson;
const notes = [
  j.c16 && `Jackson, SQLite, c=16: ${j.c16.failures} of ${j.c16.logins} logins failed${j.c16.failureSamples[0] ? ` (first: ${j.c16.failureSamples[0].slice(0, 160)})` : ''}.`,
  j.mem16 && `Jackson, in-memory store, c=16: ${j.mem16.failures} of ${j.mem16.logins} logins failed.`,
  j.scim && `Jackson's webhooks (sent inside each SCIM request): ${j.scim.webhookPosts} POSTs received for ${j.scim.expectedEvents} events; failed SCIM requests: ${j.scim.results.reduce((s, p) => s + p.failures, 0)}.`,
  g.scimSeq && `Gatehouse's webhooks, sequential SCIM: ${g.scimSeq.events} of ${g.scimSeq.expectedEvents} events delivered, ${g.scimSeq.duplicates} twice; on PostgreSQL: ${g.scimPg ? `${g.scimPg.events} of ${g.scimPg.expectedEvents}, ${g.scimPg.duplicates} twice` : '—'}.`,
  g.rounds && `Gatehouse, c=1 vs c=32 rounds: ${g.rounds.delivered} of ${g.rounds.events} webhook events delivered, ${g.rounds.duplicates} twice.`,
  j.rss && `Jackson's RSS run: ${j.rss.logins} logins at c=1 (${j.rss.failures} failed), ${j.rss.loginsPerSecond.toFixed(0)}/s, ${j.rss.readyRss.toFixed(0)} MiB when ready; Gatehouse's: ${g.rss ? `${S.rssLogins} at c=16 (${g.rss.failures} failed), ${g.rss.loginsPerSecond.toFixed(0)}/s, ${g.rss.readyRss.toFixed(0)} MiB when ready` : '—'}.`,
  `Other load while each Gatehouse login row ran (cores): ${[g.seq, g.http16, g.pg16].map((r) => (r ? r.result.cpu.otherCores.toFixed(2) : '—')).join(', ')}; Jackson's: ${[j.seq, j.c16, j.mem16].map((r) => (r ? r.cpu.otherCores.toFixed(2) : '—')).join(', ')}.`,
].filter(Boolean) as string[];
out.push('Notes:', ...notes.map((n) => `- ${n}`), '');
out.push(`Method (decision 0046, bench/README.md):
- One command, one machine, one sitting: Jackson's row, then Gatehouse's matching row, so that the two see the same
  machine minutes apart. Before each measured run, it waits up to ${S.quietWaitMs / 1000} s for the other processes
  to use under 0.25 cores over a 1 s window (/proc/stat against this process and the server's); each login row also
  reports the other load during the run. A run that fails is listed above and its cells stay empty.
- SAML Jackson: the published @boxyhq/saml-jackson 26.2.0, its controllers called in-process (bench/jackson/jackson.mjs
  routes requests to them as Ory Polis's API routes do, without Next.js — Jackson's lowest cost per request), each
  measurement in a fresh child process (Jackson keeps module-level state), on SQLite through its typeorm engine or its
  in-memory store, an RS256 id_token (openid keys set), webhooks on and sent by Jackson inside each SCIM request.
  Cold start: its own process (bench/jackson/server.mjs, plain JavaScript, no loader), spawn → first 200 from
  /api/health after the controllers are made; peak RSS: that process's VmHWM after ${S.jacksonRssLogins} logins over HTTP
  at c=1 (on SQLite Jackson fails overlapping logins).
- Gatehouse: in-process rows boot → buildApp in this process and use app.inject(); HTTP rows run the server bundle as
  shipped (\`dist/server/main.mjs\` with its V8 flags, NODE_ENV=production, WORKERS=auto) with a keep-alive node:http
  client; rows named "over HTTP" are so because the issue's target is over HTTP.
- Logins (support/login-flow.ts, the same driver for both): authorize → the test IdP signs a Response (not timed) →
  ACS → token (PKCE + client secret) → userinfo, counted only when userinfo returns that login's email; ${S.logins} logins
  per row after ${S.warmup} warm-up logins (Jackson: ${Math.min(S.warmup, 200)}, one at a time); Jackson c=16 on SQLite: ${S.jacksonC16Logins}.
  CPU per login in-process is the whole process (driver included); over HTTP the server process, all threads.
  Statements per login: Gatehouse's own counter (gatehouse_db_statements_total) over the c=16 run, background work
  included; and, for the target, counted against the request in flight over ${Q ? 5 : 20} sequential in-process logins on
  PostgreSQL (support/login-statements.ts, as bench/round-trips.ts), median per step summed.
- SCIM one request at a time (support/scim-phases.ts, the same phases for both): ${S.scimUsers} POST /Users, ${S.scimUsers}
  GET ?filter=userName eq, ${S.scimUsers} PATCH active=false, ${S.scimGroups} POST /Groups, ${S.scimGroups} PATCH +40 members; Gatehouse after
  ${S.scimWarmup} warm-up requests of each kind, Jackson after ${jacksonScimWarmup} users (its writes are ~50× slower). PostgreSQL:
  ${S.pgUsers} users and ${S.pgGroups} groups at c=32 over HTTP. First sync: ${S.firstSyncUsers} users (GET filter + POST) and
  ${S.firstSyncGroups} groups (POST + PATCH of 20) in Okta's order, over HTTP. c=1 vs c=32: ${S.rounds} interleaved round(s) of ${S.roundN}
  creates, filtered GETs and PATCHes (bench/scim-sequential.ts's method).
- Cold start: ${S.startRuns} rounds of a restart on an existing SQLite database and a first boot on a fresh one. Peak RSS:
  Gatehouse's server bundle after ${S.rssLogins} logins over HTTP at c=16.
- Ratios are oriented so that above 1× is Gatehouse ahead (rates: Gatehouse ÷ Jackson; times, CPU, memory:
  Jackson ÷ Gatehouse). Targets are in bench/support/sitting-rows.ts (TARGETS), each with its issue.
`);
process.stdout.write(`${out.join('\n')}\n`);
process.exit(0);
