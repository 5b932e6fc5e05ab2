/** Roles (viewers change nothing, only owners manage accounts and portal SSO) and every case of the lockout guard. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAdminGatehouse, login, type AdminClient, SETUP } from './support.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';

describe('admin roles', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient, admin: AdminClient, viewer: AdminClient;
  let viewerId: string;
  before(async () => {
    const s = await startAdminGatehouse({ env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } });
    gh = s.gh;
    await s.account('owner@example.com', 'owner');
    await s.account('admin@example.com', 'admin');
    viewerId = (await s.account('viewer@example.com', 'viewer')).id;
    [owner, admin, viewer] = await Promise.all(['owner', 'admin', 'viewer'].map((r) => login(gh, `${r}@example.com`)));
  });
  after(() => gh.close());

  const changes: [string, string, unknown?][] = [
    ['POST', '/api/admin/admins', { email: 'x@example.com', role: 'viewer' }],
    ['PATCH', '/api/admin/admins/adm_x', { role: 'admin' }],
    ['DELETE', '/api/admin/admins/adm_x'],
    ['PUT', '/api/admin/settings/portal-sso', { required: false }],
    ['PUT', '/api/admin/settings/branding', { productName: 'X' }],
    ['POST', '/api/admin/connections', { tenant: 't', product: 'p' }],
    ['PATCH', '/api/admin/connections/abc', { name: 'x' }],
    ['DELETE', '/api/admin/connections/abc'],
    ['POST', '/api/admin/products', { product: 'p' }],
    ['PATCH', '/api/admin/products/p', { name: 'x' }],
    ['DELETE', '/api/admin/products/p'],
    ['POST', '/api/admin/tenants', { tenant: 't' }],
    ['PATCH', '/api/admin/tenants/t', { name: 'x' }],
    ['DELETE', '/api/admin/tenants/t'],
    ['POST', '/api/admin/tenants/t/domains', { domain: 'example.org' }],
    ['POST', '/api/admin/tenants/t/domains/example.org/verify'],
    ['DELETE', '/api/admin/tenants/t/domains/example.org'],
    ['POST', '/api/admin/api-keys', { name: 'k', kind: 'scoped', scopes: { permissions: ['sso:read'] } }],
  ];
  test('a viewer gets 403 ADMIN_FORBIDDEN on every change, and can read', async () => {
    for (const [method, url, body] of changes) {
      const res = await viewer.req(method as 'POST', url, body);
      assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().code, 'ADMIN_FORBIDDEN', `${method} ${url}`);
    }
    for (const url of ['/api/admin/admins', '/api/admin/connections', '/api/admin/products', '/api/admin/tenants', '/api/admin/audit', '/api/admin/traces', '/api/admin/settings/branding']) {
      assert.equal((await viewer.req('GET', url)).statusCode, 200, url);
    }
  });

  test('an admin can change resources but not accounts or portal SSO', async () => {
    assert.equal((await admin.req('POST', '/api/admin/products', { product: 'crm' })).statusCode, 201);
    for (const [method, url, body] of [['POST', '/api/admin/admins', { email: 'y@example.com', role: 'viewer' }], ['PATCH', `/api/admin/admins/${viewerId}`, { role: 'admin' }], ['PUT', '/api/admin/settings/portal-sso', { required: false }]] as const) {
      const res = await admin.req(method, url, body);
      assert.equal(res.statusCode, 403, url);
      assert.equal(res.json().code, 'ADMIN_FORBIDDEN');
    }
  });

  test('an owner manages accounts; errors name the field; lists paginate', async () => {
    const bad = await owner.req('POST', '/api/admin/admins', { email: 'not-an-email', role: 'viewer' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'email');
    const badRole = await owner.req('POST', '/api/admin/admins', { email: 'z@example.com', role: 'god' });
    assert.equal(badRole.json().field, 'role');
    const made = await owner.req('POST', '/api/admin/admins', { email: 'New@Example.com', role: 'viewer' });
    assert.equal(made.statusCode, 201, made.body);
    assert.equal(made.json().data.email, 'new@example.com');
    assert.equal(made.json().data.sso, true, 'no password: an SSO-only account');
    assert.equal((await owner.req('POST', '/api/admin/admins', { email: 'new@example.com', role: 'viewer' })).statusCode, 409);
    const patched = await owner.req('PATCH', `/api/admin/admins/${made.json().data.id}`, { role: 'admin' });
    assert.equal(patched.json().data.role, 'admin');
    const page1 = (await owner.req('GET', '/api/admin/admins?limit=2')).json();
    assert.equal(page1.data.length, 2);
    assert.ok(page1.nextCursor);
    const page2 = (await owner.req('GET', `/api/admin/admins?limit=2&cursor=${page1.nextCursor}`)).json();
    assert.ok(page2.data.every((a: { email: string }) => !page1.data.some((b: { email: string }) => b.email === a.email)));
    assert.equal((await owner.req('GET', '/api/admin/admins?limit=500')).json().field, 'limit');
    assert.equal((await owner.req('GET', '/api/admin/admins?cursor=garbage')).json().field, 'cursor');
    assert.equal((await owner.req('DELETE', `/api/admin/admins/${made.json().data.id}`)).statusCode, 204);
  });
});

describe('lockout guard', () => {
  let gh: RunningGatehouse;
  let account: Awaited<ReturnType<typeof startAdminGatehouse>>['account'];
  before(async () => {
    ({ gh, account } = await startAdminGatehouse({ env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } }));
  });
  after(() => gh.close());

  test('the last owner with a password can be neither demoted nor removed, even by themselves; with a second one, it can', async () => {
    const o = await account('solo@example.com', 'owner');
    await account('sso-owner@example.com', 'owner', null); // an SSO-only owner does not count
    const me = await login(gh, 'solo@example.com');
    const demote = await me.req('PATCH', `/api/admin/admins/${o.id}`, { role: 'admin' });
    assert.equal(demote.statusCode, 409);
    assert.equal(demote.json().code, 'ADMIN_LOCKOUT_GUARD');
    assert.match(demote.json().detail, /last owner who can sign in without SSO/);
    const remove = await me.req('DELETE', `/api/admin/admins/${o.id}`);
    assert.equal(remove.statusCode, 409);
    assert.match(remove.json().detail, /cannot be removed/);
    assert.equal((await me.req('GET', '/api/admin/session')).json().user.role, 'owner', 'nothing changed');

    const second = await account('second@example.com', 'owner');
    assert.equal((await me.req('PATCH', `/api/admin/admins/${o.id}`, { role: 'admin' })).statusCode, 200);
    const two = await login(gh, 'second@example.com');
    assert.equal((await two.req('DELETE', `/api/admin/admins/${second.id}`)).statusCode, 409, 'now second is the last one');
  });

  test('two concurrent demotions of the last two local owners cannot both pass', async () => {
    const a = await account('race-a@example.com', 'owner');
    const b = await account('race-b@example.com', 'owner');
    const second = await gh.ctx.db.selectFrom('admin_users').select('id').where('email', '=', 'second@example.com').executeTakeFirstOrThrow();
    const me = await login(gh, 'second@example.com');
    assert.equal((await me.req('PATCH', `/api/admin/admins/${second.id}`, { role: 'admin' })).statusCode, 200);
    const owner = await login(gh, 'race-a@example.com');
    const results = await Promise.all([owner.req('PATCH', `/api/admin/admins/${a.id}`, { role: 'viewer' }), owner.req('PATCH', `/api/admin/admins/${b.id}`, { role: 'viewer' })]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
  });

  test('SSO cannot be made required while no owner can sign in with a password', async () => {
    const { createAdmin } = await import('../../src/admin/accounts.ts');
    await createAdmin(gh.ctx, SETUP, { email: 'keeper@example.com', role: 'owner', password: 'correct horse battery staple' });
    const me = await login(gh, 'keeper@example.com');
    // Remove every password of owners directly, leaving SSO-only owners.
    await gh.ctx.db.updateTable('admin_users').set({ password_hash: null }).where('role', '=', 'owner').execute();
    const res = await me.req('PUT', '/api/admin/settings/portal-sso', { required: true });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'ADMIN_LOCKOUT_GUARD');
    assert.equal(res.json().field, 'required');
    assert.match(res.json().detail, /break-glass/);
    await me.req('POST', '/api/admin/me/password', { password: 'a fresh break glass password' });
    const ok = await me.req('PUT', '/api/admin/settings/portal-sso', { required: true });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().required, true);
  });

  test('with SSO required, only owners may still sign in with a password', async () => {
    await account('plain-admin@example.com', 'admin');
    const res = await gh.app.inject({ method: 'POST', url: '/api/admin/login', payload: { email: 'plain-admin@example.com', password: 'correct horse battery staple' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'ADMIN_SSO_REQUIRED');
    await login(gh, 'keeper@example.com', 'a fresh break glass password');
  });
});
