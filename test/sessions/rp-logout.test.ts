/**
 * RP-initiated logout (issue 15, decision 0030) with openid-client as the app: discovery names the
 * end_session_endpoint, buildEndSessionUrl ends the session and returns the browser to the registered
 * post_logout_redirect_uri with its state. The id_token_hint must be ours (an expired one is fine); the URI is
 * matched exactly; refusals are pages and end no session. The connection here has no SAML SLO, so no IdP is asked.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as oidc from 'openid-client';
import { SignJWT } from 'jose';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { APP_CALLBACK, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { appSessionsRepo } from '../../src/storage/index.ts';

const APP_BYE = 'https://app.example.test/bye';

for (const dialect of testDialects()) {
  describe(`RP-initiated logout through openid-client on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    let idp: TestIdp;
    let conn: { clientID: string; clientSecret: string };
    let config: oidc.Configuration;
    let clockOffset = 0;
    before(async () => {
      gh = await startGatehouse({ dialect, listen: true, now: () => Date.now() + clockOffset });
      if (!gh) return;
      idp = await createTestIdp();
      conn = await createSamlConnection(gh.app, idp);
      const p = await gh.app.inject({ method: 'POST', url: '/api/v1/products', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { product: 'crm', postLogoutRedirectUris: [APP_BYE, 'http://localhost:3000/after-logout'] } });
      assert.equal(p.statusCode, 201, p.body);
      config = await oidc.discovery(new URL(gh.baseUrl), conn.clientID, conn.clientSecret, oidc.ClientSecretPost(conn.clientSecret), { execute: [oidc.allowInsecureRequests] });
    });
    after(async () => gh?.close());

    async function signIn() {
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: APP_CALLBACK, scope: 'openid email', state });
      const { acs } = await samlRound(gh!, idp, Object.fromEntries(url.searchParams));
      assert.equal(acs.statusCode, 302, acs.body);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(acs.headers.location as string), { expectedState: state });
      return { idToken: tokens.id_token!, accessToken: tokens.access_token, sid: tokens.claims()!.sid as string, sub: tokens.claims()!.sub };
    }
    const open = async (sid: string) => (await appSessionsRepo.find(gh!.ctx.db, sid))?.ended_at === null;
    const get = (url: URL | string) => fetch(url, { redirect: 'manual' });

    test('discovery → end_session_endpoint; logout ends the session and returns to the registered URI with state', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      assert.equal(config.serverMetadata().end_session_endpoint, `${gh.baseUrl}/api/oauth/logout`);
      const s = await signIn();
      assert.ok((await oidc.fetchUserInfo(config, s.accessToken, s.sub)).sub);
      const url = oidc.buildEndSessionUrl(config, { id_token_hint: s.idToken, post_logout_redirect_uri: APP_BYE, state: 'bye-1' });
      const res = await get(url);
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), `${APP_BYE}?state=bye-1`);
      assert.equal(await open(s.sid), false);
      assert.equal((await appSessionsRepo.find(gh.ctx.db, s.sid))?.end_reason, 'rp_logout');
      await assert.rejects(oidc.fetchUserInfo(config, s.accessToken, s.sub), 'the access token is refused at once');
      const again = await get(url);
      assert.equal(again.status, 302, 'logging out twice is harmless');
    });

    test('POST with a form body; no post_logout_redirect_uri → the signed-out page', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const s = await signIn();
      const res = await fetch(`${gh.baseUrl}/api/oauth/logout`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ id_token_hint: s.idToken, client_id: conn.clientID }) });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /You are signed out/);
      assert.equal(await open(s.sid), false);
    });

    test('an expired id_token_hint is accepted; a client_id alone returns to the URI without ending any session', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const s = await signIn();
      const bystander = await signIn();
      clockOffset = 3 * 3600_000;
      try {
        const res = await get(oidc.buildEndSessionUrl(config, { id_token_hint: s.idToken, post_logout_redirect_uri: 'http://localhost:3000/after-logout' }));
        assert.equal(res.status, 302);
        assert.equal(res.headers.get('location'), 'http://localhost:3000/after-logout');
      } finally {
        clockOffset = 0;
      }
      assert.equal(await open(s.sid), false);
      const clientOnly = await get(`${gh.baseUrl}/api/oauth/logout?${new URLSearchParams({ client_id: conn.clientID, post_logout_redirect_uri: APP_BYE, state: 'x' })}`);
      assert.equal(clientOnly.status, 302);
      assert.equal(clientOnly.headers.get('location'), `${APP_BYE}?state=x`);
      assert.equal(await open(bystander.sid), true, 'without an id_token_hint no session is known, so none ends');
    });

    test('refusals are pages and end no session: unregistered URI, forged hint, client_id not the hint\'s audience, no client at all', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const s = await signIn();
      const [header, payload] = s.idToken.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const { kid } = JSON.parse(Buffer.from(header!, 'base64url').toString());
      const forgedHint = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
      const cases: [Record<string, string>, string][] = [
        [{ id_token_hint: s.idToken, post_logout_redirect_uri: 'https://app.example.test/other' }, 'OAUTH_INVALID_POST_LOGOUT_REDIRECT_URI'],
        [{ id_token_hint: s.idToken, post_logout_redirect_uri: 'https://APP.example.test/bye' }, 'OAUTH_INVALID_POST_LOGOUT_REDIRECT_URI'],
        [{ client_id: conn.clientID, post_logout_redirect_uri: 'https://evil.example.test/' }, 'OAUTH_INVALID_POST_LOGOUT_REDIRECT_URI'],
        [{ id_token_hint: forgedHint, post_logout_redirect_uri: APP_BYE }, 'OAUTH_INVALID_ID_TOKEN_HINT'],
        [{ id_token_hint: 'not-a-jwt' }, 'OAUTH_INVALID_ID_TOKEN_HINT'],
        [{ id_token_hint: s.idToken, client_id: 'tenant=acme.com&product=other', post_logout_redirect_uri: APP_BYE }, 'OAUTH_INVALID_REQUEST'],
        [{ post_logout_redirect_uri: APP_BYE }, 'OAUTH_INVALID_REQUEST'],
        [{ client_id: 'no-such-client', post_logout_redirect_uri: APP_BYE }, 'OAUTH_INVALID_CLIENT'],
        [{ id_token_hint: s.idToken, post_logout_redirect_uri: APP_BYE, state: 'x'.repeat(3000) }, 'OAUTH_INVALID_REQUEST'],
      ];
      for (const [q, code] of cases) {
        const res = await get(`${gh.baseUrl}/api/oauth/logout?${new URLSearchParams(q)}`);
        assert.equal(res.status, 400, `${JSON.stringify(q)} → ${res.status}`);
        assert.equal(res.headers.get('location'), null);
        const page = await res.text();
        assert.match(page, new RegExp(code), JSON.stringify(q));
        assert.match(page, /We could not complete the sign-out/);
      }
      const repeated = await get(`${gh.baseUrl}/api/oauth/logout?${new URLSearchParams({ id_token_hint: s.idToken, post_logout_redirect_uri: APP_BYE })}&state=a&state=b`);
      assert.equal(repeated.status, 400, 'a repeated parameter');
      assert.equal(await open(s.sid), true, 'no refusal ended the session');
    });
  });
}
