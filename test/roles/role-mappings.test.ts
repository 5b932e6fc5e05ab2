/**
 * Issue 16 §4: group-to-role mapping. A product declares its roles; a tenant's groups (seen in SAML sign-ins and in
 * the directory) map to them; the dry run says who gets what, and saving then gives exactly that: in a verified
 * id_token (jose against /oauth/jwks), in userinfo, and in a signed webhook to a real HTTP receiver. Saving is
 * audited with one action through the API and a setup link, and a setup link sees and changes only its own tenant.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { API_KEY } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { APP_CALLBACK, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { createDirectory, scimClient, startReceiver, startWithDirectory, waitFor } from '../support/scim.ts';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';

const SECRET = 'whsec_roles_0123456789';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ROLES = [{ key: 'admin', name: 'Administrator' }, { key: 'editor', name: 'Editor' }, { key: 'viewer', name: 'Viewer' }];
const MAPPINGS = [{ group: 'engineering', role: 'editor' }, { group: 'Sales', role: 'viewer' }, { group: 'grp-ops', role: 'admin' }];

for (const dialect of testDialects().filter((d) => d !== 'mysql')) {
  describe(`group-to-role mapping on ${dialect}`, () => {
    let s: Awaited<ReturnType<typeof startWithDirectory>>;
    let rx: Awaited<ReturnType<typeof startReceiver>>;
    let d: Deliverer;
    let idp: TestIdp;
    let conn: { clientID: string; clientSecret: string };
    let ann = '';
    let acmeToken = '';
    before(async () => {
      rx = await startReceiver(SECRET);
      s = await startWithDirectory({ dialect, directory: { webhook_url: rx.url, webhook_secret: SECRET }, env: { DSYNC_DELIVERER_POLL_MS: '20' } });
      if (!s) return;
      d = startWebhookDeliverer(s.gh.ctx);
      idp = await createTestIdp();
      conn = await createSamlConnection(s.gh.app, idp);
    });
    after(async () => {
      await d?.stop();
      await s?.gh.close();
      await rx.close();
    });

    const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
      s!.gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
    const viaLink = (method: 'GET' | 'POST' | 'PUT', path: string, payload?: object) => s!.gh.app.inject({ method, url: `/api/setup/${acmeToken}${path}`, ...(payload ? { payload } : {}) });
    async function signIn(groups: string[]) {
      const q = { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: 'openid', nonce: 'n-1' };
      const { acs } = await samlRound(s!.gh, idp, q, { nameId: 'sam@acme.com', attributes: { email: 'sam@acme.com', groups, roles: ['idp-role'] } });
      assert.equal(acs.statusCode, 302, acs.body);
      const code = new URL(acs.headers.location as string).searchParams.get('code')!;
      const tok = await s!.gh.app.inject({
        method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK }).toString(),
      });
      assert.equal(tok.statusCode, 200, tok.body);
      const jwks = createLocalJWKSet((await s!.gh.app.inject({ url: '/oauth/jwks' })).json());
      const { payload } = await jwtVerify(tok.json().id_token, jwks, { issuer: s!.gh.ctx.config.EXTERNAL_URL, audience: conn.clientID });
      const info = await s!.gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${tok.json().access_token}` } });
      assert.equal(info.statusCode, 200, info.body);
      return { idToken: payload, userinfo: info.json() };
    }
    const delivered = async () => {
      const pending = async () => Number((await s!.gh.ctx.db.selectFrom('directory_events').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);
      await waitFor(async () => (await pending()) === 0);
    };

    test('the product declares roles; groups come from sign-ins and the directory', async (t) => {
      if (!s) return t.skip(`${dialect} is not available`);
      const p = await api('POST', '/api/v1/products', { product: 'crm', name: 'CRM', roles: [{ key: 'admin', name: 'Administrator' }, { key: 'editor', name: 'Editor' }, { key: 'viewer', name: 'Viewer' }] });
      assert.equal(p.statusCode, 201, p.body);
      assert.deepEqual(p.json().data.roles, ROLES);
      assert.equal((await api('PATCH', '/api/v1/products/crm', { roles: [{ key: 'bad key' }] })).statusCode, 400);

      ann = (await s.scim('POST', '/Users', { userName: 'ann@acme.com', emails: [{ value: 'ann@acme.com', primary: true }] })).body.id;
      await delivered();
      const created = rx.received.find((r) => r.event === 'user.created' && r.body.data.id === ann)!;
      assert.deepEqual(created.body.data.roles, [], 'a new user, in no group, holds none of the declared roles');
      assert.equal((await s.scim('POST', '/Groups', { displayName: 'Engineering', members: [{ value: ann }] })).status, 201);
      assert.equal((await s.scim('POST', '/Groups', { displayName: 'Operations', externalId: 'grp-ops' })).status, 201);
      const first = await signIn(['Engineering', 'Sales']);
      assert.deepEqual(first.idToken.roles, ['idp-role'], 'no mapping yet: only what the IdP sent');

      const res = await api('GET', '/api/v1/role-mappings?tenant=acme.com&product=crm');
      assert.equal(res.statusCode, 200, res.body);
      const m = res.json().data;
      assert.deepEqual(m.roles, ROLES);
      assert.deepEqual(m.mappings, []);
      assert.deepEqual(m.groups.map((g: any) => [g.name, g.sources.join('+')]), [['Engineering', 'directory+sso'], ['Operations', 'directory'], ['Sales', 'sso']]);
    });

    test('a mapping to a role the product does not declare is refused', async (t) => {
      if (!s) return t.skip(`${dialect} is not available`);
      const r = await api('PUT', '/api/v1/role-mappings', { tenant: 'acme.com', product: 'crm', mappings: [{ group: 'Sales', role: 'owner' }] });
      assert.equal(r.statusCode, 400, r.body);
      assert.match(r.body, /mappings\.0\.role/);
      const none = await api('POST', '/api/v1/role-mappings/preview', { tenant: 'acme.com', product: 'crm', mappings: [{ group: '', role: 'admin' }] });
      assert.equal(none.statusCode, 400, none.body);
    });

    test('the dry run equals what saving produces: id_token, userinfo and webhook', async (t) => {
      if (!s) return t.skip(`${dialect} is not available`);
      // Ann also joins Operations (by its externalId in the mapping).
      const ops = (await s.scim('GET', '/Groups?filter=displayName%20eq%20%22Operations%22')).body.Resources[0].id;
      assert.equal((await s.scim('PATCH', `/Groups/${ops}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: ann }] }] })).status < 300, true);
      await delivered();

      const pre = await api('POST', '/api/v1/role-mappings/preview', { tenant: 'acme.com', product: 'crm', mappings: MAPPINGS });
      assert.equal(pre.statusCode, 200, pre.body);
      const p = pre.json().data;
      const annRow = p.users.find((u: any) => u.source === 'directory' && u.user === 'ann@acme.com');
      const samRow = p.users.find((u: any) => u.source === 'sign-in' && u.user === 'sam@acme.com');
      assert.deepEqual(annRow.roles, ['admin', 'editor']);
      assert.deepEqual(annRow.currentRoles, []);
      assert.deepEqual(samRow.roles, ['editor', 'viewer']);
      assert.deepEqual(p.counts, { admin: 1, editor: 2, viewer: 1 });
      assert.equal(p.changed, 2);
      assert.deepEqual((await api('GET', '/api/v1/role-mappings?tenant=acme.com&product=crm')).json().data.mappings, [], 'a dry run saves nothing');

      const saved = await api('PUT', '/api/v1/role-mappings', { tenant: 'acme.com', product: 'crm', mappings: MAPPINGS });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.deepEqual(saved.json().data.mappings, MAPPINGS);

      const { idToken, userinfo } = await signIn(['Engineering', 'Sales']);
      assert.deepEqual(idToken.roles, ['idp-role', ...samRow.roles], 'IdP roles first, then exactly the previewed ones');
      assert.deepEqual(userinfo.roles, idToken.roles);

      const before = rx.received.length;
      assert.ok((await s.scim('PATCH', `/Users/${ann}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Ann L.' }] })).status < 300);
      await delivered();
      const ev = rx.received.slice(before).find((r) => r.event === 'user.updated')!;
      assert.ok(ev.signatureOk);
      assert.deepEqual(ev.body.data.roles, annRow.roles, 'the webhook carries the previewed roles');

      // A membership change carries the roles after it.
      const eng = (await s.scim('GET', '/Groups?filter=displayName%20eq%20%22Engineering%22')).body.Resources[0].id;
      const b2 = rx.received.length;
      assert.ok((await s.scim('PATCH', `/Groups/${eng}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${ann}"]` }] })).status < 300);
      await delivered();
      const removed = rx.received.slice(b2).find((r) => r.event === 'group.user_removed')!;
      assert.deepEqual(removed.body.data.roles, ['admin']);

      const audit = await s.gh.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'role_mappings.updated').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_type, 'api_key');
      assert.equal(audit[0]!.tenant, 'acme.com');
      assert.deepEqual(JSON.parse(audit[0]!.summary).after.mappings, MAPPINGS);
    });

    test('through a setup link the IT admin sees and maps only their own tenant', async (t) => {
      if (!s) return t.skip(`${dialect} is not available`);
      const globex = await createDirectory(s.gh, { tenant: 'globex.com', name: 'Globex' });
      assert.equal((await scimClient(s.gh, globex)('POST', '/Groups', { displayName: 'Globex Secret Admins' })).status, 201);
      const link = await api('POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] });
      acmeToken = link.json().data.url.split('/setup/')[1];

      const seen = await viaLink('GET', '/role-mappings?tenant=globex.com&product=crm');
      assert.equal(seen.statusCode, 200, seen.body);
      const v = seen.json().data;
      assert.equal(v.tenant, 'acme.com');
      assert.ok(!JSON.stringify(v).includes('Globex'), 'no other tenant’s group');
      assert.deepEqual(v.groups.map((g: any) => g.name), ['Engineering', 'Operations', 'Sales']);

      const mine = [{ group: 'Sales', role: 'editor' }];
      const pre = await viaLink('POST', '/role-mappings/preview', { tenant: 'globex.com', mappings: mine });
      assert.equal(pre.statusCode, 200, pre.body);
      assert.ok(pre.json().data.users.every((u: any) => !/globex/i.test(JSON.stringify(u))));
      const put = await viaLink('PUT', '/role-mappings', { tenant: 'globex.com', product: 'crm', mappings: mine });
      assert.equal(put.statusCode, 200, put.body);
      assert.deepEqual((await api('GET', '/api/v1/role-mappings?tenant=acme.com&product=crm')).json().data.mappings, mine, 'saved for the link’s tenant');
      assert.deepEqual((await api('GET', '/api/v1/role-mappings?tenant=globex.com&product=crm')).json().data.mappings, [], 'the tenant named in the body was ignored');
      const audit = await s.gh.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'role_mappings.updated').where('actor_type', '=', 'setup_link').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.tenant, 'acme.com');
    });
  });
}
