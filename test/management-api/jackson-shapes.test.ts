/**
 * The management API answers as Jackson does, in both modes (issue 13, "Compatible in both modes"): the
 * request and response shapes BoxyHQ's own clients (saas-starter-kit's API client, Jackson's API docs) send
 * and read. Each test is written from the client's side: what it sends, what it reads back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { APP_CALLBACK, IDP_SSO_URL, locationParams, samlRound } from '../support/saml-flow.ts';
import { createDirectory, scimClient, startReceiver } from '../support/scim.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

describe('management API: Jackson shapes in both modes', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  before(async () => {
    gh = (await startGatehouse())!;
    idp = await createTestIdp({ entityId: 'https://acme.okta.com/exk1' });
  });
  after(() => gh.close());

  const call = (method: Method, url: string, opts: { scheme?: string; payload?: unknown; headers?: Record<string, string> } = {}) =>
    gh.app.inject({
      method, url,
      headers: { authorization: `${opts.scheme ?? 'Api-Key'} ${API_KEY}`, ...(opts.headers ?? {}) },
      ...(opts.payload !== undefined ? { payload: opts.payload as object } : {}),
    });
  const api = (method: Method, url: string, payload?: unknown) => call(method, url, { payload });
  const saml = (over: Record<string, unknown> = {}) => ({ tenant: 'acme.com', product: 'crm', name: 'Acme', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }), ...over });

  test('any scheme before the key is accepted (saas-starter-kit sends Bearer); a wrong key is still 401', async () => {
    for (const scheme of ['Api-Key', 'Bearer', 'bearer', 'Token']) {
      assert.equal((await call('GET', '/api/v1/dsync/product?product=crm', { scheme })).statusCode, 200, scheme);
    }
    assert.equal((await gh.app.inject({ url: '/api/v1/dsync/product?product=crm', headers: { authorization: 'Bearer not-the-key' } })).statusCode, 401);
    assert.equal((await gh.app.inject({ url: '/api/v1/dsync/product?product=crm', headers: { authorization: API_KEY } })).statusCode, 401, 'a bare key without a scheme');
  });

  test('a DELETE with Content-Type: application/json and an empty body is accepted', async () => {
    const dir = (await api('POST', '/api/v1/dsync', { tenant: 'bodyless.com', product: 'crm', name: 'D', type: 'generic-scim-v2' })).json().data;
    const res = await call('DELETE', `/api/v1/dsync/${dir.id}`, { headers: { 'content-type': 'application/json' }, payload: '' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { data: {} });
    // A body that is not JSON is still refused.
    assert.equal((await call('PATCH', '/api/v1/sso', { headers: { 'content-type': 'application/json' }, payload: '{"clientID":' })).statusCode, 400);
  });

  test('POST /api/v1/sso answers 200, PATCH 204 with no body, DELETE 204', async () => {
    const created = await api('POST', '/api/v1/sso', saml());
    assert.equal(created.statusCode, 200, created.body);
    const { clientID, clientSecret } = created.json();
    const patched = await api('PATCH', '/api/v1/sso', { clientID, clientSecret, name: 'Renamed' });
    assert.equal(patched.statusCode, 204, patched.body);
    assert.equal(patched.body, '');
    assert.equal((await api('GET', `/api/v1/sso?clientID=${clientID}`)).json()[0].name, 'Renamed');
    assert.equal((await api('DELETE', `/api/v1/sso?clientID=${clientID}&clientSecret=${encodeURIComponent(clientSecret)}`)).statusCode, 204);
  });

  test('idpMetadata carries provider, friendlyProviderName and slo', async () => {
    const xml = idp.metadataXml({ ssoUrl: IDP_SSO_URL }).replace(
      /(<(?:md:)?SingleSignOnService)/,
      '<md:SingleLogoutService xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://acme.okta.com/slo"/>$1',
    );
    const c = (await api('POST', '/api/v1/sso', saml({ tenant: 'slo.com', rawMetadata: xml }))).json();
    assert.equal(c.idpMetadata.provider, 'acme.okta.com');
    assert.equal(c.idpMetadata.friendlyProviderName, 'Okta');
    assert.deepEqual(c.idpMetadata.slo, { redirectUrl: 'https://acme.okta.com/slo' });
    const other = await createTestIdp({ entityId: 'urn:example:idp' });
    const plain = (await api('POST', '/api/v1/sso', saml({ tenant: 'urn.com', rawMetadata: other.metadataXml({ ssoUrl: IDP_SSO_URL }) }))).json();
    assert.equal(plain.idpMetadata.provider, new URL(IDP_SSO_URL).hostname, 'a URN entity ID: the SSO URL host');
    assert.equal(plain.idpMetadata.friendlyProviderName, null);
    assert.deepEqual(plain.idpMetadata.slo, {});
  });

  test('lists come newest first: connections and directories', async () => {
    const first = await createTestIdp({ entityId: 'https://first.example/idp' });
    const second = await createTestIdp({ entityId: 'https://second.example/idp' });
    const a = (await api('POST', '/api/v1/sso', saml({ tenant: 'order.com', rawMetadata: first.metadataXml({ ssoUrl: IDP_SSO_URL }) }))).json();
    await new Promise((r) => setTimeout(r, 5));
    const b = (await api('POST', '/api/v1/sso', saml({ tenant: 'order.com', rawMetadata: second.metadataXml({ ssoUrl: IDP_SSO_URL }) }))).json();
    assert.deepEqual((await api('GET', '/api/v1/sso?tenant=order.com&product=crm')).json().map((c: { clientID: string }) => c.clientID), [b.clientID, a.clientID]);

    const d1 = (await api('POST', '/api/v1/dsync', { tenant: 'order.com', product: 'crm', name: 'one', type: 'generic-scim-v2' })).json().data;
    await new Promise((r) => setTimeout(r, 5));
    const d2 = (await api('POST', '/api/v1/dsync', { tenant: 'order.com', product: 'crm', name: 'two', type: 'generic-scim-v2' })).json().data;
    assert.deepEqual((await api('GET', '/api/v1/dsync?tenant=order.com&product=crm')).json().data.map((d: { id: string }) => d.id), [d2.id, d1.id]);
  });

  test('a directory without a webhook reads webhook.endpoint "" (not null); deletes answer 200 {data: {}}', async () => {
    const created = await api('POST', '/api/v1/dsync', { tenant: 'nohook.com', product: 'crm', name: 'No hook', type: 'generic-scim-v2' });
    assert.equal(created.statusCode, 201, 'PRODUCT.md keeps 201 on create');
    const dir = created.json().data;
    assert.equal(dir.webhook.endpoint, '');
    assert.equal((await api('GET', `/api/v1/dsync/${dir.id}`)).json().data.webhook.endpoint, '');
    const del = await api('DELETE', `/api/v1/dsync/${dir.id}`);
    assert.deepEqual([del.statusCode, del.json()], [200, { data: {} }]);

    const made = await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'nohook.com', product: 'crm' });
    assert.ok(made.statusCode < 300, made.body);
    const link = made.json().data;
    const gone = await api('DELETE', `/api/v1/dsync/setuplinks?id=${link.setupID}`);
    assert.deepEqual([gone.statusCode, gone.json()], [200, { data: {} }]);
  });

  test('GET /api/v1/sso/exists and the legacy /api/v1/saml/config/exists: 204 when a connection matches, 404 {} when none', async () => {
    await api('POST', '/api/v1/sso', saml({ tenant: 'exists.com' }));
    for (const path of ['/api/v1/sso/exists', '/api/v1/saml/config/exists']) {
      assert.equal((await api('GET', `${path}?tenant=exists.com&product=crm`)).statusCode, 204, path);
      const none = await api('GET', `${path}?tenant=nobody.com&product=crm`);
      assert.deepEqual([none.statusCode, none.json()], [404, {}], path);
    }
  });

  test('the legacy /api/v1/saml/config: POST 200 with the connection, GET one connection or {}, PATCH 204, DELETE 204', async () => {
    const created = await api('POST', '/api/v1/saml/config', saml({ tenant: 'legacy.com' }));
    assert.equal(created.statusCode, 200, created.body);
    const { clientID, clientSecret } = created.json();
    const read = (await api('GET', '/api/v1/saml/config?tenant=legacy.com&product=crm')).json();
    assert.equal(read.clientID, clientID);
    assert.deepEqual((await api('GET', '/api/v1/saml/config?tenant=nobody.com&product=crm')).json(), {});
    assert.equal((await api('PATCH', '/api/v1/saml/config', { clientID, clientSecret, name: 'Legacy' })).statusCode, 204);
    assert.equal((await api('GET', `/api/v1/saml/config?clientID=${clientID}`)).json().name, 'Legacy');
    assert.equal((await api('DELETE', `/api/v1/saml/config?clientID=${clientID}&clientSecret=${encodeURIComponent(clientSecret)}`)).statusCode, 204);
  });

  test('GET /api/v1/sso/product lists a product\'s connections across tenants, newest first, with pageOffset/pageLimit', async () => {
    const ids: string[] = [];
    for (const tenant of ['p1.com', 'p2.com', 'p3.com']) {
      ids.unshift((await api('POST', '/api/v1/sso', saml({ tenant, product: 'paged' }))).json().clientID);
      await new Promise((r) => setTimeout(r, 5));
    }
    const all = await api('GET', '/api/v1/sso/product?product=paged');
    assert.equal(all.statusCode, 200, all.body);
    assert.deepEqual(all.json().map((c: { clientID: string }) => c.clientID), ids);
    const page = (await api('GET', '/api/v1/sso/product?product=paged&pageOffset=1&pageLimit=1')).json();
    assert.deepEqual(page.map((c: { clientID: string }) => c.clientID), [ids[1]]);
    assert.equal((await api('GET', '/api/v1/sso/product?product=paged&pageOffset=-1')).json().field, 'pageOffset');
  });

  test('/api/v1/sso-traces: by id, by product (paged, newest first), count, and DELETE by product', async () => {
    const now = Date.now();
    const trace = (id: string, at: number, product: string) => ({ id, at, kind: 'saml' as const, connection_id: null, tenant: 'acme.com', product, code: 'SAML_AUDIENCE_MISMATCH' as const, message: 'The audience is not ours.', detail: null, saml_response: null });
    for (const [id, at, product] of [['t1', now - 3000, 'traced'], ['t2', now - 2000, 'traced'], ['t3', now - 1000, 'traced'], ['o1', now, 'other']] as const) {
      await gh.ctx.db.insertInto('sso_traces').values(trace(id, at, product)).execute();
    }
    const one = await api('GET', '/api/v1/sso-traces?id=t2');
    assert.equal(one.statusCode, 200, one.body);
    assert.equal(one.json().data.traceId, 't2');
    assert.equal(one.json().data.context.product, 'traced');
    assert.equal((await api('GET', '/api/v1/sso-traces?id=nope')).statusCode, 404);
    const listed = (await api('GET', '/api/v1/sso-traces/product?product=traced')).json();
    assert.deepEqual(listed.data.map((t: { traceId: string }) => t.traceId), ['t3', 't2', 't1']);
    assert.deepEqual((await api('GET', '/api/v1/sso-traces/product?product=traced&pageOffset=1&pageLimit=1')).json().data.map((t: { traceId: string }) => t.traceId), ['t2']);
    assert.deepEqual((await api('GET', '/api/v1/sso-traces/product/count?product=traced')).json(), { count: 3 });
    assert.equal((await api('DELETE', '/api/v1/sso-traces/product?product=traced')).statusCode, 204);
    assert.deepEqual((await api('GET', '/api/v1/sso-traces/product/count?product=traced')).json(), { count: 0 });
    assert.deepEqual((await api('GET', '/api/v1/sso-traces/product/count?product=other')).json(), { count: 1 }, 'other products keep theirs');
  });

  test('directory users, groups and events page with pageOffset/pageLimit as well as the cursor; DELETE /api/v1/dsync/events clears delivered events', async () => {
    const rx = await startReceiver('whsec_0123456789abcdef');
    try {
      const dir = await createDirectory(gh, { tenant: 'paging.com', webhook_url: rx.url, webhook_secret: 'whsec_0123456789abcdef' });
      const scim = scimClient(gh, dir);
      for (const n of [1, 2, 3]) {
        assert.equal((await scim('POST', '/Users', { userName: `u${n}@paging.com`, emails: [{ value: `u${n}@paging.com`, primary: true }] })).status, 201);
        assert.equal((await scim('POST', '/Groups', { displayName: `g${n}` })).status, 201);
      }
      const all = (await api('GET', `/api/v1/dsync/users?directoryId=${dir.id}`)).json().data;
      assert.equal(all.length, 3);
      const users = (await api('GET', `/api/v1/dsync/users?directoryId=${dir.id}&pageOffset=1&pageLimit=1`)).json().data;
      assert.deepEqual(users.map((u: { id: string }) => u.id), [all[1].id]);
      const groups = (await api('GET', `/api/v1/dsync/groups?directoryId=${dir.id}&pageOffset=2&pageLimit=5`)).json().data;
      assert.equal(groups.length, 1);
      assert.equal((await api('GET', `/api/v1/dsync/users?directoryId=${dir.id}&pageOffset=x`)).json().field, 'pageOffset');

      // No deliverer runs here: the six events stay pending until the test settles four of them.
      const list = async () => (await api('GET', `/api/v1/dsync/events?directoryId=${dir.id}`)).json().data as { id: string; status: string }[];
      const events = await list();
      assert.equal(events.length, 6);
      await gh.ctx.db.updateTable('directory_events').set({ status: 'delivered', delivered_at: Date.now() }).where('id', 'in', events.slice(2).map((e) => e.id)).execute();
      const second = (await api('GET', `/api/v1/dsync/events?directoryId=${dir.id}&pageOffset=1&pageLimit=2`)).json().data;
      assert.deepEqual(second.map((e: { id: string }) => e.id), events.slice(1, 3).map((e: { id: string }) => e.id));

      const cleared = await call('DELETE', `/api/v1/dsync/events?directoryId=${dir.id}`, { headers: { 'content-type': 'application/json' }, payload: '' });
      assert.deepEqual([cleared.statusCode, cleared.json()], [200, { data: null }]);
      assert.deepEqual((await list()).map((e) => e.id), events.slice(0, 2).map((e) => e.id), 'pending events are the outbox: they stay');
      assert.equal((await api('DELETE', '/api/v1/dsync/events')).json().field, 'directoryId');
    } finally {
      await rx.close();
    }
  });

  test('/api/oauth/jwks and /api/well-known/* answer as their /.well-known and /oauth twins', async () => {
    for (const [alias, original] of [['/api/oauth/jwks', '/oauth/jwks'], ['/api/well-known/openid-configuration', '/.well-known/openid-configuration'], ['/api/well-known/sp-metadata', '/.well-known/sp-metadata'], ['/api/well-known/saml.cer', '/.well-known/saml.cer']]) {
      const [a, o] = [await gh.app.inject({ url: alias }), await gh.app.inject({ url: original })];
      assert.equal(a.statusCode, 200, alias);
      assert.equal(a.body, o.body, alias);
    }
  });

  test('label, identifierFormat, acsUrlOverride and samlAudienceOverride are stored, returned and honoured at sign-in', async () => {
    const fields = { label: 'Okta (EU)', identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', acsUrlOverride: 'https://sso.vendor.example/api/oauth/saml', samlAudienceOverride: 'https://saml.vendor.example' };
    const made = await api('POST', '/api/v1/sso', saml({ tenant: 'override.com', ...fields }));
    assert.equal(made.statusCode, 200, made.body);
    const c = made.json();
    assert.deepEqual([c.label, c.identifierFormat, c.acsUrlOverride, c.samlAudienceOverride], Object.values(fields));

    const query = { response_type: 'code', client_id: c.clientID, redirect_uri: APP_CALLBACK, state: 'st' };
    const ok = await samlRound(gh, idp, query, { spEntityId: fields.samlAudienceOverride, acsUrl: fields.acsUrlOverride });
    const authn = ok.start.authnRequestXml!;
    assert.match(authn, new RegExp(`AssertionConsumerServiceURL="${fields.acsUrlOverride}"`));
    assert.match(authn, new RegExp(`<saml:Issuer[^>]*>${fields.samlAudienceOverride}</saml:Issuer>`));
    assert.match(authn, new RegExp(`NameIDPolicy Format="${fields.identifierFormat}"`));
    assert.equal(ok.acs.statusCode, 302, ok.acs.body);
    assert.ok(locationParams(ok.acs).get('code'), 'a response addressed to the overrides signs in');

    const global = await samlRound(gh, idp, query);
    assert.equal(locationParams(global.acs).get('code'), null, 'a response addressed to the global Audience and ACS is refused for this connection');

    // "" clears an override; PATCH keeps the fields it does not name.
    assert.equal((await api('PATCH', '/api/v1/sso', { clientID: c.clientID, clientSecret: c.clientSecret, acsUrlOverride: '' })).statusCode, 204);
    const after = (await api('GET', `/api/v1/sso?clientID=${c.clientID}`)).json()[0];
    assert.deepEqual([after.label, after.acsUrlOverride, after.samlAudienceOverride], [fields.label, null, fields.samlAudienceOverride]);
    assert.equal((await api('POST', '/api/v1/sso', saml({ tenant: 'bad-override.com', acsUrlOverride: '/relative' }))).json().field, 'acsUrlOverride');
  });

  test('a setup link cannot set acsUrlOverride or samlAudienceOverride (they say where assertions go)', async () => {
    const made = await api('POST', '/api/v1/sso/setuplinks', { tenant: 'linked.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK });
    const token = made.json().data.url.split('/setup/')[1];
    const link = (payload: object) => gh.app.inject({ method: 'POST', url: `/api/setup/${token}/sso-connection`, payload });
    for (const field of ['acsUrlOverride', 'samlAudienceOverride']) {
      const r = await link({ rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }), [field]: 'https://elsewhere.example/acs' });
      assert.deepEqual([r.statusCode, r.json().code, r.json().field], [403, 'SETUP_LINK_VENDOR_ONLY', field], r.body);
    }
    const ok = await link({ rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }), label: 'From the link', acsUrlOverride: '' });
    assert.equal(ok.statusCode, 201, ok.body);
  });
});
