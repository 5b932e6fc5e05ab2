/**
 * Issue 13, "Strict by default, Jackson's laxer behaviour on one switch": each behaviour `JACKSON_COMPAT=true`
 * restores, checked both ways against two real Gatehouses (the default and the switch), through the HTTP
 * surface and real SAML sign-ins (authorize → test IdP → ACS → token). Also `state` being optional when the
 * request carries PKCE, in both modes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { createTestIdp, buildSamlResponseBase64, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, postToAcs, samlRound } from '../support/saml-flow.ts';
import { createHash } from 'node:crypto';
import { pkceChallenge, randomToken } from '../../src/crypto/secrets.ts';
import { connectionsRepo } from '../../src/storage/index.ts';

const NAME_ID = 'alice@acme.com';

/** Collects pino's JSON lines, so a test reads what boot logged. */
function logCollector() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l)); done(); } });
  return { lines, stream };
}

const api = (gh: RunningGatehouse, method: 'POST' | 'PATCH', payload: object) => gh.app.inject({ method, url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` }, payload });

const redeem = (gh: RunningGatehouse, form: Record<string, string>) => gh.app.inject({
  method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: APP_CALLBACK, ...form }).toString(),
});

/** A sign-in up to the code the app receives at its callback. */
async function codeFor(gh: RunningGatehouse, idp: TestIdp, query: Record<string, string>): Promise<URLSearchParams> {
  const { acs } = await samlRound(gh, idp, { response_type: 'code', redirect_uri: APP_CALLBACK, scope: 'openid', ...query }, { nameId: NAME_ID, attributes: { email: NAME_ID } });
  assert.equal(acs.statusCode, 302, acs.body);
  const params = locationParams(acs);
  assert.ok(params.get('code'), `no code in ${acs.headers.location}`);
  return params;
}

/** GET authorize without following it (for answers that are not a trip to the IdP). */
const authorizeRaw = (gh: RunningGatehouse, query: Record<string, string>) => gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', redirect_uri: APP_CALLBACK, ...query })}` });

const dummyClient = { client_id: 'dummy', tenant: 'acme.com', product: 'crm' };

describe('JACKSON_COMPAT: strict by default, Jackson\'s laxer behaviour on the switch', () => {
  let strict: RunningGatehouse;
  let compat: RunningGatehouse;
  let strictLog: ReturnType<typeof logCollector>;
  let compatLog: ReturnType<typeof logCollector>;
  let idp: TestIdp;
  const conns = new Map<RunningGatehouse, { clientID: string; clientSecret: string }>();

  before(async () => {
    strictLog = logCollector();
    compatLog = logCollector();
    // IDP_ENABLED on both: without the switch it must change nothing.
    strict = (await startGatehouse({ env: { LOG_LEVEL: 'warn', IDP_ENABLED: 'true' }, logStream: strictLog.stream }))!;
    compat = (await startGatehouse({ env: { LOG_LEVEL: 'warn', JACKSON_COMPAT: 'true', IDP_ENABLED: 'true' }, logStream: compatLog.stream }))!;
    idp = await createTestIdp();
    for (const gh of [strict, compat]) conns.set(gh, await createSamlConnection(gh.app, idp));
  });
  after(async () => {
    await strict?.close();
    await compat?.close();
  });

  test('boot logs one warning listing each lax setting in force, and nothing without the switch', () => {
    const warnings = compatLog.lines.filter((l) => l.level === 40);
    assert.equal(warnings.length, 1, JSON.stringify(compatLog.lines));
    const w = warnings[0]!;
    assert.match(String(w.msg), /^JACKSON_COMPAT=true/);
    const lax = w.laxSettings as string[];
    for (const pattern of [/redirect URLs/, /CLIENT_SECRET_VERIFIER is "dummy"/, /plain PKCE/, /sub is the raw NameID/, /saml\.boxyhq\.com/, /IDP_ENABLED/, /directory secrets on reads/]) {
      assert.ok(lax.some((s) => pattern.test(s)), `${pattern} in ${JSON.stringify(lax)}`);
      assert.match(String(w.msg), pattern);
    }
    assert.equal(strictLog.lines.filter((l) => /JACKSON_COMPAT/.test(String(l.msg))).length, 0);
  });

  test('SP entity ID and Audience: https://saml.boxyhq.com under the switch, EXTERNAL_URL by default; SAML_AUDIENCE overrides both', async () => {
    const entityIdOf = async (gh: RunningGatehouse) => /entityID="([^"]+)"/.exec((await gh.app.inject({ url: '/.well-known/sp-metadata' })).body)?.[1];
    assert.equal(await entityIdOf(compat), 'https://saml.boxyhq.com');
    assert.equal(await entityIdOf(strict), strict.ctx.config.EXTERNAL_URL);
    // An IdP set up for Jackson addresses its assertions to Jackson's default Audience: accepted only under the switch.
    const jacksonAudience = { spEntityId: 'https://saml.boxyhq.com' };
    const q = { response_type: 'code', client_id: conns.get(strict)!.clientID, redirect_uri: APP_CALLBACK, state: 's' };
    const refused = await samlRound(strict, idp, q, jacksonAudience);
    assert.match(String(refused.acs.headers.location ?? refused.acs.body), /SAML_AUDIENCE_MISMATCH/);
    const accepted = await samlRound(compat, idp, { ...q, client_id: conns.get(compat)!.clientID }, jacksonAudience);
    assert.ok(locationParams(accepted.acs).get('code'));
    for (const JACKSON_COMPAT of ['true', 'false']) {
      const gh = (await startGatehouse({ env: { JACKSON_COMPAT, SAML_AUDIENCE: 'urn:example:sp' } }))!;
      try {
        assert.equal(await entityIdOf(gh), 'urn:example:sp', `JACKSON_COMPAT=${JACKSON_COMPAT}`);
      } finally {
        await gh.close();
      }
    }
  });

  test('redirect URLs: wildcards are refused at creation and update by default (400 naming redirectUrl), matched as Jackson does under the switch', async () => {
    const other = await createTestIdp();
    const patterns = ['https://app.example.test/*', 'https://*.example.org', 'https://bare.example.test'];
    const body = { tenant: 'wild.test', product: 'crm', defaultRedirectUrl: 'https://bare.example.test/home', redirectUrl: patterns, rawMetadata: other.metadataXml({ ssoUrl: 'https://idp.example.test/sso' }) };
    const refused = await api(strict, 'POST', body);
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(refused.json().field, 'redirectUrl');
    assert.match(refused.json().detail, /wildcard/);
    const link = await strict.app.inject({ method: 'POST', url: '/api/v1/sso/setuplinks', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { tenant: 'wild.test', product: 'crm', redirectUrl: ['https://app.example.test/*'], defaultRedirectUrl: 'https://app.example.test/cb' } });
    assert.equal(link.statusCode, 400, link.body);
    assert.equal(link.json().field, 'redirectUrl', 'a setup link cannot carry a pattern its connections would be refused');
    const compatLink = await compat.app.inject({ method: 'POST', url: '/api/v1/sso/setuplinks', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { tenant: 'wild.test', product: 'crm', redirectUrl: ['https://app.example.test/*'], defaultRedirectUrl: 'https://app.example.test/cb' } });
    assert.ok(compatLink.statusCode < 300, compatLink.body);
    const patched = await api(strict, 'PATCH', { clientID: conns.get(strict)!.clientID, redirectUrl: ['https://*.example.org'] });
    assert.equal(patched.statusCode, 400, patched.body);
    assert.equal(patched.json().field, 'redirectUrl');

    // Without the switch a bare origin is one exact URL (its "/"), not the whole origin.
    const bare = await api(strict, 'POST', { ...body, tenant: 'bare.test', redirectUrl: ['https://bare.example.test'] });
    assert.ok(bare.statusCode < 300, bare.body);
    const authorizeAt = (gh: RunningGatehouse, clientID: string, redirect_uri: string) => authorizeRaw(gh, { client_id: clientID, redirect_uri, state: 's' });
    const toIdp = (res: { statusCode: number; headers: Record<string, unknown> }) => res.statusCode === 302 && String(res.headers.location).includes('SAMLRequest=');
    assert.equal((await authorizeAt(strict, bare.json().clientID, 'https://bare.example.test/other')).statusCode, 400);
    assert.ok(toIdp(await authorizeAt(strict, bare.json().clientID, 'https://bare.example.test/')));

    const created = await api(compat, 'POST', body);
    assert.ok(created.statusCode < 300, created.body);
    const id = created.json().clientID as string;
    for (const allowed of ['https://app.example.test/any/path?x=1', 'https://a.example.org/cb', 'https://deep.a.example.org/', 'https://bare.example.test/elsewhere']) {
      assert.ok(toIdp(await authorizeAt(compat, id, allowed)), `${allowed} is allowed under the switch`);
    }
    for (const refusedUri of ['https://example.org/cb', 'http://a.example.org/cb', 'https://app.example.test.evil.test/', 'https://evil.test/', 'https://app.example.test:8443/x']) {
      const res = await authorizeAt(compat, id, refusedUri);
      assert.equal(res.statusCode, 400, `${refusedUri}: ${res.statusCode}`);
      assert.equal(res.headers.location, undefined, 'never a redirect to an unverified URI');
    }
  });

  test('client_id=dummy (or tenant=…&product=…) with client_secret=dummy and no PKCE redeems a code only under the switch; the error says what was wrong', async () => {
    const params = await codeFor(compat, idp, { ...dummyClient, state: 's' });
    const ok = await redeem(compat, { code: params.get('code')!, client_id: 'dummy', client_secret: 'dummy' });
    assert.equal(ok.statusCode, 200, ok.body);
    const tp = await codeFor(compat, idp, { client_id: 'tenant=acme.com&product=crm', state: 's' });
    assert.equal((await redeem(compat, { code: tp.get('code')!, client_id: 'tenant=acme.com&product=crm', client_secret: 'dummy' })).statusCode, 200);
    const wrong = await codeFor(compat, idp, { ...dummyClient, state: 's' });
    const bad = await redeem(compat, { code: wrong.get('code')!, client_id: 'dummy', client_secret: 'not-dummy' });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().error, 'invalid_client');
    assert.match(bad.json().error_description, /does not match CLIENT_SECRET_VERIFIER/);

    const strictCode = await codeFor(strict, idp, { ...dummyClient, state: 's' });
    const sentSecret = await redeem(strict, { code: strictCode.get('code')!, client_id: 'dummy', client_secret: 'dummy' });
    assert.equal(sentSecret.statusCode, 401);
    assert.equal(sentSecret.json().error, 'invalid_client');
    assert.doesNotMatch(sentSecret.json().error_description, /must authenticate with its client_secret/, 'a secret was sent');
    assert.match(sentSecret.json().error_description, /client_secret was sent.*CLIENT_SECRET_VERIFIER is not set/);
    const nothing = await codeFor(strict, idp, { ...dummyClient, state: 's' });
    const noSecret = await redeem(strict, { code: nothing.get('code')!, client_id: 'dummy' });
    assert.equal(noSecret.statusCode, 401);
    assert.match(noSecret.json().error_description, /sent no client_secret and its authorization request used no PKCE/);
    const conn = conns.get(strict)!;
    const own = await codeFor(strict, idp, { client_id: conn.clientID, state: 's' });
    const wrongOwn = await redeem(strict, { code: own.get('code')!, client_id: conn.clientID, client_secret: 'nope' });
    assert.match(wrongOwn.json().error_description, /not this connection's clientSecret/);
  });

  test('plain PKCE is accepted only under the switch', async () => {
    const verifier = randomToken(32);
    const plain = { ...dummyClient, state: 's', code_challenge: verifier, code_challenge_method: 'plain' };
    const refused = await authorizeRaw(strict, plain);
    assert.equal(refused.statusCode, 302);
    assert.equal(locationParams(refused).get('error'), 'invalid_request');
    assert.match(locationParams(refused).get('error_description')!, /plain is not accepted/);

    const params = await codeFor(compat, idp, plain);
    const mismatch = await redeem(compat, { code: params.get('code')!, client_id: 'dummy', code_verifier: pkceChallenge(verifier) });
    assert.equal(mismatch.statusCode, 400);
    assert.equal(mismatch.json().error, 'invalid_grant');
    const again = await codeFor(compat, idp, plain);
    const ok = await redeem(compat, { code: again.get('code')!, client_id: 'dummy', code_verifier: verifier });
    assert.equal(ok.statusCode, 200, ok.body);
  });

  test('sub is the raw NameID under the switch, opaque by default', async () => {
    for (const [gh, raw] of [[compat, true], [strict, false]] as const) {
      const conn = conns.get(gh)!;
      const params = await codeFor(gh, idp, { client_id: conn.clientID, state: 's' });
      const tok = await redeem(gh, { code: params.get('code')!, client_id: conn.clientID, client_secret: conn.clientSecret });
      assert.equal(tok.statusCode, 200, tok.body);
      const jwks = createLocalJWKSet((await gh.app.inject({ url: '/oauth/jwks' })).json());
      const { payload } = await jwtVerify(tok.json().id_token, jwks, { issuer: gh.ctx.config.EXTERNAL_URL, audience: conn.clientID });
      const info = (await gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${tok.json().access_token}` } })).json();
      if (raw) assert.equal(payload.sub, NAME_ID);
      else assert.match(payload.sub!, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(info.sub, payload.sub);
      assert.equal(info.id, NAME_ID);
    }
  });

  test('IDP_ENABLED opts every SAML connection into IdP-initiated sign-in only under the switch; its code redeems with client_id=dummy', async () => {
    const unsolicited = (gh: RunningGatehouse) => buildSamlResponseBase64({ idp, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: null, nameId: NAME_ID });
    const off = await postToAcs(strict.app, unsolicited(strict), null);
    assert.equal(off.statusCode, 400);
    assert.match(off.body, /SAML_UNSOLICITED/);

    const on = await postToAcs(compat.app, unsolicited(compat), null);
    assert.equal(on.statusCode, 302, on.body);
    const code = locationParams(on).get('code')!;
    assert.ok(code);
    const tok = await redeem(compat, { code, client_id: 'dummy', client_secret: 'dummy' });
    assert.equal(tok.statusCode, 200, tok.body);
    assert.equal(decodeJwt(tok.json().id_token).sub, NAME_ID);
  });

  for (const mode of ['default', 'JACKSON_COMPAT'] as const) {
    test(`${mode}: state may be left out when the request carries PKCE, is echoed when sent, and stays required without PKCE`, async () => {
      const gh = mode === 'default' ? strict : compat;
      const verifier = randomToken(32);
      const pkce = { code_challenge: pkceChallenge(verifier), code_challenge_method: 'S256' };
      const withoutState = await codeFor(gh, idp, { ...dummyClient, ...pkce });
      assert.equal(withoutState.get('state'), null, 'no state invented');
      const tok = await redeem(gh, { code: withoutState.get('code')!, client_id: 'dummy', code_verifier: verifier });
      assert.equal(tok.statusCode, 200, tok.body);
      const withState = await codeFor(gh, idp, { ...dummyClient, ...pkce, state: 'xyz' });
      assert.equal(withState.get('state'), 'xyz');
      const noPkce = await authorizeRaw(gh, dummyClient);
      assert.equal(noPkce.statusCode, 302);
      assert.equal(locationParams(noPkce).get('error'), 'invalid_request');
      assert.match(locationParams(noPkce).get('error_description')!, /"state" parameter is required/);
    });
  }

  test('clientID is derived as Jackson derives it (RIPEMD-160 of tenant:product:entityID), in both modes; a connection made with the earlier derivation keeps its clientID when its IdP is posted again', async () => {
    const entityId = /entityID="([^"]+)"/.exec(idp.metadataXml({ ssoUrl: 'https://idp.example.test/sso' }))![1]!;
    const jackson = createHash('ripemd160').update(`acme.com:crm:${entityId}`).digest('hex');
    for (const gh of [strict, compat]) assert.equal(conns.get(gh)!.clientID, jackson);

    const older = await createTestIdp();
    const made = await createSamlConnection(strict.app, older, { tenant: 'legacy.test' });
    const olderEntity = /entityID="([^"]+)"/.exec(older.metadataXml({ ssoUrl: 'https://idp.example.test/sso' }))![1]!;
    const earlierId = createHash('sha256').update(`legacy.test\u0000crm\u0000${olderEntity}`).digest('hex').slice(0, 40);
    const row = (await connectionsRepo.findById(strict.ctx.db, made.clientID))!;
    // The same connection as a deployment created it before issue 13.
    await connectionsRepo.delete(strict.ctx.db, made.clientID);
    await connectionsRepo.insert(strict.ctx.db, { ...row, id: earlierId });
    const again = await createSamlConnection(strict.app, older, { tenant: 'legacy.test', name: 'renamed' });
    assert.equal(again.clientID, earlierId, 'updated in place, not a twin');
    assert.equal(again.clientSecret, made.clientSecret);
  });
});
