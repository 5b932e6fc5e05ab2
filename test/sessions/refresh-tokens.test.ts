/**
 * Issue 15, app-facing tokens (decision 0024), with openid-client as the app against a listening Gatehouse on every
 * dialect: scope offline_access gives a refresh token; each refresh rotates it and issues a new access token and
 * id_token (same sub and sid, no nonce); presenting a used one is invalid_grant and revokes the family; revocation
 * (RFC 7009) and introspection (RFC 7662) with each client form; another client's refresh token is refused with
 * nothing revoked; a session ended refuses its refresh tokens; a product can turn refresh tokens off.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { appSessionsRepo, refreshTokensRepo } from '../../src/storage/index.ts';
import { tokenHash } from '../../src/crypto/secrets.ts';
import { endAppSessions } from '../../src/oauth/sessions.ts';

const VERIFIER = 'vendor-verifier-0123456789abcdef';
const PORTAL_CALLBACK = 'https://portal.example.test/auth/callback';
const OFFLINE = 'openid email offline_access';
const insecure = { execute: [oidc.allowInsecureRequests] };
type Tokens = oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

/** openid-client's error for an OAuth error answer: its `error` code. */
const oauthError = (code: string) => (e: unknown) => (e as { error?: string }).error === code;

for (const dialect of testDialects()) {
  describe(`refresh tokens, revocation and introspection through openid-client on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    let idp: TestIdp;
    let conn: { clientID: string; clientSecret: string };
    let other: { clientID: string; clientSecret: string };
    let confidential: oidc.Configuration;
    before(async () => {
      gh = await startGatehouse({ dialect, listen: true, env: { CLIENT_SECRET_VERIFIER: VERIFIER } });
      if (!gh) return;
      idp = await createTestIdp();
      conn = await createSamlConnection(gh.app, idp);
      other = await createSamlConnection(gh.app, idp, { tenant: 'globex.com', name: 'Globex' });
      confidential = await oidc.discovery(new URL(gh.baseUrl), conn.clientID, conn.clientSecret, oidc.ClientSecretPost(conn.clientSecret), insecure);
    });
    after(async () => gh?.close());

    const api = (method: 'POST' | 'PATCH', url: string, payload: object) => gh!.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, payload });
    const userinfo = (token: string) => gh!.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${token}` } });
    const form = (url: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
      gh!.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(body).toString() });
    const introspectAs = (creds: Record<string, string>, token: string) => form('/api/oauth/introspect', { token, ...creds });

    /** The whole sign-in as the app does it: authorize (PKCE, nonce) → the IdP → ACS → the code grant. */
    async function signIn(config: oidc.Configuration, scope = OFFLINE, redirectUri = APP_CALLBACK, extra: Record<string, string> = {}): Promise<Tokens> {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope, state, nonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra });
      const { acs } = await samlRound(gh!, idp, Object.fromEntries(url.searchParams));
      assert.equal(acs.statusCode, 302, acs.body);
      return oidc.authorizationCodeGrant(config, new URL(acs.headers.location as string), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    }

    test('offline_access gives a refresh token; each refresh rotates it, with a new access token and an id_token of the same sub and sid and no nonce', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const first = await signIn(confidential);
      assert.ok(first.refresh_token, 'a refresh token');
      assert.deepEqual(first.scope?.split(' ').sort(), ['email', 'offline_access', 'openid']);
      const claims = first.claims()!;
      assert.equal(typeof claims.sid, 'string');
      assert.ok(claims.nonce);

      const stored = await refreshTokensRepo.findByHash(gh.ctx.db, tokenHash(first.refresh_token));
      assert.ok(stored, 'stored by hash');
      assert.equal(stored.sid, claims.sid);
      assert.equal(stored.client_auth, 'secret');
      assert.ok(!Object.values(stored).includes(first.refresh_token), 'the token itself is not stored');
      const session = await appSessionsRepo.find(gh.ctx.db, claims.sid as string);
      assert.equal(stored.family_expires_at, Math.min(stored.created_at + gh.ctx.config.REFRESH_TOKEN_ABSOLUTE_SECONDS * 1000, session!.expires_at));
      assert.equal(stored.expires_at, stored.created_at + gh.ctx.config.REFRESH_TOKEN_IDLE_SECONDS * 1000);

      let current: Tokens = first;
      for (let i = 0; i < 3; i++) {
        const next = await oidc.refreshTokenGrant(confidential, current.refresh_token!);
        assert.ok(next.refresh_token && next.refresh_token !== current.refresh_token, 'rotated');
        assert.notEqual(next.access_token, current.access_token);
        const c = next.claims()!;
        assert.equal(c.sub, claims.sub);
        assert.equal(c.sid, claims.sid);
        assert.equal(c.aud, conn.clientID);
        assert.equal(c.nonce, undefined, 'no nonce on refresh');
        assert.equal((await userinfo(next.access_token)).statusCode, 200);
        const row = await refreshTokensRepo.findByHash(gh.ctx.db, tokenHash(next.refresh_token));
        assert.equal(row?.family, stored.family, 'the same family');
        assert.equal(row?.family_expires_at, stored.family_expires_at, 'rotation never extends the absolute expiry');
        current = next;
      }
    });

    test('reuse: a used refresh token is invalid_grant and revokes its family, the newest token and its access tokens included; other sessions keep theirs', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const first = await signIn(confidential);
      const bystander = await signIn(confidential);
      const second = await oidc.refreshTokenGrant(confidential, first.refresh_token!);
      await assert.rejects(oidc.refreshTokenGrant(confidential, first.refresh_token!), oauthError('invalid_grant'));
      await assert.rejects(oidc.refreshTokenGrant(confidential, second.refresh_token!), oauthError('invalid_grant'), 'the newest token of the family is revoked too');
      assert.equal((await userinfo(second.access_token)).statusCode, 401);
      assert.equal((await userinfo(first.access_token)).statusCode, 401);
      const row = await refreshTokensRepo.findByHash(gh.ctx.db, tokenHash(second.refresh_token!));
      assert.ok(row?.revoked_at);
      assert.equal((await appSessionsRepo.find(gh.ctx.db, first.claims()!.sid as string))?.ended_at, null, 'reuse ends nothing else: the session stays');
      assert.ok((await oidc.refreshTokenGrant(confidential, bystander.refresh_token!)).refresh_token);
    });

    test('scope on refresh may be narrowed, never widened', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const first = await signIn(confidential);
      const narrowed = await oidc.refreshTokenGrant(confidential, first.refresh_token!, { scope: 'openid offline_access' });
      assert.equal(narrowed.scope, 'openid offline_access');
      await assert.rejects(oidc.refreshTokenGrant(confidential, narrowed.refresh_token!, { scope: 'openid email offline_access' }), oauthError('invalid_scope'));
      const noIdToken = await oidc.refreshTokenGrant(confidential, narrowed.refresh_token!, { scope: 'offline_access' });
      assert.equal(noIdToken.id_token, undefined, 'without openid, no id_token');
    });

    test('revocation (RFC 7009): a refresh token takes its family and access tokens along; an access token goes alone; unknown and other clients\' tokens are 200 with nothing done; a wrong secret is 401', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const a = await signIn(confidential);
      const a2 = await oidc.refreshTokenGrant(confidential, a.refresh_token!);
      await oidc.tokenRevocation(confidential, a2.refresh_token!, { token_type_hint: 'refresh_token' });
      await assert.rejects(oidc.refreshTokenGrant(confidential, a2.refresh_token!), oauthError('invalid_grant'));
      assert.equal((await userinfo(a2.access_token)).statusCode, 401, 'access tokens issued from the family are revoked');
      assert.equal((await userinfo(a.access_token)).statusCode, 401);
      assert.equal((await appSessionsRepo.find(gh.ctx.db, a.claims()!.sid as string))?.ended_at, null, 'revoking does not end the app session');

      const b = await signIn(confidential);
      await oidc.tokenRevocation(confidential, b.access_token, { token_type_hint: 'access_token' });
      assert.equal((await userinfo(b.access_token)).statusCode, 401);
      const b2 = await oidc.refreshTokenGrant(confidential, b.refresh_token!);
      assert.equal((await userinfo(b2.access_token)).statusCode, 200, 'revoking an access token leaves the refresh token');

      await oidc.tokenRevocation(confidential, 'no-such-token');
      const otherConfig = await oidc.discovery(new URL(gh.baseUrl), other.clientID, other.clientSecret, oidc.ClientSecretPost(other.clientSecret), insecure);
      await oidc.tokenRevocation(otherConfig, b2.refresh_token!);
      await oidc.tokenRevocation(otherConfig, b2.access_token);
      assert.equal((await userinfo(b2.access_token)).statusCode, 200, 'another client\'s revocation does nothing');
      const wrong = await form('/api/oauth/revoke', { token: b2.refresh_token!, client_id: conn.clientID, client_secret: 'wrong-secret' });
      assert.equal(wrong.statusCode, 401, wrong.body);
      assert.equal(wrong.json().error, 'invalid_client');
      assert.equal(wrong.headers['cache-control'], 'no-store');
      const noToken = await form('/api/oauth/revoke', { client_id: conn.clientID, client_secret: conn.clientSecret });
      assert.equal(noToken.statusCode, 400);
      assert.equal(noToken.json().error, 'invalid_request');
      const publicTry = await form('/api/oauth/revoke', { token: b2.refresh_token!, client_id: conn.clientID });
      assert.equal(publicTry.statusCode, 401, 'a refresh token a client received with its secret is revoked with it');
      assert.ok((await oidc.refreshTokenGrant(confidential, b2.refresh_token!)).refresh_token, 'still usable after all the refused revocations');
    });

    test('introspection (RFC 7662): active tokens described without PII; inactive ones only {active:false}; the caller must authenticate with a secret', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const a = await signIn(confidential);
      const claims = a.claims()!;
      const access = await oidc.tokenIntrospection(confidential, a.access_token);
      assert.equal(access.active, true);
      assert.equal(access.client_id, conn.clientID);
      assert.equal(access.sub, claims.sub);
      assert.equal(access.sid, claims.sid);
      assert.equal(access.iss, gh.baseUrl);
      assert.equal(access.token_type, 'bearer');
      assert.equal(access.tenant, 'acme.com');
      assert.equal(access.product, 'crm');
      assert.deepEqual(access.scope?.split(' ').sort(), ['email', 'offline_access', 'openid']);
      assert.ok(typeof access.exp === 'number' && typeof access.iat === 'number' && access.exp > access.iat);
      assert.equal(access.email, undefined, 'no profile data beyond sub');
      const refresh = await oidc.tokenIntrospection(confidential, a.refresh_token!, { token_type_hint: 'refresh_token' });
      assert.equal(refresh.active, true);
      assert.equal(refresh.token_type, 'refresh_token');

      // The tenant/product form with CLIENT_SECRET_VERIFIER sees its tenant and product's tokens; another tenant's does not.
      const byVerifier = await introspectAs({ client_id: 'tenant=acme.com&product=crm', client_secret: VERIFIER }, a.access_token);
      assert.equal(byVerifier.json().active, true, byVerifier.body);
      assert.deepEqual((await introspectAs({ client_id: 'tenant=globex.com&product=crm', client_secret: VERIFIER }, a.access_token)).json(), { active: false });
      assert.deepEqual((await introspectAs({ client_id: other.clientID, client_secret: other.clientSecret }, a.access_token)).json(), { active: false }, 'another client\'s token');
      assert.deepEqual((await introspectAs({ client_id: conn.clientID, client_secret: conn.clientSecret }, 'made-up')).json(), { active: false });
      const publicCaller = await introspectAs({ client_id: conn.clientID }, a.access_token);
      assert.equal(publicCaller.statusCode, 401, 'a public client may not introspect');
      assert.equal(publicCaller.json().error, 'invalid_client');
      const wrong = await introspectAs({ client_id: conn.clientID, client_secret: 'nope' }, a.access_token);
      assert.equal(wrong.statusCode, 401);

      const a2 = await oidc.refreshTokenGrant(confidential, a.refresh_token!);
      assert.equal((await oidc.tokenIntrospection(confidential, a.refresh_token!)).active, false, 'a used refresh token is inactive');
      await endAppSessions(gh.ctx, { sid: claims.sid as string }, 'app');
      assert.equal((await oidc.tokenIntrospection(confidential, a2.access_token)).active, false, 'an ended session\'s tokens are inactive');
      assert.equal((await oidc.tokenIntrospection(confidential, a2.refresh_token!)).active, false);
    });

    test('a public PKCE client (tenant/product form) refreshes, revokes with its client_id alone, and may not introspect', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const publicConfig = await oidc.discovery(new URL(gh.baseUrl), 'tenant=acme.com&product=crm', undefined, oidc.None(), insecure);
      const first = await signIn(publicConfig);
      assert.ok(first.refresh_token);
      assert.equal((await refreshTokensRepo.findByHash(gh.ctx.db, tokenHash(first.refresh_token)))?.client_auth, 'none');
      const second = await oidc.refreshTokenGrant(publicConfig, first.refresh_token!);
      assert.equal(second.claims()!.aud, 'tenant=acme.com&product=crm');
      await assert.rejects(oidc.tokenIntrospection(publicConfig, second.access_token), oauthError('invalid_client'));
      await oidc.tokenRevocation(publicConfig, second.refresh_token!);
      await assert.rejects(oidc.refreshTokenGrant(publicConfig, second.refresh_token!), oauthError('invalid_grant'));
      const noClientId = await form('/api/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
      assert.equal(noClientId.statusCode, 401, 'a refresh names its client');
    });

    test('another client\'s refresh token is invalid_grant and revokes nothing', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const a = await signIn(confidential);
      const otherConfig = await oidc.discovery(new URL(gh.baseUrl), other.clientID, other.clientSecret, oidc.ClientSecretPost(other.clientSecret), insecure);
      await assert.rejects(oidc.refreshTokenGrant(otherConfig, a.refresh_token!), oauthError('invalid_grant'));
      const publicTry = await form('/api/oauth/token', { grant_type: 'refresh_token', refresh_token: a.refresh_token!, client_id: 'tenant=acme.com&product=crm' });
      assert.equal(publicTry.json().error, 'invalid_grant');
      const row = await refreshTokensRepo.findByHash(gh.ctx.db, tokenHash(a.refresh_token!));
      assert.equal(row?.used_at, null);
      assert.equal(row?.revoked_at, null);
      const noSecret = await form('/api/oauth/token', { grant_type: 'refresh_token', refresh_token: a.refresh_token!, client_id: conn.clientID });
      assert.equal(noSecret.statusCode, 401, 'its own client_id without the secret it used');
      assert.ok((await oidc.refreshTokenGrant(confidential, a.refresh_token!)).refresh_token, 'the owner still refreshes');
    });

    test('a session ended (endAppSessions) refuses its refresh tokens: revoked in one UPDATE', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const a = await signIn(confidential);
      const ended = await endAppSessions(gh.ctx, { sid: a.claims()!.sid as string }, 'admin');
      assert.equal(ended.length, 1);
      assert.ok((await refreshTokensRepo.findByHash(gh.ctx.db, tokenHash(a.refresh_token!)))?.revoked_at);
      await assert.rejects(oidc.refreshTokenGrant(confidential, a.refresh_token!), oauthError('invalid_grant'));
    });

    test('a product with refreshTokens:false ignores offline_access, and refuses refresh tokens issued before it was turned off', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const before = await signIn(confidential);
      assert.equal((await api('POST', '/api/v1/products', { product: 'crm', refreshTokens: false })).statusCode, 201);
      try {
        const off = await signIn(confidential);
        assert.equal(off.refresh_token, undefined);
        assert.deepEqual(off.scope?.split(' ').sort(), ['email', 'openid'], 'offline_access is not granted, and no error');
        await assert.rejects(oidc.refreshTokenGrant(confidential, before.refresh_token!), oauthError('invalid_grant'));
      } finally {
        assert.equal((await api('PATCH', '/api/v1/products/crm', { refreshTokens: true })).statusCode, 200);
      }
      assert.ok((await oidc.refreshTokenGrant(confidential, before.refresh_token!)).refresh_token, 'turned on again, the family works');
    });

    test('an Identity Federation OIDC app (fed_oidc_) refreshes with its own secret and introspects its tokens', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const created = await api('POST', '/api/v1/identity-federation', { type: 'oidc', name: 'Portal', tenant: 'acme.com', product: 'crm', redirectUrl: JSON.stringify([PORTAL_CALLBACK]) });
      assert.equal(created.statusCode, 201, created.body);
      const app = created.json().data as { clientID: string; clientSecret: string };
      const fed = await oidc.discovery(new URL(gh.baseUrl), app.clientID, app.clientSecret, oidc.ClientSecretBasic(app.clientSecret), insecure);
      const first = await signIn(fed, OFFLINE, PORTAL_CALLBACK);
      const second = await oidc.refreshTokenGrant(fed, first.refresh_token!);
      assert.equal(second.claims()!.aud, app.clientID);
      assert.equal(second.claims()!.sid, first.claims()!.sid);
      assert.equal((await oidc.tokenIntrospection(fed, second.access_token)).client_id, app.clientID);
      await assert.rejects(oidc.refreshTokenGrant(confidential, second.refresh_token!), oauthError('invalid_grant'), 'not the connection\'s');
    });

    test('discovery lists the endpoints, the grant, offline_access and sid', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const m = confidential.serverMetadata();
      assert.equal(m.revocation_endpoint, `${gh.baseUrl}/api/oauth/revoke`);
      assert.equal(m.introspection_endpoint, `${gh.baseUrl}/api/oauth/introspect`);
      assert.ok(m.grant_types_supported?.includes('refresh_token'));
      assert.ok(m.scopes_supported?.includes('offline_access'));
      assert.ok(m.claims_supported?.includes('sid'));
      assert.deepEqual(m.introspection_endpoint_auth_methods_supported, ['client_secret_post', 'client_secret_basic']);
    });
  });
}
