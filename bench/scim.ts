/**
 * Directory Sync throughput with webhooks on:
 *
 *   node --import tsx bench/scim.ts [--dialect sqlite|postgres]… [--mode http|in-process]… [--concurrency 32 --concurrency 1]
 *        [--users 2000] [--list-users 10000] [--warmup 5000] [--first-sync 10000] [--first-sync-groups 500] [--first-sync-only] [--quiet-wait 60]
 *
 * Two ways of running Gatehouse against a fresh database, both with the webhook deliverer on (its POSTs on
 * a worker thread, as in main.ts) and SQLite's WAL checkpoints on their thread:
 *   - http: as deployed (the server bundle in its own process, NODE_ENV=production, LOG_LEVEL=info); this
 *     process is the SCIM client (node:http, keep-alive, `--concurrency` requests in flight);
 *   - in-process: boot() + buildApp() in this process, requests through app.inject() (how the reference
 *     numbers for SAML Jackson were taken), LOG_LEVEL=info to a file.
 * The webhook receiver is a child process (bench/support/webhook-receiver.mjs) on 127.0.0.1 answering 200.
 * Phases, each timed from first request to last answer: POST /Users, filtered GET (userName eq),
 * PATCH deactivate (Okta's path-less replace), POST /Groups, PATCH group adding 40 members, then the
 * directory is filled to `--list-users` and listed by pages of 100 one at a time (on PostgreSQL, again once
 * autovacuum has analyzed the loaded table). After the load,
 * the time for the webhook backlog to drain is reported; every event is checked to arrive exactly once.
 * Each `--concurrency` (default 32 and 1) runs on a fresh database, and a summary puts them side by side.
 *
 * Then, unless `--first-sync 0`, a large tenant's first sync in Okta's order, one request at a time on a fresh
 * directory: for each of `--first-sync` users a filtered GET (userName eq, answering no match) then a POST; then
 * `--first-sync-groups` groups, each a POST /Groups then a PATCH adding its 20 members. Timed end to end, and
 * every webhook event it causes (user.created, group.created, group.user_added) is counted at the receiver.
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot, createLogger } from '../src/boot.ts';
import { buildApp } from '../src/http/app.ts';
import { startWebhookDeliverer } from '../src/directory-sync/webhooks/deliverer.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import type { DialectName } from '../src/storage/dialect.ts';
import { BENCH_API_KEY } from './support/login-flow.ts';
import { startServerProcess } from './support/server-process.ts';
import { markdownTable, percentile } from './support/stats.ts';
import { analyzed, client, startReceiver, type Res, type Send } from './support/scim-harness.ts';
import { describeMachine } from './support/machine.ts';
import { cpuBetween, cpuSnapshot, waitForQuiet } from './support/cpu.ts';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', multiple: true },
    mode: { type: 'string', multiple: true },
    users: { type: 'string', default: '2000' },
    groups: { type: 'string', default: '200' },
    concurrency: { type: 'string', multiple: true },
    'first-sync': { type: 'string', default: '10000' },
    'first-sync-groups': { type: 'string', default: '500' },
    'list-users': { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '5000' },
    'no-webhooks': { type: 'boolean', default: false },
    /** Only the first sync (no phases). */
    'first-sync-only': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    /** Seconds each phase waits at most for the rest of the machine to go quiet (a shared machine: lower it). */
    'quiet-wait': { type: 'string', default: '60' },
  },
});
const dialects = (args.dialect ?? ['sqlite', 'postgres']) as DialectName[];
type Mode = 'http' | 'in-process';
const modes = (args.mode ?? ['http', 'in-process']) as Mode[];
const USERS = Number(args.users);
const GROUPS = Number(args.groups);
const CONCURRENCIES = (args.concurrency ?? ['32', '1']).map(Number);
let CONCURRENCY = CONCURRENCIES[0]!;
const FIRST_SYNC_USERS = Number(args['first-sync']);
const FIRST_SYNC_GROUPS = Number(args['first-sync-groups']);
const FIRST_SYNC_MEMBERS = 20;
const LIST_USERS = Number(args['list-users']);
const WARMUP = Number(args.warmup);
const WEBHOOK_SECRET = 'bench-webhook-secret';
const QUIET_WAIT_MS = Number(args['quiet-wait']) * 1000;


interface PhaseResult {
  name: string;
  n: number;
  seconds: number;
  latencies: number[];
  /** Gatehouse process CPU (user + system) per request during the phase, µs. */
  serverCpuUs: number;
  /** PostgreSQL server CPU per request, µs (0 on SQLite). */
  postgresCpuUs: number;
  /** Cores busy with other processes (not Gatehouse, PostgreSQL or this client) during the phase. */
  otherCores: number;
  /** Write phases: seconds from the phase's last answer to the last webhook it caused. */
  drainS?: number;
}

let serverPid = 0;

/** Runs `n` requests with `concurrency` in flight; each must answer `expect`. */
async function phase(name: string, n: number, concurrency: number, expect: number, send: (i: number) => Promise<Res>): Promise<PhaseResult> {
  const latencies: number[] = [];
  let next = 0;
  if (name !== 'warm-up') await waitForQuiet(serverPid || null, QUIET_WAIT_MS);
  const cpu0 = cpuSnapshot(serverPid || null);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        const r = await send(i);
        latencies.push(performance.now() - t);
        if (r.status !== expect) throw new Error(`${name} #${i}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const spent = cpuBetween(cpu0, cpuSnapshot(serverPid || null));
  // In-process, Gatehouse is this process: its CPU includes app.inject()'s share of the client work.
  return { name, n, seconds, latencies, serverCpuUs: ((serverPid ? spent.serverMs : spent.selfMs) * 1000) / n, postgresCpuUs: (spent.postgresMs * 1000) / n, otherCores: spent.otherCores };
}


interface Target {
  send: Send;
  /** The process whose CPU is counted as Gatehouse's (this one, in-process: the client's share is in it too). */
  pid: number;
  peakRssMiB(): number;
  stop(): Promise<void>;
}

async function startTarget(mode: Mode, databaseUrl: string): Promise<Target> {
  const env = { OUTBOUND_ALLOW_HOSTS: '127.0.0.1', DATABASE_POOL_SIZE: '16', LOG_LEVEL: args['log-level'] };
  if (mode === 'http') {
    const server = await startServerProcess({ databaseUrl, env });
    return { send: client(server.baseUrl, CONCURRENCY), pid: server.pid, peakRssMiB: () => server.peakRssMiB(), stop: () => server.stop() };
  }
  const logDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-log-'));
  const { ctx, database } = await boot(
    { NODE_ENV: 'production', DATABASE_URL: databaseUrl, EXTERNAL_URL: 'http://127.0.0.1:5225', ENCRYPTION_KEY: randomBytes(32).toString('hex'), API_KEYS: BENCH_API_KEY, RATE_LIMIT_API_PER_MINUTE: '0', RATE_LIMIT_SCIM_PER_MINUTE: '0', ...env },
    { logger: createLogger({ LOG_LEVEL: env.LOG_LEVEL as 'info' }, join(logDir, 'gatehouse.log')) }, // as main.ts logs, to a file
  );
  const app = await buildApp(ctx);
  await app.ready();
  const checkpoints = database.startBackgroundCheckpoints?.({ intervalMs: 200, onProblem: (m) => ctx.log.warn(m) });
  const deliverer = startWebhookDeliverer(ctx, { threaded: true });
  const send: Send = async (method, path, headers, body) => {
    const r = await app.inject({ method: method as 'GET', url: path, headers: body === undefined ? headers : { 'content-type': 'application/scim+json', ...headers }, payload: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.statusCode, body: r.body };
  };
  return {
    send, pid: process.pid,
    peakRssMiB: () => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024,
    async stop() {
      await deliverer.stop();
      await app.close();
      await checkpoints?.stop();
      await database.close();
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}


async function runDialect(dialect: DialectName, mode: Mode) {
  const db = await createTestDatabase(dialect);
  if (!db) throw new Error(`${dialect} unreachable`);
  const rx = await startReceiver();
  const server = await startTarget(mode, db.url);
  const http = server.send;
  serverPid = mode === 'http' ? server.pid : 0;
  try {
    const api = { authorization: `Api-Key ${BENCH_API_KEY}` };
    // Warm-up (JIT, pools, caches) on a directory of its own, with the same webhook, not measured. It takes
    // ~4,000 creates for V8 to optimise the request path: in-process, after 1,000 warm-up creates, batches
    // of 1,000 cost 1,035, 794, 604, 547, then 500–540 µs of CPU per create (2026-12-02). With a shorter
    // warm-up the 2,000-user phase measures the JIT, not the steady state a running server is in.
    const warm = JSON.parse((await http('POST', '/api/v1/dsync', { ...api, 'content-type': 'application/json' }, { tenant: 'warmup.test', product: 'crm', ...(args['no-webhooks'] ? {} : { webhook_url: rx.url, webhook_secret: WEBHOOK_SECRET }) })).body).data;
    const warmAuth = { authorization: `Bearer ${warm.scim.secret}` };
    const warmIds: string[] = [];
    await phase('warm-up', WARMUP, CONCURRENCY, 201, async (i) => {
      // The same body shape as the measured creates, so the JIT has seen the code paths they take.
      const r = await http('POST', `${warm.scim.path}/Users`, warmAuth, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `w${i}@warm.test`, externalId: `w-${i}`, active: true, displayName: `Warm ${i}`,
        name: { givenName: 'Warm', familyName: `W${i}` }, emails: [{ primary: true, value: `w${i}@warm.test`, type: 'work' }], locale: 'en-US',
      });
      warmIds[i] = JSON.parse(r.body).id;
      return r;
    });
    await phase('warm-up', WARMUP, CONCURRENCY, 204, (i) => http('PATCH', `${warm.scim.path}/Users/${warmIds[i]}`, warmAuth, { Operations: [{ op: 'replace', value: { active: false } }] }));
    await phase('warm-up', WARMUP, CONCURRENCY, 200, (i) => http('GET', `${warm.scim.path}/Users?filter=${encodeURIComponent(`userName eq "w${i}@warm.test"`)}`, warmAuth));
    const warmEvents = args['no-webhooks'] ? 0 : 2 * WARMUP;
    while ((await rx.stats()).distinct < warmEvents) await new Promise((r) => setTimeout(r, 50));
    await rx.clear();

    const created = await http('POST', '/api/v1/dsync', { ...api, 'content-type': 'application/json' }, { tenant: 'bench.test', product: 'crm', type: 'okta-scim-v2', ...(args['no-webhooks'] ? {} : { webhook_url: rx.url, webhook_secret: WEBHOOK_SECRET }) });
    if (created.status !== 201) throw new Error(created.body);
    const dir = JSON.parse(created.body).data;
    const path = dir.scim.path as string;
    const auth = { authorization: `Bearer ${dir.scim.secret}` };
    const userIds: string[] = [];
    const groupIds: string[] = [];
    const user = (i: number) => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `user${i}@bench.test`, externalId: `ext-${i}`, active: true, displayName: `User ${i}`,
      name: { givenName: 'User', familyName: `N${i}` }, emails: [{ primary: true, value: `user${i}@bench.test`, type: 'work' }], locale: 'en-US',
    });
    const results: PhaseResult[] = [];
    let expected = 0;
    /** Runs a write phase, then waits for its webhooks; records how long after the phase the last one arrived. */
    const writePhase = async (events: number, run: () => Promise<PhaseResult>) => {
      const r = await run();
      const end = Date.now();
      expected += args['no-webhooks'] ? 0 : events;
      let stats = await rx.stats();
      while (stats.distinct < expected && Date.now() - end < 300_000) {
        await new Promise((res) => setTimeout(res, 20));
        stats = await rx.stats();
      }
      r.drainS = events && !args['no-webhooks'] ? Math.max(0, stats.lastAt - end) / 1000 : undefined;
      results.push(r);
    };
    await writePhase(USERS, () => phase(`POST /Users (${USERS} users)`, USERS, CONCURRENCY, 201, async (i) => {
      const r = await http('POST', `${path}/Users`, auth, user(i));
      userIds[i] = JSON.parse(r.body).id;
      return r;
    }));
    results.push(await phase('GET /Users?filter=userName eq "…"', USERS, CONCURRENCY, 200, (i) => http('GET', `${path}/Users?filter=${encodeURIComponent(`userName eq "user${(i * 7919) % USERS}@bench.test"`)}`, auth)));
    await writePhase(USERS, () => phase('PATCH /Users/{id} deactivate', USERS, CONCURRENCY, 204, (i) => http('PATCH', `${path}/Users/${userIds[i]}`, auth, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] })));
    await writePhase(GROUPS, () => phase(`POST /Groups (${GROUPS} groups)`, GROUPS, CONCURRENCY, 201, async (i) => {
      const r = await http('POST', `${path}/Groups`, auth, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Group ${i}`, members: [] });
      groupIds[i] = JSON.parse(r.body).id;
      return r;
    }));
    await writePhase(GROUPS * 40, () => phase('PATCH /Groups/{id} adding 40 members', GROUPS, CONCURRENCY, 204, (i) =>
      http('PATCH', `${path}/Groups/${groupIds[i]}`, auth, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: Array.from({ length: 40 }, (_, k) => ({ value: userIds[(i * 40 + k) % USERS] })) }] }),
    ));
    const fill = LIST_USERS - USERS;
    if (fill > 0) await writePhase(fill, () => phase(`POST /Users (filling to ${LIST_USERS})`, fill, CONCURRENCY, 201, (i) => http('POST', `${path}/Users`, auth, user(USERS + i))));
    const pages = Math.ceil(LIST_USERS / 100);
    const listPhase = (when: string) => phase(`GET /Users?startIndex&count=100 (${pages} pages of ${LIST_USERS}, one at a time${when})`, pages, 1, 200, async (i) => {
      const r = await http('GET', `${path}/Users?startIndex=${i * 100 + 1}&count=100`, auth);
      const body = JSON.parse(r.body);
      if (body.totalResults !== LIST_USERS || body.Resources.length !== Math.min(100, LIST_USERS - i * 100)) throw new Error(`page ${i}: ${body.totalResults} / ${body.Resources.length}`);
      return r;
    });
    results.push(await listPhase(''));
    // PostgreSQL plans the first list right after the load without statistics for the new rows (a
    // bitmap scan and a sort of the whole directory per page) and without a visibility map (index-only
    // scans read the heap); autovacuum vacuums and analyzes the table within about a minute, after which
    // pages take the index alone. Both are reported.
    const stats = dialect === 'postgres' ? await analyzed(db.url, 'directory_users', 180_000) : null;
    if (stats) results.push(await listPhase(`, ${stats}`));
    const final = await rx.stats();
    return { dialect, mode, results, events: final.distinct, expectedEvents: expected, duplicates: final.duplicates, rss: server.peakRssMiB() };
  } finally {
    await server.stop();
    await rx.close();
    await db.drop();
  }
}

/** Warms a fresh target the way runDialect does (its own directory, not measured). */
async function warmUp(http: Send, rx: Awaited<ReturnType<typeof startReceiver>>) {
  const warm = JSON.parse((await http('POST', '/api/v1/dsync', { authorization: `Api-Key ${BENCH_API_KEY}`, 'content-type': 'application/json' }, { tenant: 'warmup.test', product: 'crm', webhook_url: rx.url, webhook_secret: WEBHOOK_SECRET })).body).data;
  const warmAuth = { authorization: `Bearer ${warm.scim.secret}` };
  await phase('warm-up', WARMUP, 32, 201, (i) => http('POST', `${warm.scim.path}/Users`, warmAuth, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `w${i}@warm.test`, active: true, name: { givenName: 'Warm', familyName: `W${i}` }, emails: [{ primary: true, value: `w${i}@warm.test`, type: 'work' }] }));
  await phase('warm-up', WARMUP, 32, 200, (i) => http('GET', `${warm.scim.path}/Users?filter=${encodeURIComponent(`userName eq "w${i}@warm.test"`)}`, warmAuth));
  while ((await rx.stats()).distinct < WARMUP) await new Promise((r) => setTimeout(r, 50));
  await rx.clear();
}

/**
 * A large tenant's first sync as Okta pushes it, one request at a time: per user, GET ?filter=userName eq (no
 * match yet) then POST; then per group, POST /Groups then PATCH adding its members. Every event is counted.
 */
async function runFirstSync(dialect: DialectName, mode: Mode) {
  const db = await createTestDatabase(dialect);
  if (!db) throw new Error(`${dialect} unreachable`);
  const rx = await startReceiver();
  CONCURRENCY = 1;
  const server = await startTarget(mode, db.url);
  const http = server.send;
  serverPid = mode === 'http' ? server.pid : 0;
  try {
    await warmUp(http, rx);
    const created = await http('POST', '/api/v1/dsync', { authorization: `Api-Key ${BENCH_API_KEY}`, 'content-type': 'application/json' }, { tenant: 'first-sync.test', product: 'crm', type: 'okta-scim-v2', webhook_url: rx.url, webhook_secret: WEBHOOK_SECRET });
    if (created.status !== 201) throw new Error(created.body);
    const dir = JSON.parse(created.body).data;
    const path = dir.scim.path as string;
    const auth = { authorization: `Bearer ${dir.scim.secret}` };
    const steps = { get: [] as number[], post: [] as number[], group: [] as number[], members: [] as number[] };
    const timed = async (into: number[], expect: number, req: Promise<Res>) => {
      const t = performance.now();
      const r = await req;
      into.push(performance.now() - t);
      if (r.status !== expect) throw new Error(`first sync: HTTP ${r.status} ${r.body.slice(0, 300)}`);
      return JSON.parse(r.body || 'null');
    };
    await waitForQuiet(serverPid || null, QUIET_WAIT_MS);
    const cpu0 = cpuSnapshot(serverPid || null);
    const start = performance.now();
    const userIds: string[] = [];
    for (let i = 0; i < FIRST_SYNC_USERS; i++) {
      const userName = `person${i}@first-sync.test`;
      const found = await timed(steps.get, 200, http('GET', `${path}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`, auth));
      if (found.totalResults !== 0) throw new Error(`first sync: ${userName} already exists`);
      userIds.push((await timed(steps.post, 201, http('POST', `${path}/Users`, auth, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, externalId: `00u${i}`, active: true, displayName: `Person ${i}`,
        name: { givenName: 'Person', familyName: `P${i}` }, emails: [{ primary: true, value: userName, type: 'work' }], locale: 'en-US',
      }))).id);
    }
    const usersDone = performance.now();
    for (let g = 0; g < FIRST_SYNC_GROUPS; g++) {
      const group = await timed(steps.group, 201, http('POST', `${path}/Groups`, auth, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Team ${g}`, members: [] }));
      await timed(steps.members, 204, http('PATCH', `${path}/Groups/${group.id}`, auth, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: Array.from({ length: FIRST_SYNC_MEMBERS }, (_, k) => ({ value: userIds[(g * FIRST_SYNC_MEMBERS + k) % userIds.length] })) }],
      }));
    }
    const end = performance.now();
    const spent = cpuBetween(cpu0, cpuSnapshot(serverPid || null));
    const requests = 2 * FIRST_SYNC_USERS + 2 * FIRST_SYNC_GROUPS;
    const expectedEvents = FIRST_SYNC_USERS + FIRST_SYNC_GROUPS + FIRST_SYNC_GROUPS * FIRST_SYNC_MEMBERS;
    const lastAnswer = Date.now();
    let stats = await rx.stats();
    while (stats.distinct < expectedEvents && Date.now() - lastAnswer < 300_000) {
      await new Promise((r) => setTimeout(r, 20));
      stats = await rx.stats();
    }
    await new Promise((r) => setTimeout(r, 1000)); // a duplicate arriving late would still be counted
    stats = await rx.stats();
    return {
      steps: [{ name: 'GET /Users?filter=userName eq (no match)', latencies: steps.get }, { name: 'POST /Users', latencies: steps.post }, { name: 'POST /Groups', latencies: steps.group }, { name: `PATCH /Groups/{id} adding ${FIRST_SYNC_MEMBERS} members`, latencies: steps.members }],
      requests, seconds: (end - start) / 1000, userSeconds: (usersDone - start) / 1000, groupSeconds: (end - usersDone) / 1000,
      cpuUs: ((serverPid ? spent.serverMs : spent.selfMs) * 1000) / requests, postgresCpuUs: (spent.postgresMs * 1000) / requests,
      events: stats.distinct, expectedEvents, duplicates: stats.duplicates, drainS: Math.max(0, stats.lastAt - lastAnswer) / 1000,
    };
  } finally {
    await server.stop();
    await rx.close();
    await db.drop();
  }
}

const machine = describeMachine();
const loadAvg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const title = (dialect: string, mode: Mode) => `${dialect}, ${mode === 'http' ? 'over HTTP (the server bundle in its own process, a keep-alive node:http client)' : 'in-process (app.inject)'}`;
const out: string[] = [`Machine: ${machine}`, `Concurrency ${CONCURRENCIES.join(' and ')}, webhooks on (receiver: a child process on 127.0.0.1), LOG_LEVEL=${args['log-level']}.`, ''];
for (const dialect of dialects) {
  for (const mode of modes) {
    const byConcurrency: { c: number; results: PhaseResult[] }[] = [];
    for (const c of args['first-sync-only'] ? [] : CONCURRENCIES) {
      CONCURRENCY = c;
      const load0 = loadAvg();
      const r = await runDialect(dialect, mode);
      byConcurrency.push({ c, results: r.results });
      out.push(`### ${title(dialect, mode)}, concurrency ${c}`);
      out.push(`Load average before / after: ${load0} / ${loadAvg()}.`, '');
      out.push(markdownTable(['Phase', 'Requests', 'Per second', 'p50 ms', 'p95 ms', mode === 'http' ? 'Gatehouse CPU / request' : 'Process CPU / request (Gatehouse + inject)', 'PostgreSQL CPU / request', 'Webhooks done after', 'Other load (cores)'], r.results.map((p) => [p.name, String(p.n), (p.n / p.seconds).toFixed(0), percentile(p.latencies, 50).toFixed(2), percentile(p.latencies, 95).toFixed(2), `${(p.serverCpuUs / 1000).toFixed(2)} ms`, dialect === 'postgres' ? `${(p.postgresCpuUs / 1000).toFixed(2)} ms` : '—', p.drainS === undefined ? '—' : `+${p.drainS.toFixed(1)} s`, p.otherCores.toFixed(2)])));
      out.push('');
      out.push(`Webhooks: ${r.events} of ${r.expectedEvents} events delivered, ${r.duplicates} more than once. Peak RSS ${r.rss.toFixed(0)} MiB${mode === 'http' ? ' (server)' : ' (this process)'}.`);
      out.push('');
      process.stdout.write(`${out.slice(-7).join('\n')}\n`);
    }
    if (byConcurrency.length > 1) {
      // Side by side: rate, p50 and CPU per request at each concurrency, and the CPU ratio to the first.
      const [first, ...rest] = byConcurrency;
      out.push(`### ${title(dialect, mode)}: concurrency ${byConcurrency.map((b) => b.c).join(' vs ')}`, '');
      out.push(markdownTable(['Phase', ...byConcurrency.flatMap((b) => [`c=${b.c} /s`, `c=${b.c} p50 ms`, `c=${b.c} CPU / request`]), ...rest.map((b) => `CPU c=${b.c} / c=${first!.c}`)],
        first!.results.map((p, i) => [p.name, ...byConcurrency.flatMap((b) => {
          const q = b.results[i]!;
          return [(q.n / q.seconds).toFixed(0), percentile(q.latencies, 50).toFixed(2), `${(q.serverCpuUs / 1000).toFixed(2)} ms`];
        }), ...rest.map((b) => (b.results[i]!.serverCpuUs / p.serverCpuUs).toFixed(2))])));
      out.push('');
    }
    if (FIRST_SYNC_USERS > 0) {
      const load0 = loadAvg();
      const f = await runFirstSync(dialect, mode);
      out.push(`### ${title(dialect, mode)}: first sync in Okta's order, one request at a time`);
      out.push(`Load average before / after: ${load0} / ${loadAvg()}.`, '');
      out.push(markdownTable(['Step', 'Requests', 'p50 ms', 'p95 ms'], f.steps.map((x) => [x.name, String(x.latencies.length), percentile(x.latencies, 50).toFixed(2), percentile(x.latencies, 95).toFixed(2)])));
      out.push('');
      out.push(`${FIRST_SYNC_USERS} users (GET filter + POST each) and ${FIRST_SYNC_GROUPS} groups (POST + PATCH of ${FIRST_SYNC_MEMBERS} members each): ${f.requests} requests in ${f.seconds.toFixed(1)} s (users ${f.userSeconds.toFixed(1)} s, groups ${f.groupSeconds.toFixed(1)} s), ${(f.cpuUs / 1000).toFixed(2)} ms ${mode === 'http' ? 'Gatehouse' : 'process'} CPU per request${dialect === 'postgres' ? ` + ${(f.postgresCpuUs / 1000).toFixed(2)} ms PostgreSQL` : ''}. Webhooks: ${f.events} of ${f.expectedEvents} events delivered, ${f.duplicates} more than once, the last ${f.drainS.toFixed(1)} s after the last answer.`);
      out.push('');
      process.stdout.write(`${out.slice(-6).join('\n')}\n`);
    }
  }
}
process.stdout.write(`\n${out.join('\n')}\n`);
process.exit(0);
