/**
 * The events webhook, through Directory Sync's outbox and deliverer, to a real HTTP receiver on 127.0.0.1:
 * the pulled event's exact body, signed (BoxyHQ-Signature and Gatehouse-Signature, verified by the receiver),
 * retried after a 503, and nothing queued while no webhook is configured. The portal setting, its sealed
 * secret and the SSRF guard; the environment's webhook wins and locks the setting.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { startReceiver, waitFor } from '../support/scim.ts';
import { startWithOwnerAndViewer, type AdminClient } from '../admin-api/support.ts';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { createSamlConnection } from '../support/saml-flow.ts';

const SECRET = 'evsec_test_0123456789abcdef';

const outbox = (gh: RunningGatehouse) => gh.ctx.db.selectFrom('directory_events').selectAll().where('directory_id', '=', 'vendor-events').orderBy('seq').execute();

describe('events webhook configured in the portal', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient, viewer: AdminClient;
  let idp: TestIdp;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let d: Deliverer;
  before(async () => {
    ({ gh, owner, viewer } = await startWithOwnerAndViewer({ env: { WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_DELAY_MS: '200', DSYNC_DELIVERER_POLL_MS: '20' } }));
    idp = await createTestIdp();
    // The first POST answers 503: the deliverer must come back.
    rx = await startReceiver(SECRET, (_b, n) => (n === 1 ? 503 : 200));
    d = startWebhookDeliverer(gh.ctx);
  });
  after(async () => {
    await d.stop();
    await gh.close();
    await rx.close();
  });

  test('no webhook configured: events are recorded for the pull API, nothing is queued', async () => {
    await createSamlConnection(gh.app, idp, { tenant: 'quiet.com' });
    assert.equal((await outbox(gh)).length, 0);
    const pulled = (await gh.app.inject({ method: 'GET', url: '/api/v1/events?tenant=quiet.com', headers: { authorization: `Api-Key ${API_KEY}` } })).json();
    assert.deepEqual(pulled.data.map((e: { type: string }) => e.type), ['connection.created']);
  });

  test('the setting: admins set it (secret sealed, never shown), viewers read it, the SSRF guard refuses private hosts', async () => {
    assert.equal((await viewer.req('PUT', '/api/admin/settings/events-webhook', { url: rx.url, secret: SECRET })).statusCode, 403);
    const refused = await owner.req('PUT', '/api/admin/settings/events-webhook', { url: 'http://10.1.2.3/hooks', secret: SECRET });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(refused.json().field, 'url');
    const noSecret = await owner.req('PUT', '/api/admin/settings/events-webhook', { url: rx.url });
    assert.equal(noSecret.json().field, 'secret');
    const short = await owner.req('PUT', '/api/admin/settings/events-webhook', { url: rx.url, secret: 'short' });
    assert.equal(short.json().field, 'secret');
    const ok = await owner.req('PUT', '/api/admin/settings/events-webhook', { url: rx.url, secret: SECRET });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().data, { url: rx.url, secretSet: true, source: 'settings' });
    const read = await viewer.req('GET', '/api/admin/settings/events-webhook');
    assert.deepEqual(read.json().data, { url: rx.url, secretSet: true, source: 'settings' });
    const stored = await gh.ctx.db.selectFrom('admin_settings').select('value').where('key', '=', 'events_webhook').executeTakeFirstOrThrow();
    assert.ok(!stored.value.includes(SECRET), 'the secret is sealed at rest');
    const audit = await gh.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'admin.events_webhook.updated').execute();
    assert.equal(audit.length, 1);
    assert.ok(!JSON.stringify(audit).includes(SECRET));
  });

  test('an event is POSTed signed with the pulled body, after a 503, exactly once', async () => {
    const conn = await createSamlConnection(gh.app, idp, { tenant: 'loud.com', name: 'Loud' });
    await waitFor(() => rx.received.length >= 1, 30_000);
    await waitFor(async () => (await outbox(gh)).every((e) => e.status === 'delivered'), 30_000);
    assert.ok(rx.calls >= 2, 'the 503 was retried');
    assert.equal(rx.received.length, 1);
    const got = rx.received[0]!;
    assert.ok(got.signatureOk, 'BoxyHQ-Signature and Gatehouse-Signature verify with the secret');
    assert.match(String(got.headers['gatehouse-signature']), /^t=\d{13},s=[0-9a-f]{64}$/);
    assert.equal(got.headers['gatehouse-event'], 'connection.created');
    const pulled = (await gh.app.inject({ method: 'GET', url: '/api/v1/events?tenant=loud.com', headers: { authorization: `Api-Key ${API_KEY}` } })).json().data;
    assert.deepEqual(got.body, pulled[0]);
    assert.equal(got.body.data.clientID, conn.clientID);
    const attempts = await gh.ctx.db.selectFrom('directory_event_attempts').selectAll().where('directory_id', '=', 'vendor-events').orderBy('seq').execute();
    assert.deepEqual(attempts.map((a) => a.status_code), [503, 200]);
    const row = (await outbox(gh))[0]!;
    assert.ok(Number(row.deadline_at) - Number(row.created_at) === 86_400_000, 'retried for 24 h');
  });

  test('clearing the setting stops queueing', async () => {
    assert.equal((await owner.req('PUT', '/api/admin/settings/events-webhook', { url: '' })).statusCode, 200);
    const before = (await outbox(gh)).length;
    await createSamlConnection(gh.app, idp, { tenant: 'after.com' });
    assert.equal((await outbox(gh)).length, before);
    assert.deepEqual((await viewer.req('GET', '/api/admin/settings/events-webhook')).json().data, { url: null, secretSet: false, source: null });
  });
});

describe('events webhook from the environment', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let d: Deliverer;
  before(async () => {
    rx = await startReceiver(SECRET);
    ({ gh, owner } = await startWithOwnerAndViewer({ env: { EVENTS_WEBHOOK_URL: rx.url, EVENTS_WEBHOOK_SECRET: SECRET, DSYNC_DELIVERER_POLL_MS: '20' } }));
    d = startWebhookDeliverer(gh.ctx);
  });
  after(async () => {
    await d.stop();
    await gh.close();
    await rx.close();
  });

  test('delivers signed, and the portal shows it locked', async () => {
    const idp = await createTestIdp();
    await createSamlConnection(gh.app, idp, { tenant: 'env.com' });
    await waitFor(() => rx.received.length === 1, 30_000);
    assert.ok(rx.received[0]!.signatureOk);
    assert.equal(rx.received[0]!.body.tenant, 'env.com');
    assert.deepEqual((await owner.req('GET', '/api/admin/settings/events-webhook')).json().data, { url: rx.url, secretSet: true, source: 'environment' });
    assert.equal((await owner.req('PUT', '/api/admin/settings/events-webhook', { url: rx.url, secret: SECRET })).statusCode, 409);
  });
});
