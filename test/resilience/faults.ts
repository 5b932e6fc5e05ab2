/**
 * Fault drills under load (a script, not part of `npm test`: it kills processes and restarts the shared
 * PostgreSQL server, which would disturb other test files running at the same time; the restart drills that run
 * with the tests use private servers instead: postgres-restart.test.ts and mariadb-restart.test.ts):
 *
 *   node --import tsx test/resilience/faults.ts [--scenario kill|pg-restart|both] [--before 8] [--after 15] [--down-seconds 0]
 *
 * Two instances on one PostgreSQL database, a webhook receiver, and steady load through a client-side
 * balancer (round-robin; a killed instance leaves the rotation one second later, as a balancer's health
 * check would take it out): logins 5/s, SCIM creates 15/s, SCIM PATCHes 10/s (each PATCH a different user).
 *
 * - kill:       `kill -9` one instance mid-load. The other keeps serving; afterwards every acknowledged
 *               SCIM change is in the database and every one of its events arrived (the dead instance's
 *               claimed events after DSYNC_DELIVERER_LEASE_MS, set to 5 s here).
 * - pg-restart: `pg_ctlcluster --skip-systemctl-redirect <version> main restart` mid-load (with
 *               --down-seconds N: `stop`, N seconds without a server, `start`). Requests fail fast with
 *               503 (never hang, never 500), the pools recover on their own, and no acknowledged change
 *               or event is lost.
 * Prints a per-second timeline and a verdict per scenario; exit status 1 when a check fails.
 */
import { parseArgs } from 'node:util';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { createTestIdp, buildSamlResponseBase64, type TestIdp } from '../support/saml-idp.ts';
import { createTestDatabase } from '../support/databases.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';
import { startReceiver, type Receiver } from './support/flows.ts';
import { APP_CALLBACK, BENCH_API_KEY, createConnection, IDP_SSO_URL, type Client } from '../../bench/support/login-flow.ts';
import { startFleet, loadAverage, SHARED_EXTERNAL_URL, type Fleet } from '../../bench/support/instances.ts';
import { FORM, type BenchRequest, type BenchResponse } from '../../bench/support/transport.ts';
import { markdownTable } from '../../bench/support/stats.ts';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'both' },
    before: { type: 'string', default: '8' },
    after: { type: 'string', default: '15' },
    'down-seconds': { type: 'string', default: '0' },
  },
});
const BEFORE_MS = Number(args.before) * 1000;
const AFTER_MS = Number(args.after) * 1000;
const RATES = { login: 5, create: 15, patch: 10 };

interface Second {
  ok: number;
  byStatus: Map<string, number>;
  maxFailMs: number;
  maxMs: number;
}

interface Run {
  fleet: Fleet;
  rx: Receiver;
  idp: TestIdp;
  client: Client;
  scimPath: string;
  scimHeaders: Record<string, string>;
  seconds: Second[];
  t0: number;
  created: Map<string, string>; // acknowledged creates: user id → userName
  patched: Map<string, string>; // acknowledged PATCHes: user id → familyName
  unpatched: string[];
}

function book(run: Run, startedAt: number, outcome: string, ok: boolean) {
  const s = Math.floor((startedAt - run.t0) / 1000);
  const sec = (run.seconds[s] ??= { ok: 0, byStatus: new Map(), maxFailMs: 0, maxMs: 0 });
  const ms = performance.now() - startedAt;
  sec.maxMs = Math.max(sec.maxMs, ms);
  if (ok) sec.ok++;
  else {
    sec.byStatus.set(outcome, (sec.byStatus.get(outcome) ?? 0) + 1);
    sec.maxFailMs = Math.max(sec.maxFailMs, ms);
  }
}

/** One request through the balancer, booked in its second by outcome (a status, or a transport error code). */
async function send(run: Run, req: BenchRequest, expect: number): Promise<BenchResponse | null> {
  const startedAt = performance.now();
  try {
    const res = await run.fleet.transport.send(req);
    book(run, startedAt, String(res.status), res.status === expect);
    return res.status === expect ? res : null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    book(run, startedAt, code, false);
    return null;
  }
}

let seq = 0;
async function login(run: Run) {
  const email = `f-${++seq}@acme.com`;
  const verifier = randomBytes(32).toString('base64url');
  const q = new URLSearchParams({ response_type: 'code', client_id: run.client.clientID, redirect_uri: APP_CALLBACK, state: 's', scope: 'openid', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' });
  const authz = await send(run, { method: 'GET', path: `/api/oauth/authorize?${q}` }, 302);
  const location = authz?.header('location');
  if (!location?.startsWith(IDP_SSO_URL)) return;
  const r = parseRedirectBindingRequest(location);
  const inResponseTo = /\bID="([^"]+)"/.exec(r.xml)![1]!;
  const saml = buildSamlResponseBase64({ idp: run.idp, spEntityId: SHARED_EXTERNAL_URL, acsUrl: `${SHARED_EXTERNAL_URL}/api/oauth/saml`, inResponseTo, nameId: email, attributes: { email } });
  const acs = await send(run, { method: 'POST', path: '/api/oauth/saml', headers: FORM, body: new URLSearchParams({ SAMLResponse: saml, ...(r.relayState ? { RelayState: r.relayState } : {}) }).toString() }, 302);
  const code = acs?.header('location') ? new URL(acs.header('location')!).searchParams.get('code') : null;
  if (!code) return;
  await send(run, { method: 'POST', path: '/api/oauth/token', headers: FORM, body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: run.client.clientID, client_secret: run.client.clientSecret, redirect_uri: APP_CALLBACK }).toString() }, 200);
}

async function create(run: Run) {
  const userName = `f-${++seq}@acme.com`;
  const res = await send(run, { method: 'POST', path: `${run.scimPath}/Users`, headers: run.scimHeaders, body: JSON.stringify({ userName, name: { givenName: 'F', familyName: 'Created' } }) }, 201);
  if (res) {
    const id = JSON.parse(res.body).id as string;
    run.created.set(id, userName);
    run.unpatched.push(id);
  }
}

async function patch(run: Run) {
  const id = run.unpatched.shift();
  if (!id) return;
  const familyName = `Patched-${++seq}`;
  const res = await send(run, { method: 'PATCH' as 'POST', path: `${run.scimPath}/Users/${id}`, headers: run.scimHeaders, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { 'name.familyName': familyName } }] }) }, 204);
  if (res) run.patched.set(id, familyName);
}

async function load(run: Run, untilMs: number) {
  const ops: [number, (r: Run) => Promise<void>][] = [[RATES.login, login], [RATES.create, create], [RATES.patch, patch]];
  const inflight = new Set<Promise<void>>();
  await Promise.all(ops.map(([rate, fn]) => new Promise<void>((resolve) => {
    let next = performance.now();
    const tick = () => {
      const now = performance.now();
      while (next <= now && now < untilMs) {
        const p: Promise<void> = fn(run).catch(() => {}).finally(() => inflight.delete(p));
        inflight.add(p);
        next += 1000 / rate;
      }
      if (now >= untilMs) return resolve();
      setTimeout(tick, Math.max(0, next - performance.now()));
    };
    tick();
  })));
  await Promise.all(inflight);
}

async function setUp(env: Record<string, string>): Promise<Run & { drop(): Promise<void> }> {
  const db = await createTestDatabase('postgres');
  if (!db) throw new Error('PostgreSQL is unreachable');
  const rx = await startReceiver();
  const fleet = await startFleet(2, db.url, { DSYNC_DELIVERER_LEASE_MS: '5000', LOG_LEVEL: 'warn', ...env });
  const idp = await createTestIdp();
  const client = await createConnection(fleet.transport, idp);
  const d = await fleet.transport.send({ method: 'POST', path: '/api/v1/dsync', headers: { authorization: `Api-Key ${BENCH_API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'acme.com', product: 'crm', name: 'Faults', type: 'generic-scim-v2', webhook_url: rx.url, webhook_secret: 'whsec_faults_0123456789' }) });
  const dir = JSON.parse(d.body).data;
  return {
    fleet, rx, idp, client, scimPath: new URL(dir.scim.endpoint).pathname, scimHeaders: { authorization: `Bearer ${dir.scim.secret}`, 'content-type': 'application/scim+json' },
    seconds: [], t0: performance.now(), created: new Map(), patched: new Map(), unpatched: [],
    drop: async () => {
      await fleet.stop();
      await rx.close();
      await db.drop();
    },
  };
}

/** Every acknowledged change is in the database (read through a live instance) and its event arrived. */
async function verify(run: Run, live: number): Promise<string[]> {
  const problems: string[] = [];
  const url = run.fleet.servers[live]!.baseUrl;
  for (const [id, userName] of run.created) {
    const res = await fetch(`${url}${run.scimPath}/Users/${id}`, { headers: run.scimHeaders });
    const body = (await res.json()) as { userName?: string; name?: { familyName?: string } };
    if (res.status !== 200 || body.userName !== userName) problems.push(`acknowledged create ${userName} missing (${res.status})`);
    const want = run.patched.get(id);
    if (want && body.name?.familyName !== want) problems.push(`acknowledged PATCH of ${userName} lost: ${body.name?.familyName} ≠ ${want}`);
  }
  const want = run.created.size + run.patched.size;
  const deadline = Date.now() + 60_000;
  const have = () => run.rx.events.filter((e) => run.created.has(e.resourceId));
  while (new Set(have().map((e) => e.id)).size < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  const events = have();
  for (const id of run.created.keys()) if (!events.some((e) => e.resourceId === id && e.event === 'user.created')) problems.push(`user.created of ${id} never arrived`);
  for (const id of run.patched.keys()) if (!events.some((e) => e.resourceId === id && e.event === 'user.updated')) problems.push(`user.updated of ${id} never arrived`);
  const dup = run.rx.acked.length - new Set(run.rx.acked).size;
  if (dup > 0) problems.push(`${dup} event(s) acknowledged twice (decision 0037: an answer is recorded once the database is back)`);
  process.stdout.write(`- Acknowledged: ${run.created.size} creates, ${run.patched.size} PATCHes; their events received: ${new Set(events.map((e) => e.id)).size} distinct, ${dup} acknowledged twice (same event id).\n`);
  return problems;
}

function timeline(run: Run, marks: Record<number, string>): string {
  const statuses = [...new Set(run.seconds.flatMap((s) => (s ? [...s.byStatus.keys()] : [])))].sort();
  return markdownTable(
    ['Second', 'OK', ...statuses.map((s) => `→ ${s}`), 'slowest failure ms', 'slowest request ms', 'event'],
    Array.from(run.seconds, (s, i) => [String(i), String(s?.ok ?? 0), ...statuses.map((st) => String(s?.byStatus.get(st) ?? 0)), s?.maxFailMs ? s.maxFailMs.toFixed(0) : '—', s ? s.maxMs.toFixed(0) : '—', marks[i] ?? '']),
  );
}

async function killScenario(): Promise<boolean> {
  process.stdout.write(`\n### kill -9 one of two instances under load\n\nload average before: ${loadAverage()}\n\n`);
  const run = await setUp({});
  const marks: Record<number, string> = {};
  const victim = run.fleet.servers[0]!;
  const loadDone = load(run, performance.now() + BEFORE_MS + AFTER_MS);
  await new Promise((r) => setTimeout(r, BEFORE_MS));
  marks[Math.floor((performance.now() - run.t0) / 1000)] = `kill -9 instance 1 (pid ${victim.pid})`;
  run.fleet.kill(0);
  // The balancer's health check takes it out of the rotation a second later.
  setTimeout(() => run.fleet.markDown(0), 1000);
  await loadDone;
  const problems = await verify(run, 1);
  const killedAt = Object.keys(marks).map(Number)[0]!;
  const afterKill = run.seconds.slice(killedAt + 2);
  const failuresAfter = afterKill.reduce((n, s) => n + (s ? [...s.byStatus.values()].reduce((a, b) => a + b, 0) : 0), 0);
  const failuresAt = run.seconds.slice(killedAt, killedAt + 2).reduce((n, s) => n + (s ? [...s.byStatus.values()].reduce((a, b) => a + b, 0) : 0), 0);
  if (failuresAfter > 0) problems.push(`${failuresAfter} failures on the surviving instance from 2 s after the kill`);
  const fivexx = run.seconds.reduce((n, s) => n + (s ? [...s.byStatus.entries()].filter(([k]) => k.startsWith('5')).reduce((a, [, v]) => a + v, 0) : 0), 0);
  if (fivexx > 0) problems.push(`${fivexx} 5xx answers`);
  process.stdout.write(`${timeline(run, marks)}\n\n- Requests in flight to the killed instance or sent to it before the balancer noticed: ${failuresAt} failed (connection reset/refused, never acknowledged).\n`);
  process.stdout.write(`- Verdict: **${problems.length ? `FAIL\n  - ${problems.slice(0, 20).join('\n  - ')}` : 'PASS'}**\n`);
  await run.drop();
  return problems.length === 0;
}

async function pgRestartScenario(): Promise<boolean> {
  const version = readdirSync('/etc/postgresql').sort().at(-1)!;
  const how = Number(args['down-seconds']) > 0 ? `stopped for ${args['down-seconds']} s, then started` : 'restarted';
  process.stdout.write(`\n### PostgreSQL ${version} ${how} under load\n\nload average before: ${loadAverage()}\n\n`);
  const run = await setUp({});
  const marks: Record<number, string> = {};
  const ready: { at: number; status: number[] }[] = [];
  const loadDone = load(run, performance.now() + BEFORE_MS + AFTER_MS);
  const readyPoll = setInterval(async () => {
    const at = performance.now() - run.t0;
    const status = await Promise.all(run.fleet.servers.map(async (s) => (await fetch(`${s.baseUrl}/api/ready`).then((r) => r.status).catch(() => 0))));
    ready.push({ at, status });
  }, 250);
  await new Promise((r) => setTimeout(r, BEFORE_MS));
  const r0 = performance.now();
  marks[Math.floor((r0 - run.t0) / 1000)] = Number(args['down-seconds']) > 0 ? 'pg_ctlcluster stop begins' : 'pg_ctlcluster restart begins';
  // Async: the load goes on meanwhile.
  const ctl = (action: string) => promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action]);
  const downMs = Number(args['down-seconds']) * 1000;
  if (downMs > 0) {
    await ctl('stop');
    marks[Math.floor((performance.now() - run.t0) / 1000)] = 'server stopped';
    await new Promise((r) => setTimeout(r, downMs));
    await ctl('start');
  } else await ctl('restart');
  const restartMs = performance.now() - r0;
  marks[Math.floor((performance.now() - run.t0) / 1000)] = `server back (${restartMs.toFixed(0)} ms after the first command)`;
  await loadDone;
  clearInterval(readyPoll);
  const problems = await verify(run, 0);
  const statuses = new Map<string, number>();
  for (const s of run.seconds) for (const [k, v] of s?.byStatus ?? []) statuses.set(k, (statuses.get(k) ?? 0) + v);
  const slowestFailure = Math.max(0, ...Array.from(run.seconds, (s) => s?.maxFailMs ?? 0));
  if ([...statuses.keys()].some((k) => k.startsWith('5') && k !== '503')) problems.push(`non-503 server errors: ${[...statuses].filter(([k]) => k.startsWith('5') && k !== '503').map(([k, v]) => `${v}× ${k}`).join(', ')}`);
  if ([...statuses.keys()].some((k) => !/^\d+$/.test(k))) problems.push(`transport errors: ${[...statuses].filter(([k]) => !/^\d+$/.test(k)).map(([k, v]) => `${v}× ${k}`).join(', ')}`);
  if (slowestFailure > 5500) problems.push(`a failure took ${slowestFailure.toFixed(0)} ms (not fast)`);
  const backAt = (r0 + restartMs - run.t0) / 1000;
  const lastFailing = Array.from(run.seconds, (s, i) => (s && s.byStatus.size > 0 ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
  const recovered = lastFailing + 1;
  if (recovered >= run.seconds.length - 2) problems.push('did not recover to zero failures per second');
  const unready = ready.filter((x) => x.status.some((s) => s === 503));
  process.stdout.write(`${timeline(run, marks)}\n\n- Failures by answer: ${[...statuses].map(([k, v]) => `${v}× ${k}`).join(', ') || 'none'}; slowest failed request ${slowestFailure.toFixed(0)} ms.\n`);
  process.stdout.write(`- /api/ready answered 503 in ${unready.length} of ${ready.length} polls (every 250 ms), between ${unready.length ? `${(unready[0]!.at / 1000).toFixed(1)} s and ${(unready.at(-1)!.at / 1000).toFixed(1)} s` : '—'}.\n`);
  process.stdout.write(`- Last failure in second ${lastFailing}; every second from ${recovered} on is clean (pg_ctlcluster returned at ${backAt.toFixed(1)} s); the instances were not restarted.\n`);
  process.stdout.write(`- Verdict: **${problems.length ? `FAIL\n  - ${problems.slice(0, 20).join('\n  - ')}` : 'PASS'}**\n`);
  await run.drop();
  return problems.length === 0;
}

const results: boolean[] = [];
if (args.scenario === 'kill' || args.scenario === 'both') results.push(await killScenario());
if (args.scenario === 'pg-restart' || args.scenario === 'both') results.push(await pgRestartScenario());
process.exit(results.every(Boolean) ? 0 : 1);
