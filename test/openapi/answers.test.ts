/**
 * Issue 17 §1: the answers real calls receive validate against the response schemas of the OpenAPI document the
 * server serves (JSON Schema 2020-12, ajv). A representative round: products, tenants, domains, connections,
 * directories, setup links (management API and link API), a SAML sign-in's token and userinfo, SCIM users and the
 * pull API, and each surface's error shape. The views are closed where the answer is fixed (a field added to a
 * product without the document would fail here).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { createDirectory, scimClient } from '../support/scim.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const DOC_ID = 'https://gatehouse.test/openapi.json';
/** JSON Pointer escaping (RFC 6901). */
const ptr = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

describe('real answers validate against the OpenAPI document', () => {
  let gh: RunningGatehouse;
  let doc: any;
  let ajv: Ajv2020;
  let idp: TestIdp;
  before(async () => {
    gh = (await startGatehouse())!;
    idp = await createTestIdp();
    doc = (await gh.app.inject({ url: '/api/openapi.json' })).json();
    ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    ajv.addSchema({ ...doc, $id: DOC_ID });
  });
  after(() => gh.close());

  /** The schema the document gives `method path` for `status` (following a shared error response), as an ajv validator. */
  function validatorFor(method: string, path: string, status: number) {
    const op = doc.paths[path]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${path} is in the document`);
    let response = op.responses[String(status)];
    assert.ok(response, `${method} ${path} documents ${status}`);
    let base = `#/paths/${ptr(path)}/${method.toLowerCase()}/responses/${status}`;
    if (response.$ref) {
      base = response.$ref;
      response = doc.components.responses[response.$ref.split('/').pop()];
    }
    const [type] = Object.keys(response.content ?? {});
    assert.ok(type, `${method} ${path} ${status} has a body`);
    return { type, validate: ajv.compile({ $ref: `${DOC_ID}${base}/content/${ptr(type)}/schema` }) };
  }

  const checked: string[] = [];
  /** Asserts the answer has the documented status, content type and body shape; returns the body. */
  function conforms(res: LightMyRequestResponse, method: string, path: string, status: number): any {
    assert.equal(res.statusCode, status, `${method} ${path}: ${res.body}`);
    const { type, validate } = validatorFor(method, path, status);
    assert.equal(String(res.headers['content-type']).split(';')[0], type, `${method} ${path} content type`);
    const body = res.json();
    assert.ok(validate(body), `${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 600)}`);
    checked.push(`${method} ${path} ${status}`);
    return body;
  }
  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });

  test('products, tenants and domains', async () => {
    conforms(await api('POST', '/api/v1/products', { product: 'crm', name: 'CRM', defaultRedirectUrl: APP_CALLBACK, roles: [{ key: 'admin', name: 'Admin' }] }), 'POST', '/api/v1/products', 201);
    conforms(await api('GET', '/api/v1/products'), 'GET', '/api/v1/products', 200);
    conforms(await api('GET', '/api/v1/products/crm'), 'GET', '/api/v1/products/{product}', 200);
    conforms(await api('PATCH', '/api/v1/products/crm', { name: 'CRM 2' }), 'PATCH', '/api/v1/products/{product}', 200);
    conforms(await api('POST', '/api/v1/tenants', { tenant: 'acme.com', name: 'Acme' }), 'POST', '/api/v1/tenants', 201);
    conforms(await api('GET', '/api/v1/tenants'), 'GET', '/api/v1/tenants', 200);
    conforms(await api('GET', '/api/v1/tenants/acme.com'), 'GET', '/api/v1/tenants/{tenant}', 200);
    conforms(await api('POST', '/api/v1/tenants/acme.com/domains', { domain: 'acme.com' }), 'POST', '/api/v1/tenants/{tenant}/domains', 201);
    conforms(await api('GET', '/api/v1/tenants/acme.com/domains'), 'GET', '/api/v1/tenants/{tenant}/domains', 200);
    const bad = conforms(await api('POST', '/api/v1/products', { name: 'no id' }), 'POST', '/api/v1/products', 400);
    assert.equal(bad.field, 'product');
    conforms(await api('GET', '/api/v1/tenants/nope'), 'GET', '/api/v1/tenants/{tenant}', 404);
    conforms(await gh.app.inject({ url: '/api/v1/products' }), 'GET', '/api/v1/products', 401);
  });

  test('connections, login links, a sign-in\'s token and userinfo, and OAuth errors', async () => {
    const conn = await createSamlConnection(gh.app, idp);
    const created = await api('POST', '/api/v1/sso', { tenant: 'acme.com', product: 'crm', name: 'Second', defaultRedirectUrl: APP_CALLBACK, redirectUrl: JSON.stringify([APP_CALLBACK]), rawMetadata: idp.metadataXml({ ssoUrl: 'https://idp.example.test/sso' }) });
    conforms(created, 'POST', '/api/v1/sso', 200);
    const list = conforms(await api('GET', '/api/v1/sso?tenant=acme.com&product=crm'), 'GET', '/api/v1/sso', 200);
    assert.ok(list.some((c: any) => c.clientID === conn.clientID));
    conforms(await api('GET', `/api/v1/sso?clientID=${conn.clientID}`), 'GET', '/api/v1/sso', 200);
    conforms(await api('GET', '/api/v1/sso/product?product=crm'), 'GET', '/api/v1/sso/product', 200);
    conforms(await api('GET', '/api/v1/saml/config?tenant=acme.com&product=crm'), 'GET', '/api/v1/saml/config', 200);
    conforms(await api('GET', '/api/v1/sso/links?tenant=acme.com&product=crm'), 'GET', '/api/v1/sso/links', 200);

    const { acs } = await samlRound(gh, idp, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: 'openid email offline_access', nonce: 'n' });
    assert.equal(acs.statusCode, 302, acs.body);
    const code = new URL(acs.headers.location as string).searchParams.get('code')!;
    const form = (fields: Record<string, string>) => gh.app.inject({ method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
    const grant = { grant_type: 'authorization_code', code, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK };
    const tokens = conforms(await form(grant), 'POST', '/api/oauth/token', 200);
    assert.ok(tokens.id_token && tokens.refresh_token);
    const info = conforms(await gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${tokens.access_token}` } }), 'GET', '/api/oauth/userinfo', 200);
    assert.equal(info.tenant, 'acme.com');
    conforms(await gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: 'Bearer nope' } }), 'GET', '/api/oauth/userinfo', 401);
    conforms(await gh.app.inject({ method: 'POST', url: '/api/oauth/introspect', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ token: tokens.access_token, client_id: conn.clientID, client_secret: conn.clientSecret }).toString() }), 'POST', '/api/oauth/introspect', 200);
    // The sign-in opened an app session (decision 0023): listed, read, and ended by user through the management API.
    const sessions = conforms(await api('GET', '/api/v1/sessions?tenant=acme.com&product=crm'), 'GET', '/api/v1/sessions', 200);
    assert.ok(sessions.data.length >= 1);
    conforms(await api('GET', `/api/v1/sessions/${sessions.data[0].sid}`), 'GET', '/api/v1/sessions/{sid}', 200);
    conforms(await api('GET', '/api/v1/sessions/nope'), 'GET', '/api/v1/sessions/{sid}', 404);
    // The code again: invalid_grant (and the tokens it gave are revoked, so this comes last).
    conforms(await form(grant), 'POST', '/api/oauth/token', 400);
    conforms(await gh.app.inject({ url: '/.well-known/openid-configuration' }), 'GET', '/.well-known/openid-configuration', 200);
    conforms(await gh.app.inject({ url: '/oauth/jwks' }), 'GET', '/oauth/jwks', 200);
  });

  test('directories, SCIM users, the pull API and SCIM errors', async () => {
    const made = conforms(await api('POST', '/api/v1/dsync', { tenant: 'acme.com', product: 'crm', name: 'Okta', type: 'okta-scim-v2', webhook_url: 'http://127.0.0.1:9/hook', webhook_secret: 'whsec_0123456789abcdef' }), 'POST', '/api/v1/dsync', 201);
    const id = made.data.id;
    conforms(await api('GET', '/api/v1/dsync?tenant=acme.com&product=crm'), 'GET', '/api/v1/dsync', 200);
    conforms(await api('GET', `/api/v1/dsync/${id}`), 'GET', '/api/v1/dsync/{directoryId}', 200);
    conforms(await api('PATCH', `/api/v1/dsync/${id}`, { name: 'Okta 2' }), 'PATCH', '/api/v1/dsync/{directoryId}', 200);
    conforms(await api('POST', `/api/v1/dsync/${id}/scim-secret`), 'POST', '/api/v1/dsync/{directoryId}/scim-secret', 200);
    conforms(await api('GET', '/api/v1/dsync/nope'), 'GET', '/api/v1/dsync/{directoryId}', 404);

    const dir = await createDirectory(gh, { name: 'Entra', webhook_url: 'http://127.0.0.1:9/hook', webhook_secret: 'whsec_0123456789abcdef' });
    const scim = scimClient(gh, dir);
    const S = '/api/scim/v2.0/{directoryId}';
    const user = await gh.app.inject({ method: 'POST', url: `${dir.path}/Users`, headers: { authorization: `Bearer ${dir.secret}`, 'content-type': 'application/scim+json' }, payload: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bob@acme.com', externalId: 'e-1', name: { givenName: 'Bob', familyName: 'Builder' }, emails: [{ value: 'bob@acme.com', primary: true, type: 'work' }], active: true }) });
    const bob = conforms(user, 'POST', `${S}/Users`, 201);
    const inject = (method: 'GET' | 'POST', path: string, auth = dir.secret) => gh.app.inject({ method, url: `${dir.path}${path}`, headers: { authorization: `Bearer ${auth}` } });
    conforms(await inject('GET', '/Users'), 'GET', `${S}/Users`, 200);
    conforms(await inject('GET', '/Users?filter=userName%20eq%20%22BOB@acme.com%22'), 'GET', `${S}/Users`, 200);
    conforms(await inject('GET', `/Users/${bob.id}`), 'GET', `${S}/Users/{id}`, 200);
    const group = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Staff', members: [{ value: bob.id }] });
    assert.equal(group.status, 201);
    conforms(await inject('GET', '/Groups'), 'GET', `${S}/Groups`, 200);
    conforms(await inject('GET', '/Users/nope'), 'GET', `${S}/Users/{id}`, 404);
    conforms(await inject('GET', '/Users', 'wrong-secret'), 'GET', `${S}/Users`, 401);
    conforms(await inject('GET', '/Users?filter=userName%20qq%20%22x%22'), 'GET', `${S}/Users`, 400);

    conforms(await api('GET', `/api/v1/dsync/users?directoryId=${dir.id}`), 'GET', '/api/v1/dsync/users', 200);
    conforms(await api('GET', `/api/v1/dsync/users/${bob.id}?directoryId=${dir.id}`), 'GET', '/api/v1/dsync/users/{userId}', 200);
    conforms(await api('GET', `/api/v1/dsync/groups?directoryId=${dir.id}`), 'GET', '/api/v1/dsync/groups', 200);
    const events = conforms(await api('GET', `/api/v1/dsync/events?directoryId=${dir.id}`), 'GET', '/api/v1/dsync/events', 200);
    assert.ok(events.data.some((e: any) => e.event === 'user.created'));
    conforms(await api('GET', `/api/v1/dsync/events/${events.data[0].id}`), 'GET', '/api/v1/dsync/events/{eventId}', 200);
  });

  test('setup links, through the management API and the link\'s own API', async () => {
    const sso = conforms(await api('POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', expiryDays: 0.5 }), 'POST', '/api/v1/sso/setuplinks', 201);
    conforms(await api('GET', `/api/v1/sso/setuplinks?id=${sso.data.setupID}`), 'GET', '/api/v1/sso/setuplinks', 200);
    conforms(await api('GET', '/api/v1/sso/setuplinks/product?product=crm'), 'GET', '/api/v1/sso/setuplinks/product', 200);
    conforms(await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'acme.com', product: 'crm', webhook_url: 'http://127.0.0.1:9/hook', webhook_secret: 'whsec_0123456789abcdef' }), 'POST', '/api/v1/dsync/setuplinks', 201);
    const regenerated = conforms(await api('POST', '/api/v1/sso/setuplinks/regenerate', { id: sso.data.setupID }), 'POST', '/api/v1/sso/setuplinks/regenerate', 200);

    const link = new URL(regenerated.data.url).pathname.split('/').pop()!;
    const T = '/api/setup/{token}';
    conforms(await gh.app.inject({ url: `/api/setup/${link}` }), 'GET', T, 200);
    conforms(await gh.app.inject({ url: `/api/setup/${link}/sso-connection` }), 'GET', `${T}/sso-connection`, 200);
    const customerIdp = await createTestIdp();
    const made = conforms(await gh.app.inject({ method: 'POST', url: `/api/setup/${link}/sso-connection`, payload: { rawMetadata: customerIdp.metadataXml({ ssoUrl: 'https://idp.example.test/sso' }), name: 'From the link' } }), 'POST', `${T}/sso-connection`, 201);
    assert.equal(made.data.clientSecret, undefined);
    conforms(await gh.app.inject({ url: `/api/setup/${link}/sso-connection/${made.data.clientID}` }), 'GET', `${T}/sso-connection/{clientID}`, 200);
    conforms(await gh.app.inject({ url: `/api/setup/${link}/links` }), 'GET', `${T}/links`, 200);
    // The URL before the regeneration is dead at once.
    conforms(await gh.app.inject({ url: `/api/setup/${sso.data.url.split('/').pop()}` }), 'GET', T, 404);
  });

  test('the schemas refuse what does not match (the checks above are not vacuous)', async () => {
    const product = validatorFor('GET', '/api/v1/products/{product}', 200).validate;
    const ok = (await api('GET', '/api/v1/products/crm')).json();
    assert.equal(product(ok), true);
    assert.equal(product({ data: { ...ok.data, secret: 'x' } }), false, 'an undocumented field in a closed view');
    const { tenant: _t, ...noTenant } = ok.data;
    assert.equal(validatorFor('GET', '/api/v1/tenants/{tenant}', 200).validate({ data: noTenant }), false);
    assert.equal(validatorFor('GET', '/api/v1/sso', 200).validate([{ clientID: 1 }]), false);
    assert.equal(validatorFor('GET', '/api/scim/v2.0/{directoryId}/Users/{id}', 404).validate({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: 404 }), false, 'SCIM status is a string');
    assert.ok(checked.length >= 50, `${checked.length} answers checked`);
  });
});
