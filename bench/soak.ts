/**
 * Soak: mixed traffic at a steady rate across two instances on one PostgreSQL, per-minute latency
 * percentiles, memory and errors:
 *
 *   node --import tsx bench/soak.ts [--minutes 10] [--instances 2] [--logins 5] [--creates 15] [--patches 15] [--reads 15] [--warmup-seconds 30]
 *
 * A warm-up at the same rates (not reported) comes first. Rates are per second and open-loop (k6's constant-arrival-rate): an operation starts on schedule
 * whether or not earlier ones have finished, so a slow server shows as latency, not as a lower rate.
 * - login: authorize → (the IdP signs; not timed) → ACS → token → userinfo, requests round-robin over the
 *   instances; its latency is the sum of its four requests;
 * - SCIM create (a new user), SCIM PATCH (a recent user's name and active flag), management API read
 *   (connections, directories, pull-API users, events, in turn).
 * The directory has a webhook to a receiver in this process: every SCIM change must arrive exactly once.
 * Passes when there is no 5xx and no transport error, every event arrived exactly once, and each
 * instance's RSS at the end is within 10 % of its RSS at the end of minute 2. Exit status 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { createHash, randomBytes } from 'node:crypto';
import { createTestIdp } from '../test/support/saml-idp.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import { startReceiver } from '../test/resilience/support/flows.ts';
import { parseRedirectBindingRequest } from '../src/sso/saml/authn-request.ts';
import { buildSamlResponseBase64 } from '../test/support/saml-idp.ts';
import { APP_CALLBACK, BENCH_API_KEY, createConnection, IDP_SSO_URL } from './support/login-flow.ts';
import { startFleet, loadAverage, SHARED_EXTERNAL_URL } from './support/instances.ts';
import { FORM, type BenchResponse } from './support/transport.ts';
import { markdownTable, percentile } from './support/stats.ts';
import { describeMachine } from './support/machine.ts';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    instances: { type: 'string', default: '2' },
    logins: { type: 'string', default: '5' },
    creates: { type: 'string', default: '15' },
    patches: { type: 'string', default: '15' },
    reads: { type: 'string', default: '15' },
    'warmup-seconds': { type: 'string', default: '30' },
  },
});
const MINUTES = Number(args.minutes);
const RATES = { login: Number(args.logins), create: Number(args.creates), patch: Number(args.patches), read: Number(args.reads) };
type Op = keyof typeof RATES;
const OPS = Object.keys(RATES) as Op[];

interface Minute {
  latencies: Record<Op, number[]>;
  requests: number;
  status5xx: number;
  otherFailures: number;
  samples: string[];
  rss: number[];
  load: string;
  outboxPending: number;
}
const newMinute = (): Minute => ({ latencies: { login: [], create: [], patch: [], read: [] }, requests: 0, status5xx: 0, otherFailures: 0, samples: [], rss: [], load: '', outboxPending: 0 });

const db = await createTestDatabase('postgres');
if (!db) throw new Error('PostgreSQL is unreachable');
const rx = await startReceiver();
const fleet = await startFleet(Number(args.instances), db.url, {}, 256);
const idp = await createTestIdp();
const t = fleet.transport;
const client = await createConnection(t, idp);
const dirRes = await t.send({ method: 'POST', path: '/api/v1/dsync', headers: { authorization: `Api-Key ${BENCH_API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'acme.com', product: 'crm', name: 'Soak', type: 'generic-scim-v2', webhook_url: rx.url, webhook_secret: 'whsec_soak_0123456789' }) });
const dir = JSON.parse(dirRes.body).data as { id: string; scim: { endpoint: string; secret: string } };
const scimPath = new URL(dir.scim.endpoint).pathname;
const scimHeaders = { authorization: `Bearer ${dir.scim.secret}`, 'content-type': 'application/scim+json' };
const apiHeaders = { authorization: `Api-Key ${BENCH_API_KEY}` };

const minutes: Minute[] = [];
let current = newMinute();
let acknowledgedChanges = 0;
const recentUsers: string[] = [];
let seq = 0;

/** Sends one request and books it in the current minute. Returns null on a failure (already booked). */
async function send(req: Parameters<typeof t.send>[0], expect: number[]): Promise<BenchResponse | null> {
  const m = current;
  m.requests++;
  try {
    const res = await t.send(req);
    if (res.status >= 500) m.status5xx++;
    if (!expect.includes(res.status)) {
      if (res.status < 500) m.otherFailures++;
      if (m.samples.length < 5) m.samples.push(`${req.method} ${req.path.split('?')[0]} → ${res.status} ${res.body.slice(0, 120)}`);
      return null;
    }
    return res;
  } catch (err) {
    m.otherFailures++;
    if (m.samples.length < 5) m.samples.push(`${req.method} ${req.path.split('?')[0]} → ${(err as Error).message}`);
    return null;
  }
}

async function login(): Promise<number | null> {
  const n = ++seq;
  const email = `soak-${n}@acme.com`;
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(12).toString('base64url');
  const q = new URLSearchParams({ response_type: 'code', client_id: client.clientID, redirect_uri: APP_CALLBACK, state, scope: 'openid email', nonce: 'n', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' });
  let timed = 0;
  let t0 = performance.now();
  const authz = await send({ method: 'GET', path: `/api/oauth/authorize?${q}` }, [302]);
  timed += performance.now() - t0;
  const location = authz?.header('location');
  if (!location?.startsWith(IDP_SSO_URL)) return null;
  const request = parseRedirectBindingRequest(location);
  const inResponseTo = /\bID="([^"]+)"/.exec(request.xml)![1]!;
  const samlResponse = buildSamlResponseBase64({ idp, spEntityId: SHARED_EXTERNAL_URL, acsUrl: `${SHARED_EXTERNAL_URL}/api/oauth/saml`, inResponseTo, nameId: email, attributes: { email, firstName: 'Soak', lastName: String(n) } });
  t0 = performance.now();
  const acs = await send({ method: 'POST', path: '/api/oauth/saml', headers: FORM, body: new URLSearchParams({ SAMLResponse: samlResponse, ...(request.relayState ? { RelayState: request.relayState } : {}) }).toString() }, [302]);
  const code = acs?.header('location') ? new URL(acs.header('location')!).searchParams.get('code') : null;
  if (!code) return null;
  const token = await send({ method: 'POST', path: '/api/oauth/token', headers: FORM, body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: client.clientID, client_secret: client.clientSecret, redirect_uri: APP_CALLBACK }).toString() }, [200]);
  if (!token) return null;
  const info = await send({ method: 'GET', path: '/api/oauth/userinfo', headers: { authorization: `Bearer ${JSON.parse(token.body).access_token}` } }, [200]);
  if (!info || JSON.parse(info.body).email !== email) return null;
  return timed + performance.now() - t0;
}

async function create(): Promise<number | null> {
  const n = ++seq;
  const t0 = performance.now();
  const res = await send({ method: 'POST', path: `${scimPath}/Users`, headers: scimHeaders, body: JSON.stringify({ userName: `scim-${n}@acme.com`, name: { givenName: 'Soak', familyName: String(n) }, emails: [{ value: `scim-${n}@acme.com`, primary: true }], active: true }) }, [201]);
  if (!res) return null;
  acknowledgedChanges++;
  recentUsers.push(JSON.parse(res.body).id);
  if (recentUsers.length > 500) recentUsers.shift();
  return performance.now() - t0;
}

async function patch(): Promise<number | null> {
  const id = recentUsers[Math.floor(Math.random() * recentUsers.length)];
  if (!id) return create();
  const n = ++seq;
  const t0 = performance.now();
  // A new family name each time, so every PATCH is a change and emits exactly one user.updated.
  const res = await send({ method: 'PATCH' as 'POST', path: `${scimPath}/Users/${id}`, headers: scimHeaders, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { 'name.familyName': `P${n}`, active: n % 3 !== 0 } }] }) }, [204]);
  if (!res) return null;
  acknowledgedChanges++;
  return performance.now() - t0;
}

const READS = [
  '/api/v1/sso?tenant=acme.com&product=crm',
  '/api/v1/dsync?tenant=acme.com&product=crm',
  `/api/v1/dsync/users?directoryId=${dir.id}&limit=20`,
  `/api/v1/dsync/events?directoryId=${dir.id}&limit=20`,
];
let reads = 0;
async function read(): Promise<number | null> {
  const t0 = performance.now();
  const res = await send({ method: 'GET', path: READS[reads++ % READS.length]!, headers: apiHeaders }, [200]);
  return res ? performance.now() - t0 : null;
}

const RUN: Record<Op, () => Promise<number | null>> = { login, create, patch, read };

/** Starts `op` every 1000/rate ms, on schedule, until `endAt`. */
function schedule(op: Op, endAt: number, inflight: Set<Promise<void>>): Promise<void> {
  const interval = 1000 / RATES[op];
  let next = performance.now();
  return new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next <= now && now < endAt) {
        const m = current;
        const p: Promise<void> = RUN[op]().then((ms) => {
          if (ms !== null) m.latencies[op].push(ms);
        }).finally(() => inflight.delete(p));
        inflight.add(p);
        next += interval;
      }
      if (now >= endAt) return resolve();
      setTimeout(tick, Math.max(0, next - performance.now()));
    };
    tick();
  });
}

async function scrapeOutboxPending(): Promise<number> {
  const res = await t.send({ method: 'GET', path: '/metrics' }).catch(() => null);
  const m = res ? /^gatehouse_webhook_outbox_events\{status="pending"\} (\d+)/m.exec(res.body) : null;
  return m ? Number(m[1]) : -1;
}

const inflight = new Set<Promise<void>>();
// Warm-up (JIT, pools, caches) at the same rates; its numbers are dropped.
const WARMUP_MS = Number(args['warmup-seconds']) * 1000;
await Promise.all(OPS.map((op) => schedule(op, performance.now() + WARMUP_MS, inflight)));
await Promise.all(inflight);
current = newMinute();
const started = performance.now();
const endAt = started + MINUTES * 60_000;
const minuteTimer = setInterval(async () => {
  const done = current;
  current = newMinute();
  done.rss = fleet.rssMiB();
  done.load = loadAverage();
  minutes.push(done);
  done.outboxPending = await scrapeOutboxPending();
  const i = minutes.length;
  process.stderr.write(`minute ${i}: ${done.requests} requests, ${done.status5xx} 5xx, ${done.otherFailures} other failures, login p95 ${percentile(done.latencies.login, 95).toFixed(1)} ms, RSS ${done.rss.map((r) => r.toFixed(0)).join('/')} MiB, load ${done.load}${done.samples.length ? `\n  ${done.samples.join('\n  ')}` : ''}\n`);
}, 60_000);
await Promise.all(OPS.map((op) => schedule(op, endAt, inflight)));
await Promise.all(inflight);
clearInterval(minuteTimer);
await new Promise((r) => setTimeout(r, 200));
if (current.requests > 0 && minutes.length < MINUTES) {
  current.rss = fleet.rssMiB();
  current.load = loadAverage();
  minutes.push(current);
}

// Every acknowledged SCIM change has exactly one event; wait for the outbox to drain.
const drainStart = performance.now();
while (new Set(rx.acked).size < acknowledgedChanges && performance.now() - drainStart < 120_000) await new Promise((r) => setTimeout(r, 250));
const distinct = new Set(rx.acked).size;
const duplicates = rx.acked.length - distinct;
const drainS = (performance.now() - drainStart) / 1000;
await fleet.stop();
await rx.close();
await db.drop();

const total = (k: 'requests' | 'status5xx' | 'otherFailures') => minutes.reduce((s, m) => s + m[k], 0);
const pct = (xs: number[]) => (xs.length ? `${percentile(xs, 50).toFixed(1)} / ${percentile(xs, 95).toFixed(1)} / ${percentile(xs, 99).toFixed(1)}` : '—');
const table = markdownTable(
  ['Minute', 'Requests', '5xx', 'Other failures', 'Logins', 'Login p50 / p95 / p99 ms', 'SCIM create p50 / p95 / p99 ms', 'SCIM PATCH p50 / p95 / p99 ms', 'API read p50 / p95 / p99 ms', 'RSS per instance MiB', 'Outbox pending', 'Load average'],
  minutes.map((m, i) => [String(i + 1), String(m.requests), String(m.status5xx), String(m.otherFailures), String(m.latencies.login.length), pct(m.latencies.login), pct(m.latencies.create), pct(m.latencies.patch), pct(m.latencies.read), m.rss.map((r) => r.toFixed(0)).join(' / '), String(m.outboxPending), m.load]),
);
const second = minutes[1]?.rss ?? [];
const last = minutes.at(-1)?.rss ?? [];
const rssChecks = second.map((r, i) => ({ i, from: r, to: last[i]!, change: (last[i]! - r) / r }));
const rssOk = rssChecks.length > 0 && rssChecks.every((c) => Math.abs(c.change) <= 0.1);
const pass = total('status5xx') === 0 && total('otherFailures') === 0 && duplicates === 0 && distinct === acknowledgedChanges && rssOk;

process.stdout.write(`
## Soak: ${MINUTES} minutes, ${args.instances} instances, mixed traffic at a steady rate

Machine: ${describeMachine()}

Offered load per second: ${RATES.login} logins (4 requests each), ${RATES.create} SCIM creates, ${RATES.patch} SCIM PATCHes,
${RATES.read} management API reads = ${RATES.login * 4 + RATES.create + RATES.patch + RATES.read} requests/s, round-robin over the instances.

${table}

- Requests: ${total('requests')}; 5xx: **${total('status5xx')}**; other failures (unexpected status or transport error): **${total('otherFailures')}**.
- Webhooks: ${acknowledgedChanges} acknowledged SCIM changes → ${distinct} distinct events received, ${duplicates} duplicates (outbox drained ${drainS.toFixed(1)} s after the load stopped).
- Memory: RSS at the end of minute 2 → end: ${rssChecks.map((c) => `instance ${c.i + 1} ${c.from.toFixed(0)} → ${c.to.toFixed(0)} MiB (${(c.change * 100).toFixed(1)} %)`).join(', ')}; the bound is ±10 %: **${rssOk ? 'flat' : 'NOT flat'}**.
- Verdict: **${pass ? 'PASS' : 'FAIL'}**.
`);
process.exit(pass ? 0 : 1);
