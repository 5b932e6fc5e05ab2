/**
 * Identity Federation OIDC apps end to end, on every dialect: the app is openid-client (discovery on Gatehouse,
 * authorization code + PKCE, its own client ID and secret), the user signs in through the tenant's upstream SAML
 * IdP (test/support/saml-idp.ts), and the id_token names the app as its audience. Refusals: a wrong client secret,
 * a redirect_uri the app did not register (a connection's included), the app deleted. Then the management API's
 * shapes for `type: "oidc"` (Jackson's ids, clientID and clientSecret), the secret sealed at rest and kept out of
 * answers for keys that may not read secrets and out of the audit trail.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, samlRound, startLogin } from '../support/saml-flow.ts';
import { login, startAdminGatehouse } from '../admin-api/support.ts';

const PORTAL_CALLBACK = 'https://portal.example.test/auth/callback';
const auth = { authorization: `Api-Key ${API_KEY}` };
/** SAML Jackson's OIDC app id: "oidc_" + RIPEMD-160 (hex) of "tenant:product"; the client ID is "fed_" + the id. */
const jacksonOidcAppId = (tenant: string, product: string) => `oidc_${createHash('ripemd160').update(`${tenant}:${product}`).digest('hex')}`;

interface OidcApp { id: string; clientID: string; clientSecret: string; redirectUrl: string[] }

const api = (gh: RunningGatehouse, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = auth) =>
  gh.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

async function createOidcApp(gh: RunningGatehouse, over: Record<string, unknown> = {}): Promise<OidcApp> {
  const res = await api(gh, 'POST', '/api/v1/identity-federation', { type: 'oidc', name: 'Customer Portal', tenant: 'acme.com', product: 'crm', redirectUrl: JSON.stringify([PORTAL_CALLBACK]), ...over });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().data as OidcApp;
}

/** The browser part: the authorize URL → the tenant's IdP → ACS; answers the URL the ACS sends the browser to. */
async function browserLogin(gh: RunningGatehouse, idp: TestIdp, authorizeUrl: URL) {
  const { acs } = await samlRound(gh, idp, Object.fromEntries(authorizeUrl.searchParams));
  assert.equal(acs.statusCode, 302, acs.body);
  return new URL(acs.headers.location as string);
}

/** A code for the app, through the full sign-in; with the PKCE verifier it was bound to. */
async function codeFor(gh: RunningGatehouse, idp: TestIdp, clientId: string) {
  const verifier = oidc.randomPKCECodeVerifier();
  const q = { response_type: 'code', client_id: clientId, redirect_uri: PORTAL_CALLBACK, scope: 'openid', state: 's1', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' };
  const callback = await browserLogin(gh, idp, new URL(`${gh.baseUrl}/api/oauth/authorize?${new URLSearchParams(q)}`));
  return { code: callback.searchParams.get('code')!, verifier };
}

const tokenRequest = (gh: RunningGatehouse, form: Record<string, string>) =>
  gh.app.inject({ method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() });

for (const dialect of testDialects()) {
  describe(`Identity Federation OIDC app on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    let idp: TestIdp;
    let app: OidcApp;
    before(async () => {
      gh = await startGatehouse({ dialect, listen: true });
      if (!gh) return;
      idp = await createTestIdp();
      await createSamlConnection(gh.app, idp);
      app = await createOidcApp(gh);
    });
    after(async () => gh?.close());

    test('openid-client: discovery → authorize (PKCE) → the tenant\'s SAML IdP → token with the app\'s secret → id_token for the app → userinfo', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const config = await oidc.discovery(new URL(gh.baseUrl), app.clientID, app.clientSecret, oidc.ClientSecretBasic(app.clientSecret), { execute: [oidc.allowInsecureRequests] });
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: PORTAL_CALLBACK, scope: 'openid email profile', state, nonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      const callback = await browserLogin(gh, idp, url);
      assert.equal(callback.origin + callback.pathname, PORTAL_CALLBACK, 'the code goes to the app\'s own redirect URL');
      const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      const claims = tokens.claims()!;
      assert.equal(claims.aud, app.clientID, 'the id_token is for the app');
      assert.equal(claims.iss, gh.baseUrl);
      assert.equal(claims.email, 'alice@acme.com');
      assert.equal(claims.nonce, nonce);
      assert.equal(claims.tenant, 'acme.com');
      assert.equal(claims.product, 'crm');
      const info = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)) as Record<string, unknown>;
      assert.equal(info.email, 'alice@acme.com');
      assert.equal(info.firstName, 'Alice');

      const again = await tokenRequest(gh, { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: PORTAL_CALLBACK, client_id: app.clientID, client_secret: app.clientSecret, code_verifier: verifier });
      assert.equal(again.statusCode, 400, 'the code is single use');
      assert.equal(again.json().error, 'invalid_grant');
    });

    test('a wrong client secret is 401 invalid_client; PKCE alone redeems (a public client)', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const { code, verifier } = await codeFor(gh, idp, app.clientID);
      const wrongSecret = `${app.clientSecret.slice(0, -1)}${app.clientSecret.endsWith('0') ? '1' : '0'}`;
      const wrong = await tokenRequest(gh, { grant_type: 'authorization_code', code, redirect_uri: PORTAL_CALLBACK, client_id: app.clientID, client_secret: wrongSecret, code_verifier: verifier });
      assert.equal(wrong.statusCode, 401, wrong.body);
      assert.equal(wrong.json().error, 'invalid_client');
      const basic = await gh.app.inject({
        method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${app.clientID}:nope`).toString('base64')}` },
        payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: PORTAL_CALLBACK, code_verifier: verifier }).toString(),
      });
      assert.equal(basic.statusCode, 401, basic.body);
      assert.equal(basic.json().error, 'invalid_client');
      const publicClient = await tokenRequest(gh, { grant_type: 'authorization_code', code, redirect_uri: PORTAL_CALLBACK, client_id: app.clientID, code_verifier: verifier });
      assert.equal(publicClient.statusCode, 200, publicClient.body);
      const idToken = JSON.parse(Buffer.from(publicClient.json().id_token.split('.')[1], 'base64url').toString());
      assert.equal(idToken.aud, app.clientID);
    });

    test('a redirect_uri the app did not register, the connection\'s own included, is a 4xx page with no redirect', async (t) => {
      if (!gh) return t.skip('database unreachable');
      for (const redirectUri of ['https://evil.example.test/cb', `${PORTAL_CALLBACK}/x`, APP_CALLBACK]) {
        const { res } = await startLogin(gh.app, { response_type: 'code', client_id: app.clientID, redirect_uri: redirectUri, scope: 'openid', state: 's' });
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${redirectUri}: ${res.statusCode}`);
        assert.equal(res.headers.location, undefined, `${redirectUri}: no redirect, to the app or to the IdP`);
        assert.match(String(res.headers['content-type']), /text\/html/);
      }
      const missing = await startLogin(gh.app, { response_type: 'code', client_id: app.clientID, scope: 'openid', state: 's' });
      assert.equal(missing.res.statusCode, 400, 'the app names its redirect_uri');
      assert.equal(missing.res.headers.location, undefined);
    });

    test('the app deleted: its client_id is refused at authorize, and its codes at the token endpoint', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const doomed = await createOidcApp(gh, { tenant: 'acme.com', product: 'crm-doomed', tenants: ['acme.com'] });
      await createSamlConnection(gh.app, idp, { product: 'crm-doomed' });
      const { code, verifier } = await codeFor(gh, idp, doomed.clientID);
      assert.equal((await api(gh, 'DELETE', `/api/v1/identity-federation?id=${doomed.id}`)).statusCode, 200);
      const { res } = await startLogin(gh.app, { response_type: 'code', client_id: doomed.clientID, redirect_uri: PORTAL_CALLBACK, scope: 'openid', state: 's' });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.headers.location, undefined);
      const token = await tokenRequest(gh, { grant_type: 'authorization_code', code, redirect_uri: PORTAL_CALLBACK, client_id: doomed.clientID, client_secret: doomed.clientSecret, code_verifier: verifier });
      assert.equal(token.statusCode, 401, token.body);
      assert.equal(token.json().error, 'invalid_client');
      const unknown = await startLogin(gh.app, { response_type: 'code', client_id: 'fed_oidc_0000', redirect_uri: PORTAL_CALLBACK, scope: 'openid', state: 's' });
      assert.equal(unknown.res.statusCode, 400);
    });

    test('management API: create, get, list, update and delete a type "oidc" app in Jackson\'s shapes', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const created = await api(gh, 'POST', '/api/v1/identity-federation', { type: 'oidc', name: 'HR Portal', tenant: 'globex.com', product: 'hr', redirectUrl: ['https://hr.example.test/cb'], tenants: ['initech.com'], acsUrl: 'https://ignored.example.test/acs' });
      assert.equal(created.statusCode, 201, created.body);
      const data = created.json().data;
      const id = jacksonOidcAppId('globex.com', 'hr');
      assert.match(data.clientSecret, /^[0-9a-f]{48}$/, 'Jackson\'s secret: 24 random bytes, hex');
      assert.deepEqual(data, {
        id, type: 'oidc', name: 'HR Portal', tenant: 'globex.com', product: 'hr', redirectUrl: ['https://hr.example.test/cb'], logoUrl: null, faviconUrl: null, primaryColor: null,
        tenants: ['globex.com', 'initech.com'], mappings: [], samlAudienceOverride: null, ttlInMinutes: null, clientID: `fed_${id}`, clientSecret: data.clientSecret,
      });
      assert.equal(String(created.headers['cache-control']), 'no-store');

      assert.deepEqual((await api(gh, 'GET', `/api/v1/identity-federation?id=${id}`)).json(), { data });
      assert.deepEqual((await api(gh, 'GET', '/api/v1/identity-federation?tenant=globex.com&product=hr&type=oidc')).json(), { data });
      assert.equal((await api(gh, 'GET', '/api/v1/identity-federation?tenant=globex.com&product=hr')).statusCode, 404, 'without type=oidc, tenant+product names the SAML app (Jackson\'s ids)');
      const saml = await api(gh, 'POST', '/api/v1/identity-federation', { name: 'HR (SAML)', tenant: 'globex.com', product: 'hr', acsUrl: 'https://hr.example.test/acs', entityId: 'https://hr.example.test/sp' });
      assert.equal(saml.statusCode, 201, 'a tenant+product may have one app of each type, as in Jackson');
      const list = (await api(gh, 'GET', '/api/v1/identity-federation/product?product=hr')).json().data as { id: string; type: string }[];
      assert.deepEqual(list.map((a) => a.type), ['saml', 'oidc'], 'both types, newest first');
      assert.deepEqual((await api(gh, 'GET', '/api/v1/identity-federation/product?product=hr&pageOffset=1&pageLimit=1')).json().data.map((a: { id: string }) => a.id), [id]);

      const again = await api(gh, 'POST', '/api/v1/identity-federation', { type: 'oidc', name: 'Twin', tenant: 'globex.com', product: 'hr', redirectUrl: ['https://hr.example.test/cb'] });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().field, 'tenant');

      const updated = await api(gh, 'PATCH', '/api/v1/identity-federation', { id, name: 'HR Portal 2', redirectUrl: '["https://hr.example.test/cb2"]', primaryColor: '#112233' });
      assert.equal(updated.statusCode, 200, updated.body);
      assert.deepEqual(updated.json().data, { ...data, name: 'HR Portal 2', redirectUrl: ['https://hr.example.test/cb2'], primaryColor: '#112233' });
      const byTenant = await api(gh, 'PATCH', '/api/v1/identity-federation', { tenant: 'globex.com', product: 'hr', type: 'oidc', tenants: [] });
      assert.deepEqual(byTenant.json().data.tenants, ['globex.com']);
      assert.equal((await api(gh, 'PATCH', '/api/v1/identity-federation', { id })).statusCode, 400, 'nothing to change');
      const wildcard = await api(gh, 'PATCH', '/api/v1/identity-federation', { id, redirectUrl: ['https://*.example.test/cb'] });
      assert.equal(wildcard.statusCode, 400, 'wildcards only under JACKSON_COMPAT');
      assert.equal(wildcard.json().field, 'redirectUrl');

      const row = await gh.ctx.db.selectFrom('federation_oidc_apps').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.ok(!row.client_secret_sealed.includes(data.clientSecret), 'the secret is sealed at rest');
      const audit = await gh.ctx.db.selectFrom('audit_events').selectAll().execute();
      assert.ok(audit.length > 0);
      assert.ok(audit.every((e) => !JSON.stringify(e).includes(data.clientSecret)), 'the audit trail never holds the secret');

      assert.equal((await api(gh, 'DELETE', `/api/v1/identity-federation?tenant=globex.com&product=hr&type=oidc`)).statusCode, 200);
      assert.equal((await api(gh, 'GET', `/api/v1/identity-federation?id=${id}`)).statusCode, 404);
      assert.equal((await api(gh, 'GET', '/api/v1/identity-federation?tenant=globex.com&product=hr')).statusCode, 200, 'the SAML app stays');
    });
  });
}

describe('Identity Federation OIDC app: several connections, the app\'s tenants, and who sees the secret', () => {
  let gh: RunningGatehouse;
  let idps: { acme: TestIdp; globex: TestIdp; initech: TestIdp };
  let app: OidcApp;
  let connections: { acme: string; globex: string; initech: string };
  let owner: Awaited<ReturnType<typeof login>>;
  before(async () => {
    const s = await startAdminGatehouse();
    gh = s.gh;
    await s.account('owner@example.com', 'owner');
    owner = await login(gh, 'owner@example.com');
    idps = { acme: await createTestIdp(), globex: await createTestIdp(), initech: await createTestIdp() };
    connections = {
      acme: (await createSamlConnection(gh.app, idps.acme)).clientID,
      globex: (await createSamlConnection(gh.app, idps.globex, { tenant: 'globex.com', name: 'Globex Entra' })).clientID,
      initech: (await createSamlConnection(gh.app, idps.initech, { tenant: 'initech.com', name: 'Initech' })).clientID,
    };
    app = await createOidcApp(gh, { tenants: ['globex.com'] });
  });
  after(async () => gh?.close());

  const base = () => ({ response_type: 'code', client_id: app.clientID, redirect_uri: PORTAL_CALLBACK, scope: 'openid', state: 'st' });

  test('the connections of the app\'s tenants go to the picker; idp_hint chooses among them', async () => {
    const start = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams(base())}` });
    assert.equal(start.statusCode, 302, start.body);
    assert.match(start.headers.location as string, /^\/idp\/select\?/);
    const picker = await gh.app.inject({ url: start.headers.location as string });
    assert.equal(picker.statusCode, 200, picker.body);
    const hints = [...picker.body.matchAll(/href="([^"]*idp_hint=[^"]*)"/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, '&'), gh.baseUrl).searchParams.get('idp_hint'));
    assert.deepEqual(hints.sort(), [connections.acme, connections.globex].sort(), 'the app\'s own tenant and the tenants it lists; not initech.com');

    const { acs } = await samlRound(gh, idps.globex, { ...base(), idp_hint: connections.globex });
    assert.equal(acs.statusCode, 302, acs.body);
    const code = locationParams(acs).get('code');
    assert.ok(code, 'signed in through globex.com\'s connection');
    const token = await tokenRequest(gh, { grant_type: 'authorization_code', code: code!, redirect_uri: PORTAL_CALLBACK, client_id: app.clientID, client_secret: app.clientSecret });
    assert.equal(token.statusCode, 200, token.body);
    const idToken = JSON.parse(Buffer.from(token.json().id_token.split('.')[1], 'base64url').toString());
    assert.deepEqual([idToken.aud, idToken.tenant], [app.clientID, 'globex.com']);
  });

  test('without a secret or PKCE the code is refused; idp_hint outside the app\'s tenants is refused, never replaced', async () => {
    const { acs } = await samlRound(gh, idps.acme, { ...base(), idp_hint: connections.acme });
    const bare = await tokenRequest(gh, { grant_type: 'authorization_code', code: locationParams(acs).get('code')!, redirect_uri: PORTAL_CALLBACK, client_id: app.clientID });
    assert.equal(bare.statusCode, 401);
    assert.equal(bare.json().error, 'invalid_client');

    const res = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams({ ...base(), idp_hint: connections.initech })}` });
    assert.ok(res.statusCode < 500, res.body);
    if (res.statusCode === 302) {
      const loc = new URL(res.headers.location as string);
      assert.equal(loc.origin + loc.pathname, PORTAL_CALLBACK, 'only to the verified redirect URI');
      assert.equal(loc.searchParams.get('error'), 'invalid_request');
    } else assert.ok(res.statusCode >= 400);
  });

  test('the clientSecret is answered only to callers that may read secrets', async () => {
    const mint = await owner.req('POST', '/api/admin/api-keys', { name: 'reader', kind: 'scoped', scopes: { permissions: ['sso:read', 'sso:write'] } });
    assert.equal(mint.statusCode, 201, mint.body);
    const reader = { authorization: `Api-Key ${mint.json().data.key}` };
    const read = await api(gh, 'GET', `/api/v1/identity-federation?id=${app.id}`, undefined, reader);
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().data.clientID, app.clientID);
    assert.equal('clientSecret' in read.json().data, false);
    const listed = await api(gh, 'GET', '/api/v1/identity-federation/product?product=crm', undefined, reader);
    assert.ok(listed.json().data.every((a: Record<string, unknown>) => !('clientSecret' in a)));
    const created = await api(gh, 'POST', '/api/v1/identity-federation', { type: 'oidc', name: 'Wiki', tenant: 'acme.com', product: 'wiki', redirectUrl: ['https://wiki.example.test/cb'] }, reader);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal('clientSecret' in created.json().data, false);
    const withSecrets = await api(gh, 'GET', `/api/v1/identity-federation?id=${created.json().data.id}`);
    assert.match(withSecrets.json().data.clientSecret, /^[0-9a-f]{48}$/, 'the bootstrap key reads it');
  });
});

describe('Identity Federation OIDC app under JACKSON_COMPAT: Jackson\'s redirect-URL matching', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  before(async () => {
    gh = (await startGatehouse({ env: { JACKSON_COMPAT: 'true' } }))!;
    idp = await createTestIdp();
    await createSamlConnection(gh.app, idp);
  });
  after(async () => gh?.close());

  test('a bare origin or a *.domain entry allows what Jackson allows; another origin is still a page with no redirect', async () => {
    const app = await createOidcApp(gh, { redirectUrl: ['https://portal.example.test', 'https://*.apps.example.test'] });
    for (const redirectUri of ['https://portal.example.test/any/path', 'https://eu.apps.example.test/cb']) {
      const { acs } = await samlRound(gh, idp, { response_type: 'code', client_id: app.clientID, redirect_uri: redirectUri, scope: 'openid', state: 's' });
      assert.equal(acs.statusCode, 302, acs.body);
      const loc = new URL(acs.headers.location as string);
      assert.equal(loc.origin + loc.pathname, redirectUri);
      assert.ok(loc.searchParams.get('code'));
    }
    const { res } = await startLogin(gh.app, { response_type: 'code', client_id: app.clientID, redirect_uri: 'https://evil.example.test/cb', scope: 'openid', state: 's' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers.location, undefined);
  });
});
