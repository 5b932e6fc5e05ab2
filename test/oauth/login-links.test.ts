/**
 * Tenants, products, domains (with a real DNS server), one-click and invite links, the IdP picker,
 * home-realm discovery and IdP-initiated sign-in, through the real HTTP surface.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, buildSamlResponseBase64, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import { createSamlConnection, locationParams, postToAcs } from '../support/saml-flow.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';

const LANDING = 'https://crm.example.test/sso/landing';
const CALLBACK = 'https://crm.example.test/callback';

describe('login links, picker, domains and IdP-initiated sign-in', () => {
  let gh: RunningGatehouse;
  let dns: TestDnsServer;
  let okta: TestIdp;
  let entra: TestIdp;
  let globexIdp: TestIdp;
  let acmeOkta: { clientID: string; clientSecret: string };
  let acmeEntra: { clientID: string };
  let globex: { clientID: string };
  before(async () => {
    dns = await startDnsServer();
    gh = (await startGatehouse({ env: { DNS_SERVERS: dns.address } }))!;
    okta = await createTestIdp({ entityId: 'http://www.okta.com/acme' });
    entra = await createTestIdp({ entityId: 'https://sts.windows.net/acme/' });
    globexIdp = await createTestIdp({ entityId: 'https://globex-idp.test' });
    const urls = { defaultRedirectUrl: CALLBACK, redirectUrl: [CALLBACK, LANDING] };
    acmeOkta = await createSamlConnection(gh.app, okta, { ...urls, name: 'Okta (employees)', sortOrder: 1 });
    acmeEntra = await createSamlConnection(gh.app, entra, { ...urls, name: 'Entra ID (contractors)', sortOrder: 2 });
    globex = await createSamlConnection(gh.app, globexIdp, { ...urls, tenant: 'globex.com', name: 'Globex' });
  });
  after(async () => {
    await gh.close();
    await dns.close();
  });

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
  const get = (url: string) => gh.app.inject({ url });

  /** Answers the AuthnRequest behind a redirect to the IdP and posts the response to the ACS. */
  async function answerAtIdp(idp: TestIdp, location: string, nameId = 'alice@acme.com') {
    const req = parseRedirectBindingRequest(location);
    const id = /\bID="([^"]+)"/.exec(req.xml)![1]!;
    return postToAcs(gh.app, buildSamlResponseBase64({ idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: id, nameId }), req.relayState);
  }

  test('products: create, read, update; duplicates are 409; bad URLs name the field', async () => {
    const c = await api('POST', '/api/v1/products', { product: 'crm', name: 'Acme CRM', defaultRedirectUrl: LANDING });
    assert.equal(c.statusCode, 201, c.body);
    assert.deepEqual({ ...c.json().data, createdAt: undefined, updatedAt: undefined }, {
      product: 'crm', name: 'Acme CRM', defaultRedirectUrl: LANDING, initiateLoginUri: null, createdAt: undefined, updatedAt: undefined,
      refreshTokens: true, refreshTokenIdleSeconds: null, refreshTokenAbsoluteSeconds: null, postLogoutRedirectUris: [], backchannelLogoutUri: null, backchannelLogoutSessionRequired: false, roles: [], portalReturnUrls: [], portalFrameAncestors: [],
    });
    assert.equal((await api('POST', '/api/v1/products', { product: 'crm' })).statusCode, 409);
    const bad = await api('POST', '/api/v1/products', { product: 'x', defaultRedirectUrl: 'not a url' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'defaultRedirectUrl');
    assert.equal((await api('GET', '/api/v1/products/crm')).json().data.name, 'Acme CRM');
    assert.equal((await api('GET', '/api/v1/products')).json().data.length, 1);
  });

  test('the links API returns the one-click and invite URLs', async () => {
    const r = await api('GET', '/api/v1/sso/links?tenant=acme.com&product=crm');
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { data: { oneClickUrl: `${gh.baseUrl}/login/sso?enterprise_key=acme.com&product=crm`, inviteUrl: `${gh.baseUrl}/login/sso/invite?enterprise_key=acme.com&product=crm` } });
  });

  test('several connections: authorize sends the user to the picker, which lists labels in sort order and scoped to the tenant', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: 'tenant=acme.com&product=crm', redirect_uri: CALLBACK, state: 's1' });
    const a = await get(`/api/oauth/authorize?${q}`);
    assert.equal(a.statusCode, 302);
    const pickerUrl = a.headers.location as string;
    assert.match(pickerUrl, /^\/idp\/select\?/);
    const page = await get(pickerUrl);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Sign in to Acme CRM/);
    const okIdx = page.body.indexOf('Okta (employees)');
    const entraIdx = page.body.indexOf('Entra ID (contractors)');
    assert.ok(okIdx > 0 && entraIdx > okIdx, 'sort order');
    assert.doesNotMatch(page.body, /Globex/);
    assert.doesNotMatch(page.body, /<script>/);
    const hrefs = [...page.body.matchAll(/href="([^"]+idp_hint[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    assert.equal(hrefs.length, 2);
    const chosen = await get(hrefs[1]!);
    assert.equal(chosen.statusCode, 302);
    assert.ok((chosen.headers.location as string).startsWith('https://idp.example.test/sso'));
    const acs = await answerAtIdp(entra, chosen.headers.location as string);
    assert.equal(locationParams(acs).get('state'), 's1');
    assert.ok(locationParams(acs).get('code'));
  });

  test('the picker cannot be pointed at another tenant\'s connection', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: 'tenant=acme.com&product=crm', redirect_uri: CALLBACK, state: 's', idp_hint: globex.clientID });
    const r = await get(`/api/oauth/authorize?${q}`);
    assert.equal(locationParams(r).get('error'), 'invalid_request');
    const viaConnection = await get(`/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: acmeOkta.clientID, redirect_uri: CALLBACK, state: 's', idp_hint: globex.clientID })}`);
    assert.equal(locationParams(viaConnection).get('error'), 'invalid_request');
    const oneClick = await get(`/login/sso?enterprise_key=acme.com&product=crm&idp_hint=${globex.clientID}`);
    assert.equal(oneClick.statusCode, 400);
    assert.equal(oneClick.headers.location, undefined);
  });

  test('one-click link: picker for several connections, then SP-initiated login that lands at the product\'s default URL with a code for the connection', async () => {
    const r = await get('/login/sso?enterprise_key=acme.com&product=crm');
    assert.equal(r.statusCode, 302);
    const picker = await get(r.headers.location as string);
    assert.equal(picker.statusCode, 200);
    const href = [...picker.body.matchAll(/href="(\/login\/sso[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))[0]!;
    const toIdp = await get(href);
    assert.equal(toIdp.statusCode, 302);
    const acs = await answerAtIdp(okta, toIdp.headers.location as string);
    const loc = new URL(acs.headers.location as string);
    assert.equal(loc.origin + loc.pathname, LANDING);
    const code = loc.searchParams.get('code')!;
    assert.ok(code);
    const tok = await gh.app.inject({ method: 'POST', url: '/api/oauth/token', payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: acmeOkta.clientID, client_secret: acmeOkta.clientSecret, redirect_uri: LANDING }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(tok.statusCode, 200, tok.body);
  });

  test('a code issued for one tenant\'s connection cannot be redeemed with another tenant\'s client credentials', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: acmeOkta.clientID, redirect_uri: CALLBACK, state: 's' });
    const acs = await answerAtIdp(okta, (await get(`/api/oauth/authorize?${q}`)).headers.location as string);
    const code = locationParams(acs).get('code')!;
    const globexSecret = (await api('GET', `/api/v1/sso?clientID=${globex.clientID}`)).json()[0].clientSecret;
    const tok = await gh.app.inject({ method: 'POST', url: '/api/oauth/token', payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: globex.clientID, client_secret: globexSecret, redirect_uri: CALLBACK }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(tok.statusCode, 400);
    assert.equal(tok.json().error, 'invalid_grant');
  });

  test('one-click dead ends are clear 404 pages, never 500s', async () => {
    for (const [url, code] of [
      ['/login/sso?enterprise_key=nobody.com&product=crm', 'LOGIN_UNKNOWN_ENTERPRISE_KEY'],
      ['/login/sso?enterprise_key=acme.com&product=nothing', 'LOGIN_UNKNOWN_PRODUCT'],
      ['/login/sso/invite?enterprise_key=nobody.com', 'LOGIN_UNKNOWN_ENTERPRISE_KEY'],
    ] as const) {
      const r = await get(url);
      assert.equal(r.statusCode, 404, url);
      assert.match(r.body, new RegExp(code));
      assert.match(r.headers['content-type'] as string, /text\/html/);
    }
    await api('PATCH', '/api/v1/sso', { clientID: globex.clientID, deactivated: true });
    const inactive = await get('/login/sso?enterprise_key=globex.com&product=crm');
    assert.equal(inactive.statusCode, 404);
    assert.match(inactive.body, /LOGIN_NO_ACTIVE_CONNECTION/);
    await api('PATCH', '/api/v1/sso', { clientID: globex.clientID, deactivated: false });
  });

  test('a product named only on connections works; a single product need not be named', async () => {
    const r = await get('/login/sso?enterprise_key=globex.com');
    assert.equal(r.statusCode, 302);
    assert.ok((r.headers.location as string).startsWith('https://idp.example.test/sso'));
  });

  test('invite page: "Sign in to <product> with <tenant> SSO" with one button following the one-click link', async () => {
    await api('POST', '/api/v1/tenants', { tenant: 'acme.com', name: 'Acme Inc.' });
    const r = await get('/login/sso/invite?enterprise_key=acme.com&product=crm');
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /Sign in to Acme CRM with Acme Inc\. SSO/);
    assert.match(r.body, /href="\/login\/sso\?enterprise_key=acme\.com&amp;product=crm"/);
    assert.match(r.headers['content-security-policy'] as string, /script-src 'self'/);
  });

  test('a tenant record can give another enterprise key; the identifier then stops working as a key', async () => {
    const upd = await api('PATCH', '/api/v1/tenants/acme.com', { enterpriseKey: 'acme-sso' });
    assert.equal(upd.statusCode, 200, upd.body);
    assert.equal((await get('/login/sso?enterprise_key=acme.com&product=crm')).statusCode, 404);
    assert.equal((await get('/login/sso?enterprise_key=acme-sso&product=crm')).statusCode, 302);
    assert.equal((await api('GET', '/api/v1/sso/links?tenant=acme.com&product=crm')).json().data.oneClickUrl, `${gh.baseUrl}/login/sso?enterprise_key=acme-sso&product=crm`);
    const taken = await api('POST', '/api/v1/tenants', { tenant: 'other', enterpriseKey: 'acme-sso' });
    assert.equal(taken.statusCode, 409);
  });

  test('domains: consumer domains refused; verification needs the TXT record on a real DNS server; one tenant per domain', async () => {
    const gmail = await api('POST', '/api/v1/tenants/acme.com/domains', { domain: 'Gmail.com' });
    assert.equal(gmail.statusCode, 400);
    assert.equal(gmail.json().field, 'domain');
    const add = await api('POST', '/api/v1/tenants/acme.com/domains', { domain: 'Acme.COM' });
    assert.equal(add.statusCode, 201, add.body);
    const { txtRecord } = add.json().data;
    assert.equal(txtRecord.name, 'acme.com');
    assert.match(txtRecord.value, /^gatehouse-verification=[A-Za-z0-9_-]{32}$/);
    const early = await api('POST', '/api/v1/tenants/acme.com/domains/acme.com/verify');
    assert.equal(early.statusCode, 400);
    assert.match(early.json().detail, /No TXT record/);
    dns.txt.set('acme.com', ['v=spf1 -all', txtRecord.value]);
    const ok = await api('POST', '/api/v1/tenants/acme.com/domains/acme.com/verify');
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().data.verified, true);
    const rival = await api('POST', '/api/v1/tenants/globex.com/domains', { domain: 'acme.com' });
    assert.equal(rival.statusCode, 201);
    dns.txt.set('acme.com', [rival.json().data.txtRecord.value]);
    const stolen = await api('POST', '/api/v1/tenants/globex.com/domains/acme.com/verify');
    assert.equal(stolen.statusCode, 409);
  });

  test('home-realm discovery: an email on /login/sso or login_hint on authorize routes to the tenant that verified the domain', async () => {
    const form = await get('/login/sso?product=crm');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<label for="email">Work email<\/label>/);
    const viaEmail = await get('/login/sso?email=bob%40acme.com&product=crm');
    assert.equal(viaEmail.statusCode, 302);
    assert.match(viaEmail.headers.location as string, /^\/idp\/select\?/);
    const unknown = await get('/login/sso?email=bob%40unknown.test&product=crm');
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /LOGIN_DOMAIN_UNKNOWN/);
    const hint = await get(`/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'dummy', product: 'crm', login_hint: 'carol@acme.com', redirect_uri: CALLBACK, state: 's' })}`);
    assert.equal(hint.statusCode, 302);
    assert.match(hint.headers.location as string, /^\/idp\/select\?.*tenant=acme\.com|^\/idp\/select\?.*login_hint=carol/);
    const picker = await get(hint.headers.location as string);
    assert.match(picker.body, /Okta \(employees\)/);
  });

  test('one-click with the product\'s initiate_login_uri hands over to the app with iss, login_hint and target_link_uri', async () => {
    await api('PATCH', '/api/v1/products/crm', { initiateLoginUri: 'https://crm.example.test/login/start' });
    const r = await get('/login/sso?enterprise_key=acme-sso&product=crm');
    assert.equal(r.statusCode, 302);
    const u = new URL(r.headers.location as string);
    assert.equal(u.origin + u.pathname, 'https://crm.example.test/login/start');
    assert.equal(u.searchParams.get('iss'), gh.baseUrl);
    assert.equal(u.searchParams.get('login_hint'), 'acme-sso');
    assert.equal(u.searchParams.get('target_link_uri'), LANDING);
    await api('PATCH', '/api/v1/products/crm', { initiateLoginUri: null });
  });

  test('IdP-initiated: refused by default with a page offering the one-click link; accepted once when the connection opts in', async () => {
    const unsolicited = () => buildSamlResponseBase64({ idp: globexIdp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: null, nameId: 'dan@globex.com' });
    const off = await postToAcs(gh.app, unsolicited(), null);
    assert.equal(off.statusCode, 400);
    assert.match(off.body, /SAML_UNSOLICITED/);
    assert.match(off.body, /href="http:\/\/127\.0\.0\.1:5225\/login\/sso\?enterprise_key=globex\.com&amp;product=crm"/);
    await api('PATCH', '/api/v1/sso', { clientID: globex.clientID, allowIdpInitiated: true });
    const response = unsolicited();
    const on = await postToAcs(gh.app, response, LANDING);
    assert.equal(on.statusCode, 302, on.body);
    const loc = new URL(on.headers.location as string);
    assert.equal(loc.origin + loc.pathname, LANDING);
    assert.ok(loc.searchParams.get('code'));
    const replay = await postToAcs(gh.app, response, null);
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /SAML_REPLAYED/);
    const evilRelay = await postToAcs(gh.app, unsolicited(), 'https://evil.test/steal');
    assert.ok(!(evilRelay.headers.location as string).startsWith('https://evil.test'), 'RelayState lands only on allowed URLs');
  });
});
