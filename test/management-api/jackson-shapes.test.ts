/**
 * The management API answers as Jackson does, in both modes (issue 13, "Compatible in both modes"): the
 * request and response shapes BoxyHQ's own clients (saas-starter-kit's API client, Jackson's API docs) send
 * and read. Each test is written from the client's side: what it sends, what it reads back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { APP_CALLBACK, IDP_SSO_URL } from '../support/saml-flow.ts';

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
});
