/**
 * The measurement of bench/scim-sequential.ts as a function (bench/sitting.ts calls it too): CPU per SCIM request,
 * one in flight against 32 in flight, in-process on a SQLite file with webhooks on, in interleaved rounds
 * (1, 32, 32, 1, …) so that both columns see the same machine load. Each round runs, at concurrency 1 then 32:
 * n creates, n filtered GETs (userName eq), n deactivating PATCHes. CPU is this process's (process.cpuUsage: every
 * thread, so the webhook deliverer's sender thread and SQLite's checkpoint thread are in it, as in a server's).
 * With `profile`, the main thread's CPU profile of each phase of the last round is written there: scim-sequential-post/get/patch.cpuprofile
 * one in flight, scim-sequential-c32-post/get/patch.cpuprofile 32 in flight (to compare part by part).
 */
import { Session } from 'node:inspector/promises';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { boot, createLogger } from '../../src/boot.ts';
import { buildApp } from '../../src/http/app.ts';
import { startWebhookDeliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { BENCH_API_KEY } from './login-flow.ts';
import { startReceiver } from './scim-harness.ts';

export interface SequentialRound {
  c: number;
  /** µs of process CPU per request. */
  post: number;
  get: number;
  patch: number;
  /** µs of the main thread's CPU per request (the rest of `post`/`get`/`patch` is the other threads': webhook sender, SQLite checkpoints, V8's). */
  main: { post: number; get: number; patch: number };
  /** 1-minute load average when the round started. */
  load: number;
}

export interface SequentialRounds {
  rows: SequentialRound[];
  events: number;
  delivered: number;
  duplicates: number;
}

/** The main thread's CPU so far, µs (Linux: the task whose id is the process's; its clock ticks are 10 ms). */
function mainThreadUs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

export async function runSequentialRounds(o: { rounds: number; n: number; warmup: number; profile?: string; unbufferedLog?: boolean }): Promise<SequentialRounds> {
  const rx = await startReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-seq-'));
  const { ctx, database } = await boot({
    NODE_ENV: 'production', DATABASE_URL: `sqlite:${join(dir, 'g.db')}`, EXTERNAL_URL: 'http://127.0.0.1:5225', ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    API_KEYS: BENCH_API_KEY, RATE_LIMIT_API_PER_MINUTE: '0', RATE_LIMIT_SCIM_PER_MINUTE: '0', OUTBOUND_ALLOW_HOSTS: '127.0.0.1', LOG_LEVEL: 'info',
  }, {
    // As main.ts logs (boot.ts's createLogger), to a file; unbufferedLog: one write per line, as before decision 0036.
    logger: o.unbufferedLog ? pino({ level: 'info' }, pino.destination({ dest: join(dir, 'gatehouse.log'), sync: false })) : createLogger({ LOG_LEVEL: 'info' }, join(dir, 'gatehouse.log')),
  });
  const app = await buildApp(ctx);
  await app.ready();
  // As main.ts: on the SAML validation pool's thread when there is one (decision 0056).
  const checkpoints = database.startBackgroundCheckpoints?.({ intervalMs: 200, onProblem: (m) => ctx.log.warn(m), host: ctx.samlValidation.checkpointHost });
  const deliverer = startWebhookDeliverer(ctx, { threaded: true });
  try {
    const inject = async (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
      const r = await app.inject({ method: method as 'GET', url, headers: body === undefined ? headers : { 'content-type': 'application/scim+json', ...headers }, payload: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.statusCode, body: r.body };
    };
    const created = await inject('POST', '/api/v1/dsync', { authorization: `Api-Key ${BENCH_API_KEY}`, 'content-type': 'application/json' }, { tenant: 'seq.test', product: 'crm', type: 'okta-scim-v2', webhook_url: rx.url, webhook_secret: 'bench-webhook-secret' });
    const { scim } = JSON.parse(created.body).data as { scim: { path: string; secret: string } };
    const auth = { authorization: `Bearer ${scim.secret}` };
    let serial = 0;
    const user = (i: number) => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `user${i}@seq.test`, externalId: `ext-${i}`, active: true, displayName: `User ${i}`,
      name: { givenName: 'User', familyName: `N${i}` }, emails: [{ primary: true, value: `user${i}@seq.test`, type: 'work' }], locale: 'en-US',
    });

    /** Runs n requests with `c` in flight; returns µs of process CPU per request, and of the main thread's. */
    const run = async (n: number, c: number, expect: number, send: (i: number) => Promise<{ status: number; body: string }>): Promise<{ all: number; main: number }> => {
      let next = 0;
      const main0 = mainThreadUs();
      const cpu0 = process.cpuUsage();
      await Promise.all(Array.from({ length: c }, async () => {
        for (let i = next++; i < n; i = next++) {
          const r = await send(i);
          if (r.status !== expect) throw new Error(`HTTP ${r.status} ${r.body.slice(0, 200)}`);
        }
      }));
      const d = process.cpuUsage(cpu0);
      return { all: (d.user + d.system) / n, main: (mainThreadUs() - main0) / n };
    };

    /** One round of the three phases at concurrency c; `phase` wraps each phase (the profiler, when asked). */
    const round = async (c: number, phase: <T>(name: string, f: () => Promise<T>) => Promise<T> = (_n, f) => f()) => {
      const base = serial;
      serial += o.n;
      const ids: string[] = [];
      const post = await phase('post', () => run(o.n, c, 201, async (i) => {
        const r = await inject('POST', `${scim.path}/Users`, auth, user(base + i));
        ids[i] = JSON.parse(r.body).id;
        return r;
      }));
      const get = await phase('get', () => run(o.n, c, 200, (i) => inject('GET', `${scim.path}/Users?filter=${encodeURIComponent(`userName eq "user${base + ((i * 7919) % o.n)}@seq.test"`)}`, auth)));
      const patch = await phase('patch', () => run(o.n, c, 204, (i) => inject('PATCH', `${scim.path}/Users/${ids[i]}`, auth, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] })));
      return { post: post.all, get: get.all, patch: patch.all, main: { post: post.main, get: get.main, patch: patch.main } };
    };

    const settle = async (events: number) => {
      while ((await rx.stats()).distinct < events) await new Promise((r) => setTimeout(r, 50));
    };
    // Warm-up: the JIT needs a few thousand requests to reach the steady state (bench/scim.ts).
    for (let w = 0; w < o.warmup; w += o.n) await round(32);
    let events = 2 * serial;
    await settle(events);

    const rows: SequentialRound[] = [];
    /** Each phase of a profiled round in scim-sequential[-c32]-<phase>.cpuprofile (post, get, patch). */
    const profiled = (prefix: string) => async <T>(name: string, f: () => Promise<T>): Promise<T> => {
      const session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      // 50 µs, not the default 1 ms: a filtered GET is ~0.2 ms, and 1,000 of them gave ~200 samples.
      await session.post('Profiler.setSamplingInterval', { interval: 50 });
      await session.post('Profiler.start');
      try {
        return await f();
      } finally {
        const { profile: p } = await session.post('Profiler.stop');
        mkdirSync(o.profile!, { recursive: true });
        writeFileSync(join(o.profile!, `scim-sequential${prefix}-${name}.cpuprofile`), JSON.stringify(p));
        session.disconnect();
      }
    };
    for (let r = 0; r < o.rounds; r++) {
      for (const c of r % 2 ? [32, 1] : [1, 32]) {
        const profile = o.profile && r === o.rounds - 1;
        const load = loadavg()[0]!;
        rows.push({ c, ...(await (profile ? round(c, profiled(c === 1 ? '' : `-c${c}`)) : round(c))), load });
        events += 2 * o.n;
        await settle(events); // the deliverer's backlog is drained before the next phase, so it does not spill over
      }
    }
    const final = await rx.stats();
    return { rows, events, delivered: final.distinct, duplicates: final.duplicates };
  } finally {
    await deliverer.stop();
    await checkpoints?.stop(); // before the app closes the pool that runs them
    await app.close();
    await database.close();
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Mean µs per request of one phase at one concurrency over the rounds. */
export const meanOf = (rows: SequentialRound[], c: number, k: 'post' | 'get' | 'patch') => {
  const at = rows.filter((r) => r.c === c);
  return at.reduce((s, r) => s + r[k], 0) / Math.max(1, at.length);
};
