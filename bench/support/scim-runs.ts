/**
 * The runs of bench/scim.ts as functions (bench/sitting.ts calls them too): Gatehouse on a fresh database, in-process
 * or as the server bundle over HTTP, with the webhook deliverer on and a receiver child process counting events.
 *   - `runDirectoryBench`: after a warm-up on a directory of its own, the phases of support/scim-phases.ts, then the
 *     directory filled to `listUsers` and listed by pages of 100 (on PostgreSQL, again once the table is analyzed);
 *   - `runFirstSync`: a large tenant's first sync in Okta's order, one request at a time.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot, createLogger } from '../../src/boot.ts';
import { buildApp } from '../../src/http/app.ts';
import { startWebhookDeliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { createTestDatabase } from '../../test/support/databases.ts';
import type { DialectName } from '../../src/storage/dialect.ts';
import { BENCH_API_KEY } from './login-flow.ts';
import { startServerProcess } from './server-process.ts';
import { analyzed, client, startReceiver, type Res, type Send } from './scim-harness.ts';
import { rawClient } from './scim-raw-client.ts';
import { cpuBetween, cpuSnapshot, processCpuMs, waitForQuiet } from './cpu.ts';
import { directoryPhases, phase, scimUser, type Meter, type PhaseResult } from './scim-phases.ts';

export type Mode = 'http' | 'in-process';
/** The SCIM client over HTTP: node:http's keep-alive agent, or the lean raw-socket one (scim-raw-client.ts). */
export type ClientKind = 'node-http' | 'raw';
export const WEBHOOK_SECRET = 'bench-webhook-secret';
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

interface Target {
  send: Send;
  /** The server process, or null in-process (this process's CPU is Gatehouse's, the client's share included). */
  pid: number | null;
  peakRssMiB(): number;
  stop(): Promise<void>;
}

async function startTarget(mode: Mode, databaseUrl: string, concurrency: number, logLevel: string, clientKind: ClientKind = 'node-http'): Promise<Target> {
  const env = { OUTBOUND_ALLOW_HOSTS: '127.0.0.1', DATABASE_POOL_SIZE: '16', LOG_LEVEL: logLevel };
  if (mode === 'http') {
    const server = await startServerProcess({ databaseUrl, env });
    return { send: (clientKind === 'raw' ? rawClient : client)(server.baseUrl, concurrency), pid: server.pid, peakRssMiB: () => server.peakRssMiB(), stop: () => server.stop() };
  }
  const logDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-log-'));
  const { ctx, database } = await boot(
    { NODE_ENV: 'production', DATABASE_URL: databaseUrl, EXTERNAL_URL: 'http://127.0.0.1:5225', ENCRYPTION_KEY: randomBytes(32).toString('hex'), API_KEYS: BENCH_API_KEY, RATE_LIMIT_API_PER_MINUTE: '0', RATE_LIMIT_SCIM_PER_MINUTE: '0', ...env },
    { logger: createLogger({ LOG_LEVEL: env.LOG_LEVEL as 'info' }, join(logDir, 'gatehouse.log')) }, // as main.ts logs, to a file
  );
  const app = await buildApp(ctx);
  await app.ready();
  // As main.ts: on the SAML validation pool's thread when there is one (decision 0056).
  const checkpoints = database.startBackgroundCheckpoints?.({ intervalMs: 200, onProblem: (m) => ctx.log.warn(m), host: ctx.samlValidation.checkpointHost });
  const deliverer = startWebhookDeliverer(ctx, { threaded: true });
  const send: Send = async (method, path, headers, body) => {
    const r = await app.inject({ method: method as 'GET', url: path, headers: body === undefined ? headers : { 'content-type': 'application/scim+json', ...headers }, payload: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.statusCode, body: r.body };
  };
  return {
    send, pid: null,
    peakRssMiB: () => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024,
    async stop() {
      await deliverer.stop();
      await checkpoints?.stop(); // before the app closes the pool that runs them
      await app.close();
      await database.close();
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}

const databaseName = (url: string) => (url.startsWith('postgres') ? new URL(url).pathname.slice(1) : undefined);

async function createDirectory(http: Send, tenant: string, rx: Receiver | null, type?: string) {
  const created = await http('POST', '/api/v1/dsync', { authorization: `Api-Key ${BENCH_API_KEY}`, 'content-type': 'application/json' }, { tenant, product: 'crm', ...(type ? { type } : {}), ...(rx ? { webhook_url: rx.url, webhook_secret: WEBHOOK_SECRET } : {}) });
  if (created.status !== 201) throw new Error(`creating the directory: ${created.status} ${created.body}`);
  const dir = JSON.parse(created.body).data as { scim: { path: string; secret: string } };
  return { path: dir.scim.path, auth: { authorization: `Bearer ${dir.scim.secret}` } };
}

/**
 * Warm-up (JIT, pools, caches) on a directory of its own, with the same webhook, not measured. It takes ~4,000
 * creates for V8 to optimise the request path: in-process, after 1,000 warm-up creates, batches of 1,000 cost
 * 1,035, 794, 604, 547, then 500–540 µs of CPU per create (2026-12-02). With a shorter warm-up the first phase
 * measures the JIT, not the steady state a running server is in.
 */
async function warmUp(http: Send, rx: Receiver | null, meter: Meter, n: number, concurrency: number) {
  if (n <= 0) return;
  const warm = await createDirectory(http, 'warmup.test', rx);
  const ids: string[] = [];
  await phase(meter, 'warm-up', n, concurrency, 201, async (i) => {
    // The same body shape as the measured creates, so the JIT has seen the code paths they take.
    const r = await http('POST', `${warm.path}/Users`, warm.auth, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `w${i}@warm.test`, externalId: `w-${i}`, active: true, displayName: `Warm ${i}`,
      name: { givenName: 'Warm', familyName: `W${i}` }, emails: [{ primary: true, value: `w${i}@warm.test`, type: 'work' }], locale: 'en-US',
    });
    ids[i] = JSON.parse(r.body).id;
    return r;
  });
  await phase(meter, 'warm-up', n, concurrency, 204, (i) => http('PATCH', `${warm.path}/Users/${ids[i]}`, warm.auth, { Operations: [{ op: 'replace', value: { active: false } }] }));
  await phase(meter, 'warm-up', n, concurrency, 200, (i) => http('GET', `${warm.path}/Users?filter=${encodeURIComponent(`userName eq "w${i}@warm.test"`)}`, warm.auth));
  if (!rx) return;
  while ((await rx.stats()).distinct < 2 * n) await new Promise((r) => setTimeout(r, 50));
  await rx.clear();
}

export interface DirectoryBenchOptions {
  users: number;
  groups: number;
  /** Fill the directory to this many users and list it by pages (0: no list phase). */
  listUsers: number;
  warmup: number;
  concurrency: number;
  webhooks: boolean;
  logLevel: string;
  quietWaitMs: number;
}

export interface DirectoryBenchResult {
  dialect: DialectName;
  mode: Mode;
  results: PhaseResult[];
  events: number;
  expectedEvents: number;
  duplicates: number;
  rss: number;
}

/** One run of bench/scim.ts's phases on a fresh database; every webhook event is checked to arrive exactly once. */
export async function runDirectoryBench(dialect: DialectName, mode: Mode, o: DirectoryBenchOptions): Promise<DirectoryBenchResult> {
  const db = await createTestDatabase(dialect);
  if (!db) throw new Error(`${dialect} unreachable`);
  const rx = await startReceiver();
  const server = await startTarget(mode, db.url, o.concurrency, o.logLevel);
  const http = server.send;
  const meter: Meter = { serverPid: server.pid, quietWaitMs: o.quietWaitMs, postgresDatabase: databaseName(db.url) };
  try {
    await warmUp(http, o.webhooks ? rx : null, meter, o.warmup, o.concurrency);
    const { path, auth } = await createDirectory(http, 'bench.test', o.webhooks ? rx : null, 'okta-scim-v2');
    let expected = 0;
    /** After a write phase, waits for its webhooks; records how long after the phase the last one arrived. */
    const afterWrite = async (events: number, r: PhaseResult) => {
      if (!o.webhooks) return;
      const end = Date.now();
      expected += events;
      let stats = await rx.stats();
      while (stats.distinct < expected && Date.now() - end < 300_000) {
        await new Promise((res) => setTimeout(res, 20));
        stats = await rx.stats();
      }
      r.drainS = events ? Math.max(0, stats.lastAt - end) / 1000 : undefined;
    };
    const { results } = await directoryPhases({ send: http, path, auth, users: o.users, groups: o.groups, concurrency: o.concurrency, meter, afterWrite });
    const fill = o.listUsers - o.users;
    if (fill > 0) {
      const r = await phase(meter, `POST /Users (filling to ${o.listUsers})`, fill, o.concurrency, 201, (i) => http('POST', `${path}/Users`, auth, scimUser(o.users + i)));
      await afterWrite(fill, r);
      results.push(r);
    }
    if (o.listUsers > 0) {
      const pages = Math.ceil(o.listUsers / 100);
      const listPhase = (when: string) => phase(meter, `GET /Users?startIndex&count=100 (${pages} pages of ${o.listUsers}, one at a time${when})`, pages, 1, 200, async (i) => {
        const r = await http('GET', `${path}/Users?startIndex=${i * 100 + 1}&count=100`, auth);
        const body = JSON.parse(r.body);
        if (body.totalResults !== o.listUsers || body.Resources.length !== Math.min(100, o.listUsers - i * 100)) throw new Error(`page ${i}: ${body.totalResults} / ${body.Resources.length}`);
        return r;
      });
      results.push(await listPhase(''));
      // PostgreSQL plans the first list right after the load without statistics for the new rows (a bitmap scan
      // and a sort of the whole directory per page) and without a visibility map (index-only scans read the heap);
      // autovacuum vacuums and analyzes the table within about a minute, after which pages take the index alone.
      const stats = dialect === 'postgres' ? await analyzed(db.url, 'directory_users', 180_000) : null;
      if (stats) results.push(await listPhase(`, ${stats}`));
    }
    const final = await rx.stats();
    return { dialect, mode, results, events: final.distinct, expectedEvents: expected, duplicates: final.duplicates, rss: server.peakRssMiB() };
  } finally {
    await server.stop();
    await rx.close();
    await db.drop();
  }
}

export interface FirstSyncOptions {
  users: number;
  groups: number;
  /** Members added by each group's PATCH. */
  members: number;
  warmup: number;
  logLevel: string;
  quietWaitMs: number;
  /** Over HTTP: which client (default node:http). */
  client?: ClientKind;
}

export interface FirstSyncResult {
  steps: { name: string; latencies: number[] }[];
  requests: number;
  seconds: number;
  userSeconds: number;
  groupSeconds: number;
  /** Gatehouse CPU per request, µs (in-process: this whole process). */
  cpuUs: number;
  postgresCpuUs: number;
  events: number;
  expectedEvents: number;
  duplicates: number;
  drainS: number;
  otherCores: number;
  /** Where the CPU of the timed part went, ms: the server's threads by name (http), this client, the webhook receiver. */
  cpuByPart: Record<string, number>;
}

/**
 * CPU so far, ms, by part: each thread of the server process (Node names them all `node`: the main thread is the
 * one whose id is the process's; the webhook sender and SQLite's checkpointer are the busiest others), this
 * client process, and the webhook receiver. Threads that end between two readings drop out of the difference.
 */
function cpuByPart(serverPid: number | null, receiverPid: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (serverPid !== null) {
    for (const tid of readdirSync(`/proc/${serverPid}/task`)) {
      try {
        const name = Number(tid) === serverPid ? 'server: main thread' : `server: thread ${tid}`;
        const stat = readFileSync(`/proc/${serverPid}/task/${tid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) * 10;
      } catch {
        // the thread ended while we looked
      }
    }
  }
  const self = process.cpuUsage();
  out['client (this process)'] = (self.user + self.system) / 1000;
  out['webhook receiver'] = processCpuMs(receiverPid);
  return out;
}

/**
 * A large tenant's first sync as Okta pushes it, one request at a time: per user, GET ?filter=userName eq (no
 * match yet) then POST; then per group, POST /Groups then PATCH adding its members. Every event is counted.
 */
export async function runFirstSync(dialect: DialectName, mode: Mode, o: FirstSyncOptions): Promise<FirstSyncResult> {
  const db = await createTestDatabase(dialect);
  if (!db) throw new Error(`${dialect} unreachable`);
  const rx = await startReceiver();
  const server = await startTarget(mode, db.url, 1, o.logLevel, o.client);
  const http = server.send;
  const meter: Meter = { serverPid: server.pid, quietWaitMs: o.quietWaitMs, postgresDatabase: databaseName(db.url) };
  try {
    await warmUp(http, rx, meter, o.warmup, 32);
    const { path, auth } = await createDirectory(http, 'first-sync.test', rx, 'okta-scim-v2');
    const steps = { get: [] as number[], post: [] as number[], group: [] as number[], members: [] as number[] };
    const timed = async (into: number[], expect: number, req: Promise<Res>) => {
      const t = performance.now();
      const r = await req;
      into.push(performance.now() - t);
      if (r.status !== expect) throw new Error(`first sync: HTTP ${r.status} ${r.body.slice(0, 300)}`);
      return JSON.parse(r.body || 'null');
    };
    await waitForQuiet(meter.serverPid, o.quietWaitMs);
    const cpu0 = cpuSnapshot(meter.serverPid, meter.postgresDatabase);
    const parts0 = cpuByPart(server.pid, rx.pid);
    const start = performance.now();
    const userIds: string[] = [];
    for (let i = 0; i < o.users; i++) {
      const userName = `person${i}@first-sync.test`;
      const found = await timed(steps.get, 200, http('GET', `${path}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`, auth));
      if (found.totalResults !== 0) throw new Error(`first sync: ${userName} already exists`);
      userIds.push((await timed(steps.post, 201, http('POST', `${path}/Users`, auth, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, externalId: `00u${i}`, active: true, displayName: `Person ${i}`,
        name: { givenName: 'Person', familyName: `P${i}` }, emails: [{ primary: true, value: userName, type: 'work' }], locale: 'en-US',
      }))).id);
    }
    const usersDone = performance.now();
    for (let g = 0; g < o.groups; g++) {
      const group = await timed(steps.group, 201, http('POST', `${path}/Groups`, auth, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Team ${g}`, members: [] }));
      await timed(steps.members, 204, http('PATCH', `${path}/Groups/${group.id}`, auth, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: Array.from({ length: o.members }, (_, k) => ({ value: userIds[(g * o.members + k) % userIds.length] })) }],
      }));
    }
    const end = performance.now();
    const spent = cpuBetween(cpu0, cpuSnapshot(meter.serverPid, meter.postgresDatabase));
    const parts1 = cpuByPart(server.pid, rx.pid);
    const requests = 2 * o.users + 2 * o.groups;
    const expectedEvents = o.users + o.groups + o.groups * o.members;
    const lastAnswer = Date.now();
    let stats = await rx.stats();
    while (stats.distinct < expectedEvents && Date.now() - lastAnswer < 300_000) {
      await new Promise((r) => setTimeout(r, 20));
      stats = await rx.stats();
    }
    await new Promise((r) => setTimeout(r, 1000)); // a duplicate arriving late would still be counted
    stats = await rx.stats();
    return {
      steps: [{ name: 'GET /Users?filter=userName eq (no match)', latencies: steps.get }, { name: 'POST /Users', latencies: steps.post }, { name: 'POST /Groups', latencies: steps.group }, { name: `PATCH /Groups/{id} adding ${o.members} members`, latencies: steps.members }],
      requests, seconds: (end - start) / 1000, userSeconds: (usersDone - start) / 1000, groupSeconds: (end - usersDone) / 1000,
      cpuUs: ((meter.serverPid !== null ? spent.serverMs : spent.selfMs) * 1000) / requests, postgresCpuUs: (spent.postgresMs * 1000) / requests,
      events: stats.distinct, expectedEvents, duplicates: stats.duplicates, drainS: Math.max(0, stats.lastAt - lastAnswer) / 1000, otherCores: spent.otherCores,
      cpuByPart: Object.fromEntries(Object.entries(parts1).map(([k, v]) => [k, v - (parts0[k] ?? 0)])),
    };
  } finally {
    await server.stop();
    await rx.close();
    await db.drop();
  }
}
