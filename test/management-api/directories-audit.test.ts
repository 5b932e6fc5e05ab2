/**
 * Issue 11, finding 14 (third bullet): changes made through `/api/v1/dsync` are in the audit log with the portal's
 * action names, attributed to the API key that made them, without secrets. Checked through the audit search API.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { login, startAdminGatehouse, type AdminClient } from '../admin-api/support.ts';
import { scimClient, startReceiver, waitFor } from '../support/scim.ts';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';

const WEBHOOK_SECRET = 'whsec_audit_0123456789abcdef';

describe('management API: directory changes are audited', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient;
  let key: { id: string; key: string };
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let deliverer: Deliverer;
  before(async () => {
    const s = await startAdminGatehouse({ env: { WEBHOOK_RETRY_FOR_SECONDS: '1', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_DELAY_MS: '100', DSYNC_DELIVERER_POLL_MS: '20' } });
    gh = s.gh;
    await s.account('owner@example.com', 'owner');
    owner = await login(gh, 'owner@example.com');
    const minted = await owner.req('POST', '/api/admin/api-keys', { name: 'provisioning', kind: 'personal' });
    key = minted.json().data;
    rx = await startReceiver(WEBHOOK_SECRET, () => 500);
    deliverer = startWebhookDeliverer(gh.ctx);
  });
  after(async () => {
    await deliverer.stop();
    await rx.close();
    await gh.close();
  });
  const api = (k: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    gh.app.inject({ method, url, headers: { authorization: `Api-Key ${k}` }, ...(payload ? { payload } : {}) });
  const audited = async (action: string, targetId: string) => {
    const r = await owner.req('GET', `/api/admin/audit?action=${encodeURIComponent(action)}&targetId=${encodeURIComponent(targetId)}`);
    assert.equal(r.statusCode, 200, r.body);
    return r.json().data as { actor: { type: string; id: string; label: string }; target: { type: string; id: string }; tenant: string; product: string; summary: { before?: any; after?: any } }[];
  };

  test('create, update, rotate, replay and delete each leave one audit event by the API key, with no secret', async () => {
    const created = await api(key.key, 'POST', '/api/v1/dsync', { tenant: 'acme.com', product: 'crm', name: 'Acme', webhook_url: rx.url, webhook_secret: WEBHOOK_SECRET });
    assert.equal(created.statusCode, 201, created.body);
    const dir = created.json().data;
    const [c] = await audited('dsync.directory.created', dir.id);
    assert.ok(c, 'POST /api/v1/dsync is audited as dsync.directory.created');
    assert.deepEqual([c.actor.type, c.actor.id, c.target.type, c.tenant, c.product], ['api_key', key.id, 'directory', 'acme.com', 'crm']);
    assert.match(c.actor.label, /provisioning.*owner@example\.com/);
    assert.equal(c.summary.after.name, 'Acme');

    assert.equal((await api(key.key, 'PATCH', `/api/v1/dsync/${dir.id}`, { name: 'Acme Okta' })).statusCode, 200);
    const [u] = await audited('dsync.directory.updated', dir.id);
    assert.deepEqual([u.actor.id, u.summary.before.name, u.summary.after.name], [key.id, 'Acme', 'Acme Okta']);

    const rotated = await api(key.key, 'POST', `/api/v1/dsync/${dir.id}/scim-secret`);
    assert.equal(rotated.statusCode, 200);
    assert.equal((await audited('dsync.directory.secret_rotated', dir.id)).length, 1);

    // One event that fails (the receiver answers 500 until the 1 s deadline), then replayed one by one and in bulk.
    const scim = scimClient(gh, { id: dir.id, secret: rotated.json().data.scim.secret, endpoint: dir.scim.endpoint, path: dir.scim.path });
    assert.equal((await scim('POST', '/Users', { userName: 'ann@acme.com' })).status, 201);
    const failed = async () => (await api(key.key, 'GET', `/api/v1/dsync/events?directoryId=${dir.id}&status=failed`)).json().data;
    await waitFor(async () => (await failed()).length === 1, 10_000);
    const eventId = (await failed())[0].id;
    assert.equal((await api(key.key, 'POST', `/api/v1/dsync/events/${eventId}/replay`)).statusCode, 200);
    await waitFor(async () => (await failed()).length === 1, 10_000);
    assert.equal((await api(API_KEY, 'POST', '/api/v1/dsync/events/replay', { directoryId: dir.id })).json().data.replayed, 1);
    const replays = await audited('dsync.event.replayed', dir.id);
    assert.equal(replays.length, 2);
    assert.deepEqual(replays.map((r) => r.actor.label), ['Bootstrap API key (API_KEYS)', replays[1]!.actor.label]);
    assert.equal(replays[1]!.actor.id, key.id);
    assert.equal(replays[1]!.summary.after.eventId, eventId);
    assert.equal(replays[0]!.summary.after.replayed, 1);

    assert.equal((await api(key.key, 'DELETE', `/api/v1/dsync/${dir.id}`)).statusCode, 200); // Jackson's status (was 204 before issue 13)
    const [d] = await audited('dsync.directory.deleted', dir.id);
    assert.deepEqual([d.actor.id, d.summary.before.name], [key.id, 'Acme Okta']);

    const everything = JSON.stringify((await owner.req('GET', `/api/admin/audit?targetId=${dir.id}&limit=100`)).json());
    for (const secret of [dir.scim.secret, rotated.json().data.scim.secret, WEBHOOK_SECRET]) assert.ok(!everything.includes(secret), 'no secret in the audit log');
  });

  test('a refused change leaves no audit event', async () => {
    const before = (await owner.req('GET', '/api/admin/audit?action=dsync.directory.created&limit=100')).json().data.length;
    assert.equal((await api(key.key, 'POST', '/api/v1/dsync', { tenant: 'acme.com', product: 'crm', webhook_url: rx.url, webhook_secret: 'short' })).statusCode, 400);
    assert.equal((await owner.req('GET', '/api/admin/audit?action=dsync.directory.created&limit=100')).json().data.length, before);
  });
});
