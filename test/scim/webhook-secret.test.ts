/**
 * Issue 11, finding 7: an empty webhook secret is never stored and never signs. Clients that edit a directory by
 * sending back what GET returned (`webhook_secret: ""`) keep the secret; a secret under 16 bytes is refused with a
 * 400 naming the field on every surface; the signer refuses an empty key; a directory left with a webhook URL and
 * no secret (a row from before the fix) has its deliveries held with a reason until a secret is set.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { login, startAdminGatehouse, type AdminClient } from '../admin-api/support.ts';
import { createDirectory, scimClient, startReceiver, waitFor, type TestDirectory } from '../support/scim.ts';
import { EmptyWebhookKeyError, signWebhook, verifyWebhookSignature } from '../../src/directory-sync/webhooks/signer.ts';
import { HELD_NO_SECRET, startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';

const SECRET = 'whsec_kept_0123456789abcdef';

describe('webhook secrets', () => {
  let gh: RunningGatehouse;
  let admin: AdminClient;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let deliverer: Deliverer;
  before(async () => {
    const s = await startAdminGatehouse({ env: { DSYNC_DELIVERER_POLL_MS: '20', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_DELAY_MS: '200', RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } });
    gh = s.gh;
    await s.account('admin@example.com', 'admin');
    admin = await login(gh, 'admin@example.com');
    rx = await startReceiver(SECRET);
    deliverer = startWebhookDeliverer(gh.ctx);
  });
  after(async () => {
    await deliverer.stop();
    await rx.close();
    await gh.close();
  });
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
  const storedSecret = async (id: string) => {
    const row = await gh.ctx.db.selectFrom('directories').select('webhook_secret_enc').where('id', '=', id).executeTakeFirstOrThrow();
    return row.webhook_secret_enc ? gh.ctx.secrets.decrypt(row.webhook_secret_enc) : '';
  };
  const userEvent = async (dir: TestDirectory, userName: string) => {
    const r = await scimClient(gh, dir)('POST', '/Users', { userName });
    assert.equal(r.status, 201, r.text);
    await waitFor(() => rx.received.some((e) => e.body.data.raw.userName === userName));
    return rx.received.find((e) => e.body.data.raw.userName === userName)!;
  };

  test('sending back what GET returned, with webhook_secret "", keeps the secret; the next event verifies with it', async () => {
    const dir = await createDirectory(gh, { webhook_url: rx.url, webhook_secret: SECRET });
    const read = (await api('GET', `/api/v1/dsync/${dir.id}`)).json().data;
    const roundTrip = { ...read, webhook_url: read.webhook.endpoint, webhook_secret: '', name: 'Acme (edited)' };
    const r = await api('PATCH', `/api/v1/dsync/${dir.id}`, roundTrip);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().data.name, 'Acme (edited)');
    // Jackson's nested spelling, with an empty or null secret, and the portal's admin API: all "unchanged".
    for (const secret of ['', null]) assert.equal((await api('PATCH', `/api/v1/dsync/${dir.id}`, { webhook: { endpoint: rx.url, secret } })).statusCode, 200);
    const viaAdmin = await admin.req('PATCH', `/api/admin/directories/${dir.id}`, { name: 'Acme', webhook_url: rx.url, webhook_secret: '' });
    assert.equal(viaAdmin.statusCode, 200, viaAdmin.body);
    assert.equal(await storedSecret(dir.id), SECRET);

    const e = await userEvent(dir, 'kept@acme.com');
    assert.equal(e.signatureOk, true, 'signed with the kept secret');
    assert.equal(verifyWebhookSignature('', String(e.headers['boxyhq-signature']), e.raw, Date.now()), false, 'not with an empty key');
  });

  test('a secret shorter than 16 bytes is refused with 400 naming webhook_secret, on create and update, on every surface', async () => {
    const short = 'x'.repeat(15);
    const dir = await createDirectory(gh, { tenant: 'short.com', webhook_url: rx.url, webhook_secret: SECRET });
    const refusals: [string, { statusCode: number; body: string; json(): { field?: string } }, string][] = [
      ['POST /api/v1/dsync', await api('POST', '/api/v1/dsync', { tenant: 'short.com', product: 'crm', webhook_url: rx.url, webhook_secret: short }), 'webhook_secret'],
      ['POST /api/v1/dsync without URL', await api('POST', '/api/v1/dsync', { tenant: 'short.com', product: 'crm', webhook_secret: 'abc' }), 'webhook_secret'],
      ['PATCH /api/v1/dsync', await api('PATCH', `/api/v1/dsync/${dir.id}`, { webhook_secret: short }), 'webhook_secret'],
      ['PATCH /api/v1/dsync nested', await api('PATCH', `/api/v1/dsync/${dir.id}`, { webhook: { endpoint: rx.url, secret: 'short' } }), 'webhook_secret'],
      ['POST /api/admin/directories', await admin.req('POST', '/api/admin/directories', { tenant: 'short.com', product: 'crm', webhook_url: rx.url, webhook_secret: short }), 'webhook_secret'],
      ['PATCH /api/admin/directories', await admin.req('PATCH', `/api/admin/directories/${dir.id}`, { webhook_secret: short }), 'webhook_secret'],
      ['POST /api/v1/dsync/setuplinks', await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'short.com', product: 'crm', webhook_url: rx.url, webhook_secret: short }), 'webhook_secret'],
      ['POST /api/v1/dsync/setuplinks camelCase', await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'short.com', product: 'crm', webhookUrl: rx.url, webhookSecret: short }), 'webhookSecret'],
      ['POST /api/v1/dsync/setuplinks without secret', await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'short.com', product: 'crm', webhook_url: rx.url, webhook_secret: '' }), 'webhook_secret'],
      ['POST /api/admin/setup-links', await admin.req('POST', '/api/admin/setup-links', { service: 'dsync', tenant: 'short.com', product: 'crm', webhookUrl: rx.url, webhookSecret: short }), 'webhookSecret'],
    ];
    for (const [what, r, field] of refusals) {
      assert.equal(r.statusCode, 400, `${what}: ${r.body}`);
      assert.equal(r.json().field, field, what);
      assert.match(r.body, /16 bytes|required/, what);
    }
    assert.equal(await storedSecret(dir.id), SECRET, 'nothing changed');
    assert.equal((await api('GET', '/api/v1/dsync?tenant=short.com&product=crm')).json().data.length, 1, 'nothing created');
    assert.equal((await api('GET', '/api/v1/dsync/setuplinks?tenant=short.com&product=crm')).statusCode, 404, 'no link created');

    // 16 bytes is enough, counted in bytes: eight two-byte characters pass.
    assert.equal((await api('PATCH', `/api/v1/dsync/${dir.id}`, { webhook_secret: 'é'.repeat(8) })).statusCode, 200);
    assert.equal(await storedSecret(dir.id), 'é'.repeat(8));
    const link = await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'short.com', product: 'crm', webhook_url: rx.url, webhook_secret: SECRET });
    assert.equal(link.statusCode, 201, link.body);
  });

  test('the signer refuses an empty key', () => {
    assert.throws(() => signWebhook('', Date.now(), '{}'), EmptyWebhookKeyError);
    assert.match(signWebhook(SECRET, 1, '{}'), /^t=1,s=[0-9a-f]{64}$/);
  });

  test('a directory left with a webhook URL and no secret has its events held, with the reason, until a secret is set', async () => {
    const dir = await createDirectory(gh, { tenant: 'legacy.com', webhook_url: rx.url, webhook_secret: SECRET });
    // A row as stored before the fix (an empty secret written by a round-tripping client).
    await gh.ctx.db.updateTable('directories').set({ webhook_secret_enc: '' }).where('id', '=', dir.id).execute();
    const before = rx.calls;
    assert.equal((await scimClient(gh, dir)('POST', '/Users', { userName: 'held@legacy.com' })).status, 201);
    const heldEvent = async () => (await api('GET', `/api/v1/dsync/events?directoryId=${dir.id}`)).json().data[0];
    await waitFor(async () => (await heldEvent())?.last_error === HELD_NO_SECRET);
    assert.equal(rx.calls, before, 'nothing was sent, signed or not');
    assert.equal((await heldEvent()).status, 'pending', 'held, not dropped');

    assert.equal((await api('PATCH', `/api/v1/dsync/${dir.id}`, { webhook_secret: SECRET })).statusCode, 200);
    await waitFor(() => rx.received.some((e) => e.body.data.raw.userName === 'held@legacy.com'));
    assert.equal(rx.received.find((e) => e.body.data.raw.userName === 'held@legacy.com')!.signatureOk, true);
  });
});
