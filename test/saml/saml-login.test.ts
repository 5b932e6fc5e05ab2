/**
 * SAML SSO end to end on every dialect: openid-client is the app, the test IdP signs with xml-crypto,
 * Gatehouse runs for real on 127.0.0.1.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { APP_CALLBACK, createSamlConnection, samlRound } from '../support/saml-flow.ts';

for (const dialect of testDialects()) {
  describe(`SAML login through openid-client on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    let idp: TestIdp;
    let conn: { clientID: string; clientSecret: string };
    before(async () => {
      gh = await startGatehouse({ dialect, listen: true });
      if (!gh) return;
      idp = await createTestIdp();
      conn = await createSamlConnection(gh.app, idp);
    });
    after(async () => gh?.close());

    /** Runs the browser part: authorize URL → IdP → ACS → the app's callback URL with the code. */
    async function browserLogin(authorizeUrl: URL) {
      const q = Object.fromEntries(authorizeUrl.searchParams);
      const { acs } = await samlRound(gh!, idp, q);
      assert.equal(acs.statusCode, 302, acs.body);
      return new URL(acs.headers.location as string);
    }

    test('confidential client: discovery → authorize → ACS → token (id_token verified) → userinfo', async (t) => {
      if (!gh) return t.skip('database unreachable');
      const issuer = new URL(gh.baseUrl);
      const config = await oidc.discovery(issuer, conn.clientID, conn.clientSecret, oidc.ClientSecretPost(conn.clientSecret), { execute: [oidc.allowInsecureRequests] });
      assert.equal(config.serverMetadata().issuer, gh.baseUrl);
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: APP_CALLBACK, scope: 'openid email profile', state, nonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      const callback = await browserLogin(url);
      assert.equal(callback.origin + callback.pathname, APP_CALLBACK);
      assert.equal(callback.searchParams.get('state'), state);
      const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      const claims = tokens.claims()!;
      assert.equal(claims.nonce, nonce);
      assert.notEqual(claims.sub, 'alice@acme.com', 'sub is per connection, not the raw NameID (issue 11)');
      assert.equal(claims.nameid, 'alice@acme.com');
      assert.equal(claims.aud, conn.clientID);
      const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString());
      assert.equal(header.alg, 'RS256');
      const jwks = (await (await fetch(`${gh.baseUrl}/oauth/jwks`)).json()) as { keys: { kid: string }[] };
      assert.ok(jwks.keys.some((k) => k.kid === header.kid), 'id_token kid is in the JWKS');
      const info = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)) as Record<string, unknown>;
      assert.equal(info.sub, claims.sub);
      assert.equal(info.id, 'alice@acme.com');
      assert.equal(info.email, 'alice@acme.com');
      assert.equal(info.firstName, 'Alice');
      assert.equal(info.lastName, 'Liddell');
      assert.deepEqual(info.groups, ['admins', 'staff']);
      assert.deepEqual(info.roles, []);
      assert.deepEqual(info.requested, { tenant: 'acme.com', product: 'crm' });
      assert.equal((info.raw as Record<string, unknown>).email, 'alice@acme.com');
    });

    for (const form of ['tenant-product', 'dummy'] as const) {
      test(`public client with the ${form} client_id form: PKCE only, no secret`, async (t) => {
        if (!gh) return t.skip('database unreachable');
        const clientId = form === 'dummy' ? 'dummy' : 'tenant=acme.com&product=crm';
        const config = await oidc.discovery(new URL(gh.baseUrl), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const extra: Record<string, string> = form === 'dummy' ? { tenant: 'acme.com', product: 'crm' } : {};
        const url = oidc.buildAuthorizationUrl(config, { redirect_uri: APP_CALLBACK, scope: 'openid', state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra });
        const callback = await browserLogin(url);
        const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
        assert.equal(tokens.claims()!.aud, clientId);
        const info = (await oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck)) as Record<string, unknown>;
        assert.equal(info.email, 'alice@acme.com');
      });
    }
  });
}
