/**
 * Client authentication with HTTP Basic at POST /api/oauth/token as OAuth libraries send it. RFC 6749 §2.3.1
 * form-encodes the client id and secret before Base64 (application/x-www-form-urlencoded: a space is "+").
 * Auth.js (its default for the BoxyHQ SAML provider), oauth4webapi and openid-client all encode so; the header
 * here is built by openid-client's own ClientSecretBasic. Apps written for SAML Jackson, which reads Basic
 * credentials literally, may send them unencoded ("+" meaning "+"): both readings are accepted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, samlRound } from '../support/saml-flow.ts';

/** Shared secrets an operator may well choose: a passphrase, and `openssl rand -base64` output. */
const PASSPHRASE = 'correct horse battery:staple 100%';
const BASE64 = 'q+Zr/8w3T+0aXv2m+Pk9Lw==';

/** The Authorization header openid-client builds for client_secret_basic. */
function encodedBasic(clientId: string, clientSecret: string): string {
  const headers = new Headers();
  oidc.ClientSecretBasic(clientSecret)({ issuer: 'https://gatehouse.example' } as oidc.ServerMetadata, { client_id: clientId }, new URLSearchParams(), headers);
  return headers.get('authorization')!;
}

/** The header a client that does not form-encode sends (what SAML Jackson reads). */
const literalBasic = (clientId: string, clientSecret: string) => `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;

for (const dialect of testDialects()) describe(`token endpoint on ${dialect}: HTTP Basic client credentials, form-encoded (RFC 6749 §2.3.1) or literal`, () => {
  const running: RunningGatehouse[] = [];
  let idp: TestIdp;

  before(async () => {
    idp = await createTestIdp();
  });
  after(async () => {
    for (const gh of running) await gh.close();
  });

  async function gatehouse(verifier: string) {
    const gh = (await startGatehouse({ dialect, env: { CLIENT_SECRET_VERIFIER: verifier } }))!;
    running.push(gh);
    return { gh, connection: await createSamlConnection(gh.app, idp) };
  }

  async function code(gh: RunningGatehouse, clientId: string): Promise<string> {
    const client: Record<string, string> = clientId === 'dummy' ? { client_id: 'dummy', tenant: 'acme.com', product: 'crm' } : { client_id: clientId };
    const { acs } = await samlRound(gh, idp, { response_type: 'code', redirect_uri: APP_CALLBACK, state: 'st', ...client }, { nameId: 'alice@acme.com', attributes: { email: 'alice@acme.com' } });
    const c = locationParams(acs).get('code');
    assert.ok(c, `no code: ${acs.headers.location ?? acs.body}`);
    return c;
  }

  async function redeem(gh: RunningGatehouse, clientId: string, authorization: string) {
    return gh.app.inject({
      method: 'POST', url: '/api/oauth/token', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'authorization_code', code: await code(gh, clientId), redirect_uri: APP_CALLBACK }).toString(),
    });
  }

  test('a passphrase with spaces, ":" and "%", form-encoded as Auth.js and openid-client send it, is read back exactly', async () => {
    const { gh } = await gatehouse(PASSPHRASE);
    const header = encodedBasic('dummy', PASSPHRASE);
    assert.equal(Buffer.from(header.slice(6), 'base64').toString(), 'dummy:correct+horse+battery%3Astaple+100%25', 'the library form-encodes (a space as "+")');
    const res = await redeem(gh, 'dummy', header);
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.json().access_token);
    for (const wrong of ['correct+horse+battery:staple 100%', 'correct horse battery staple 100%']) {
      const refused = await redeem(gh, 'dummy', encodedBasic('dummy', wrong));
      assert.equal(refused.statusCode, 401, `${wrong}: ${refused.body}`);
      assert.equal(refused.json().error, 'invalid_client');
    }
  });

  test('a base64 secret with "+": form-encoded (Auth.js) and literal (a client written for Jackson) both redeem; a space for "+" does not', async () => {
    const { gh, connection } = await gatehouse(BASE64);
    for (const header of [encodedBasic('dummy', BASE64), literalBasic('dummy', BASE64)]) {
      const res = await redeem(gh, 'dummy', header);
      assert.equal(res.statusCode, 200, `${Buffer.from(header.slice(6), 'base64').toString()}: ${res.body}`);
    }
    const refused = await redeem(gh, 'dummy', literalBasic('dummy', BASE64.replace(/\+/g, ' ')));
    assert.equal(refused.statusCode, 401, refused.body);
    assert.equal(refused.json().error, 'invalid_client');
    // A connection's own clientID and clientSecret, through the library's encoding.
    const own = await redeem(gh, connection.clientID, encodedBasic(connection.clientID, connection.clientSecret));
    assert.equal(own.statusCode, 200, own.body);
    const other = await redeem(gh, connection.clientID, encodedBasic(connection.clientID, BASE64));
    assert.equal(other.statusCode, 401, other.body);
  });
});
