/**
 * Issue 17 §1: the answers real calls receive validate against the response schemas of the OpenAPI document the
 * server serves (JSON Schema 2020-12, ajv). A representative round: products, tenants, domains, connections,
 * directories, setup links (management API and link API), a SAML sign-in's token and userinfo, SCIM users and the
 * pull API, health, drafts and versions, test sign-ins (pending, failed, succeeded), SSO traces, the SCIM inspector,
 * role mappings, reconciliation, event replays, Identity Federation apps, and each surface's error shape. The views are
 * closed where the answer is fixed (a field added to a product without the document would fail here).
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
import { begin, finish } from '../connection-versions/support.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';

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
  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });

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
    conforms(await api('GET', '/api/v1/sso/exists?tenant=nobody.example&product=crm'), 'GET', '/api/v1/sso/exists', 404);

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
    conforms(await inject('GET', '/ServiceProviderConfig'), 'GET', `${S}/ServiceProviderConfig`, 200);
    conforms(await inject('GET', '/Schemas'), 'GET', `${S}/Schemas`, 200);
    conforms(await inject('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User'), 'GET', `${S}/Schemas/{id}`, 200);
    conforms(await inject('GET', '/ResourceTypes'), 'GET', `${S}/ResourceTypes`, 200);
    conforms(await inject('GET', '/ResourceTypes/Group'), 'GET', `${S}/ResourceTypes/{id}`, 200);

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

  /** The SCIM inspector writes an entry once the IdP has its answer: waits until `n` entries are readable at `url`. */
  async function inspected(read: () => Promise<LightMyRequestResponse>, n: number) {
    for (let i = 0; i < 100; i++) {
      const res = await read();
      if (res.statusCode !== 200 || res.json().data.length >= n) return res;
      await new Promise((r) => setTimeout(r, 50));
    }
    return read();
  }

  /** Opens a test sign-in's URL and lets `by` answer it: the test's result is then recorded. */
  async function runTest(url: string, by: TestIdp) {
    const open = await gh.app.inject({ url: new URL(url).pathname });
    assert.equal(open.statusCode, 302, open.body);
    const req = parseRedirectBindingRequest(open.headers.location as string);
    await finish(gh, by, { requestId: /\bID="([^"]+)"/.exec(req.xml)![1]!, relayState: req.relayState });
  }

  test('connection health, test sign-ins, SSO traces, drafts and versions', async () => {
    const [idpA, idpB] = await Promise.all([createTestIdp({ entityId: 'https://idp-a.example.test' }), createTestIdp({ entityId: 'https://idp-b.example.test' })]);
    const { clientID } = await createSamlConnection(gh.app, idpA, {}, { ssoUrl: 'https://idp-a.example.test/sso' });
    await finish(gh, idpA, await begin(gh, clientID));
    await finish(gh, idpB, await begin(gh, clientID)); // refused: a trace, and a failure in the health counts
    const health = conforms(await api('GET', `/api/v1/sso/health?clientID=${clientID}`), 'GET', '/api/v1/sso/health', 200);
    assert.deepEqual([health.data.last24h.signIns, health.data.last24h.failures], [2, 1]);
    const traces = conforms(await api('GET', '/api/v1/sso-traces/product?product=crm&pageLimit=1'), 'GET', '/api/v1/sso-traces/product', 200);
    conforms(await api('GET', `/api/v1/sso-traces?id=${traces.data[0].id}`), 'GET', '/api/v1/sso-traces', 200);
    conforms(await api('GET', '/api/v1/sso-traces/product/count?product=crm'), 'GET', '/api/v1/sso-traces/product/count', 200);

    const live = conforms(await api('POST', '/api/v1/sso/test', { clientID }), 'POST', '/api/v1/sso/test', 201);
    assert.equal(conforms(await api('GET', `/api/v1/sso/tests/${live.data.testId}`), 'GET', '/api/v1/sso/tests/{testId}', 200).data.status, 'pending');
    await runTest(live.data.url, idpB);
    assert.ok(conforms(await api('GET', `/api/v1/sso/tests/${live.data.testId}`), 'GET', '/api/v1/sso/tests/{testId}', 200).data.diagnosis.fix);

    conforms(await api('POST', '/api/v1/sso/drafts', { clientID, rawMetadata: idpB.metadataXml({ ssoUrl: 'https://idp-b.example.test/sso' }) }), 'POST', '/api/v1/sso/drafts', 201);
    conforms(await api('POST', '/api/v1/sso/drafts', { clientID, attributeMapping: { email: 'email' } }), 'POST', '/api/v1/sso/drafts', 200);
    conforms(await api('GET', `/api/v1/sso/drafts?clientID=${clientID}`), 'GET', '/api/v1/sso/drafts', 200);
    const draftTest = conforms(await api('POST', '/api/v1/sso/drafts/test', { clientID }), 'POST', '/api/v1/sso/drafts/test', 201);
    await runTest(draftTest.data.url, idpB);
    assert.equal(conforms(await api('GET', `/api/v1/sso/tests/${draftTest.data.testId}`), 'GET', '/api/v1/sso/tests/{testId}', 200).data.profile.email, 'alice@acme.com');
    conforms(await api('POST', '/api/v1/sso/drafts/promote', { clientID }), 'POST', '/api/v1/sso/drafts/promote', 200);
    assert.equal(conforms(await api('GET', `/api/v1/sso/versions?clientID=${clientID}`), 'GET', '/api/v1/sso/versions', 200).data.length, 2);
    conforms(await api('POST', '/api/v1/sso/rollback', { clientID }), 'POST', '/api/v1/sso/rollback', 200);
    conforms(await api('GET', `/api/v1/sso/drafts?clientID=${clientID}`), 'GET', '/api/v1/sso/drafts', 404);
  });

  test('role mappings, reconciliation, the SCIM inspector, group members and event replays', async () => {
    const dir = await createDirectory(gh, { name: 'Inspected', webhook_url: 'http://127.0.0.1:9/hook', webhook_secret: 'whsec_0123456789abcdef' });
    const scim = scimClient(gh, dir);
    const carol = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'alice@acme.com', emails: [{ value: 'alice@acme.com', primary: true }], active: true });
    const admins = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'admins', members: [{ value: carol.body.id }] });
    await scim('GET', '/Users?filter=userName%20qq%20%22x%22');
    const requests = conforms(await inspected(() => api('GET', `/api/v1/dsync/${dir.id}/requests`), 3), 'GET', '/api/v1/dsync/{directoryId}/requests', 200);
    assert.ok(requests.data.some((r: any) => r.outcome === 'refused'));
    conforms(await api('GET', `/api/v1/dsync/groups/${admins.body.id}/members?directoryId=${dir.id}`), 'GET', '/api/v1/dsync/groups/{groupId}/members', 200);
    const events = (await api('GET', `/api/v1/dsync/events?directoryId=${dir.id}`)).json().data;
    conforms(await api('POST', `/api/v1/dsync/events/${events[0].id}/retry`), 'POST', '/api/v1/dsync/events/{eventId}/retry', 200);
    conforms(await api('POST', '/api/v1/dsync/events/replay', { directoryId: dir.id }), 'POST', '/api/v1/dsync/events/replay', 200);
    conforms(await api('POST', `/api/v1/dsync/events/${events[0].id}/replay`), 'POST', '/api/v1/dsync/events/{eventId}/replay', 409);

    const scope = { tenant: 'acme.com', product: 'crm' };
    conforms(await api('PUT', '/api/v1/role-mappings', { ...scope, mappings: [{ group: 'admins', role: 'admin' }] }), 'PUT', '/api/v1/role-mappings', 200);
    const mappings = conforms(await api('GET', '/api/v1/role-mappings?tenant=acme.com&product=crm'), 'GET', '/api/v1/role-mappings', 200);
    assert.ok(mappings.data.groups.some((g: any) => g.name === 'admins'));
    const preview = conforms(await api('POST', '/api/v1/role-mappings/preview', { ...scope, mappings: [] }), 'POST', '/api/v1/role-mappings/preview', 200);
    assert.ok(preview.data.users.some((u: any) => u.source === 'directory') && preview.data.users.some((u: any) => u.source === 'sign-in'));
    const rec = conforms(await api('GET', '/api/v1/reconciliation?tenant=acme.com&product=crm'), 'GET', '/api/v1/reconciliation', 200);
    assert.ok(rec.data.neverSignedIn.length + rec.data.noDirectoryRecord.length > 0);
    conforms(await api('DELETE', `/api/v1/dsync/${dir.id}`), 'DELETE', '/api/v1/dsync/{directoryId}', 200);
  });

  test('through setup links: health, tests, drafts, directories, the SCIM inspector and role mappings', async () => {
    const tokenOf = (r: any) => new URL(r.data.url).pathname.split('/').pop()!;
    const T = '/api/setup/{token}';
    const sso = tokenOf(conforms(await api('POST', '/api/v1/sso/setuplinks', { tenant: 'globex.com', product: 'crm' }), 'POST', '/api/v1/sso/setuplinks', 201));
    const link = (method: 'GET' | 'POST' | 'PUT', path: string, token = sso, payload?: object) => gh.app.inject({ method, url: `/api/setup/${token}${path}`, ...(payload ? { payload } : {}) });
    const [idpC, idpD] = await Promise.all([createTestIdp({ entityId: 'https://idp-c.example.test' }), createTestIdp({ entityId: 'https://idp-d.example.test' })]);
    const { clientID } = conforms(await link('POST', '/sso-connection', sso, { rawMetadata: idpC.metadataXml({ ssoUrl: 'https://idp-c.example.test/sso' }) }), 'POST', `${T}/sso-connection`, 201).data;
    conforms(await link('GET', `/sso-connection/${clientID}/health`), 'GET', `${T}/sso-connection/{clientID}/health`, 200);
    const test = conforms(await link('POST', `/sso-connection/${clientID}/test`), 'POST', `${T}/sso-connection/{clientID}/test`, 201);
    await runTest(test.data.url, idpC);
    assert.equal(conforms(await link('GET', `/tests/${test.data.testId}`), 'GET', `${T}/tests/{testId}`, 200).data.status, 'succeeded');
    conforms(await link('POST', `/sso-connection/${clientID}/draft`, sso, { rawMetadata: idpD.metadataXml({ ssoUrl: 'https://idp-d.example.test/sso' }) }), 'POST', `${T}/sso-connection/{clientID}/draft`, 201);
    conforms(await link('GET', `/sso-connection/${clientID}/draft`), 'GET', `${T}/sso-connection/{clientID}/draft`, 200);
    conforms(await link('POST', `/sso-connection/${clientID}/draft/test`), 'POST', `${T}/sso-connection/{clientID}/draft/test`, 201);
    conforms(await link('POST', `/sso-connection/${clientID}/draft/promote`), 'POST', `${T}/sso-connection/{clientID}/draft/promote`, 200);
    conforms(await link('GET', `/sso-connection/${clientID}/versions`), 'GET', `${T}/sso-connection/{clientID}/versions`, 200);
    conforms(await link('POST', `/sso-connection/${clientID}/rollback`), 'POST', `${T}/sso-connection/{clientID}/rollback`, 200);
    conforms(await link('PUT', '/role-mappings', sso, { mappings: [{ group: 'staff', role: 'admin' }] }), 'PUT', `${T}/role-mappings`, 200);
    conforms(await link('GET', '/role-mappings'), 'GET', `${T}/role-mappings`, 200);
    conforms(await link('POST', '/role-mappings/preview', sso, { mappings: [] }), 'POST', `${T}/role-mappings/preview`, 200);

    const made = conforms(await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'globex.com', product: 'crm', webhook_url: 'http://127.0.0.1:9/hook', webhook_secret: 'whsec_0123456789abcdef' }), 'POST', '/api/v1/dsync/setuplinks', 201);
    const dsync = tokenOf(made);
    const dir = conforms(await link('POST', '/directory-sync', dsync, { name: 'Globex' }), 'POST', `${T}/directory-sync`, 201).data;
    assert.ok(dir.scim.secret && !('webhook' in dir));
    await gh.app.inject({ url: `${dir.scim.path}/Users`, headers: { authorization: `Bearer ${dir.scim.secret}` } });
    conforms(await link('GET', '/directory-sync', dsync), 'GET', `${T}/directory-sync`, 200);
    assert.equal(conforms(await link('GET', `/directory-sync/${dir.id}`, dsync), 'GET', `${T}/directory-sync/{id}`, 200).data.status.provisioningStarted, false);
    assert.equal(conforms(await inspected(() => link('GET', `/directory-sync/${dir.id}/requests`, dsync), 1), 'GET', `${T}/directory-sync/{id}/requests`, 200).data.length, 1);
    conforms(await link('POST', `/directory-sync/${dir.id}/rotate-secret`, dsync), 'POST', `${T}/directory-sync/{id}/rotate-secret`, 200);
    conforms(await api('DELETE', `/api/v1/dsync/setuplinks?id=${made.data.setupID}`), 'DELETE', '/api/v1/dsync/setuplinks', 200);
  });

  test('Identity Federation apps', async () => {
    const base = { name: 'Legacy CRM', tenant: 'acme.com', product: 'crm', acsUrl: 'https://crm.example.test/saml/acs', entityId: 'https://crm.example.test/saml/metadata' };
    const app = conforms(await api('POST', '/api/v1/identity-federation', { ...base, mappings: [{ key: 'department', value: 'dept' }] }), 'POST', '/api/v1/identity-federation', 201).data;
    conforms(await api('GET', `/api/v1/identity-federation?id=${app.id}`), 'GET', '/api/v1/identity-federation', 200);
    conforms(await api('PATCH', '/api/v1/identity-federation', { id: app.id, ttlInMinutes: 3 }), 'PATCH', '/api/v1/identity-federation', 200);
    const oidc = conforms(await api('POST', '/api/v1/identity-federation', { ...base, tenant: 'globex.com', type: 'oidc', redirectUrl: ['https://crm.example.test/oidc/callback'] }), 'POST', '/api/v1/identity-federation', 201).data;
    assert.equal(oidc.type, 'oidc');
    assert.equal(conforms(await api('GET', '/api/v1/identity-federation/product?product=crm'), 'GET', '/api/v1/identity-federation/product', 200).data.length, 2);
    conforms(await api('DELETE', `/api/v1/identity-federation?id=${app.id}`), 'DELETE', '/api/v1/identity-federation', 200);
  });

  test('the schemas refuse what does not match (the checks above are not vacuous)', async () => {
    const product = validatorFor('GET', '/api/v1/products/{product}', 200).validate;
    const ok = (await api('GET', '/api/v1/products/crm')).json();
    assert.equal(product(ok), true);
    assert.equal(product({ data: { ...ok.data, secret: 'x' } }), false, 'an undocumented field in a closed view');
    const { tenant: _t, ...noTenant } = ok.data;
    assert.equal(validatorFor('GET', '/api/v1/tenants/{tenant}', 200).validate({ data: noTenant }), false);
    assert.equal(validatorFor('GET', '/api/v1/sso', 200).validate([{ clientID: 1 }]), false);
    const health = validatorFor('GET', '/api/v1/sso/health', 200).validate;
    const ok2 = { data: { clientID: 'c', lastSuccessAt: null, last24h: { signIns: 0, failures: 0, byReason: {} }, certificates: [], metadata: { source: 'pasted', refreshedAt: null, error: null, refreshSeconds: null } } };
    assert.equal(health(ok2), true);
    assert.equal(health({ data: { ...ok2.data, extra: 1 } }), false, 'health is a closed view');
    assert.equal(validatorFor('GET', '/api/v1/role-mappings', 200).validate({ data: {} }), false, 'role mappings are described field by field');
    assert.equal(validatorFor('GET', '/api/scim/v2.0/{directoryId}/Users/{id}', 404).validate({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: 404 }), false, 'SCIM status is a string');
    assert.ok(checked.length >= 110, `${checked.length} answers checked`);
  });
});
