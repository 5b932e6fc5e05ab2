/**
 * The OAuth and SAML refusals that real apps and attackers exercise, through the real HTTP surface
 * (app.inject), on every dialect (PostgreSQL redeems a code in one statement first, decision 0047: every refusal
 * must still be the one the step-by-step checks give).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createTestIdp, buildSamlResponseBase64, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, postToAcs, samlRound, startLogin } from '../support/saml-flow.ts';

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

for (const dialect of testDialects()) describe(`OAuth and SAML refusals on ${dialect}`, () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  let conn: { clientID: string; clientSecret: string };
  let other: { clientID: string };
  before(async () => {
    gh = (await startGatehouse({ dialect }))!;
    idp = await createTestIdp();
    conn = await createSamlConnection(gh.app, idp);
    other = await createSamlConnection(gh.app, await createTestIdp({ entityId: 'https://other-idp.test' }), { tenant: 'globex.com', redirectUrl: ['https://globex.test/cb'], defaultRedirectUrl: 'https://globex.test/cb' });
  });
  after(async () => gh.close());

  const authorizeQuery = (over: Record<string, string> = {}) => {
    const p = pkce();
    return { p, q: { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st-1', scope: 'openid', nonce: 'n-1', code_challenge: p.challenge, code_challenge_method: 'S256', ...over } };
  };
  const token = (payload: Record<string, string>) =>
    gh.app.inject({ method: 'POST', url: '/api/oauth/token', payload: new URLSearchParams(payload).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  async function codeFor(over: Record<string, string> = {}) {
    const { p, q } = authorizeQuery(over);
    const { acs } = await samlRound(gh, idp, q);
    assert.equal(acs.statusCode, 302, acs.body);
    const code = locationParams(acs).get('code');
    assert.ok(code);
    return { code, verifier: p.verifier };
  }

  test('a code redeemed twice → 400 invalid_grant, and the first tokens are revoked', async () => {
    const { code, verifier } = await codeFor();
    const first = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK });
    assert.equal(first.statusCode, 200, first.body);
    const accessToken = first.json().access_token as string;
    assert.equal((await gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${accessToken}` } })).statusCode, 200);
    const second = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK });
    assert.equal(second.statusCode, 400);
    assert.equal(second.json().error, 'invalid_grant');
    const after = await gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(after.statusCode, 401);
    assert.equal(after.json().error, 'invalid_token');
  });

  test('a wrong code_verifier → 400 invalid_grant; a wrong client_secret → 401 invalid_client', async () => {
    const { code } = await codeFor();
    const wrong = await token({ grant_type: 'authorization_code', code, code_verifier: pkce().verifier, client_id: conn.clientID, redirect_uri: APP_CALLBACK });
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(Object.keys(wrong.json()).sort(), ['error', 'error_description']);
    assert.equal(wrong.json().error, 'invalid_grant');
    const { code: code2, verifier } = await codeFor();
    const badSecret = await token({ grant_type: 'authorization_code', code: code2, code_verifier: verifier, client_id: conn.clientID, client_secret: 'nope', redirect_uri: APP_CALLBACK });
    assert.equal(badSecret.statusCode, 401);
    assert.equal(badSecret.json().error, 'invalid_client');
  });

  test('the tenant/product form without PKCE and without CLIENT_SECRET_VERIFIER cannot redeem (no global default secret)', async () => {
    const q = { response_type: 'code', client_id: 'tenant=acme.com&product=crm', redirect_uri: APP_CALLBACK, state: 's', scope: 'openid' };
    const { acs } = await samlRound(gh, idp, q);
    const code = locationParams(acs).get('code')!;
    const r = await token({ grant_type: 'authorization_code', code, client_id: 'tenant=acme.com&product=crm', client_secret: 'dummy', redirect_uri: APP_CALLBACK });
    assert.equal(r.statusCode, 401);
    assert.equal(r.json().error, 'invalid_client');
  });

  for (const [name, uri] of [
    ['another host', 'https://evil.test/callback'],
    ['same origin, other path', 'https://app.example.test/other'],
    ['a longer path', 'https://app.example.test/callback/x'],
    ['another port', 'https://app.example.test:8443/callback'],
    ['plain http', 'http://app.example.test/callback'],
  ]) {
    test(`a redirect_uri that is not allowed (${name}) gets a 4xx page, never a redirect`, async () => {
      const { q } = authorizeQuery({ redirect_uri: uri! });
      const res = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams(q)}` });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, String(res.statusCode));
      assert.equal(res.headers.location, undefined);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.match(res.body, /OAUTH_INVALID_REDIRECT_URI/);
    });
  }

  test('missing state and plain PKCE are refused with an error redirect to the verified URI', async () => {
    const noState = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK })}` });
    assert.equal(noState.statusCode, 302);
    assert.equal(locationParams(noState).get('error'), 'invalid_request');
    const plain = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'x', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })}` });
    assert.equal(locationParams(plain).get('error'), 'invalid_request');
  });

  test('idp_hint naming another tenant\'s connection is refused, never replaced', async () => {
    const { q } = authorizeQuery({ client_id: 'tenant=acme.com&product=crm', idp_hint: other.clientID });
    const res = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams(q)}` });
    assert.ok(res.statusCode < 500);
    if (res.statusCode === 302) {
      const loc = new URL(res.headers.location as string);
      assert.equal(loc.origin + loc.pathname, APP_CALLBACK);
      assert.equal(loc.searchParams.get('error'), 'invalid_request');
    } else assert.ok(res.statusCode >= 400);
  });

  test('an unknown client_id or a tenant without connections gets a clear page', async () => {
    const a = await gh.app.inject({ url: '/api/oauth/authorize?response_type=code&client_id=nope&redirect_uri=https://x.test/&state=s' });
    assert.equal(a.statusCode, 400);
    assert.match(a.body, /OAUTH_INVALID_CLIENT/);
    const b = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'dummy', tenant: 'nobody', product: 'crm', redirect_uri: APP_CALLBACK, state: 's' })}` });
    assert.equal(b.statusCode, 404);
    assert.match(b.body, /OAUTH_NO_CONNECTION/);
  });

  const refusals: [string, Partial<Parameters<typeof buildSamlResponseBase64>[0]>, string][] = [
    ['wrong audience', { audience: 'https://someone-else.test' }, 'SAML_AUDIENCE_MISMATCH'],
    ['wrong Destination', { destination: 'https://evil.test/acs' }, 'SAML_DESTINATION_MISMATCH'],
    ['wrong Recipient', { recipient: 'https://evil.test/acs' }, 'SAML_RECIPIENT_MISMATCH'],
    ['wrong Issuer', { issuer: 'https://impostor.test' }, 'SAML_ISSUER_MISMATCH'],
    ['non-Success status', { statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Requester' }, 'SAML_STATUS_NOT_SUCCESS'],
    ['expired SubjectConfirmationData', { scdNotOnOrAfter: Date.now() - 3600_000 }, 'SAML_EXPIRED'],
    ['unsigned', { sign: 'none' }, 'SAML_SIGNATURE_MISSING'],
    ['two assertions', { extraAssertion: true }, 'SAML_ASSERTION_COUNT'],
    ['XSW7-style wrapping', { wrapXsw7: true }, 'SAML_ASSERTION_COUNT'],
    ['no email anywhere', { nameId: 'u-12345', nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', attributes: { uid: 'u-12345' } }, 'SAML_EMAIL_MISSING'],
  ];
  for (const [name, over, code] of refusals) {
    test(`a SAML response with ${name} yields no code: an error redirect to the verified app URI (${code})`, async () => {
      const { q } = authorizeQuery();
      const { acs } = await samlRound(gh, idp, q, over);
      assert.equal(acs.statusCode, 302, acs.body);
      const loc = new URL(acs.headers.location as string);
      assert.equal(loc.origin + loc.pathname, APP_CALLBACK);
      assert.equal(loc.searchParams.get('code'), null);
      assert.equal(loc.searchParams.get('error'), 'access_denied');
      assert.equal(loc.searchParams.get('state'), 'st-1');
      assert.match(loc.searchParams.get('error_description')!, new RegExp(code));
      assert.equal(loc.searchParams.get('error_code'), code);
    });
  }

  test('a response signed by an untrusted key is refused', async () => {
    const { q } = authorizeQuery();
    const { acs } = await samlRound(gh, await createTestIdp(), q, {});
    assert.match(locationParams(acs).get('error_description')!, /SAML_ISSUER_MISMATCH|SAML_SIGNATURE/);
    assert.equal(locationParams(acs).get('code'), null);
  });

  test('an assertion ID already accepted is refused inside a freshly signed response with a valid InResponseTo', async () => {
    const assertionId = `_replay${randomBytes(8).toString('hex')}`;
    const first = await samlRound(gh, idp, authorizeQuery().q, { assertionId });
    assert.ok(locationParams(first.acs).get('code'));
    const second = await samlRound(gh, idp, authorizeQuery().q, { assertionId });
    assert.equal(locationParams(second.acs).get('code'), null);
    assert.match(locationParams(second.acs).get('error_description')!, /SAML_REPLAYED/);
  });

  test('the same SAML response posted twice is refused the second time', async () => {
    const { acs, samlResponse, start } = await samlRound(gh, idp, authorizeQuery().q);
    assert.ok(locationParams(acs).get('code'));
    const again = await postToAcs(gh.app, samlResponse, start.relayState);
    assert.ok(again.statusCode < 500);
    assert.equal(again.headers.location ? locationParams(again).get('code') : null, null);
  });

  test('an unsolicited response (no InResponseTo) gets a page explaining SP-initiated sign-in', async () => {
    const b64 = buildSamlResponseBase64({ idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: null, nameId: 'alice@acme.com' });
    const res = await postToAcs(gh.app, b64, null);
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers.location, undefined);
    assert.match(res.body, /SAML_UNSOLICITED/);
  });

  test('an ACS body over 2 MiB → 413', async () => {
    const res = await gh.app.inject({ method: 'POST', url: '/api/oauth/saml', payload: `SAMLResponse=${'A'.repeat(2 * 1024 * 1024 + 10)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 413);
  });

  test('garbage posted to the ACS gets a 400 page', async () => {
    for (const body of ['SAMLResponse=%%%', 'SAMLResponse=' + Buffer.from('<not-xml').toString('base64'), 'nothing=1']) {
      const res = await gh.app.inject({ method: 'POST', url: '/api/oauth/saml', payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.statusCode, 400, body);
    }
  });

  test('pages carry strict security headers', async () => {
    const res = await gh.app.inject({ url: '/api/oauth/authorize?client_id=nope' });
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['x-frame-options']), /SAMEORIGIN|DENY/);
  });

  test('userinfo without a token → 401 invalid_token', async () => {
    const res = await gh.app.inject({ url: '/api/oauth/userinfo' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'invalid_token');
  });

  test('management API needs a key', async () => {
    const res = await gh.app.inject({ url: '/api/v1/sso?tenant=acme.com&product=crm', headers: { authorization: 'Api-Key wrong' } });
    assert.equal(res.statusCode, 401);
    const ok = await gh.app.inject({ url: '/api/v1/sso?tenant=acme.com&product=crm', headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.equal(ok.statusCode, 200);
  });
});
