/**
 * Directory Sync throughput with webhooks on:
 *
 *   node --import tsx bench/scim.ts [--dialect sqlite|postgres]… [--users 2000] [--concurrency 32] [--list-users 10000]
 *
 * Gatehouse runs as deployed (src/main.ts in its own process, NODE_ENV=production, LOG_LEVEL=info,
 * its webhook deliverer on) against a fresh database; this process is the SCIM client (node:http,
 * keep-alive, `--concurrency` requests in flight) and the webhook receiver (127.0.0.1, answers 200).
 * Phases, each timed from first request to last answer: POST /Users, filtered GET (userName eq),
 * PATCH deactivate (Okta's path-less replace), POST /Groups, PATCH group adding 40 members, then the
 * directory is filled to `--list-users` and listed by pages of 100 one at a time. After the load,
 * the time for the webhook backlog to drain is reported; every event is checked to arrive exactly once.
 */
import { parseArgs } from 'node:util';
import { Agent, createServer, request } from 'node:http';
import { createTestDatabase } from '../test/support/databases.ts';
import type { DialectName } from '../src/storage/dialect.ts';
import { BENCH_API_KEY } from './support/login-flow.ts';
import { startServerProcess } from './support/server-process.ts';
import { markdownTable, percentile } from './support/stats.ts';
import { describeMachine } from './support/machine.ts';
import { cpuBetween, cpuSnapshot, waitForQuiet } from './support/cpu.ts';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', multiple: true },
    users: { type: 'string', default: '2000' },
    groups: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '32' },
    'list-users': { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '1000' },
    'no-webhooks': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
  },
});
const dialects = (args.dialect ?? ['sqlite', 'postgres']) as DialectName[];
const USERS = Number(args.users);
const GROUPS = Number(args.groups);
const CONCURRENCY = Number(args.concurrency);
const LIST_USERS = Number(args['list-users']);
const WARMUP = Number(args.warmup);
const WEBHOOK_SECRET = 'bench-webhook-secret';

interface Res {
  status: number;
  body: string;
}

function client(baseUrl: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const { hostname, port } = new URL(baseUrl);
  return (method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Res> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request({ agent, hostname, port, method, path, headers: payload === undefined ? headers : { 'content-type': 'application/scim+json', ...headers, 'content-length': Buffer.byteLength(payload) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
}

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
  if (name !== 'warm-up') await waitForQuiet(serverPid, 60_000);
  const cpu0 = cpuSnapshot(serverPid);
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
  const spent = cpuBetween(cpu0, cpuSnapshot(serverPid));
  return { name, n, seconds, latencies, serverCpuUs: (spent.serverMs * 1000) / n, postgresCpuUs: (spent.postgresMs * 1000) / n, otherCores: spent.otherCores };
}

async function startReceiver() {
  const seen = new Map<string, number>();
  let lastAt = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const id = JSON.parse(Buffer.concat(chunks).toString('utf8')).id as string;
      seen.set(id, (seen.get(id) ?? 0) + 1);
      lastAt = performance.now();
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`, seen, lastAt: () => lastAt, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function runDialect(dialect: DialectName) {
  const db = await createTestDatabase(dialect);
  if (!db) throw new Error(`${dialect} unreachable`);
  const rx = await startReceiver();
  const server = await startServerProcess({ databaseUrl: db.url, env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1', DATABASE_POOL_SIZE: '16', LOG_LEVEL: args['log-level'] } });
  const http = client(server.baseUrl);
  serverPid = server.pid;
  try {
    const api = { authorization: `Api-Key ${BENCH_API_KEY}` };
    // Warm-up (JIT, pools, caches) on a directory of its own, with the same webhook, not measured.
    const warm = JSON.parse((await http('POST', '/api/v1/dsync', { ...api, 'content-type': 'application/json' }, { tenant: 'warmup.test', product: 'crm', ...(args['no-webhooks'] ? {} : { webhook_url: rx.url, webhook_secret: WEBHOOK_SECRET }) })).body).data;
    const warmAuth = { authorization: `Bearer ${warm.scim.secret}` };
    const warmIds: string[] = [];
    await phase('warm-up', WARMUP, CONCURRENCY, 201, async (i) => {
      const r = await http('POST', `${warm.scim.path}/Users`, warmAuth, { userName: `w${i}@warm.test`, name: { givenName: 'W', familyName: 'U' }, emails: [{ value: `w${i}@warm.test`, primary: true }] });
      warmIds[i] = JSON.parse(r.body).id;
      return r;
    });
    await phase('warm-up', WARMUP, CONCURRENCY, 204, (i) => http('PATCH', `${warm.scim.path}/Users/${warmIds[i]}`, warmAuth, { Operations: [{ op: 'replace', value: { active: false } }] }));
    await phase('warm-up', WARMUP, CONCURRENCY, 200, (i) => http('GET', `${warm.scim.path}/Users?filter=${encodeURIComponent(`userName eq "w${i}@warm.test"`)}`, warmAuth));
    const warmEvents = args['no-webhooks'] ? 0 : 2 * WARMUP;
    while (rx.seen.size < warmEvents) await new Promise((r) => setTimeout(r, 50));
    rx.seen.clear();

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
      const end = performance.now();
      expected += args['no-webhooks'] ? 0 : events;
      while (rx.seen.size < expected && performance.now() - end < 300_000) await new Promise((res) => setTimeout(res, 20));
      r.drainS = events && !args['no-webhooks'] ? Math.max(0, rx.lastAt() - end) / 1000 : undefined;
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
    results.push(await phase(`GET /Users?startIndex&count=100 (${pages} pages of ${LIST_USERS}, one at a time)`, pages, 1, 200, async (i) => {
      const r = await http('GET', `${path}/Users?startIndex=${i * 100 + 1}&count=100`, auth);
      const body = JSON.parse(r.body);
      if (body.totalResults !== LIST_USERS || body.Resources.length !== Math.min(100, LIST_USERS - i * 100)) throw new Error(`page ${i}: ${body.totalResults} / ${body.Resources.length}`);
      return r;
    }));
    const duplicates = [...rx.seen.values()].filter((n) => n > 1).length;
    return { dialect, results, events: rx.seen.size, expectedEvents: expected, duplicates, rss: server.peakRssMiB() };
  } finally {
    await server.stop();
    await rx.close();
    await db.drop();
  }
}

const machine = describeMachine();
const out: string[] = [`Machine: ${machine}`, `Concurrency ${CONCURRENCY}, webhooks on (receiver on 127.0.0.1), Gatehouse as its own process (NODE_ENV=production, LOG_LEVEL=${args['log-level']}).`, ''];
for (const dialect of dialects) {
  const r = await runDialect(dialect);
  out.push(`### ${dialect}`);
  out.push(markdownTable(['Phase', 'Requests', 'Per second', 'p50 ms', 'p95 ms', 'Gatehouse CPU / request', 'PostgreSQL CPU / request', 'Webhooks done after', 'Other load (cores)'], r.results.map((p) => [p.name, String(p.n), (p.n / p.seconds).toFixed(0), percentile(p.latencies, 50).toFixed(2), percentile(p.latencies, 95).toFixed(2), `${(p.serverCpuUs / 1000).toFixed(2)} ms`, dialect === 'postgres' ? `${(p.postgresCpuUs / 1000).toFixed(2)} ms` : '—', p.drainS === undefined ? '—' : `+${p.drainS.toFixed(1)} s`, p.otherCores.toFixed(2)])));
  out.push('');
  out.push(`Webhooks: ${r.events} of ${r.expectedEvents} events delivered, ${r.duplicates} more than once. Server peak RSS ${r.rss.toFixed(0)} MiB.`);
  out.push('');
  process.stdout.write(`${out.slice(-5).join('\n')}\n`);
}
process.stdout.write(`\n${out.join('\n')}\n`);
