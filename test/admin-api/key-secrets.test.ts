/**
 * Issue 11, finding 5: an API key never has more power than its owner's role, at creation and at every use, and a
 * connection's clientSecret appears in management-API answers only for admins' keys, keys with `sso:secrets`, or
 * the bootstrap API_KEYS. Everything through HTTP: keys minted in the admin API, used on /api/v1/sso.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAdminGatehouse, login, type AdminClient } from './support.ts';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL } from '../support/saml-flow.ts';

describe('API keys and connection secrets', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  let owner: AdminClient, admin: AdminClient, viewer: AdminClient;
  let adminId: string;
  let clientID: string, clientSecret: string;
  before(async () => {
    const s = await startAdminGatehouse({ env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } });
    gh = s.gh;
    await s.account('owner@example.com', 'owner');
    adminId = (await s.account('admin@example.com', 'admin')).id;
    await s.account('viewer@example.com', 'viewer');
    [owner, admin, viewer] = [await login(gh, 'owner@example.com'), await login(gh, 'admin@example.com'), await login(gh, 'viewer@example.com')];
    idp = await createTestIdp();
    const r = await api(API_KEY, 'POST', '/api/v1/sso', connectionBody());
    assert.equal(r.statusCode, 200, r.body);
    ({ clientID, clientSecret } = r.json());
    assert.ok(clientSecret, 'the bootstrap key sees the secret it created');
  });
  after(() => gh.close());

  const connectionBody = () => ({ tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) });
  const api = (key: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    gh.app.inject({ method, url, headers: { authorization: `Api-Key ${key}` }, ...(payload ? { payload } : {}) });
  const mint = async (client: AdminClient, body: object) => {
    const r = await client.req('POST', '/api/admin/api-keys', body);
    assert.equal(r.statusCode, 201, r.body);
    return r.json().data.key as string;
  };
  /** What the key sees of the connection, by list and by clientID; both must agree. */
  const read = async (key: string) => {
    const list = await api(key, 'GET', '/api/v1/sso?tenant=acme.com&product=crm');
    const one = await api(key, 'GET', `/api/v1/sso?clientID=${clientID}`);
    assert.equal(list.statusCode, 200, list.body);
    assert.equal(one.statusCode, 200, one.body);
    const [a, b] = [list.json()[0], one.json()[0]];
    assert.equal(a.clientID, clientID, 'the rest of Jackson\'s shape is there');
    assert.equal(a.clientSecret, b.clientSecret);
    return a as { clientID: string; clientSecret?: string; idpMetadata: { entityID: string } };
  };

  test('a viewer cannot mint a key above viewer', async () => {
    for (const permissions of [['sso:read'], ['sso:secrets'], ['sso:read', 'sso:secrets'], ['sso:write']]) {
      const r = await viewer.req('POST', '/api/admin/api-keys', { name: 'x', kind: 'scoped', scopes: { permissions } });
      assert.equal(r.statusCode, 403, `${permissions}: ${r.body}`);
    }
    const r = await viewer.req('POST', '/api/admin/api-keys', { name: 'x', kind: 'personal', scopes: { permissions: ['sso:secrets'] } });
    assert.equal(r.statusCode, 400, 'a personal key takes no scopes');
    const listed = (await viewer.req('GET', '/api/admin/api-keys')).json().data;
    assert.equal(listed.length, 0, 'nothing was minted');
  });

  test('a viewer\'s personal key reads connections without clientSecret, and cannot write', async () => {
    const key = await mint(viewer, { name: 'viewer', kind: 'personal' });
    const c = await read(key);
    assert.equal(c.clientSecret, undefined);
    assert.ok(c.idpMetadata.entityID);
    const raw = (await api(key, 'GET', '/api/v1/sso?tenant=acme.com&product=crm')).body;
    assert.ok(!raw.includes(clientSecret), 'the secret is nowhere in the answer');
    assert.equal((await api(key, 'POST', '/api/v1/sso', connectionBody())).statusCode, 403);
  });

  test('an admin-created key with sso:read but not sso:secrets gets no secret; with sso:secrets it does', async () => {
    const plain = await mint(admin, { name: 'read', kind: 'scoped', scopes: { permissions: ['sso:read'] } });
    assert.equal((await read(plain)).clientSecret, undefined);
    const writer = await mint(admin, { name: 'write', kind: 'scoped', scopes: { permissions: ['sso:read', 'sso:write'] } });
    const reposted = await api(writer, 'POST', '/api/v1/sso', connectionBody());
    assert.equal(reposted.statusCode, 200, reposted.body);
    assert.equal(reposted.json().clientID, clientID);
    assert.equal(reposted.json().clientSecret, undefined, 'posting the same IdP again does not reveal the existing secret');
    const patched = await api(writer, 'PATCH', '/api/v1/sso', { clientID, name: 'Acme' });
    assert.equal(patched.statusCode, 204, patched.body); // Jackson's 204 (was 200 with the connection before issue 13)
    assert.equal(patched.body, '', 'no body, so no secret');

    const secrets = await mint(admin, { name: 'secrets', kind: 'scoped', scopes: { permissions: ['sso:read', 'sso:secrets'] } });
    assert.equal((await read(secrets)).clientSecret, clientSecret);
    const personal = await mint(admin, { name: 'admin personal', kind: 'personal' });
    assert.equal((await read(personal)).clientSecret, clientSecret, 'an admin\'s personal key has sso:secrets by role');
    assert.equal((await read(API_KEY)).clientSecret, clientSecret, 'the bootstrap keys keep full power');
  });

  test('a key whose owner was demoted loses power at once; removed, it stops working', async () => {
    const personal = await mint(admin, { name: 'before demotion', kind: 'personal' });
    const scoped = await mint(admin, { name: 'scoped before demotion', kind: 'scoped', scopes: { permissions: ['sso:read', 'sso:write', 'sso:secrets'] } });
    assert.equal((await read(personal)).clientSecret, clientSecret);
    assert.equal((await read(scoped)).clientSecret, clientSecret);

    const demoted = await owner.req('PATCH', `/api/admin/admins/${adminId}`, { role: 'viewer' });
    assert.equal(demoted.statusCode, 200, demoted.body);
    for (const key of [personal, scoped]) {
      assert.equal((await read(key)).clientSecret, undefined);
      const w = await api(key, 'PATCH', '/api/v1/sso', { clientID, name: 'after demotion' });
      assert.equal(w.statusCode, 403, w.body);
      assert.equal(w.json().code, 'ADMIN_API_KEY_SCOPE');
    }
    assert.equal((await owner.req('PATCH', `/api/admin/admins/${adminId}`, { role: 'admin' })).statusCode, 200);
    assert.equal((await read(scoped)).clientSecret, clientSecret, 'the stored scopes come back with the role, never beyond it');

    assert.equal((await owner.req('DELETE', `/api/admin/admins/${adminId}`)).statusCode, 204);
    for (const key of [personal, scoped]) assert.equal((await api(key, 'GET', `/api/v1/sso?clientID=${clientID}`)).statusCode, 401);
  });
});
