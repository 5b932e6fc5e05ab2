/**
 * `/api/v1/identity-federation` through HTTP on every dialect: Jackson's paths, `{data}` bodies and status
 * codes, its app id, the entity ID and tenant+product uniqueness, the ACS URL rule; then, on SQLite, the
 * audit trail and the limits of scoped API keys.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { login, startAdminGatehouse, type AdminClient } from '../admin-api/support.ts';

const BASE = { name: 'Legacy CRM', tenant: 'acme.com', product: 'crm', acsUrl: 'https://crm.example.test/saml/acs', entityId: 'https://crm.example.test/saml/metadata' };
/** SAML Jackson's app id: RIPEMD-160 (hex) of "tenant:product". */
const jacksonAppId = (tenant: string, product: string) => createHash('ripemd160').update(`${tenant}:${product}`).digest('hex');

const call = (gh: RunningGatehouse, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, key = API_KEY) =>
  gh.app.inject({ method, url, headers: { authorization: `Api-Key ${key}` }, ...(payload ? { payload } : {}) });

for (const dialect of testDialects()) {
  describe(`management API: identity federation apps on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    before(async () => {
      gh = await startGatehouse({ dialect });
    });
    after(async () => gh?.close());

    test('create → get (by id, by tenant+product) → list by product → update → delete', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const created = await call(gh, 'POST', '/api/v1/identity-federation', { ...BASE, tenants: ['globex.com', 'acme.com'], mappings: [{ key: 'department', value: 'dept' }], primaryColor: '#25c2a0' });
      assert.equal(created.statusCode, 201, created.body);
      const app = created.json().data;
      assert.deepEqual(app, {
        id: jacksonAppId('acme.com', 'crm'), type: 'saml', name: 'Legacy CRM', tenant: 'acme.com', product: 'crm', acsUrl: BASE.acsUrl, entityId: BASE.entityId,
        logoUrl: null, faviconUrl: null, primaryColor: '#25c2a0', tenants: ['acme.com', 'globex.com'], mappings: [{ key: 'department', value: 'dept' }], samlAudienceOverride: null, ttlInMinutes: null,
      });

      const byId = await call(gh, 'GET', `/api/v1/identity-federation?id=${app.id}`);
      assert.equal(byId.statusCode, 200);
      assert.deepEqual(byId.json(), { data: app });
      const byTenant = await call(gh, 'GET', '/api/v1/identity-federation?tenant=acme.com&product=crm');
      assert.deepEqual(byTenant.json(), { data: app });

      await call(gh, 'POST', '/api/v1/identity-federation', { ...BASE, tenant: 'initech.com', entityId: 'https://crm.example.test/initech' });
      await call(gh, 'POST', '/api/v1/identity-federation', { ...BASE, product: 'hr', entityId: 'https://hr.example.test/sp' });
      const list = await call(gh, 'GET', '/api/v1/identity-federation/product?product=crm');
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().data.map((a: { tenant: string }) => a.tenant).sort(), ['acme.com', 'initech.com']);
      const page = await call(gh, 'GET', '/api/v1/identity-federation/product?product=crm&pageOffset=1&pageLimit=1');
      assert.equal(page.json().data.length, 1);
      assert.equal((await call(gh, 'GET', '/api/v1/identity-federation/product')).statusCode, 400, 'product is required');

      const updated = await call(gh, 'PATCH', '/api/v1/identity-federation', { id: app.id, name: 'CRM (SAML)', acsUrl: 'https://crm.example.test/saml/acs2', ttlInMinutes: 3, primaryColor: '' });
      assert.equal(updated.statusCode, 200, updated.body);
      assert.deepEqual(updated.json().data, { ...app, name: 'CRM (SAML)', acsUrl: 'https://crm.example.test/saml/acs2', ttlInMinutes: 3, primaryColor: null });
      assert.deepEqual((await call(gh, 'GET', `/api/v1/identity-federation?id=${app.id}`)).json().data.acsUrl, 'https://crm.example.test/saml/acs2');
      const byTenantPatch = await call(gh, 'PATCH', '/api/v1/identity-federation', { tenant: 'acme.com', product: 'crm', samlAudienceOverride: 'https://idp.example.test/crm' });
      assert.equal(byTenantPatch.json().data.samlAudienceOverride, 'https://idp.example.test/crm');

      const removed = await call(gh, 'DELETE', `/api/v1/identity-federation?id=${app.id}`);
      assert.equal(removed.statusCode, 200);
      assert.deepEqual(removed.json(), { data: {} }, 'Polis answers a delete with {data: {}}');
      assert.equal((await call(gh, 'GET', `/api/v1/identity-federation?id=${app.id}`)).statusCode, 404);
      assert.equal((await call(gh, 'DELETE', `/api/v1/identity-federation?id=${app.id}`)).statusCode, 404);
      const byTenantDelete = await call(gh, 'DELETE', '/api/v1/identity-federation?tenant=initech.com&product=crm');
      assert.equal(byTenantDelete.statusCode, 200);
    });

    test('one app per tenant+product and per entity ID; the entity ID stays as created', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const first = await call(gh, 'POST', '/api/v1/identity-federation', { ...BASE, tenant: 'umbrella.com', entityId: 'https://u.example.test/sp' });
      assert.equal(first.statusCode, 201, first.body);
      const again = await call(gh, 'POST', '/api/v1/identity-federation', { ...BASE, tenant: 'umbrella.com', entityId: 'https://u.example.test/other' });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().field, 'tenant');
      const sameEntity = await call(gh, 'POST', '/api/v1/identity-federation', { ...BASE, tenant: 'hooli.com', entityId: 'https://u.example.test/sp' });
      assert.equal(sameEntity.statusCode, 409);
      assert.equal(sameEntity.json().field, 'entityId');
      const moved = await call(gh, 'PATCH', '/api/v1/identity-federation', { id: first.json().data.id, entityId: 'https://u.example.test/moved' });
      assert.equal(moved.statusCode, 400);
      assert.equal(moved.json().field, 'entityId');
      const same = await call(gh, 'PATCH', '/api/v1/identity-federation', { id: first.json().data.id, entityId: 'https://u.example.test/sp', name: 'Same entity' });
      assert.equal(same.statusCode, 200, 'sending the entity ID back unchanged is fine');
      assert.equal((await call(gh, 'PATCH', '/api/v1/identity-federation', { id: first.json().data.id })).statusCode, 400, 'nothing to change');
    });

    test('bad input is a 400 that names the field', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const cases: [object, string][] = [
        [{ ...BASE, tenant: 'a1.com', acsUrl: 'http://crm.example.test/acs' }, 'acsUrl'],
        [{ ...BASE, tenant: 'a2.com', acsUrl: 'https://crm.example.test/acs#frag' }, 'acsUrl'],
        [{ ...BASE, tenant: 'a3.com', acsUrl: 'javascript:alert(1)' }, 'acsUrl'],
        [{ ...BASE, tenant: 'a4.com', name: undefined }, 'name'],
        [{ ...BASE, tenant: 'a5.com', entityId: '' }, 'entityId'],
        [{ ...BASE, tenant: 'a6.com', type: 'oidc' }, 'redirectUrl'],
        [{ ...BASE, tenant: 'a9.com', type: 'oidc', redirectUrl: [] }, 'redirectUrl'],
        [{ ...BASE, tenant: 'a10.com', type: 'ws-fed' }, 'type'],
        [{ ...BASE, tenant: 'a7.com', mappings: [{ key: 'x' }] }, 'mappings.0.value'],
        [{ ...BASE, tenant: 'a8.com', primaryColor: 'red' }, 'primaryColor'],
      ];
      for (const [payload, field] of cases) {
        const r = await call(gh, 'POST', '/api/v1/identity-federation', payload);
        assert.equal(r.statusCode, 400, `${field}: ${r.body}`);
        assert.equal(r.json().field, field);
      }
      const loopback = await call(gh, 'POST', '/api/v1/identity-federation', { ...BASE, tenant: 'dev.local', acsUrl: 'http://127.0.0.1:3000/acs', entityId: 'http://127.0.0.1:3000/sp' });
      assert.equal(loopback.statusCode, 201, 'plain HTTP to this machine is allowed (development)');
      assert.equal((await call(gh, 'GET', '/api/v1/identity-federation')).statusCode, 400, 'id or tenant+product is required');
      assert.equal((await call(gh, 'GET', '/api/v1/identity-federation?id=nope')).statusCode, 404);
      assert.equal((await gh.app.inject({ method: 'GET', url: '/api/v1/identity-federation?id=nope' })).statusCode, 401, 'an API key is required');
    });

    test('IdP metadata: the deployment\'s entity ID, or the app\'s audience override', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const app = (await call(gh, 'POST', '/api/v1/identity-federation', { ...BASE, tenant: 'meta.com', entityId: 'https://meta.example.test/sp', samlAudienceOverride: 'https://idp.meta.example.test' })).json().data;
      const md = await gh.app.inject({ url: '/.well-known/idp-metadata' });
      assert.equal(md.statusCode, 200);
      assert.match(String(md.headers['content-type']), /application\/xml/);
      assert.match(md.body, new RegExp(`entityID="${gh.ctx.config.SAML_SP_ENTITY_ID}"`));
      for (const binding of ['HTTP-Redirect', 'HTTP-POST']) assert.ok(md.body.includes(`Binding="urn:oasis:names:tc:SAML:2.0:bindings:${binding}" Location="${gh.ctx.config.EXTERNAL_URL}/api/identity-federation/sso"`), binding);
      const spCert = (await gh.ctx.keys.sp()).certPem.replace(/-----[^-]+-----|\s/g, '');
      assert.ok(md.body.includes(`<ds:X509Certificate>${spCert}</ds:X509Certificate>`), 'signed with the deployment\'s SP certificate');
      const overridden = await gh.app.inject({ url: `/api/well-known/idp-metadata?appId=${app.id}` });
      assert.match(overridden.body, /entityID="https:\/\/idp\.meta\.example\.test"/);
      assert.equal((await gh.app.inject({ url: '/.well-known/idp-metadata?appId=nope' })).statusCode, 404);
      const viaApi = await call(gh, 'GET', `/api/v1/identity-federation/metadata?appId=${app.id}`);
      assert.equal(viaApi.json().data.entityId, 'https://idp.meta.example.test');
      assert.equal(viaApi.json().data.ssoUrl, `${gh.ctx.config.EXTERNAL_URL}/api/identity-federation/sso`);
    });
  });
}

describe('management API: identity federation changes are audited and scoped keys stay in their tenants', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient;
  before(async () => {
    const s = await startAdminGatehouse();
    gh = s.gh;
    await s.account('owner@example.com', 'owner');
    owner = await login(gh, 'owner@example.com');
  });
  after(async () => gh?.close());
  const mint = async (body: object) => {
    const r = await owner.req('POST', '/api/admin/api-keys', body);
    assert.equal(r.statusCode, 201, r.body);
    return r.json().data as { id: string; key: string };
  };
  const audited = async (action: string, targetId: string) => {
    const r = await owner.req('GET', `/api/admin/audit?action=${encodeURIComponent(action)}&targetId=${encodeURIComponent(targetId)}`);
    assert.equal(r.statusCode, 200, r.body);
    return r.json().data as { actor: { type: string; id: string }; target: { type: string }; tenant: string; product: string; summary: { before?: any; after?: any } }[];
  };

  test('create, update and delete each leave one audit event by the key that made them', async () => {
    const key = await mint({ name: 'provisioning', kind: 'personal' });
    const created = await call(gh, 'POST', '/api/v1/identity-federation', BASE, key.key);
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().data.id;
    const [c] = await audited('federation.app.created', id);
    assert.deepEqual([c?.actor.type, c?.actor.id, c?.target.type, c?.tenant, c?.product, c?.summary.after.entityId], ['api_key', key.id, 'federation_app', 'acme.com', 'crm', BASE.entityId]);
    await call(gh, 'PATCH', '/api/v1/identity-federation', { id, name: 'Renamed' }, key.key);
    const [u] = await audited('federation.app.updated', id);
    assert.deepEqual([u?.summary.before.name, u?.summary.after.name], ['Legacy CRM', 'Renamed']);
    await call(gh, 'DELETE', `/api/v1/identity-federation?id=${id}`, undefined, key.key);
    assert.equal((await audited('federation.app.deleted', id)).length, 1);
  });

  test('a key limited to acme.com can neither see nor change globex.com\'s app, nor reach globex.com through `tenants`', async () => {
    const globex = await call(gh, 'POST', '/api/v1/identity-federation', { ...BASE, tenant: 'globex.com', entityId: 'https://globex.example.test/sp' });
    assert.equal(globex.statusCode, 201);
    const k = (await mint({ name: 'acme only', kind: 'scoped', scopes: { tenants: ['acme.com'], permissions: ['sso:read', 'sso:write'] } })).key;
    for (const [method, url, payload] of [
      ['GET', `/api/v1/identity-federation?id=${globex.json().data.id}`],
      ['GET', '/api/v1/identity-federation?tenant=globex.com&product=crm'],
      ['PATCH', '/api/v1/identity-federation', { id: globex.json().data.id, name: 'mine now' }],
      ['DELETE', `/api/v1/identity-federation?id=${globex.json().data.id}`],
      ['POST', '/api/v1/identity-federation', { ...BASE, entityId: 'https://acme.example.test/sp2', tenants: ['globex.com'] }],
    ] as const) {
      const r = await call(gh, method, url, payload, k);
      assert.equal(r.statusCode, 403, `${method} ${url}: ${r.body}`);
      assert.equal(r.json().code, 'ADMIN_API_KEY_SCOPE');
    }
    assert.equal((await call(gh, 'GET', `/api/v1/identity-federation?id=${globex.json().data.id}`)).json().data.name, 'Legacy CRM', 'unchanged');
    const shared = await call(gh, 'POST', '/api/v1/identity-federation', { ...BASE, tenant: 'globex.com', product: 'hr', entityId: 'https://globex.example.test/hr', tenants: ['acme.com'] });
    const own = await call(gh, 'POST', '/api/v1/identity-federation', { ...BASE, product: 'hr', entityId: 'https://acme.example.test/hr' });
    assert.deepEqual([shared.statusCode, own.statusCode], [201, 201]);
    const listed = await call(gh, 'GET', '/api/v1/identity-federation/product?product=hr&tenant=acme.com', undefined, k);
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual(listed.json().data.map((a: { id: string }) => a.id), [own.json().data.id], 'globex.com\'s app is not listed, though it reaches acme.com');
    assert.equal((await call(gh, 'GET', '/api/v1/identity-federation/product?product=hr', undefined, k)).statusCode, 403, 'a tenant-limited key names its tenant');
  });
});
