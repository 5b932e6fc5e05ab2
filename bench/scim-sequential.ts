/**
 * CPU per SCIM request, one in flight against 32 in flight, in-process on SQLite with webhooks on, measured in
 * interleaved rounds so that both columns see the same machine load (this is a shared machine: wall-clock rates
 * are noisy, CPU per request much less so):
 *
 *   node --import tsx bench/scim-sequential.ts [--rounds 4] [--n 1000] [--warmup 4000] [--profile dir]
 *
 * Each round runs, at concurrency 1 then 32: n creates, n filtered GETs (userName eq), n deactivating PATCHes.
 * CPU is this process's (process.cpuUsage: every thread, so the webhook deliverer's sender thread and SQLite's
 * checkpoint thread are in it, as they are in a server's). With --profile, the main thread's CPU profile of
 * the sequential phases of the last round is written there (node:inspector), for where the time goes.
 */
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fork } from 'node:child_process';
import pino from 'pino';
import { boot, createLogger } from '../src/boot.ts';
import { buildApp } from '../src/http/app.ts';
import { startWebhookDeliverer } from '../src/directory-sync/webhooks/deliverer.ts';
import { BENCH_API_KEY } from './support/login-flow.ts';
import { describeMachine } from './support/machine.ts';
import { markdownTable } from './support/stats.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '4' }, n: { type: 'string', default: '1000' }, warmup: { type: 'string', default: '4000' }, profile: { type: 'string' }, 'unbuffered-log': { type: 'boolean', default: false } } });
const ROUNDS = Number(args.rounds);
const N = Number(args.n);

const receiver = fork(new URL('./support/webhook-receiver.mjs', import.meta.url), { stdio: 'ignore', execArgv: [] });
const { port } = await new Promise<{ port: number }>((resolve) => receiver.once('message', (m) => resolve(m as { port: number })));
const stats = () => new Promise<{ distinct: number; duplicates: number }>((resolve) => receiver.once('message', (r) => resolve(r as { distinct: number; duplicates: number })).send('stats'));

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-seq-'));
const { ctx, database } = await boot({
  NODE_ENV: 'production', DATABASE_URL: `sqlite:${join(dir, 'g.db')}`, EXTERNAL_URL: 'http://127.0.0.1:5225', ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  API_KEYS: BENCH_API_KEY, RATE_LIMIT_API_PER_MINUTE: '0', RATE_LIMIT_SCIM_PER_MINUTE: '0', OUTBOUND_ALLOW_HOSTS: '127.0.0.1', LOG_LEVEL: 'info',
}, {
  // As main.ts logs (boot.ts's createLogger), to a file; --unbuffered-log: one write per line, as before decision 0036.
  logger: args['unbuffered-log'] ? pino({ level: 'info' }, pino.destination({ dest: join(dir, 'gatehouse.log'), sync: false })) : createLogger({ LOG_LEVEL: 'info' }, join(dir, 'gatehouse.log')),
});
const app = await buildApp(ctx);
await app.ready();
const checkpoints = database.startBackgroundCheckpoints?.({ intervalMs: 200, onProblem: (m) => ctx.log.warn(m) });
const deliverer = startWebhookDeliverer(ctx, { threaded: true });

const inject = async (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
  const r = await app.inject({ method: method as 'GET', url, headers: body === undefined ? headers : { 'content-type': 'application/scim+json', ...headers }, payload: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.statusCode, body: r.body };
};
const created = await inject('POST', '/api/v1/dsync', { authorization: `Api-Key ${BENCH_API_KEY}`, 'content-type': 'application/json' }, { tenant: 'seq.test', product: 'crm', type: 'okta-scim-v2', webhook_url: `http://127.0.0.1:${port}/hooks`, webhook_secret: 'bench-webhook-secret' });
const { scim } = JSON.parse(created.body).data as { scim: { path: string; secret: string } };
const auth = { authorization: `Bearer ${scim.secret}` };
let serial = 0;
const user = (i: number) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `user${i}@seq.test`, externalId: `ext-${i}`, active: true, displayName: `User ${i}`,
  name: { givenName: 'User', familyName: `N${i}` }, emails: [{ primary: true, value: `user${i}@seq.test`, type: 'work' }], locale: 'en-US',
});

/** Runs n requests with `c` in flight; returns µs of process CPU per request. */
async function run(n: number, c: number, expect: number, send: (i: number) => Promise<{ status: number; body: string }>): Promise<number> {
  let next = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: c }, async () => {
    for (let i = next++; i < n; i = next++) {
      const r = await send(i);
      if (r.status !== expect) throw new Error(`HTTP ${r.status} ${r.body.slice(0, 200)}`);
    }
  }));
  const d = process.cpuUsage(cpu0);
  return (d.user + d.system) / n;
}

/** One round of the three phases at concurrency c. */
async function round(c: number) {
  const base = serial;
  serial += N;
  const ids: string[] = [];
  const post = await run(N, c, 201, async (i) => {
    const r = await inject('POST', `${scim.path}/Users`, auth, user(base + i));
    ids[i] = JSON.parse(r.body).id;
    return r;
  });
  const get = await run(N, c, 200, (i) => inject('GET', `${scim.path}/Users?filter=${encodeURIComponent(`userName eq "user${base + ((i * 7919) % N)}@seq.test"`)}`, auth));
  const patch = await run(N, c, 204, (i) => inject('PATCH', `${scim.path}/Users/${ids[i]}`, auth, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] }));
  return { post, get, patch };
}

const settle = async (events: number) => {
  while ((await stats()).distinct < events) await new Promise((r) => setTimeout(r, 50));
};
// Warm-up: the JIT needs a few thousand requests to reach the steady state (bench/scim.ts).
for (let w = 0; w < Number(args.warmup); w += N) await round(32);
let events = 2 * serial;
await settle(events);

const rows: { c: number; post: number; get: number; patch: number; load: number }[] = [];
let session: Session | null = null;
for (let r = 0; r < ROUNDS; r++) {
  for (const c of r % 2 ? [32, 1] : [1, 32]) {
    const profile = args.profile && r === ROUNDS - 1 && c === 1;
    if (profile) {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const load = loadavg()[0]!;
    rows.push({ c, ...(await round(c)), load });
    if (profile && session) {
      const { profile: p } = await session.post('Profiler.stop');
      mkdirSync(args.profile!, { recursive: true });
      writeFileSync(join(args.profile!, 'scim-sequential.cpuprofile'), JSON.stringify(p));
      session.disconnect();
    }
    events += 2 * N;
    await settle(events); // the deliverer's backlog is drained before the next phase, so it does not spill over
  }
}
const final = await stats();
await deliverer.stop();
await app.close();
await checkpoints?.stop();
await database.close();
receiver.kill();
rmSync(dir, { recursive: true, force: true });

const us = (v: number) => `${v.toFixed(0)} µs`;
const avg = (c: number, k: 'post' | 'get' | 'patch') => rows.filter((r) => r.c === c).reduce((s, r) => s + r[k], 0) / ROUNDS;
process.stdout.write(`Machine: ${describeMachine()}; in-process (app.inject), SQLite file, webhooks on, LOG_LEVEL=info to a file (${args['unbuffered-log'] ? 'one write per line' : 'buffered'}); ${ROUNDS} interleaved rounds of ${N} requests per phase.\n\n`);
process.stdout.write(`${markdownTable(['Round', 'Concurrency', 'POST /Users CPU', 'GET filter CPU', 'PATCH deactivate CPU', 'Load average (1 min)'], rows.map((r, i) => [String(Math.floor(i / 2) + 1), String(r.c), us(r.post), us(r.get), us(r.patch), r.load.toFixed(2)]))}\n\n`);
process.stdout.write(`${markdownTable(['Mean', 'POST /Users', 'GET filter', 'PATCH deactivate'], [['c=1', us(avg(1, 'post')), us(avg(1, 'get')), us(avg(1, 'patch'))], ['c=32', us(avg(32, 'post')), us(avg(32, 'get')), us(avg(32, 'patch'))], ['ratio c=1 / c=32', (avg(1, 'post') / avg(32, 'post')).toFixed(2), (avg(1, 'get') / avg(32, 'get')).toFixed(2), (avg(1, 'patch') / avg(32, 'patch')).toFixed(2)]])}\n\n`);
process.stdout.write(`Webhooks: ${final.distinct} of ${events} events delivered, ${final.duplicates} more than once.\n`);
process.exit(final.distinct === events && final.duplicates === 0 ? 0 : 1);
