/**
 * OIDC connections end to end: node-oidc-provider on 127.0.0.1 is the customer's IdP (its login and
 * consent pages driven over HTTP), Gatehouse the relying party, and the app's side the same
 * code/token/userinfo surface as SAML.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { startGatehouse, API_KEY, freePort, type RunningGatehouse } from '../support/gatehouse.ts';
import { startOidcIdp, signInAtOidcIdp, type TestOidcIdp } from '../support/oidc-idp.ts';
import { APP_CALLBACK, locationParams } from '../support/saml-flow.ts';

describe('OIDC connections', () => {
  let gh: RunningGatehouse;
  let idp: TestOidcIdp;
  let conn: { clientID: string; clientSecret: string };
  let garbage: Server;
  let hang: Server;
  let garbageUrl: string;
  let hangUrl: string;
  before(async () => {
    gh = (await startGatehouse({ env: { OUTBOUND_TIMEOUT_MS: '800' } }))!;
    idp = await startOidcIdp({
      redirectUris: [gh.ctx.config.oidcCallbackUrl],
      accounts: {
        alice: { email: 'alice@acme.com', email_verified: true, given_name: 'Alice', family_name: 'Liddell', groups: ['eng', 'admins'] },
        noemail: { given_name: 'No', family_name: 'Mail' },
      },
    });
    garbage = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>'));
    hang = createServer(() => {});
    const gp = await freePort();
    const hp = await freePort();
    await new Promise<void>((r) => garbage.listen(gp, '127.0.0.1', r));
    await new Promise<void>((r) => hang.listen(hp, '127.0.0.1', r));
    garbageUrl = `http://127.0.0.1:${gp}`;
    hangUrl = `http://127.0.0.1:${hp}`;
    const res = await api('POST', '/api/v1/sso', { tenant: 'acme.com', product: 'crm', name: 'Acme OIDC', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], oidcDiscoveryUrl: idp.issuer, oidcClientId: idp.clientId, oidcClientSecret: idp.clientSecret });
    assert.equal(res.statusCode, 200, res.body);
    conn = res.json();
  });
  after(async () => {
    garbage.closeAllConnections();
    hang.closeAllConnections();
    garbage.close();
    hang.close();
    await idp.close();
    await gh.close();
  });

  function api(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
    return gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
  }

  async function loginAs(clientId: string, login: string) {
    const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: APP_CALLBACK, state: 'app-state', scope: 'openid', nonce: 'app-nonce' });
    const start = await gh.app.inject({ url: `/api/oauth/authorize?${q}` });
    assert.equal(start.statusCode, 302, start.body);
    const upstream = new URL(start.headers.location as string);
    const callback = await signInAtOidcIdp(upstream.href, login, gh.ctx.config.oidcCallbackUrl);
    const cb = new URL(callback);
    return { upstream, done: await gh.app.inject({ url: cb.pathname + cb.search }) };
  }

  test('the management API stores the provider and never echoes the OIDC client secret', async () => {
    const list = await api('GET', '/api/v1/sso?tenant=acme.com&product=crm');
    const body = list.body;
    assert.ok(!body.includes(idp.clientSecret), 'oidcClientSecret is never returned');
    const c = list.json()[0];
    assert.equal(c.type, 'oidc');
    assert.equal(c.oidcProvider.provider, idp.issuer);
    assert.equal(c.oidcProvider.clientId, idp.clientId);
    assert.equal(c.oidcProvider.clientSecretSet, true);
    const row = await gh.ctx.db.selectFrom('connections').select('settings').where('id', '=', conn.clientID).executeTakeFirstOrThrow();
    assert.ok(!row.settings.includes(idp.clientSecret), 'the client secret is sealed at rest');
  });

  test('sign-in: Gatehouse uses its own state, nonce and PKCE upstream, validates the id_token, merges userinfo, and the app gets the profile', async () => {
    const { upstream, done } = await loginAs(conn.clientID, 'alice');
    assert.equal(upstream.origin, idp.issuer);
    assert.notEqual(upstream.searchParams.get('state'), 'app-state');
    assert.notEqual(upstream.searchParams.get('nonce'), 'app-nonce');
    assert.equal(upstream.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(upstream.searchParams.get('redirect_uri'), gh.ctx.config.oidcCallbackUrl);
    assert.equal(done.statusCode, 302, done.body);
    const back = locationParams(done);
    assert.equal(back.get('state'), 'app-state');
    const code = back.get('code')!;
    const tok = await gh.app.inject({ method: 'POST', url: '/api/oauth/token', payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(tok.statusCode, 200, tok.body);
    const info = (await gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${tok.json().access_token}` } })).json();
    assert.notEqual(info.sub, 'alice', 'sub is per connection, not the upstream sub (issue 11)');
    assert.equal(info.id, 'alice');
    assert.equal(info.nameid, 'alice');
    assert.equal(info.tenant, 'acme.com');
    assert.equal(info.email_verified, false, 'the provider says verified, but acme.com is not a domain the tenant verified');
    assert.equal(info.email, 'alice@acme.com');
    assert.equal(info.firstName, 'Alice');
    assert.equal(info.lastName, 'Liddell');
    assert.deepEqual(info.groups, ['eng', 'admins']);
    assert.deepEqual(info.requested, { tenant: 'acme.com', product: 'crm' });
  });

  test('the callback cannot be replayed', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's2' });
    const start = await gh.app.inject({ url: `/api/oauth/authorize?${q}` });
    const cb = new URL(await signInAtOidcIdp(start.headers.location as string, 'alice', gh.ctx.config.oidcCallbackUrl));
    assert.equal((await gh.app.inject({ url: cb.pathname + cb.search })).statusCode, 302);
    const again = await gh.app.inject({ url: cb.pathname + cb.search });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /OIDC_STATE_UNKNOWN/);
  });

  test('a user without an email claim gets an OAuth error at the app, not a crash', async () => {
    const { done } = await loginAs(conn.clientID, 'noemail');
    assert.equal(done.statusCode, 302);
    assert.equal(locationParams(done).get('error'), 'access_denied');
    assert.equal(locationParams(done).get('error_code'), 'OIDC_EMAIL_MISSING');
    assert.equal(locationParams(done).get('code'), null);
  });

  test('claim mapping overrides per connection', async () => {
    const upd = await api('PATCH', '/api/v1/sso', { clientID: conn.clientID, attributeMapping: { firstName: 'family_name', groups: 'no_such_claim' } });
    assert.equal(upd.statusCode, 204, upd.body);
    const { done } = await loginAs(conn.clientID, 'alice');
    const code = locationParams(done).get('code')!;
    const tok = await gh.app.inject({ method: 'POST', url: '/api/oauth/token', payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: conn.clientID, client_secret: conn.clientSecret }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const info = (await gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${tok.json().access_token}` } })).json();
    assert.equal(info.firstName, 'Liddell', 'the override is read first');
    assert.deepEqual(info.groups, ['eng', 'admins'], 'a missing override falls back to the defaults');
    await api('PATCH', '/api/v1/sso', { clientID: conn.clientID, attributeMapping: {} });
  });

  test('the provider refusing the sign-in (error on the callback) reaches the app as an OAuth error', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's3' });
    const start = await gh.app.inject({ url: `/api/oauth/authorize?${q}` });
    const flowState = new URL(start.headers.location as string).searchParams.get('state')!;
    const res = await gh.app.inject({ url: `/api/oauth/oidc?error=access_denied&error_description=User+cancelled&state=${flowState}` });
    assert.equal(res.statusCode, 302);
    assert.equal(locationParams(res).get('error_code'), 'OIDC_IDP_ERROR');
    assert.equal(locationParams(res).get('state'), 's3');
  });

  for (const [name, target, expected] of [
    ['down (connection refused)', 'closed', 'OIDC_IDP_UNAVAILABLE'],
    ['answering garbage', 'garbage', 'OIDC_IDP_UNAVAILABLE'],
    ['hanging', 'hang', 'OIDC_IDP_UNAVAILABLE'],
  ] as const) {
    test(`an IdP token endpoint that is ${name} gives the app an OAuth error quickly, never a hang`, async () => {
      const base = target === 'garbage' ? garbageUrl : target === 'hang' ? hangUrl : `http://127.0.0.1:${await freePort()}`;
      const metadata = { issuer: `${base}/`, authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks` };
      const c = await api('POST', '/api/v1/sso', { tenant: `${target}.com`, product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], oidcMetadata: metadata, oidcClientId: 'x', oidcClientSecret: 'y' });
      assert.equal(c.statusCode, 200, c.body);
      const start = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: c.json().clientID, redirect_uri: APP_CALLBACK, state: 'st' })}` });
      const flowState = new URL(start.headers.location as string).searchParams.get('state')!;
      const t0 = Date.now();
      const res = await gh.app.inject({ url: `/api/oauth/oidc?code=abc&state=${flowState}&iss=${encodeURIComponent(metadata.issuer)}` });
      assert.ok(Date.now() - t0 < 5000, 'answered within the outbound timeout');
      assert.equal(res.statusCode, 302, res.body);
      assert.equal(locationParams(res).get('error'), 'temporarily_unavailable');
      assert.equal(locationParams(res).get('error_code'), expected);
    });
  }

  test('creating an OIDC connection validates the provider: unreachable discovery, private hosts, missing client id', async () => {
    const base = { tenant: 'x.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] };
    const missingId = await api('POST', '/api/v1/sso', { ...base, oidcDiscoveryUrl: idp.issuer });
    assert.equal(missingId.statusCode, 400);
    assert.equal(missingId.json().field, 'oidcClientId');
    const privateHost = await api('POST', '/api/v1/sso', { ...base, oidcDiscoveryUrl: 'https://10.0.0.5', oidcClientId: 'a' });
    assert.equal(privateHost.statusCode, 400);
    assert.equal(privateHost.json().field, 'oidcDiscoveryUrl');
    const badMeta = await api('POST', '/api/v1/sso', { ...base, oidcMetadata: { issuer: 'https://x' }, oidcClientId: 'a' });
    assert.equal(badMeta.statusCode, 400);
    assert.equal(badMeta.json().field, 'oidcMetadata');
  });
});
