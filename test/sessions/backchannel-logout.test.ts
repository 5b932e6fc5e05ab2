/**
 * Issue 15, back-channel logout (decision 0025), end to end with real peers on every dialect: the app's receiver
 * is a real HTTP server that verifies each logout token with jose against `/oauth/jwks` and checks every claim.
 * What ends sessions: SCIM deactivation in Okta's and Entra's own request shapes (../shared/vectors/scim), SCIM
 * DELETE, a connection deactivated (its own receiver wins over its product's), the app or an admin through the
 * management API; the user's refresh tokens fail from then on. Delivery goes through the outbox: a receiver that is down is retried and holds back nobody
 * else's, a 400 is final, and a receiver URL the SSRF guard refuses is a 400 naming the field when saved.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createSamlConnection } from '../support/saml-flow.ts';
import { signInToApp, type AppSignIn } from '../support/app-sign-in.ts';
import { createDirectory, scimClient, type Scim } from '../support/scim.ts';
import { sharedVectors } from '../support/shared-vectors.ts';
import { startBackchannelReceiver, type BackchannelReceiver, type ReceivedLogout } from '../support/backchannel-receiver.ts';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { BACKCHANNEL_LOGOUT_EVENT } from '../../src/app-logout/logout-token.ts';

const vectors = sharedVectors('scim', 'SCIM deactivation → back-channel logout (Okta and Entra shapes)');
type Step = { name: string; method: string; path: string; body?: unknown };
const stepOf = (file: string, name: string): Step => {
  const steps = (JSON.parse(readFileSync(new URL(file, vectors.url), 'utf8')) as { steps: Step[] }).steps;
  return steps.find((s) => s.name === name) ?? assert.fail(`no step "${name}" in ${file}`);
};

interface Conn { clientID: string; clientSecret: string }
type SignedIn = AppSignIn;

for (const dialect of testDialects()) {
  describe(`back-channel logout on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    let idp: TestIdp;
    let crm: Conn; // product crm: the product's receiver
    let hr: Conn; // product hr: its own product receiver (down in one test)
    let deliverer: Deliverer;
    let productRx: BackchannelReceiver;
    let hrRx: BackchannelReceiver;
    let connRx: BackchannelReceiver;

    const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
      gh!.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

    before(async () => {
      gh = await startGatehouse({ dialect, listen: true, env: { WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_DELAY_MS: '200' } });
      if (!gh) return;
      idp = await createTestIdp();
      const issuer = gh.ctx.config.EXTERNAL_URL;
      [productRx, hrRx, connRx] = await Promise.all([1, 2, 3].map(() => startBackchannelReceiver(gh!.baseUrl, issuer)));
      for (const [product, rx] of [['crm', productRx], ['hr', hrRx]] as const) {
        const res = await api('POST', '/api/v1/products', { product, backchannelLogoutUri: rx.url, backchannelLogoutSessionRequired: true });
        assert.equal(res.statusCode, 201, res.body);
      }
      crm = await createSamlConnection(gh.app, idp);
      hr = await createSamlConnection(gh.app, idp, { product: 'hr' });
      deliverer = startWebhookDeliverer(gh.ctx, { pollMs: 50 });
    });
    after(async () => {
      await deliverer?.stop();
      await Promise.all([productRx, hrRx, connRx].map((r) => r?.close()));
      await gh?.close();
    });

    const signIn = (conn: Conn, nameId: string, attributes: Record<string, string | string[]> = { email: nameId }, scope = 'openid email'): Promise<SignedIn> =>
      signInToApp(gh!, idp, conn, { nameId, attributes, scope });
    /** The app refreshing its tokens, as it would after a back-channel logout it missed. */
    const refresh = (conn: Conn, refreshToken: string) =>
      gh!.app.inject({
        method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: conn.clientID, client_secret: conn.clientSecret }).toString(),
      });
    const userinfo = (token: string) => gh!.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${token}` } });
    const tokensFor = (rx: BackchannelReceiver, sid: string) => rx.received.filter((r) => r.claims.sid === sid);

    /** Every claim of the logout token, against the id_token of the same sign-in. */
    function assertLogoutToken(r: ReceivedLogout, s: SignedIn) {
      assert.equal(r.contentType, 'application/x-www-form-urlencoded');
      assert.equal(r.header.alg, 'RS256');
      assert.equal(r.header.typ, 'logout+jwt');
      assert.equal(r.claims.iss, gh!.ctx.config.EXTERNAL_URL);
      assert.equal(r.claims.aud, s.claims.aud, 'aud: the client id the app used');
      assert.equal(r.claims.sub, s.claims.sub, 'sub: as the id_token carried it');
      assert.equal(r.claims.sid, s.claims.sid, 'sid: as the id_token carried it');
      assert.deepEqual(r.claims.events, { [BACKCHANNEL_LOGOUT_EVENT]: {} });
      assert.equal('nonce' in r.claims, false, 'never a nonce');
      assert.equal(typeof r.claims.jti, 'string');
      assert.ok(typeof r.claims.iat === 'number' && typeof r.claims.exp === 'number' && r.claims.exp > r.claims.iat && r.claims.exp - r.claims.iat <= 300, 'a short-lived token');
    }

    test('SCIM deactivation in Okta\'s shape signs the user out of the app within seconds', { skip: vectors.skip }, async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const dir = await createDirectory(gh, { name: 'Okta' });
      const scim: Scim = scimClient(gh, dir);
      const create = stepOf('okta/okta-scim20-lifecycle.json', 'create user');
      const made = await scim('POST', '/Users', create.body);
      assert.equal(made.status, 201, made.text);
      // Signed in through SAML with the NameID in another case than SCIM's userName, and a second time with the Okta user id (externalId) as NameID and no email.
      const byEmail = await signIn(crm, 'Test.User@OKTA.local', { email: 'Test.User@okta.local' }, 'openid email offline_access');
      assert.ok(byEmail.refreshToken, 'offline_access gives a refresh token');
      const byExternalId = await signIn(crm, '00ujl29u0le5T6Aj10h7', {});
      // Not this user: another email, and one whose NameID is only the user's display name (display names are not matched).
      const other = await signIn(crm, 'bob@okta.local');
      const byDisplayName = await signIn(crm, 'Test User', { email: 'someone.else@okta.local' });

      const deactivate = stepOf('okta/okta-scim20-lifecycle.json', 'deactivate user (no path, value object)');
      const res = await scim('PATCH', `/Users/${made.body.id}`, deactivate.body);
      assert.ok([200, 204].includes(res.status), res.text);

      await productRx.waitFor(() => tokensFor(productRx, byEmail.claims.sid).length === 1 && tokensFor(productRx, byExternalId.claims.sid).length === 1);
      assertLogoutToken(tokensFor(productRx, byEmail.claims.sid)[0]!, byEmail);
      assertLogoutToken(tokensFor(productRx, byExternalId.claims.sid)[0]!, byExternalId);
      assert.equal((await userinfo(byEmail.accessToken)).statusCode, 401);
      assert.equal((await userinfo(byExternalId.accessToken)).statusCode, 401);
      // The refresh token died with the session: the app cannot get new tokens for the deactivated user.
      const refused = await refresh(crm, byEmail.refreshToken!);
      assert.equal(refused.statusCode, 400, refused.body);
      assert.equal(refused.json().error, 'invalid_grant');
      assert.equal((await userinfo(other.accessToken)).statusCode, 200, 'another user stays signed in');
      assert.equal((await userinfo(byDisplayName.accessToken)).statusCode, 200, 'a display name is not an identity');
      assert.equal(tokensFor(productRx, other.claims.sid).length + tokensFor(productRx, byDisplayName.claims.sid).length, 0);
    });

    test('SCIM deactivation by PUT of the full user (Okta\'s OIN update) with active false', { skip: vectors.skip }, async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const dir = await createDirectory(gh, { name: 'Okta PUT' });
      const scim = scimClient(gh, dir);
      const made = await scim('POST', '/Users', { ...(stepOf('okta/okta-scim20-lifecycle.json', 'create user').body as object), userName: 'put.user@okta.local', externalId: '00uput', emails: [{ primary: true, value: 'put.user@okta.local', type: 'work' }] });
      assert.equal(made.status, 201, made.text);
      const s = await signIn(crm, 'put.user@okta.local');
      const update = stepOf('okta/okta-scim20-lifecycle.json', 'update user (OIN: GET then PUT full object)').body as Record<string, unknown>;
      const res = await scim('PUT', `/Users/${made.body.id}`, { ...update, id: made.body.id, userName: 'put.user@okta.local', externalId: '00uput', emails: [{ primary: true, value: 'put.user@okta.local', type: 'work' }], active: false });
      assert.equal(res.status, 200, res.text);
      await productRx.waitFor(() => tokensFor(productRx, s.claims.sid).length === 1);
      assertLogoutToken(tokensFor(productRx, s.claims.sid)[0]!, s);
      assert.equal((await userinfo(s.accessToken)).statusCode, 401);
    });

    test('SCIM deactivation in Entra\'s shape ("Replace" of active) and SCIM DELETE', { skip: vectors.skip }, async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const dir = await createDirectory(gh, { name: 'Entra', type: 'azure-scim-v2' });
      const scim = scimClient(gh, dir);
      const create = stepOf('entra/entra-scim-lifecycle.json', 'Create User');
      const made = await scim('POST', '/Users', create.body);
      assert.equal(made.status, 201, made.text);
      const email = (create.body as { emails: { value: string }[] }).emails[0]!.value;
      const s = await signIn(crm, email.toUpperCase(), { email: email.toUpperCase() }, 'openid email offline_access');
      const before = await refresh(crm, s.refreshToken!);
      assert.equal(before.statusCode, 200, before.body);
      const rotated: string = before.json().refresh_token;
      const disable = stepOf('entra/entra-scim-lifecycle.json', 'Disable User (boolean)');
      const res = await scim('PATCH', `/Users/${made.body.id}`, disable.body);
      assert.equal(res.status, 200, res.text);
      await productRx.waitFor(() => tokensFor(productRx, s.claims.sid).length === 1);
      assertLogoutToken(tokensFor(productRx, s.claims.sid)[0]!, s);
      assert.equal((await userinfo(s.accessToken)).statusCode, 401);
      const after = await refresh(crm, rotated);
      assert.equal(after.statusCode, 400, after.body);
      assert.equal(after.json().error, 'invalid_grant');

      // Reactivated, signed in again, then deleted: the new session ends too.
      const again = await scim('POST', '/Users', { ...(create.body as object), userName: 'deleted.user@testuser.com', externalId: 'ext-deleted', emails: [{ primary: true, type: 'work', value: 'deleted.user@testuser.com' }] });
      assert.equal(again.status, 201, again.text);
      const d = await signIn(crm, 'deleted.user@testuser.com');
      assert.equal((await scim('DELETE', `/Users/${again.body.id}`)).status, 204);
      await productRx.waitFor(() => tokensFor(productRx, d.claims.sid).length === 1);
      assertLogoutToken(tokensFor(productRx, d.claims.sid)[0]!, d);
      assert.equal((await userinfo(d.accessToken)).statusCode, 401);
    });

    test('a deactivated connection ends every session of it, told to its own receiver', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const conn = await createSamlConnection(gh.app, idp, { tenant: 'globex.com' });
      const set = await api('PATCH', '/api/v1/sso', { clientID: conn.clientID, backchannelLogoutUri: connRx.url });
      assert.equal(set.statusCode, 204, set.body);
      assert.equal((await api('GET', `/api/v1/sso?clientID=${conn.clientID}`)).json()[0].backchannelLogoutUri, connRx.url);
      const a = await signIn(conn, 'ann@globex.com');
      const b = await signIn(conn, 'ben@globex.com');
      const elsewhere = await signIn(crm, 'carl@acme.com');
      const off = await api('PATCH', '/api/v1/sso', { clientID: conn.clientID, deactivated: true });
      assert.equal(off.statusCode, 204, off.body);
      await connRx.waitFor(() => tokensFor(connRx, a.claims.sid).length === 1 && tokensFor(connRx, b.claims.sid).length === 1);
      assertLogoutToken(tokensFor(connRx, a.claims.sid)[0]!, a);
      assertLogoutToken(tokensFor(connRx, b.claims.sid)[0]!, b);
      assert.equal(tokensFor(productRx, a.claims.sid).length, 0, 'the connection\'s receiver wins over the product\'s');
      assert.equal((await userinfo(a.accessToken)).statusCode, 401);
      assert.equal((await userinfo(elsewhere.accessToken)).statusCode, 200, 'other connections\' sessions stay');

      // Deleted: the row is gone when the sessions end, and its own receiver is still the one told.
      assert.equal((await api('PATCH', '/api/v1/sso', { clientID: conn.clientID, deactivated: false })).statusCode, 204);
      const c = await signIn(conn, 'cid@globex.com');
      assert.equal((await api('DELETE', `/api/v1/sso?clientID=${conn.clientID}&clientSecret=${conn.clientSecret}`)).statusCode, 204);
      await connRx.waitFor(() => tokensFor(connRx, c.claims.sid).length === 1);
    });

    test('the app or an admin ends a session, or all of a user\'s, through the management API', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const one = await signIn(crm, 'dora@acme.com');
      const two = await signIn(crm, 'Dora@acme.com');
      const list = await api('GET', '/api/v1/sessions?tenant=acme.com&product=crm&email=DORA@acme.com&limit=1');
      assert.equal(list.statusCode, 200, list.body);
      assert.equal(list.json().data.length, 1);
      assert.ok(list.json().nextCursor);
      const rest = await api('GET', `/api/v1/sessions?tenant=acme.com&product=crm&email=dora@acme.com&after=${list.json().nextCursor}`);
      const sids = [...list.json().data, ...rest.json().data].map((s: { sid: string }) => s.sid).sort();
      assert.deepEqual(sids, [one.claims.sid, two.claims.sid].sort());
      assert.doesNotMatch(list.body, /nameid_key|token|secret/i, 'no secrets in the list');
      assert.equal((await api('GET', '/api/v1/sessions?tenant=acme.com&product=crm&after=bogus')).json().field, 'after');

      assert.equal((await api('DELETE', `/api/v1/sessions/${one.claims.sid}`)).statusCode, 204);
      assert.equal((await api('DELETE', `/api/v1/sessions/${one.claims.sid}`)).statusCode, 404, 'ended once');
      await productRx.waitFor(() => tokensFor(productRx, one.claims.sid).length === 1);
      assertLogoutToken(tokensFor(productRx, one.claims.sid)[0]!, one);
      assert.equal((await userinfo(one.accessToken)).statusCode, 401);
      assert.equal((await userinfo(two.accessToken)).statusCode, 200);
      // The delivery log shows the attempt once the deliverer has recorded it.
      let view: { endReason: string; backchannelLogout: { status: string; log: { status: number }[] } } | undefined;
      for (let i = 0; i < 200 && view?.backchannelLogout?.status !== 'delivered'; i++) {
        view = (await api('GET', `/api/v1/sessions/${one.claims.sid}`)).json().data;
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.equal(view!.endReason, 'app');
      assert.equal(view!.backchannelLogout.status, 'delivered');
      assert.equal(view!.backchannelLogout.log[0]!.status, 200);

      const bySub = await api('POST', '/api/v1/sessions/end', { tenant: 'acme.com', product: 'crm', sub: two.claims.sub });
      assert.equal(bySub.statusCode, 200, bySub.body);
      assert.equal(bySub.json().data.ended, 1);
      await productRx.waitFor(() => tokensFor(productRx, two.claims.sid).length === 1);
      assert.equal((await api('POST', '/api/v1/sessions/end', { tenant: 'acme.com', product: 'crm' })).json().field, 'email');
      const audit = await gh.ctx.db.selectFrom('audit_events').select('action').where('action', 'in', ['sso.session.ended', 'sso.user_sessions.ended']).execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), ['sso.session.ended', 'sso.user_sessions.ended']);
    });

    test('a receiver that is down is retried and delays no other product\'s receiver; a 400 is final', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      hrRx.answer = 503;
      const down = await signIn(hr, 'erin@acme.com');
      const up = await signIn(crm, 'erin@acme.com');
      const ended = await api('POST', '/api/v1/sessions/end', { tenant: 'acme.com', product: 'hr', email: 'erin@acme.com' });
      assert.equal(ended.json().data.ended, 1);
      assert.equal((await api('DELETE', `/api/v1/sessions/${up.claims.sid}`)).statusCode, 204);
      await productRx.waitFor(() => tokensFor(productRx, up.claims.sid).length === 1);
      // Meanwhile the other receiver is being retried.
      const until = Date.now() + 10_000;
      while (hrRx.hits < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.ok(hrRx.hits >= 2, `retried (${hrRx.hits} attempts)`);
      assert.equal(tokensFor(hrRx, down.claims.sid).length, 0);
      hrRx.answer = 200;
      await hrRx.waitFor(() => tokensFor(hrRx, down.claims.sid).length === 1);
      assertLogoutToken(tokensFor(hrRx, down.claims.sid)[0]!, down);

      // A receiver's 400 ("logout failed", §2.8) is recorded once, not retried.
      hrRx.answer = 400;
      const refused = await signIn(hr, 'fay@acme.com');
      const hitsBefore = hrRx.hits;
      assert.equal((await api('DELETE', `/api/v1/sessions/${refused.claims.sid}`)).statusCode, 204);
      let view: { backchannelLogout: { status: string; attempts: number; lastStatus: number } } | undefined;
      for (let i = 0; i < 400 && view?.backchannelLogout?.status !== 'failed'; i++) {
        view = (await api('GET', `/api/v1/sessions/${refused.claims.sid}`)).json().data;
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.equal(view!.backchannelLogout.status, 'failed');
      assert.equal(view!.backchannelLogout.attempts, 1);
      assert.equal(view!.backchannelLogout.lastStatus, 400);
      assert.equal(hrRx.hits - hitsBefore, 1);
      hrRx.answer = 200;
    });

    test('a receiver URL the SSRF guard refuses is a 400 naming the field, for connections and products', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      for (const uri of ['https://10.1.2.3/logout', 'https://169.254.169.254/latest', 'ftp://app.example/x']) {
        const c = await api('PATCH', '/api/v1/sso', { clientID: crm.clientID, backchannelLogoutUri: uri });
        assert.equal(c.statusCode, 400, c.body);
        assert.equal(c.json().field, 'backchannelLogoutUri');
        const p = await api('PATCH', '/api/v1/products/crm', { backchannelLogoutUri: uri });
        assert.equal(p.statusCode, 400, p.body);
        assert.equal(p.json().field, 'backchannelLogoutUri');
      }
      const view = await api('GET', `/api/v1/sso?clientID=${crm.clientID}`);
      assert.equal(view.json()[0].backchannelLogoutUri, null, 'nothing stored');
    });

    test('discovery announces back-channel logout with sid', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const d = (await gh.app.inject({ url: '/.well-known/openid-configuration' })).json();
      assert.equal(d.backchannel_logout_supported, true);
      assert.equal(d.backchannel_logout_session_supported, true);
    });
  });
}
