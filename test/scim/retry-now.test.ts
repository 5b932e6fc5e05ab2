/**
 * The portal's "Retry now" for a pending webhook event, across two instances on one PostgreSQL database: instance A
 * serves the portal, instance B runs the deliverer. The first delivery fails (a real receiver answers 503), the event
 * waits for its backoff (10 minutes here); Retry now on A makes it due in the database, B's deliverer sends it at its
 * next poll. The retry is audited, viewers may not, and only pending events can be retried. Every attempt is in the
 * event's delivery log whatever `log_webhook_events` says (decision 0029).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { startWithOwnerAndViewer, type AdminClient } from '../admin-api/support.ts';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { createDirectory, scimClient, startReceiver, waitFor, type TestDirectory } from '../support/scim.ts';

const SECRET = 'whsec_retry_now_0123456789';

describe('Retry now, across instances (PostgreSQL)', () => {
  let a: RunningGatehouse;
  let b: RunningGatehouse | null;
  let owner: AdminClient, viewer: AdminClient;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let deliverer: Deliverer;
  let dirId: string;
  let testDir: TestDirectory;
  let hold = false;
  const env = { ENCRYPTION_KEY: randomBytes(32).toString('hex'), WEBHOOK_RETRY_BASE_MS: '600000' };

  before(async () => {
    rx = await startReceiver(SECRET, (_body, n) => (n === 1 || hold ? 503 : 200));
    ({ gh: a, owner, viewer } = await startWithOwnerAndViewer({ dialect: 'postgres', env }));
    b = await startGatehouse({ dialect: 'postgres', databaseUrl: a.db.url, env });
    deliverer = startWebhookDeliverer(b!.ctx, { pollMs: 50 });
  });
  after(async () => {
    await deliverer?.stop();
    await b?.close();
    await a?.close();
    await rx.close();
  });

  test('log_webhook_events is accepted and reads true: every delivery is logged anyway', async () => {
    const dir = await createDirectory(a, { webhook_url: rx.url, webhook_secret: SECRET, log_webhook_events: false });
    dirId = dir.id;
    testDir = dir;
    assert.equal((await owner.req('GET', `/api/admin/directories/${dirId}`)).json().data.log_webhook_events, true);
    const patched = await owner.req('PATCH', `/api/admin/directories/${dirId}`, { log_webhook_events: false });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().data.log_webhook_events, true);

    assert.equal((await scimClient(a, dir)('POST', '/Users', { userName: 'ann@acme.com' })).status, 201);
    const events = async () => (await owner.req('GET', `/api/admin/directories/${dirId}/events`)).json().data;
    await waitFor(async () => (await events())[0]?.attempts === 1, 15_000);
    const [e] = await events();
    assert.equal(e.status, 'pending');
    assert.deepEqual(e.deliveries.map((d: { status: number; response_excerpt: string }) => [d.status, d.response_excerpt]), [[503, 'receiver unavailable']], 'the failed attempt, with the receiver\'s answer');
    assert.ok(Date.parse(e.next_attempt_at) > Date.now() + 60_000, `backoff puts the next attempt minutes away: ${e.next_attempt_at}`);
  });

  test('Retry now on instance A → delivered by instance B\'s deliverer; audited as dsync.event.retried', async () => {
    const [e] = (await owner.req('GET', `/api/admin/directories/${dirId}/events`)).json().data;
    assert.equal((await viewer.req('POST', `/api/admin/directories/${dirId}/events/${e.id}/retry`)).statusCode, 403, 'viewers only read');
    const t0 = Date.now();
    const r = await owner.req('POST', `/api/admin/directories/${dirId}/events/${e.id}/retry`);
    assert.equal(r.statusCode, 200, r.body);
    assert.ok(Math.abs(Date.parse(r.json().data.next_attempt_at) - t0) < 5_000);
    await waitFor(() => rx.received.some((x) => x.id === e.id), 10_000);
    // The receiver has it; the deliverer records the outcome right after.
    const current = async () => (await owner.req('GET', `/api/admin/directories/${dirId}/events`)).json().data[0];
    await waitFor(async () => (await current()).status === 'delivered', 10_000);
    const after = await current();
    assert.deepEqual(after.deliveries.map((d: { status: number }) => d.status), [503, 200]);

    const audit = await a.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'dsync.event.retried').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.target_id, dirId);
    assert.equal(audit[0]!.actor_type, 'admin');
    assert.equal(JSON.parse(audit[0]!.summary).after.eventId, e.id);

    const again = await owner.req('POST', `/api/admin/directories/${dirId}/events/${e.id}/retry`);
    assert.equal(again.statusCode, 409);
    assert.match(again.json().detail, /Only pending events can be retried now; this one is delivered/);
    assert.equal((await owner.req('POST', `/api/admin/directories/${dirId}/events/no-such-event/retry`)).statusCode, 404);
  });

  test('the management API retries the same way (API key as actor); unknown or settled events are refused', async () => {
    const call = (path: string) => a.app.inject({ method: 'POST', url: path, headers: { authorization: `Api-Key ${API_KEY}` } });
    hold = true; // the receiver refuses again: the next event waits for its backoff
    assert.equal((await scimClient(a, testDir)('POST', '/Users', { userName: 'bo@acme.com' })).status, 201);
    const pending = async () => (await owner.req('GET', `/api/admin/directories/${dirId}/events?status=pending`)).json().data.filter((e: { attempts: number }) => e.attempts >= 1);
    await waitFor(async () => (await pending()).length === 1, 15_000);
    const [e] = await pending();
    hold = false;
    const r = await call(`/api/v1/dsync/events/${e.id}/retry`);
    assert.equal(r.statusCode, 200, r.body);
    await waitFor(() => rx.received.some((x) => x.id === e.id), 10_000);
    assert.equal((await call(`/api/v1/dsync/events/${e.id}/retry`)).statusCode, 409);
    assert.equal((await call('/api/v1/dsync/events/no-such-event/retry')).statusCode, 404);
    const audit = await a.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'dsync.event.retried').where('actor_type', '=', 'api_key').execute();
    assert.equal(audit.length, 1);
  });
});
