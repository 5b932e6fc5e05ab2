/**
 * SAML Single Logout end to end (issue 15, decision 0030), on every dialect, with @node-saml/node-saml as the IdP's
 * SAML library for logout: it verifies Gatehouse's signed LogoutRequest (HTTP-Redirect query signature, or the
 * enveloped signature of HTTP-POST) and answers with its own signed LogoutResponse; it sends signed LogoutRequests
 * (IdP-initiated) and verifies Gatehouse's signed LogoutResponse. Sign-in itself goes through the test IdP
 * (test/support/saml-idp.ts) with the same key. On PostgreSQL and MariaDB the IdP's answer lands on a second instance.
 * Refusals (forged, unsigned, replayed, expired requests; an unregistered post_logout_redirect_uri) end no session.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { createTestIdp, signSamlElement, type TestIdp } from '../support/saml-idp.ts';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { APP_CALLBACK, IDP_SSO_URL, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { appSessionsRepo } from '../../src/storage/index.ts';

const IDP_SLO_URL = 'https://idp.example.test/slo';
const APP_BYE = 'https://app.example.test/signed-out';
const BINDING = { redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST' };

/** The test IdP's metadata with SingleLogoutService endpoints for the given bindings. */
const metadataWithSlo = (idp: TestIdp, bindings: ('redirect' | 'post')[]) =>
  idp.metadataXml({ ssoUrl: IDP_SSO_URL }).replace('<md:NameIDFormat>', bindings.map((b) => `<md:SingleLogoutService Binding="${BINDING[b]}" Location="${IDP_SLO_URL}"/>`).join('') + '<md:NameIDFormat>');

const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};
const queryOf = (url: string) => ({ container: Object.fromEntries(new URL(url).searchParams), original: new URL(url).search.slice(1) });
const inflated = (b64: string) => inflateRawSync(Buffer.from(b64, 'base64')).toString('utf8');

for (const dialect of testDialects()) {
  describe(`SAML Single Logout on ${dialect}`, () => {
    let a: RunningGatehouse | null = null;
    /** A second instance on the same database (PostgreSQL and MariaDB): the IdP's answers land there. */
    let b: RunningGatehouse | null = null;
    let clockOffset = 0;
    let idp: TestIdp, postIdp: TestIdp;
    let conn: { clientID: string; clientSecret: string };
    let postConn: { clientID: string; clientSecret: string };
    let spCertPem = '';

    before(async () => {
      const env = { ENCRYPTION_KEY: randomBytes(32).toString('hex') };
      a = await startGatehouse({ dialect, env, now: () => Date.now() + clockOffset });
      if (!a) return;
      if (dialect !== 'sqlite') b = await startGatehouse({ dialect, env, databaseUrl: a.db.url, now: () => Date.now() + clockOffset });
      [idp, postIdp] = await Promise.all([createTestIdp(), createTestIdp()]);
      conn = await createSamlConnection(a.app, idp, { rawMetadata: metadataWithSlo(idp, ['redirect', 'post']) });
      postConn = await createSamlConnection(a.app, postIdp, { name: 'Acme POST-only SLO', rawMetadata: metadataWithSlo(postIdp, ['post']) });
      const product = await a.app.inject({ method: 'POST', url: '/api/v1/products', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { product: 'crm', postLogoutRedirectUris: [APP_BYE] } });
      assert.equal(product.statusCode, 201, product.body);
      spCertPem = (await a.ctx.keys.sp()).certPem;
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });
    const other = () => b ?? a!;
    const sloUrl = () => `${a!.baseUrl}/api/oauth/saml/slo`;

    /** The IdP's SAML library, set up for logout with Gatehouse: it signs with the IdP key and trusts Gatehouse's SP certificate. */
    const idpLibrary = (who: TestIdp, signingKeyPem: string | undefined = who.privateKeyPem, inResponseTo = ValidateInResponseTo.always) =>
      new SAML({
        issuer: who.entityId, idpIssuer: a!.ctx.config.SAML_SP_ENTITY_ID, idpCert: spCertPem, callbackUrl: IDP_SLO_URL,
        entryPoint: sloUrl(), logoutUrl: sloUrl(), ...(signingKeyPem ? { privateKey: signingKeyPem } : {}), signatureAlgorithm: 'sha256',
        validateInResponseTo: inResponseTo, wantAuthnResponseSigned: false,
      });

    async function signIn(who: TestIdp, c: { clientID: string; clientSecret: string }, nameId = 'alice@acme.com') {
      const { acs } = await samlRound(a!, who, { response_type: 'code', client_id: c.clientID, redirect_uri: APP_CALLBACK, state: 's', scope: 'openid email' }, { nameId, attributes: { email: nameId } });
      assert.equal(acs.statusCode, 302, acs.body);
      const code = new URL(acs.headers.location as string).searchParams.get('code')!;
      const tok = await a!.app.inject({
        method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: c.clientID, client_secret: c.clientSecret, redirect_uri: APP_CALLBACK }).toString(),
      });
      assert.equal(tok.statusCode, 200, tok.body);
      const idToken = tok.json().id_token as string;
      const sid = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()).sid as string;
      const session = (await appSessionsRepo.find(a!.ctx.db, sid))!;
      return { idToken, accessToken: tok.json().access_token as string, sid, sessionIndex: session.session_index!, nameId };
    }
    const userinfoStatus = async (token: string) => (await a!.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${token}` } })).statusCode;
    const endedReason = async (sid: string) => (await appSessionsRepo.find(a!.ctx.db, sid))?.end_reason ?? null;
    const logout = (q: Record<string, string>) => a!.app.inject({ url: `/api/oauth/logout?${new URLSearchParams(q)}` });

    test('SP-initiated over HTTP-Redirect: logout → a signed LogoutRequest the IdP library verifies → its LogoutResponse → post_logout_redirect_uri with state', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      const s = await signIn(idp, conn);
      const res = await logout({ id_token_hint: s.idToken, post_logout_redirect_uri: APP_BYE, state: 'st-1' });
      assert.equal(res.statusCode, 302, res.body);
      const toIdp = res.headers.location as string;
      assert.ok(toIdp.startsWith(`${IDP_SLO_URL}?SAMLRequest=`), toIdp);
      const { container, original } = queryOf(toIdp);
      assert.equal(container.SigAlg, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      assert.ok(container.Signature, 'the LogoutRequest is signed');
      assert.equal(await userinfoStatus(s.accessToken), 401, 'the app session ended before the IdP was asked');
      assert.equal(await endedReason(s.sid), 'rp_logout');

      const lib = idpLibrary(idp);
      const got = await lib.validateRedirectAsync(container, original);
      assert.equal(got.loggedOut, true);
      assert.equal(got.profile!.nameID, 'alice@acme.com');
      assert.equal(got.profile!.sessionIndex, s.sessionIndex);
      assert.equal(got.profile!.issuer, a.ctx.config.SAML_SP_ENTITY_ID);
      const xml = inflated(container.SAMLRequest!);
      assert.match(xml, new RegExp(`Destination="${IDP_SLO_URL}"`));
      assert.match(xml, /NotOnOrAfter="/);
      assert.match(xml, /Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"/);
      const tampered = original.replace(/SAMLRequest=[^&]+/, `SAMLRequest=${encodeURIComponent(container.SAMLRequest!.slice(0, -8) + 'AAAAAAA=')}`);
      await assert.rejects(lib.validateRedirectAsync({ ...container, SAMLRequest: new URLSearchParams(tampered).get('SAMLRequest')! }, tampered), 'the signature is real');

      const answer = await lib.getLogoutResponseUrlAsync(got.profile!, container.RelayState!, {}, true);
      const back = await other().app.inject({ url: pathOf(answer) });
      assert.equal(back.statusCode, 302, back.body);
      assert.equal(back.headers.location, `${APP_BYE}?state=st-1`);
      const again = await a.app.inject({ url: pathOf(answer) });
      assert.equal(again.statusCode, 400, 'a LogoutResponse completes its logout once');
      assert.match(again.body, /SAML_LOGOUT_UNKNOWN_REQUEST/);
    });

    test('SP-initiated over HTTP-POST: an auto-posting form with an enveloped signature the IdP library verifies', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      const s = await signIn(postIdp, postConn);
      const res = await logout({ id_token_hint: s.idToken, post_logout_redirect_uri: APP_BYE });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, new RegExp(`<form id="saml-post" method="post" action="${IDP_SLO_URL}">`));
      assert.match(res.body, /<noscript>/);
      const samlRequest = /name="SAMLRequest" value="([^"]+)"/.exec(res.body)![1]!;
      assert.match(Buffer.from(samlRequest, 'base64').toString(), /<ds:Signature/);
      const lib = idpLibrary(postIdp);
      const got = await lib.validatePostRequestAsync({ SAMLRequest: samlRequest });
      assert.equal(got.profile!.nameID, 'alice@acme.com');
      assert.equal(got.profile!.sessionIndex, s.sessionIndex);
      const forged = Buffer.from(Buffer.from(samlRequest, 'base64').toString().replace('alice@acme.com', 'bob@acme.com')).toString('base64');
      await assert.rejects(lib.validatePostRequestAsync({ SAMLRequest: forged }), 'the enveloped signature covers the NameID');
      assert.equal(await userinfoStatus(s.accessToken), 401);
      const back = await other().app.inject({ url: pathOf(await lib.getLogoutResponseUrlAsync(got.profile!, '', {}, true)) });
      assert.equal(back.headers.location, APP_BYE, 'no state was given, none is added');
    });

    test('IdP-initiated over HTTP-Redirect: the session named by SessionIndex ends (not the other one), its token is refused, and the signed LogoutResponse verifies', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      const first = await signIn(idp, conn, 'carol@acme.com');
      const second = await signIn(idp, conn, 'carol@acme.com');
      const lib = idpLibrary(idp);
      const url = await lib.getLogoutUrlAsync({ issuer: idp.entityId, nameID: 'Carol@Acme.com', nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', sessionIndex: first.sessionIndex }, 'relay-1', {});
      const res = await other().app.inject({ url: pathOf(url) });
      assert.equal(res.statusCode, 302, res.body);
      assert.equal(await userinfoStatus(first.accessToken), 401);
      assert.equal(await endedReason(first.sid), 'saml_slo');
      assert.equal(await userinfoStatus(second.accessToken), 200, 'another SessionIndex stays signed in');
      const toIdp = res.headers.location as string;
      assert.ok(toIdp.startsWith(`${IDP_SLO_URL}?SAMLResponse=`), toIdp);
      const { container, original } = queryOf(toIdp);
      assert.ok(container.Signature);
      assert.equal(container.RelayState, 'relay-1');
      const verified = await lib.validateRedirectAsync(container, original);
      assert.deepEqual(verified, { profile: null, loggedOut: true }, 'signed, Success, InResponseTo the library\'s request');

      const replay = await a.app.inject({ url: pathOf(url) });
      assert.equal(replay.statusCode, 400);
      assert.match(replay.body, /SAML_LOGOUT_REPLAYED/);
      assert.equal(await userinfoStatus(second.accessToken), 200);
    });

    test('IdP-initiated over HTTP-POST without SessionIndex: every session of the NameID on that connection ends', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      const [x, y] = [await signIn(idp, conn, 'dave@acme.com'), await signIn(idp, conn, 'dave@acme.com')];
      const bystander = await signIn(idp, conn, 'erin@acme.com');
      const id = `_${randomBytes(8).toString('hex')}`;
      const xml = `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${a.baseUrl}/api/logout"><saml:Issuer>${idp.entityId}</saml:Issuer><saml:NameID>dave@acme.com</saml:NameID></samlp:LogoutRequest>`;
      const post = (body: string) => a!.app.inject({ method: 'POST', url: '/api/logout', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ SAMLRequest: Buffer.from(body).toString('base64') }).toString() });
      const unsigned = await post(xml);
      assert.equal(unsigned.statusCode, 400);
      assert.match(unsigned.body, /SAML_SIGNATURE_MISSING/);
      assert.equal(await userinfoStatus(x.accessToken), 200, 'an unsigned request ends nothing');
      const res = await post(signSamlElement(xml, id, idp));
      assert.equal(res.statusCode, 302, res.body);
      assert.deepEqual([await userinfoStatus(x.accessToken), await userinfoStatus(y.accessToken), await userinfoStatus(bystander.accessToken)], [401, 401, 200]);
      const { container, original } = queryOf(res.headers.location as string);
      assert.match(inflated(container.SAMLResponse!), new RegExp(`InResponseTo="${id}"`));
      const verified = await idpLibrary(idp, undefined, ValidateInResponseTo.never).validateRedirectAsync(container, original);
      assert.deepEqual(verified, { profile: null, loggedOut: true });
    });

    test('forged, wrongly signed, foreign and expired LogoutRequests end no session', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      const s = await signIn(idp, conn, 'frank@acme.com');
      const user = { issuer: idp.entityId, nameID: 'frank@acme.com', nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', sessionIndex: s.sessionIndex };
      const send = async (lib: SAML) => a!.app.inject({ url: pathOf(await lib.getLogoutUrlAsync(user, 'r', {})) });

      const unsigned = await send(idpLibrary(idp, ''));
      assert.equal(unsigned.statusCode, 400);
      assert.match(unsigned.body, /SAML_SIGNATURE_MISSING/);
      assert.match(unsigned.body, /We could not complete the sign-out/);
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      const forged = await send(idpLibrary(idp, otherKey));
      assert.equal(forged.statusCode, 400);
      assert.match(forged.body, /SAML_SIGNATURE_INVALID/);
      const stranger = await createTestIdp();
      const unknown = await send(idpLibrary(stranger));
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /SAML_CONNECTION_UNKNOWN/);
      const impostor = await send(idpLibrary({ ...stranger, entityId: idp.entityId }));
      assert.match(impostor.body, /SAML_SIGNATURE_INVALID/, 'the right Issuer signed by another IdP');
      assert.equal(await userinfoStatus(s.accessToken), 200);

      clockOffset = 10 * 60_000;
      try {
        const expired = await send(idpLibrary(idp));
        assert.equal(expired.statusCode, 302, 'signed by the IdP but expired: answered, with a non-success status');
        const { container, original } = queryOf(expired.headers.location as string);
        assert.match(inflated(container.SAMLResponse!), /StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Requester"/);
        assert.match(inflated(container.SAMLResponse!), /SAML_LOGOUT_EXPIRED/);
        await assert.rejects(idpLibrary(idp).validateRedirectAsync(container, original), /Bad status code/);
      } finally {
        clockOffset = 0;
      }
      assert.equal(await userinfoStatus(s.accessToken), 200, 'nothing was ended');
      assert.equal(await endedReason(s.sid), null);
    });

    test('an unregistered post_logout_redirect_uri is refused and ends no session; a forged LogoutResponse is refused', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      const s = await signIn(idp, conn, 'gina@acme.com');
      for (const uri of ['https://evil.example.test/bye', `${APP_BYE}/`, `${APP_BYE}?x=1`]) {
        const res = await logout({ id_token_hint: s.idToken, post_logout_redirect_uri: uri, state: 'st' });
        assert.equal(res.statusCode, 400, uri);
        assert.equal(res.headers.location, undefined);
        assert.match(res.body, /OAUTH_INVALID_POST_LOGOUT_REDIRECT_URI/);
      }
      assert.equal(await userinfoStatus(s.accessToken), 200);
      assert.equal(await endedReason(s.sid), null);

      const res = await logout({ id_token_hint: s.idToken, post_logout_redirect_uri: APP_BYE, state: 'st' });
      const { container } = queryOf(res.headers.location as string);
      const got = await idpLibrary(idp).validateRedirectAsync(container, queryOf(res.headers.location as string).original);
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      const forged = await a.app.inject({ url: pathOf(await idpLibrary(idp, otherKey).getLogoutResponseUrlAsync(got.profile!, container.RelayState!, {}, true)) });
      assert.equal(forged.statusCode, 400);
      assert.match(forged.body, /SAML_SIGNATURE_INVALID/);
      const refused = await a.app.inject({ url: pathOf(await idpLibrary(idp).getLogoutResponseUrlAsync(got.profile!, container.RelayState!, {}, false)) });
      assert.equal(refused.statusCode, 400, 'the IdP could not log out: said so, with a way on to the app');
      assert.match(refused.body, /SAML_LOGOUT_FAILED/);
      assert.match(refused.body, new RegExp(`href="${APP_BYE}\\?state=st"`));
    });

    test('SP metadata lists the single logout endpoints; the endpoint refuses what is not a logout message', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      const md = (await a.app.inject({ url: '/.well-known/sp-metadata' })).body;
      for (const binding of Object.values(BINDING)) assert.ok(md.includes(`<md:SingleLogoutService Binding="${binding}" Location="${sloUrl()}"/>`), binding);
      for (const path of ['/api/oauth/saml/slo', '/api/logout?SAMLRequest=%%%', '/api/oauth/saml/slo?SAMLRequest=AAAA']) {
        const r: { statusCode: number; body: string } = await a.app.inject({ url: path });
        assert.equal(r.statusCode, 400, `${path}: ${r.body.slice(0, 200)}`);
      }
    });
  });
}
