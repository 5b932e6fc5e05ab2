/**
 * Setup links through the real HTTP surface: the vendor API (Jackson paths), the token-authorised link
 * API with its authorization matrix (other tenant, other service, expired, regenerated, deleted), bodies
 * naming another tenant, a secret scan of every answer, test connection with diagnosis, directories.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, buildSamlResponseBase64, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { IDP_SSO_URL, postToAcs } from '../support/saml-flow.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';

const CALLBACK = 'https://crm.example.test/callback';
const DAY = 86_400_000;

describe('setup links', () => {
  let gh: RunningGatehouse;
  let clock = Date.now();
  let idp: TestIdp;
  const secrets: string[] = []; // every secret this test creates; no link answer may contain one
  const bodies: string[] = []; // every answer of the link API
  const shownOnce: string[] = []; // the IT admin's own SCIM secrets: in exactly one answer each (create, rotate)
  let ssoUrl: string;
  let ssoToken: string;
  let dsyncToken: string;
  let globexToken: string;
  let acmeVendorConn: { clientID: string; clientSecret: string };
  let globexConn: { clientID: string; clientSecret: string };

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
  const link = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', token: string, path: string, payload?: object) => {
    const r = await gh.app.inject({ method, url: `/api/setup/${token}${path}`, ...(payload ? { payload } : {}) });
    bodies.push(r.body);
    return r;
  };
  const tokenOf = (url: string) => url.split('/setup/')[1]!;

  before(async () => {
    gh = (await startGatehouse({ now: () => clock }))!;
    secrets.push(API_KEY);
    idp = await createTestIdp({ entityId: 'https://idp.acme.test' });
    const vendorIdp = await createTestIdp({ entityId: 'https://vendor-made.acme.test' });
    acmeVendorConn = (await api('POST', '/api/v1/sso', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: CALLBACK, redirectUrl: [CALLBACK], rawMetadata: vendorIdp.metadataXml({ ssoUrl: IDP_SSO_URL }) })).json();
    globexConn = (await api('POST', '/api/v1/sso', { tenant: 'globex.com', product: 'crm', defaultRedirectUrl: CALLBACK, redirectUrl: [CALLBACK], rawMetadata: (await createTestIdp()).metadataXml({ ssoUrl: IDP_SSO_URL }) })).json();
    secrets.push(acmeVendorConn.clientSecret, globexConn.clientSecret);
  });
  after(async () => gh.close());

  test('vendor API: create → {data: {setupID, url, validTill}} with a 43+ character token; fractional expiryDays', async () => {
    const r = await api('POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', name: 'Acme IT', defaultRedirectUrl: CALLBACK, redirectUrl: [CALLBACK], expiryDays: 0.5 });
    assert.equal(r.statusCode, 201, r.body);
    const d = r.json().data;
    assert.ok(d.setupID);
    assert.match(d.url, new RegExp(`^${gh.baseUrl}/setup/[A-Za-z0-9_-]{43,}$`));
    assert.equal(d.validTill, clock + DAY / 2);
    ssoUrl = d.url;
    ssoToken = tokenOf(d.url);
    const again = await api('POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: CALLBACK });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().data.url, ssoUrl, 'the live link is returned, not a new one');
    const byId = await api('GET', `/api/v1/sso/setuplinks?id=${d.setupID}`);
    assert.equal(byId.json().data.url, ssoUrl);
    const webhookSecret = 'whsec-vendor-0123456789';
    secrets.push(webhookSecret);
    dsyncToken = tokenOf((await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'acme.com', product: 'crm', webhook_url: 'http://127.0.0.1:9/hook', webhook_secret: webhookSecret })).json().data.url);
    globexToken = tokenOf((await api('POST', '/api/v1/sso/setuplinks', { tenant: 'globex.com', product: 'crm', defaultRedirectUrl: CALLBACK })).json().data.url);
    const list = await api('GET', '/api/v1/sso/setuplinks/product?product=crm');
    assert.equal(list.json().data.length, 2);
    assert.equal(list.json().total, 2);
    assert.ok(!JSON.stringify((await api('GET', '/api/v1/dsync/setuplinks?tenant=acme.com&product=crm')).json()).includes(webhookSecret));
  });

  test('tokens are stored hashed and sealed, never in plaintext', async () => {
    const rows = await gh.ctx.db.selectFrom('setup_links').selectAll().execute();
    for (const r of rows) assert.ok(!JSON.stringify(r).includes(ssoToken) && !JSON.stringify(r).includes(dsyncToken));
  });

  let created: { clientID: string };
  test('the IT admin creates a SAML connection; tenant, product and redirect URLs in the body are ignored', async () => {
    const r = await link('POST', ssoToken, '/sso-connection', { tenant: 'globex.com', product: 'other', redirectUrl: ['https://evil.test/cb'], defaultRedirectUrl: 'https://evil.test/cb', name: 'Okta', rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) });
    assert.equal(r.statusCode, 201, r.body);
    created = r.json().data;
    assert.equal(r.json().data.tenant, 'acme.com');
    assert.equal(r.json().data.product, 'crm');
    assert.deepEqual(r.json().data.redirectUrl, [CALLBACK]);
    assert.equal(r.json().data.clientSecret, undefined);
    const vendorView = (await api('GET', `/api/v1/sso?clientID=${created.clientID}`)).json()[0];
    secrets.push(vendorView.clientSecret);
    const list = await link('GET', ssoToken, '/sso-connection');
    assert.deepEqual(list.json().data.map((c: { clientID: string }) => c.clientID).sort(), [acmeVendorConn.clientID, created.clientID].sort());
  });

  test('pasting our own SP metadata is caught with a plain explanation', async () => {
    const ours = (await gh.app.inject({ url: '/.well-known/sp-metadata' })).body;
    const r = await link('POST', ssoToken, '/sso-connection', { rawMetadata: ours });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().detail, /identity provider/);
  });

  test('test connection: a real sign-in in a new tab, the result shown back with the profile; then the links', async () => {
    const t = await link('POST', ssoToken, `/sso-connection/${created.clientID}/test`);
    assert.equal(t.statusCode, 201, t.body);
    const { testId, url } = t.json().data;
    const start = await gh.app.inject({ url: new URL(url).pathname });
    assert.equal(start.statusCode, 302, start.body);
    const req = parseRedirectBindingRequest(start.headers.location as string);
    const id = /\bID="([^"]+)"/.exec(req.xml)![1]!;
    const acs = await postToAcs(gh.app, buildSamlResponseBase64({ idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: id, nameId: 'it.admin@acme.com', attributes: { email: 'it.admin@acme.com', groups: ['IT'] }, now: clock }), req.relayState);
    assert.equal(acs.statusCode, 302);
    const landing = new URL(acs.headers.location as string);
    assert.equal(landing.pathname, `/setup/test-result/${testId}`);
    assert.equal(landing.searchParams.get('code'), null, 'a test never issues a code');
    const page = await gh.app.inject({ url: landing.pathname });
    assert.match(page.body, /The test sign-in worked/);
    const result = await link('GET', ssoToken, `/tests/${testId}`);
    assert.equal(result.json().data.status, 'succeeded');
    assert.equal(result.json().data.profile.email, 'it.admin@acme.com');
    assert.deepEqual(result.json().data.attributes.groups, 'IT');
    const links = await link('GET', ssoToken, '/links');
    assert.equal(links.json().data.tested, true);
    assert.equal(links.json().data.oneClickUrl, `${gh.baseUrl}/login/sso?enterprise_key=acme.com&product=crm`);
  });

  test('a failed test says which check failed and how to fix it in the IdP', async () => {
    const t = (await link('POST', ssoToken, `/sso-connection/${created.clientID}/test`)).json().data;
    const start = await gh.app.inject({ url: new URL(t.url).pathname });
    const req = parseRedirectBindingRequest(start.headers.location as string);
    const id = /\bID="([^"]+)"/.exec(req.xml)![1]!;
    await postToAcs(gh.app, buildSamlResponseBase64({ idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, audience: 'https://wrong-audience.test', acsUrl: gh.ctx.config.acsUrl, inResponseTo: id, nameId: 'x@acme.com', now: clock }), req.relayState);
    const result = (await link('GET', ssoToken, `/tests/${t.testId}`)).json().data;
    assert.equal(result.status, 'failed');
    assert.equal(result.diagnosis.code, 'SAML_AUDIENCE_MISMATCH');
    assert.match(result.diagnosis.fix, new RegExp(gh.ctx.config.SAML_SP_ENTITY_ID.replace(/[.:/]/g, '\\$&')));
    const page = await gh.app.inject({ url: `/setup/test-result/${t.testId}` });
    assert.match(page.body, /How to fix it/);
  });

  test('the IT admin edits and deletes only their own tenant\'s connections', async () => {
    const upd = await link('PATCH', ssoToken, '/sso-connection', { clientID: created.clientID, name: 'Okta prod', tenant: 'globex.com' });
    assert.equal(upd.statusCode, 200, upd.body);
    assert.equal(upd.json().data.name, 'Okta prod');
    assert.equal(upd.json().data.tenant, 'acme.com');
    const foreign = await link('PATCH', ssoToken, '/sso-connection', { clientID: globexConn.clientID, name: 'pwned' });
    assert.equal(foreign.statusCode, 404);
    assert.equal((await link('DELETE', ssoToken, `/sso-connection?clientID=${globexConn.clientID}`)).statusCode, 404);
    assert.equal((await link('GET', ssoToken, `/sso-connection/${globexConn.clientID}`)).statusCode, 404);
    assert.equal((await link('POST', ssoToken, `/sso-connection/${globexConn.clientID}/test`)).statusCode, 404);
    assert.equal((await api('GET', `/api/v1/sso?clientID=${globexConn.clientID}`)).json()[0].name, '');
  });

  let dir: { id: string; scim: { endpoint: string; secret?: string } };
  test('directory sync link: create shows the SCIM endpoint and secret once; status shows provisioning; rotate; the vendor webhook stays hidden', async () => {
    const c = await link('POST', dsyncToken, '/directory-sync', { name: 'Okta SCIM', type: 'okta-scim-v2', tenant: 'globex.com', webhook_url: 'https://evil.test/hook' });
    assert.equal(c.statusCode, 201, c.body);
    dir = c.json().data;
    assert.ok(dir.scim.secret && dir.scim.secret.length >= 43);
    assert.equal(dir.scim.endpoint, `${gh.baseUrl}/api/scim/v2.0/${dir.id}`);
    assert.equal((c.json().data as { tenant: string }).tenant, 'acme.com');
    assert.equal((c.json().data as { webhook?: unknown }).webhook, undefined);
    const vendor = (await api('GET', `/api/v1/dsync/${dir.id}`)).json();
    assert.equal(JSON.stringify(vendor).includes('evil.test'), false, 'the webhook comes from the link');
    const firstSecret = dir.scim.secret;
    const scim = await gh.app.inject({ method: 'POST', url: `/api/scim/v2.0/${dir.id}/Users`, headers: { authorization: `Bearer ${firstSecret}`, 'content-type': 'application/scim+json' }, payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'jane@acme.com', active: true } });
    assert.equal(scim.statusCode, 201, scim.body);
    shownOnce.push(firstSecret!);
    const listed = (await link('GET', dsyncToken, '/directory-sync')).json().data[0];
    assert.equal(listed.scim.secret, undefined);
    assert.equal(listed.status.users, 1);
    assert.equal(listed.status.provisioningStarted, true);
    const rotated = await link('POST', dsyncToken, `/directory-sync/${dir.id}/rotate-secret`);
    assert.ok(rotated.json().data.scim.secret);
    assert.notEqual(rotated.json().data.scim.secret, firstSecret);
    const old = await gh.app.inject({ url: `/api/scim/v2.0/${dir.id}/Users`, headers: { authorization: `Bearer ${firstSecret}` } });
    assert.equal(old.statusCode, 401);
    shownOnce.push(rotated.json().data.scim.secret);
  });

  const ssoEndpoints = (clientID: string, testId = 'x'.repeat(32)): [string, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, object?][] => [
    ['info', 'GET', ''],
    ['list connections', 'GET', '/sso-connection'],
    ['get connection', 'GET', `/sso-connection/${clientID}`],
    ['create connection', 'POST', '/sso-connection', { rawMetadata: '<x/>' }],
    ['update connection', 'PATCH', '/sso-connection', { clientID, name: 'x' }],
    ['delete connection', 'DELETE', `/sso-connection?clientID=${clientID}`],
    ['start test', 'POST', `/sso-connection/${clientID}/test`],
    ['test result', 'GET', `/tests/${testId}`],
    ['test start', 'GET', `/tests/${testId}/start`],
    ['links', 'GET', '/links'],
  ];
  const dsyncEndpoints = (id: string): [string, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, object?][] => [
    ['list directories', 'GET', '/directory-sync'],
    ['get directory', 'GET', `/directory-sync/${id}`],
    ['create directory', 'POST', '/directory-sync', { name: 'x' }],
    ['rotate secret', 'POST', `/directory-sync/${id}/rotate-secret`],
    ['delete directory', 'DELETE', `/directory-sync/${id}`],
  ];

  test('authorization matrix: another tenant\'s token reaches nothing of acme', async () => {
    for (const [name, method, path, payload] of ssoEndpoints(created.clientID)) {
      if (name === 'info' || name === 'list connections' || name === 'links' || name === 'create connection') continue;
      const r = await link(method, globexToken, path, payload);
      assert.ok(r.statusCode === 404, `${name}: ${r.statusCode}`);
    }
    const list = await link('GET', globexToken, '/sso-connection');
    assert.deepEqual(list.json().data.map((c: { tenant: string }) => c.tenant), ['globex.com']);
    assert.ok(!list.body.includes(created.clientID));
    assert.ok((await api('GET', `/api/v1/sso?clientID=${created.clientID}`)).json().length === 1, 'still there');
  });

  test('authorization matrix: a token of the other service gets 4xx on every endpoint', async () => {
    for (const [name, method, path, payload] of ssoEndpoints(created.clientID)) {
      if (name === 'info') continue;
      const r = await link(method, dsyncToken, path, payload);
      assert.equal(r.statusCode, 403, name);
    }
    for (const [name, method, path, payload] of dsyncEndpoints(dir.id)) {
      const r = await link(method, ssoToken, path, payload);
      assert.equal(r.statusCode, 403, name);
    }
  });

  test('no link answer contains any secret created in this test', () => {
    const all = bodies.join('\n');
    for (const s of secrets) assert.ok(!all.includes(s), `a link answer leaked a secret (${s.slice(0, 4)}…)`);
    for (const s of shownOnce) assert.equal(bodies.filter((b) => b.includes(s)).length, 1, 'a SCIM secret is shown once');
  });

  test('a link\'s first use and every change attempt are audited with the link and the IP; reads are not', async () => {
    const rows = await gh.ctx.db.selectFrom('audit_events').selectAll().where('actor_type', '=', 'setup_link').execute();
    const used = rows.filter((r) => r.action === 'setup_link.used');
    assert.ok(used.length >= 10);
    assert.ok(used.every((r) => !r.summary.includes('"method":"GET"')), 'reads (the page polls) are not audited');
    const { setupID } = (await api('GET', '/api/v1/sso/setuplinks?tenant=acme.com&product=crm')).json().data;
    assert.equal(rows.filter((r) => r.action === 'setup_link.opened' && r.target_id === setupID).length, 1, 'the first use, once');
    assert.ok(rows.some((r) => r.action === 'sso.connection.created' && r.tenant === 'acme.com'));
    assert.ok(rows.every((r) => r.ip));
    for (const r of rows) for (const s of secrets) assert.ok(!r.summary.includes(s));
  });

  test('regenerate: the old token stops working on every endpoint at once; the new one works', async () => {
    const { setupID } = (await api('GET', `/api/v1/sso/setuplinks?tenant=acme.com&product=crm`)).json().data;
    const regen = await api('POST', '/api/v1/sso/setuplinks/regenerate', { id: setupID });
    assert.equal(regen.statusCode, 200);
    const fresh = tokenOf(regen.json().data.url);
    assert.notEqual(fresh, ssoToken);
    for (const [name, method, path, payload] of ssoEndpoints(created.clientID)) {
      const r = await link(method, ssoToken, path, payload);
      assert.equal(r.statusCode, 404, `${name} with the regenerated token`);
    }
    assert.equal((await link('GET', fresh, '')).statusCode, 200);
    ssoToken = fresh;
  });

  test('expired: 410 everywhere, and it never comes back', async () => {
    clock += DAY; // past the 0.5-day expiry
    for (const [name, method, path, payload] of ssoEndpoints(created.clientID)) {
      const r = await link(method, ssoToken, path, payload);
      assert.equal(r.statusCode, 410, name);
    }
    const again = await api('POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: CALLBACK });
    assert.equal(again.statusCode, 201, 'an expired link is replaced by a new one');
    assert.notEqual(tokenOf(again.json().data.url), ssoToken);
    assert.equal((await link('GET', ssoToken, '')).statusCode, 404, 'the expired token is gone for good');
  });

  test('deleted: 404 everywhere', async () => {
    const globex = (await api('GET', '/api/v1/sso/setuplinks?tenant=globex.com&product=crm')).json().data;
    clock -= DAY;
    assert.equal((await link('GET', globexToken, '')).statusCode, 200);
    assert.equal((await api('DELETE', `/api/v1/sso/setuplinks?id=${globex.setupID}`)).statusCode, 200); // Jackson's 200 {data: {}} (was 204 before issue 13)
    for (const [name, method, path, payload] of ssoEndpoints(globexConn.clientID)) {
      assert.equal((await link(method, globexToken, path, payload)).statusCode, 404, name);
    }
    assert.equal((await link('GET', 'short', '')).statusCode, 404);
  });
});
