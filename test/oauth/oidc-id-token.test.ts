/**
 * Upstream id_tokens are verified against the provider's JWKS, through HTTP end to end: a real provider
 * under the test's control (test/support/forging-op.ts) answers Gatehouse's real token and JWKS requests
 * with tokens a genuine provider would never issue, and the app must be told access_denied with the
 * reason, never be given a code. A refused flow stays closed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { newSigningKey, startForgingOp, type ForgingOp, type SigningKey } from '../support/forging-op.ts';
import { APP_CALLBACK, locationParams } from '../support/saml-flow.ts';

describe('upstream OIDC id_tokens are checked against the provider\'s JWKS', () => {
  let gh: RunningGatehouse;
  let op: ForgingOp;
  let clientID: string;
  let evil: SigningKey;
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;

  before(async () => {
    gh = (await startGatehouse({ now }))!;
    op = await startForgingOp({ now });
    evil = await newSigningKey('op-key-1-not-really');
    const res = await gh.app.inject({
      method: 'POST', url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` },
      payload: { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], oidcDiscoveryUrl: op.issuer, oidcClientId: op.clientId, oidcClientSecret: 'upstream-secret-0123456789' },
    });
    assert.equal(res.statusCode, 200, res.body);
    clientID = res.json().clientID;
  });
  after(async () => {
    await op.close();
    await gh.close();
  });

  /** authorize → (the provider) → callback; `idToken` makes the token the provider's token endpoint returns. */
  async function signIn(idToken: (nonce: string) => Promise<string>, callback: { iss?: boolean } = {}) {
    const start = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientID, redirect_uri: APP_CALLBACK, state: 'app-state' })}` });
    assert.equal(start.statusCode, 302, start.body);
    const upstream = new URL(start.headers.location as string);
    op.nextIdToken = await idToken(upstream.searchParams.get('nonce')!);
    const q = new URLSearchParams({ code: 'upstream-code', state: upstream.searchParams.get('state')! });
    if (callback.iss !== false) q.set('iss', op.issuer);
    const callbackUrl = `/api/oauth/oidc?${q}`;
    const res = await gh.app.inject({ url: callbackUrl });
    return { res, callbackUrl, params: res.statusCode === 302 ? locationParams(res) : new URLSearchParams() };
  }

  function assertRefused(r: Awaited<ReturnType<typeof signIn>>, reason: RegExp) {
    assert.equal(r.res.statusCode, 302, r.res.body);
    assert.equal(r.params.get('code'), null, 'no code for the app');
    assert.equal(r.params.get('error'), 'access_denied', 'an invalid token is not "temporarily_unavailable"');
    assert.equal(r.params.get('error_code'), 'OIDC_TOKEN_INVALID');
    assert.match(r.params.get('error_description') ?? '', reason);
    assert.equal(r.params.get('state'), 'app-state');
  }

  test('a genuinely signed token signs the user in (the JWKS is fetched once)', async () => {
    const r = await signIn((nonce) => op.sign(nonce));
    assert.equal(r.res.statusCode, 302, r.res.body);
    assert.ok(r.params.get('code'), r.res.headers.location as string);
    assert.equal(op.hits.jwks, 1);
  });

  test('a token signed by a key that is not in the JWKS (unknown kid) is refused', async () => {
    assertRefused(await signIn((nonce) => op.sign(nonce, { key: evil })), /kid "op-key-1-not-really".*not in the provider's JWKS/);
  });

  test('a token without a kid, signed by a key that is not in the JWKS, is refused', async () => {
    assertRefused(await signIn((nonce) => op.sign(nonce, { key: evil, kid: null })), /signature does not verify/);
  });

  test('a genuinely signed token whose payload was swapped is refused', async () => {
    assertRefused(await signIn(async (nonce) => {
      const [header, , signature] = (await op.sign(nonce)).split('.');
      const t = Math.floor(now() / 1000);
      const swapped = Buffer.from(JSON.stringify({ iss: op.issuer, aud: op.clientId, sub: 'mallory', email: 'ceo@acme.com', nonce, iat: t, exp: t + 300 })).toString('base64url');
      return `${header}.${swapped}.${signature}`;
    }), /signature does not verify/);
  });

  test('a token issued far in the future is refused', async () => {
    const t = Math.floor(now() / 1000);
    assertRefused(await signIn((nonce) => op.sign(nonce, { claims: { iat: t + 3600, exp: t + 7200 } })), /"iat".*future/);
  });

  test('a token the token endpoint answers without "sub" reaches the app as access_denied, not temporarily_unavailable', async () => {
    assertRefused(await signIn((nonce) => op.sign(nonce, { claims: { sub: undefined } })), /sub/);
  });

  test('the provider advertises RFC 9207 iss: an answer without iss is refused', async () => {
    const settings = await gh.ctx.db.selectFrom('connections').select('settings').where('id', '=', clientID).executeTakeFirstOrThrow();
    assert.equal(JSON.parse(settings.settings).metadata.authorization_response_iss_parameter_supported, true, 'the flag is kept from discovery');
    assertRefused(await signIn((nonce) => op.sign(nonce), { iss: false }), /"iss" \(issuer\) missing/);
  });

  test('a refused flow is closed: the same state never yields a code later, even with a genuine token', async () => {
    const refused = await signIn((nonce) => op.sign(nonce, { key: evil }));
    assert.equal(refused.params.get('error'), 'access_denied');
    const nonce = JSON.parse((await gh.ctx.db.selectFrom('login_flows').select('params').where('id', '=', new URL(`http://x${refused.callbackUrl}`).searchParams.get('state')!).executeTakeFirstOrThrow()).params).upstream.nonce;
    op.nextIdToken = await op.sign(nonce);
    const again = await gh.app.inject({ url: refused.callbackUrl });
    assert.equal(again.statusCode, 400, again.body);
    assert.match(again.body, /OIDC_STATE_UNKNOWN/);
  });

  test('a flow the provider refused (error on the callback) is closed too', async () => {
    const start = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientID, redirect_uri: APP_CALLBACK, state: 's' })}` });
    const upstream = new URL(start.headers.location as string);
    const state = upstream.searchParams.get('state')!;
    const denied = await gh.app.inject({ url: `/api/oauth/oidc?${new URLSearchParams({ error: 'access_denied', state, iss: op.issuer })}` });
    assert.equal(locationParams(denied).get('error'), 'access_denied');
    op.nextIdToken = await op.sign(upstream.searchParams.get('nonce')!);
    const late = await gh.app.inject({ url: `/api/oauth/oidc?${new URLSearchParams({ code: 'fresh-code', state, iss: op.issuer })}` });
    assert.equal(late.statusCode, 400, late.body);
    assert.match(late.body, /OIDC_STATE_UNKNOWN/);
  });

  test('tokens with made-up kids do not make Gatehouse hammer the provider\'s JWKS', async () => {
    const before = op.hits.jwks;
    for (let i = 0; i < 3; i++) assertRefused(await signIn((nonce) => op.sign(nonce, { key: evil, kid: `made-up-${i}` })), /not in the provider's JWKS/);
    assert.equal(op.hits.jwks, before, 'no refetch within the cooldown');
  });

  test('a key rotation is picked up: an unknown kid refetches the JWKS once the cooldown has passed', async () => {
    const rotated = await newSigningKey('op-key-2');
    op.key = rotated;
    op.published = [rotated];
    const hits = op.hits.jwks;
    clockOffset += 31_000;
    const r = await signIn((nonce) => op.sign(nonce));
    assert.ok(r.params.get('code'), r.res.headers.location as string);
    assert.equal(op.hits.jwks, hits + 1);
    assertRefused(await signIn((nonce) => op.sign(nonce, { key: evil })), /not in the provider's JWKS/);
    assert.equal(op.hits.jwks, hits + 1, 'the fresh set is used for the cooldown');
  });
});
