/**
 * An app signing a user in through a SAML connection, end to end over the real HTTP surface: authorize → the test
 * IdP → ACS → code → token (client secret), with the id_token verified against `/oauth/jwks`.
 */
import assert from 'node:assert/strict';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { RunningGatehouse } from './gatehouse.ts';
import type { TestIdp } from './saml-idp.ts';
import { APP_CALLBACK, samlRound } from './saml-flow.ts';

export interface AppSignIn {
  claims: JWTPayload & { sid: string };
  idToken: string;
  accessToken: string;
  refreshToken?: string;
}

export async function signInToApp(gh: RunningGatehouse, idp: TestIdp, conn: { clientID: string; clientSecret: string }, o: { nameId: string; attributes?: Record<string, string | string[]>; scope?: string }): Promise<AppSignIn> {
  const q = { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: o.scope ?? 'openid email', nonce: 'n-1' };
  const { acs } = await samlRound(gh, idp, q, { nameId: o.nameId, attributes: o.attributes ?? { email: o.nameId } });
  assert.equal(acs.statusCode, 302, acs.body);
  const code = new URL(acs.headers.location as string).searchParams.get('code');
  assert.ok(code, `no code in ${acs.headers.location}`);
  const tok = await gh.app.inject({
    method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK }).toString(),
  });
  assert.equal(tok.statusCode, 200, tok.body);
  const jwks = createLocalJWKSet((await gh.app.inject({ url: '/oauth/jwks' })).json());
  const { payload } = await jwtVerify(tok.json().id_token, jwks, { issuer: gh.ctx.config.EXTERNAL_URL, audience: conn.clientID });
  return { claims: payload as AppSignIn['claims'], idToken: tok.json().id_token, accessToken: tok.json().access_token, refreshToken: tok.json().refresh_token };
}
