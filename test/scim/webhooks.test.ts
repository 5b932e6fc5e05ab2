/**
 * Events and webhooks end to end, with a real HTTP receiver on 127.0.0.1: the exact events each
 * change produces, Jackson-compatible bodies with both signature headers, delivery after the
 * receiver comes back (each event exactly once, in order per resource), the attempt log, failure
 * after the deadline and replay, and the SSRF guard on webhook URLs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { API_KEY } from '../support/gatehouse.ts';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { createSender } from '../../src/directory-sync/webhooks/sender.ts';
import { retryDelayMs } from '../../src/directory-sync/webhooks/backoff.ts';
import { startReceiver, startWithDirectory, waitFor, createDirectory } from '../support/scim.ts';
import { testDialects } from '../support/databases.ts';

const SECRET = 'whsec_test_0123456789';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const patch = (...ops: object[]) => ({ schemas: [PATCH_OP], Operations: ops });

// On every database: PostgreSQL writes a change and its outbox rows as one statement (decision 0045), the others in a transaction.
for (const dialect of testDialects()) describe(`webhooks: exact events, shapes and signatures (${dialect})`, () => {
  let s: NonNullable<Awaited<ReturnType<typeof startWithDirectory>>>;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let d: Deliverer;
  before(async () => {
    rx = await startReceiver(SECRET);
    s = (await startWithDirectory({ dialect, directory: { webhook_url: rx.url, webhook_secret: SECRET }, env: { DSYNC_DELIVERER_POLL_MS: '20' } }))!;
    d = startWebhookDeliverer(s.gh.ctx);
  });
  after(async () => {
    await d.stop();
    await s.gh.close();
    await rx.close();
  });

  /** Runs `fn` and returns the events it produced (delivered to the receiver). */
  const eventsOf = async (fn: () => Promise<unknown>) => {
    const before = rx.received.length;
    await fn();
    const pending = async () => Number((await s.gh.ctx.db.selectFrom('directory_events').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);
    await waitFor(async () => (await pending()) === 0);
    return rx.received.slice(before).map((r) => r.event);
  };

  let users: string[] = [];
  let group = '';

  test('create user → 1 user.created with a Jackson body, signed twice', async () => {
    const evs = await eventsOf(async () => {
      const res = await s.scim('POST', '/Users', { userName: 'ann@acme.com', name: { givenName: 'Ann', familyName: 'Lee' }, emails: [{ value: 'ann@acme.com', primary: true }] });
      users.push(res.body.id);
    });
    assert.deepEqual(evs, ['user.created']);
    const r = rx.received.at(-1)!;
    assert.ok(r.signatureOk, 'BoxyHQ-Signature and Gatehouse-Signature verify');
    assert.match(String(r.headers['boxyhq-signature']), /^t=\d{13},s=[0-9a-f]{64}$/);
    const b = r.body;
    assert.deepEqual(Object.keys(b).sort(), ['created_at', 'data', 'directory_id', 'event', 'id', 'product', 'tenant']);
    assert.equal(b.tenant, 'acme.com');
    assert.equal(b.product, 'crm');
    assert.equal(b.directory_id, s.dir.id);
    assert.ok(!Number.isNaN(Date.parse(b.created_at)));
    assert.deepEqual({ ...b.data, raw: undefined }, { id: users[0], first_name: 'Ann', last_name: 'Lee', email: 'ann@acme.com', active: true, raw: undefined });
    assert.equal(b.data.raw.userName, 'ann@acme.com');
  });

  test('a create refused as a duplicate, or a rename onto a taken userName → 409 and no event', async () => {
    assert.deepEqual(await eventsOf(async () => assert.equal((await s.scim('POST', '/Users', { userName: 'ANN@acme.com' })).status, 409)), []);
    let other = '';
    assert.deepEqual(await eventsOf(async () => (other = (await s.scim('POST', '/Users', { userName: 'zed@acme.com' })).body.id)), ['user.created']);
    assert.deepEqual(await eventsOf(async () => assert.equal((await s.scim('PATCH', `/Users/${other}`, patch({ op: 'replace', path: 'userName', value: 'ann@acme.com' }))).status, 409)), []);
    assert.equal((await s.scim('GET', `/Users/${other}`)).body.userName, 'zed@acme.com', 'the refused rename changed nothing');
    assert.deepEqual(await eventsOf(async () => assert.equal((await s.scim('DELETE', `/Users/${other}`)).status, 204)), ['user.deleted']);
  });

  test('change a user → 1 user.updated; a PATCH that changes nothing → none', async () => {
    assert.deepEqual(await eventsOf(() => s.scim('PATCH', `/Users/${users[0]}`, patch({ op: 'replace', value: { active: false } }))), ['user.updated']);
    assert.equal(rx.received.at(-1)!.body.data.active, false);
    assert.deepEqual(await eventsOf(() => s.scim('PATCH', `/Users/${users[0]}`, patch({ op: 'Replace', path: 'active', value: 'False' }))), []);
  });

  test('create empty group → 1 group.created; add 3 members → 3 group.user_added', async () => {
    const created = await eventsOf(async () => {
      for (const n of ['bo', 'cy', 'di']) users.push((await s.scim('POST', '/Users', { userName: `${n}@acme.com` })).body.id);
    });
    assert.deepEqual(created, ['user.created', 'user.created', 'user.created']);
    assert.deepEqual(await eventsOf(async () => (group = (await s.scim('POST', '/Groups', { displayName: 'Eng', members: [] })).body.id)), ['group.created']);
    const evs = await eventsOf(() => s.scim('PATCH', `/Groups/${group}`, patch({ op: 'Add', path: 'members', value: users.slice(1, 4).map((value) => ({ value, $ref: null })) })));
    assert.deepEqual(evs, ['group.user_added', 'group.user_added', 'group.user_added']);
    const last = rx.received.at(-1)!.body.data;
    assert.equal(last.group.id, group);
    assert.equal(last.group.name, 'Eng');
    assert.equal(last.email, 'di@acme.com', 'without emails, an email-shaped userName is the email');
    // Adding them again changes nothing.
    assert.deepEqual(await eventsOf(() => s.scim('PATCH', `/Groups/${group}`, patch({ op: 'add', path: 'members', value: [{ value: users[1] }] }))), []);
  });

  test('remove one → 1 group.user_removed; rename → 1 group.updated; same name (Okta) → none', async () => {
    assert.deepEqual(await eventsOf(() => s.scim('PATCH', `/Groups/${group}`, patch({ op: 'remove', path: `members[value eq "${users[2]}"]` }))), ['group.user_removed']);
    assert.deepEqual(await eventsOf(() => s.scim('PATCH', `/Groups/${group}`, patch({ op: 'replace', value: { id: group, displayName: 'Engineering' } }))), ['group.updated']);
    assert.deepEqual(await eventsOf(() => s.scim('PATCH', `/Groups/${group}`, patch({ op: 'replace', value: { id: group, displayName: 'Engineering' } }))), []);
  });

  test('delete a member → group.user_removed for its group, then user.deleted; the group lists it no more', async () => {
    const evs = await eventsOf(() => s.scim('DELETE', `/Users/${users[3]}`));
    assert.deepEqual([...evs].sort(), ['group.user_removed', 'user.deleted']); // different resources: either may arrive first
    const removed = rx.received.find((r) => r.event === 'group.user_removed' && r.body.data.id === users[3])!.body.data;
    assert.equal(removed.email, 'di@acme.com');
    assert.equal(removed.group.id, group);
    assert.equal(removed.group.name, 'Engineering');
    const members = (await s.scim('GET', `/Groups/${group}`)).body.members as { value: string }[];
    assert.deepEqual(members.map((m) => m.value), [users[1]]);
  });

  test('delete user → 1 user.deleted; delete empty group → 1 group.deleted', async () => {
    assert.deepEqual(await eventsOf(() => s.scim('DELETE', `/Users/${users[0]}`)), ['user.deleted']);
    let empty = '';
    assert.deepEqual(await eventsOf(async () => (empty = (await s.scim('POST', '/Groups', { displayName: 'Empty' })).body.id)), ['group.created']);
    assert.deepEqual(await eventsOf(() => s.scim('DELETE', `/Groups/${empty}`)), ['group.deleted']);
  });

  test('every delivery attempt is visible through GET /api/v1/dsync/events', async () => {
    const res = await s.gh.app.inject({ method: 'GET', url: `/api/v1/dsync/events?directoryId=${s.dir.id}&limit=5`, headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.equal(res.statusCode, 200);
    const { data, pageToken, counts } = res.json();
    assert.equal(data.length, 5);
    assert.ok(pageToken);
    assert.equal(counts.pending ?? 0, 0);
    assert.equal(data[0].status, 'delivered');
    assert.equal(data[0].deliveries[0].status, 200);
    assert.equal(data[0].deliveries[0].response_excerpt, 'ok');
    assert.equal(typeof data[0].deliveries[0].latency_ms, 'number');
    const next = await s.gh.app.inject({ method: 'GET', url: `/api/v1/dsync/events?directoryId=${s.dir.id}&pageToken=${pageToken}`, headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.ok(next.json().data.every((e: any) => !data.some((f: any) => f.id === e.id)));
  });
});

describe('webhooks: receiver down, then up', () => {
  let s: NonNullable<Awaited<ReturnType<typeof startWithDirectory>>>;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let d: Deliverer;
  let downUntil = Date.now() + 1500;
  before(async () => {
    rx = await startReceiver(SECRET, () => (Date.now() < downUntil ? 503 : 200));
    s = (await startWithDirectory({ directory: { webhook_url: rx.url, webhook_secret: SECRET }, env: { WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_DELAY_MS: '400', DSYNC_DELIVERER_POLL_MS: '20', DSYNC_DELIVERER_BATCH: '7' } }))!;
    d = startWebhookDeliverer(s.gh.ctx);
  });
  after(async () => {
    await d.stop();
    await s.gh.close();
    await rx.close();
  });

  test('every event arrives, exactly once per id, in order per resource, signatures valid', async () => {
    downUntil = Date.now() + 1500;
    const ids: string[] = [];
    await Promise.all(Array.from({ length: 20 }, async (_, i) => ids.push((await s.scim('POST', '/Users', { userName: `u${i}@acme.com`, displayName: 'v0' })).body.id)));
    for (let v = 1; v <= 3; v++) await Promise.all(ids.map((id) => s.scim('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'displayName', value: `v${v}` }))));
    await waitFor(() => rx.received.length >= 80, 20_000);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(rx.received.length, 80);
    assert.equal(new Set(rx.received.map((r) => r.id)).size, 80, 'no event delivered twice');
    assert.ok(rx.received.every((r) => r.signatureOk));
    assert.ok(rx.calls > 80, 'the receiver refused some attempts first');
    for (const id of ids) {
      const mine = rx.received.filter((r) => r.body.data.id === id).map((r) => `${r.event}:${r.body.data.raw.displayName}`);
      assert.deepEqual(mine, ['user.created:v0', 'user.updated:v1', 'user.updated:v2', 'user.updated:v3'], `order for ${id}`);
    }
    // Outcomes are recorded just after the receiver answers: wait until none is pending.
    await waitFor(async () => Number((await s.gh.ctx.db.selectFrom('directory_events').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n) === 0);
    const log = await s.gh.app.inject({ method: 'GET', url: `/api/v1/dsync/events?directoryId=${s.dir.id}&limit=500`, headers: { authorization: `Api-Key ${API_KEY}` } });
    const retried = log.json().data.filter((e: any) => e.deliveries.some((x: any) => x.status === 503));
    assert.ok(retried.length > 0);
    assert.ok(retried.every((e: any) => e.status === 'delivered' && e.deliveries.at(-1).status === 200));
  });
});

describe('webhooks: default schedule, an event refused with 503 for 10 s', () => {
  test('arrives within 40 s of its creation (first retries are quick)', async () => {
    let downUntil = 0;
    const rx = await startReceiver(SECRET, () => (Date.now() < downUntil ? 503 : 200));
    const s = (await startWithDirectory({ directory: { webhook_url: rx.url, webhook_secret: SECRET } }))!;
    const d = startWebhookDeliverer(s.gh.ctx);
    try {
      const created = Date.now();
      downUntil = created + 10_000;
      await s.scim('POST', '/Users', { userName: 'slow@acme.com' });
      await waitFor(() => rx.received.length === 1, 40_000, 100);
      const took = Date.now() - created;
      assert.ok(took >= 10_000 && took < 40_000, `arrived after ${took} ms`);
    } finally {
      await d.stop();
      await s.gh.close();
      await rx.close();
    }
  });

  test('the default backoff keeps retrying with growing, jittered delays up to the cap', () => {
    const worst = (n: number) => retryDelayMs(n, 1000, 3_600_000, 1);
    const best = (n: number) => retryDelayMs(n, 1000, 3_600_000, 0);
    assert.deepEqual([1, 2, 3, 4, 5].map(worst), [1000, 2000, 4000, 8000, 16000]);
    assert.deepEqual([1, 2, 3].map(best), [500, 1000, 2000]);
    assert.equal(worst(30), 3_600_000);
    // Retrying for 24 h at the 1 h cap takes at least 24 more attempts: the deliverer keeps going.
    let t = 0;
    let n = 0;
    while (t < 86_400_000) t += worst(++n);
    assert.ok(n > 20);
  });
});

describe('webhooks: failure after the deadline, replay, SSRF guard', () => {
  let s: NonNullable<Awaited<ReturnType<typeof startWithDirectory>>>;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let d: Deliverer;
  let status = 500;
  before(async () => {
    rx = await startReceiver(SECRET, () => status);
    s = (await startWithDirectory({ directory: { webhook_url: rx.url, webhook_secret: SECRET }, env: { WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_FOR_SECONDS: '1', DSYNC_DELIVERER_POLL_MS: '20' } }))!;
    d = startWebhookDeliverer(s.gh.ctx);
  });
  after(async () => {
    await d.stop();
    await s.gh.close();
    await rx.close();
  });
  const api = (method: 'GET' | 'POST', url: string, payload?: object) => s.gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });

  test('an event that keeps failing is marked failed, then replayed through the API', async () => {
    await s.scim('POST', '/Users', { userName: 'fail@acme.com' });
    let failed: any;
    await waitFor(async () => {
      failed = (await api('GET', `/api/v1/dsync/events?directoryId=${s.dir.id}&status=failed`)).json().data[0];
      return Boolean(failed);
    }, 10_000);
    assert.ok(failed.deliveries.length >= 2, 'it was retried before failing');
    assert.ok(failed.deliveries.every((x: any) => x.status === 500 && x.response_excerpt === 'receiver unavailable'));
    status = 200;
    const replay = await api('POST', `/api/v1/dsync/events/${failed.id}/replay`);
    assert.equal(replay.statusCode, 200, replay.body);
    assert.equal(replay.json().data.replayed, 1);
    await waitFor(() => rx.received.some((r) => r.id === failed.id));
    // The deliverer records the outcome just after the receiver answered: wait for it, don't race it.
    let after: any;
    await waitFor(async () => {
      after = (await api('GET', `/api/v1/dsync/events/${failed.id}`)).json().data;
      return after.status === 'delivered';
    }, 10_000);
    assert.equal(after.status, 'delivered');
    assert.equal((await api('POST', `/api/v1/dsync/events/${failed.id}/replay`)).statusCode, 409);
  });

  test('bulk replay of every failed event of a directory', async () => {
    status = 500;
    await s.scim('POST', '/Users', { userName: 'fail2@acme.com' });
    await s.scim('POST', '/Users', { userName: 'fail3@acme.com' });
    await waitFor(async () => (await api('GET', `/api/v1/dsync/events?directoryId=${s.dir.id}&status=failed`)).json().data.length === 2, 10_000);
    status = 200;
    const res = await api('POST', '/api/v1/dsync/events/replay', { directoryId: s.dir.id });
    assert.equal(res.json().data.replayed, 2);
    await waitFor(() => rx.received.filter((r) => /fail[23]/.test(r.body.data.raw.userName)).length === 2);
  });

  test('webhook URLs to private, link-local or plain-HTTP public hosts are refused', async () => {
    for (const url of ['http://10.0.0.5/hook', 'https://169.254.169.254/latest', 'https://192.168.1.1/x', 'http://example.com/hook', 'not a url']) {
      const res = await api('POST', '/api/v1/dsync', { tenant: 't', product: 'p', webhook_url: url, webhook_secret: 'x' });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal(res.json().field, 'webhook_url');
    }
    const noSecret = await api('POST', '/api/v1/dsync', { tenant: 't', product: 'p', webhook_url: rx.url });
    assert.equal(noSecret.json().field, 'webhook_secret');
    // 127.0.0.1 is allowed only because the tests list it in OUTBOUND_ALLOW_HOSTS.
    assert.equal((await createDirectory(s.gh, { webhook_url: rx.url, webhook_secret: 'x'.repeat(16) })).id.length, 36);
  });

  test('at delivery time the sender checks the address it connects to', async () => {
    const strict = createSender({ allowHosts: [], timeoutMs: 2000 });
    try {
      assert.match((await strict.send(rx.url, '{}', {})).error ?? '', /refused/);
      assert.match((await strict.send(rx.url.replace('http:', 'https:'), '{}', {})).error ?? '', /refused: 127\.0\.0\.1 is a private address/);
      assert.match((await strict.send(rx.url.replace('http://127.0.0.1', 'https://localhost'), '{}', {})).error ?? '', /refused: localhost resolves to a private address/);
    } finally {
      strict.close();
    }
  });
});

describe('webhooks: the sender gives up at its timeout', () => {
  test('a receiver that never answers, or answers too slowly, is a timed-out attempt and its connection is closed', async () => {
    const sockets = new Set<Socket>();
    let closed = 0;
    const stalled = createServer((req, res) => {
      if (req.url === '/trickle') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const t = setInterval(() => res.write('.'), 50); // bytes keep coming, the answer never ends
        res.on('close', () => clearInterval(t));
      } // '/silent': never answers at all
    });
    stalled.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => closed++);
    });
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`;
    const sender = createSender({ allowHosts: ['127.0.0.1'], timeoutMs: 300 });
    try {
      for (const path of ['/silent', '/trickle']) {
        const r = await sender.send(base + path, '{}', {});
        assert.deepEqual({ status: r.status, error: r.error }, { status: null, error: 'timed out after 300 ms' }, path);
        assert.ok(r.latencyMs >= 250 && r.latencyMs < 5000, `${path}: ${r.latencyMs} ms`);
      }
      await waitFor(() => closed === 2);
    } finally {
      sender.close();
      for (const s of sockets) s.destroy();
      stalled.close();
    }
  });
});

describe('webhooks: the sender on a worker thread (as main.ts runs it)', () => {
  test('delivers signed events and records attempts like the inline sender', async () => {
    const rx = await startReceiver(SECRET, (_b, n) => (n === 1 ? 503 : 200));
    const s = (await startWithDirectory({ directory: { webhook_url: rx.url, webhook_secret: SECRET }, env: { WEBHOOK_RETRY_BASE_MS: '50', DSYNC_DELIVERER_POLL_MS: '20' } }))!;
    const d = startWebhookDeliverer(s.gh.ctx, { threaded: true });
    try {
      for (let i = 0; i < 5; i++) await s.scim('POST', '/Users', { userName: `t${i}@acme.com` });
      await waitFor(() => rx.received.length === 5);
      assert.ok(rx.received.every((r) => r.signatureOk));
      // Outcomes are recorded just after the receiver answers: wait until none is pending.
      await waitFor(async () => Number((await s.gh.ctx.db.selectFrom('directory_events').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n) === 0);
      const log = await s.gh.app.inject({ method: 'GET', url: `/api/v1/dsync/events?directoryId=${s.dir.id}`, headers: { authorization: `Api-Key ${API_KEY}` } });
      assert.equal(log.json().data.reduce((n: number, e: any) => n + e.deliveries.length, 0), 6);
    } finally {
      await d.stop();
      await s.gh.close();
      await rx.close();
    }
  });
});
