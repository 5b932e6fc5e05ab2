/**
 * Personal and scoped API keys on the management API: shown once and hashed at rest, personal keys act with
 * their owner's role, scoped keys stay inside their tenants/products/permissions (403 across tenants), expiry,
 * revocation, last-used time; the bootstrap API_KEYS keep working.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWithOwnerAndViewer, login, testClock, type AdminClient, SETUP } from './support.ts';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL } from '../support/saml-flow.ts';
import { tokenHash } from '../../src/crypto/secrets.ts';

describe('management API keys', () => {
  const clock = testClock();
  let gh: RunningGatehouse;
  let idp: TestIdp;
  let owner: AdminClient, viewer: AdminClient;
  let acmeId: string, globexId: string;
  before(async () => {
    ({ gh, owner, viewer } = await startWithOwnerAndViewer({ now: clock.now }));
    idp = await createTestIdp();
    const make = async (tenant: string) => {
      const r = await gh.app.inject({ method: 'POST', url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { tenant, product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) } });
      assert.equal(r.statusCode, 200, r.body); // Jackson's status (was 201 before issue 13)
      return r.json().clientID as string;
    };
    acmeId = await make('acme.com');
    globexId = await make('globex.com');
  });
  after(() => gh.close());

  const api = (key: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    gh.app.inject({ method, url, headers: { authorization: `Api-Key ${key}` }, ...(payload ? { payload } : {}) });
  const mint = async (client: AdminClient, body: object) => {
    const r = await client.req('POST', '/api/admin/api-keys', body);
    assert.equal(r.statusCode, 201, r.body);
    return r.json().data as { id: string; key: string; prefix: string; lastUsedAt: string | null };
  };

  test('a key is gh_-prefixed, shown once, and stored only as its hash', async () => {
    const k = await mint(owner, { name: 'ci', kind: 'personal' });
    assert.match(k.key, /^gh_[A-Za-z0-9_-]{43}$/);
    assert.equal(k.prefix, k.key.slice(0, 10));
    const row = await gh.ctx.db.selectFrom('admin_api_keys').selectAll().where('id', '=', k.id).executeTakeFirstOrThrow();
    assert.equal(row.token_hash, tokenHash(k.key));
    assert.ok(!JSON.stringify(row).includes(k.key.slice(3)));
    const listed = (await owner.req('GET', '/api/admin/api-keys')).json().data.find((x: { id: string }) => x.id === k.id);
    assert.equal(listed.key, undefined);
  });

  test('a personal key acts with its owner\'s role: an owner\'s writes, a viewer\'s only reads; last-used is recorded', async () => {
    const ownerKey = await mint(owner, { name: 'owner key', kind: 'personal' });
    const created = await api(ownerKey.key, 'POST', '/api/v1/products', { product: 'billing' });
    assert.equal(created.statusCode, 201, created.body);
    const audit = (await owner.req('GET', '/api/admin/audit?action=product.created')).json().data[0];
    assert.equal(audit.actor.type, 'api_key');
    assert.equal(audit.actor.id, ownerKey.id);
    assert.match(audit.actor.label, /owner@example\.com/);

    const viewerKey = await mint(viewer, { name: 'viewer key', kind: 'personal' });
    assert.equal((await api(viewerKey.key, 'GET', '/api/v1/sso?tenant=acme.com&product=crm')).statusCode, 200);
    const write = await api(viewerKey.key, 'POST', '/api/v1/products', { product: 'nope' });
    assert.equal(write.statusCode, 403);
    assert.equal(write.json().code, 'ADMIN_API_KEY_SCOPE');
    const mine = (await viewer.req('GET', '/api/admin/api-keys')).json().data;
    assert.deepEqual(mine.map((k: { id: string }) => k.id), [viewerKey.id], 'non-owners list only their own keys');
    assert.ok(mine[0].lastUsedAt);
  });

  test('a scoped key limited to tenant acme.com gets 403 on globex.com\'s connections, everywhere', async () => {
    const k = (await mint(owner, { name: 'acme only', kind: 'scoped', scopes: { tenants: ['acme.com'], permissions: ['sso:read', 'sso:write'] } })).key;
    assert.equal((await api(k, 'GET', '/api/v1/sso?tenant=acme.com&product=crm')).statusCode, 200);
    assert.equal((await api(k, 'GET', `/api/v1/sso?clientID=${acmeId}`)).statusCode, 200);
    const refusals = [
      await api(k, 'GET', '/api/v1/sso?tenant=globex.com&product=crm'),
      await api(k, 'GET', `/api/v1/sso?clientID=${globexId}`),
      await api(k, 'PATCH', '/api/v1/sso', { clientID: globexId, name: 'pwned' }),
      await api(k, 'DELETE', `/api/v1/sso?clientID=${globexId}`),
      await api(k, 'POST', '/api/v1/sso', { tenant: 'globex.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) }),
      await api(k, 'GET', '/api/v1/tenants/globex.com'),
      await api(k, 'GET', '/api/v1/tenants'),
      await api(k, 'GET', '/api/v1/sso/links?tenant=globex.com&product=crm'),
      await api(k, 'GET', '/api/v1/dsync?tenant=acme.com&product=crm'),
    ];
    for (const r of refusals) {
      assert.equal(r.statusCode, 403, r.body);
      assert.equal(r.json().code, 'ADMIN_API_KEY_SCOPE');
    }
    assert.equal((await api(k, 'PATCH', '/api/v1/sso', { clientID: acmeId, name: 'renamed' })).statusCode, 204);
    assert.equal((await api(k, 'GET', `/api/v1/sso?clientID=${globexId}`)).statusCode, 403);
    const g = await api(API_KEY, 'GET', `/api/v1/sso?clientID=${globexId}`);
    assert.notEqual(g.json()[0].name, 'pwned');
  });

  test('a scoped Directory Sync key limited to acme.com cannot reach globex.com\'s directory', async () => {
    const dir = async (tenant: string) => (await api(API_KEY, 'POST', '/api/v1/dsync', { tenant, product: 'crm', name: tenant })).json().data.id as string;
    const acmeDir = await dir('acme.com');
    const globexDir = await dir('globex.com');
    const k = (await mint(owner, { name: 'acme dsync', kind: 'scoped', scopes: { tenants: ['acme.com'], products: ['crm'], permissions: ['dsync:read', 'dsync:write'] } })).key;
    assert.equal((await api(k, 'GET', '/api/v1/dsync?tenant=acme.com&product=crm')).statusCode, 200);
    assert.equal((await api(k, 'GET', `/api/v1/dsync/${acmeDir}`)).statusCode, 200);
    assert.equal((await api(k, 'GET', `/api/v1/dsync/users?directoryId=${acmeDir}`)).statusCode, 200);
    for (const [method, url] of [['GET', '/api/v1/dsync?tenant=globex.com&product=crm'], ['GET', `/api/v1/dsync/${globexDir}`], ['PATCH', `/api/v1/dsync/${globexDir}`], ['DELETE', `/api/v1/dsync/${globexDir}`], ['GET', `/api/v1/dsync/users?directoryId=${globexDir}`], ['GET', '/api/v1/dsync/product?product=crm'], ['GET', '/api/v1/sso?tenant=acme.com&product=crm']] as const) {
      const r = await api(k, method, url, method === 'PATCH' ? { name: 'x' } : undefined);
      assert.equal(r.statusCode, 403, `${method} ${url}: ${r.body}`);
    }
    assert.equal((await api(API_KEY, 'GET', `/api/v1/dsync/${globexDir}`)).statusCode, 200, 'still there');
  });

  test('a setup-link key limited to acme.com manages acme.com\'s links only (issue 12: the service checks the scope)', async () => {
    const k = (await mint(owner, { name: 'acme links', kind: 'scoped', scopes: { tenants: ['acme.com'], permissions: ['setuplinks:write'] } })).key;
    const created = await api(k, 'POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().data.setupID;
    assert.equal((await api(k, 'GET', `/api/v1/sso/setuplinks?id=${id}`)).statusCode, 200);
    const other = (await api(API_KEY, 'POST', '/api/v1/sso/setuplinks', { tenant: 'globex.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK })).json().data.setupID;
    for (const [method, url, payload] of [['POST', '/api/v1/sso/setuplinks', { tenant: 'globex.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK }], ['GET', `/api/v1/sso/setuplinks?id=${other}`], ['POST', '/api/v1/sso/setuplinks/regenerate', { id: other }], ['DELETE', `/api/v1/sso/setuplinks?id=${other}`], ['GET', '/api/v1/sso/setuplinks/product?product=crm'], ['GET', '/api/v1/sso?tenant=acme.com&product=crm']] as const) {
      const r = await api(k, method, url, payload);
      assert.equal(r.statusCode, 403, `${method} ${url}: ${r.body}`);
      assert.equal(r.json().code, 'ADMIN_API_KEY_SCOPE');
    }
    assert.equal((await api(k, 'DELETE', `/api/v1/sso/setuplinks?id=${id}`)).statusCode, 200); // Jackson's status (was 204 before issue 13)
  });

  test('scoped keys: permissions are checked, and cannot exceed the creator\'s role; errors name the field', async () => {
    const ro = (await mint(owner, { name: 'read only', kind: 'scoped', scopes: { permissions: ['sso:read'] } })).key;
    assert.equal((await api(ro, 'GET', '/api/v1/tenants')).statusCode, 200);
    assert.equal((await api(ro, 'POST', '/api/v1/tenants', { tenant: 'x' })).statusCode, 403);
    const bad = await owner.req('POST', '/api/admin/api-keys', { name: 'x', kind: 'scoped', scopes: { permissions: ['root'] } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().field, /^scopes\.permissions/);
    assert.equal((await owner.req('POST', '/api/admin/api-keys', { name: 'x', kind: 'scoped' })).json().field, 'scopes');
    assert.equal((await owner.req('POST', '/api/admin/api-keys', { kind: 'personal' })).json().field, 'name');
    assert.equal((await viewer.req('POST', '/api/admin/api-keys', { name: 'x', kind: 'scoped', scopes: { permissions: ['sso:read'] } })).statusCode, 403);
  });

  test('expired and revoked keys stop working; the bootstrap key keeps working', async () => {
    const soon = await mint(owner, { name: 'short', kind: 'personal', expiresAt: new Date(clock.now() + 3600_000).toISOString() });
    assert.equal((await api(soon.key, 'GET', '/api/v1/tenants')).statusCode, 200);
    clock.advance(3600_000 + 1);
    assert.equal((await api(soon.key, 'GET', '/api/v1/tenants')).statusCode, 401);
    owner = await login(gh, 'owner@example.com'); // the session went idle meanwhile
    assert.equal((await owner.req('POST', '/api/admin/api-keys', { name: 'past', kind: 'personal', expiresAt: new Date(clock.now() - 1).toISOString() })).json().field, 'expiresAt');
    const k = await mint(owner, { name: 'to revoke', kind: 'personal' });
    assert.equal((await api(k.key, 'GET', '/api/v1/tenants')).statusCode, 200);
    assert.equal((await owner.req('DELETE', `/api/admin/api-keys/${k.id}`)).statusCode, 204);
    assert.equal((await api(k.key, 'GET', '/api/v1/tenants')).statusCode, 401);
    assert.equal((await api(API_KEY, 'GET', '/api/v1/tenants')).statusCode, 200);
    assert.equal((await api('gh_not-a-key', 'GET', '/api/v1/tenants')).statusCode, 401);
  });

  test('deleting an account revokes its keys', async () => {
    const { createAdmin } = await import('../../src/admin/accounts.ts');
    const u = await createAdmin(gh.ctx, SETUP, { email: 'leaver@example.com', role: 'admin', password: 'correct horse battery staple' });
    const leaver = await login(gh, 'leaver@example.com');
    const k = await mint(leaver, { name: 'leaver', kind: 'personal' });
    assert.equal((await owner.req('DELETE', `/api/admin/admins/${u.id}`)).statusCode, 204);
    assert.equal((await api(k.key, 'GET', '/api/v1/tenants')).statusCode, 401);
  });
});
