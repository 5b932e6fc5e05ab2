/**
 * Issue 16 §3–4: reconciliation and role mappings are scoped like other reads and writes. A scoped key needs
 * `sso:read` and `dsync:read` for the tenant to reconcile, `sso:read` to read or preview a mapping and `sso:write`
 * to save one; a key limited to another tenant is refused (403); a portal viewer reads but cannot save.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY } from '../support/gatehouse.ts';
import { createDirectory } from '../support/scim.ts';
import { startWithOwnerAndViewer, type AdminClient } from '../admin-api/support.ts';

describe('reconciliation and role mappings: permissions', () => {
  let s: Awaited<ReturnType<typeof startWithOwnerAndViewer>>;
  before(async () => {
    s = await startWithOwnerAndViewer();
    await createDirectory(s.gh);
    const p = await s.gh.app.inject({ method: 'POST', url: '/api/v1/products', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { product: 'crm', roles: [{ key: 'admin' }] } });
    assert.equal(p.statusCode, 201, p.body);
  });
  after(() => s.gh.close());

  const mint = async (client: AdminClient, scopes: object) => {
    const r = await client.req('POST', '/api/admin/api-keys', { name: `k${Math.random()}`, kind: 'scoped', scopes });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().data.key as string;
  };
  const call = (key: string, method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    s.gh.app.inject({ method, url, headers: { authorization: `Api-Key ${key}` }, ...(payload ? { payload } : {}) });
  const body = { tenant: 'acme.com', product: 'crm', mappings: [{ group: 'Engineering', role: 'admin' }] };

  test('scoped keys: tenant and permissions are checked', async () => {
    const globex = await mint(s.owner, { tenants: ['globex.com'], permissions: ['sso:read', 'sso:write', 'dsync:read'] });
    const ssoOnly = await mint(s.owner, { tenants: ['acme.com'], permissions: ['sso:read'] });
    const both = await mint(s.owner, { tenants: ['acme.com'], permissions: ['sso:read', 'dsync:read'] });
    const writer = await mint(s.owner, { tenants: ['acme.com'], permissions: ['sso:read', 'sso:write'] });
    const rec = '/api/v1/reconciliation?tenant=acme.com&product=crm';
    for (const [key, status] of [[globex, 403], [ssoOnly, 403], [both, 200]] as const) {
      const r = await call(key, 'GET', rec);
      assert.equal(r.statusCode, status, r.body);
      if (status === 403) assert.equal(r.json().code, 'ADMIN_API_KEY_SCOPE');
    }
    assert.equal((await call(globex, 'GET', '/api/v1/role-mappings?tenant=acme.com&product=crm')).statusCode, 403);
    assert.equal((await call(globex, 'PUT', '/api/v1/role-mappings', body)).statusCode, 403);
    assert.equal((await call(ssoOnly, 'POST', '/api/v1/role-mappings/preview', body)).statusCode, 200, 'a dry run is a read');
    assert.equal((await call(ssoOnly, 'PUT', '/api/v1/role-mappings', body)).statusCode, 403);
    assert.equal((await call(writer, 'PUT', '/api/v1/role-mappings', body)).statusCode, 200);
  });

  test('portal: a viewer reads reconciliation and mappings but cannot save', async () => {
    assert.equal((await s.viewer.req('GET', '/api/admin/reconciliation?tenant=acme.com&product=crm')).statusCode, 200);
    const m = await s.viewer.req('GET', '/api/admin/role-mappings?tenant=acme.com&product=crm');
    assert.equal(m.statusCode, 200, m.body);
    assert.deepEqual(m.json().data.mappings, body.mappings);
    assert.equal((await s.viewer.req('PUT', '/api/admin/role-mappings', { ...body, mappings: [] })).statusCode, 403);
    const csv = await s.owner.req('GET', '/api/admin/reconciliation?tenant=acme.com&product=crm&format=csv');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.equal((await s.owner.req('PUT', '/api/admin/role-mappings', { ...body, mappings: [] })).statusCode, 200);
  });
});
