/**
 * The ACS in one statement on PostgreSQL (decision 0052), on every dialect: the AuthnRequest ID carries the
 * connection's tag; once an instance has claimed a flow of a connection, its next sign-in is one statement; whatever
 * changed in the database since (the connection's certificate, its activation, the tenant's verified domains) is seen
 * at once, as another instance's write would be, and every refusal is the step-by-step path's, with nothing issued.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { API_KEY } from '../support/gatehouse.ts';
import { buildSamlResponseBase64, createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL, createSamlConnection, locationParams, postToAcs, samlDeploymentFor, samlRound, startLogin } from '../support/saml-flow.ts';
import { connectionTagOf } from '../../src/sso/saml/acs-connections.ts';

const ACS_TABLES = /login_flows|connections|verified_domains|role_mappings|products|assertion_replays|app_sessions|oauth_codes|connection_login/;

for (const dialect of testDialects()) {
  describe(`the ACS's one statement on ${dialect}`, () => {
    const d = samlDeploymentFor(dialect);

    const query = () => ({ response_type: 'code', client_id: d.conn.clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: 'openid' });
    /** The statements the ACS post sends about the sign-in (not the rate limiter's, not a key-set refresh), and its answer. */
    async function acsCounted(samlResponse: string, relayState: string | null) {
      let statements = 0;
      d.gh!.database.statements.tap = (q) => { if (ACS_TABLES.test(q)) statements++; };
      try {
        return { acs: await postToAcs(d.gh!.app, samlResponse, relayState), statements };
      } finally {
        d.gh!.database.statements.tap = null;
      }
    }
    async function signIn(response: Partial<Parameters<typeof buildSamlResponseBase64>[0]> = {}, signer: TestIdp = d.idp) {
      const start = await startLogin(d.gh!.app, query());
      assert.ok(start.requestId, start.res.body);
      const b64 = buildSamlResponseBase64({
        idp: signer, spEntityId: d.gh!.ctx.config.SAML_SP_ENTITY_ID, acsUrl: d.gh!.ctx.config.acsUrl, inResponseTo: start.requestId,
        nameId: 'alice@acme.com', attributes: { email: 'alice@acme.com' }, ...response,
      });
      return { start, ...(await acsCounted(b64, start.relayState)), samlResponse: b64 };
    }
    const profileOf = async (code: string) => {
      const token = await d.gh!.app.inject({ method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: d.conn.clientID, client_secret: d.conn.clientSecret, redirect_uri: APP_CALLBACK }).toString() });
      assert.equal(token.statusCode, 200, token.body);
      const info = await d.gh!.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${token.json().access_token}` } });
      assert.equal(info.statusCode, 200, info.body);
      return info.json() as { email: string; email_verified: boolean };
    };
    const api = (method: 'PATCH', payload: Record<string, unknown>) => d.gh!.app.inject({ method, url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` }, payload });

    test('the AuthnRequest ID is an NCName carrying the connection\'s tag; the second sign-in\'s ACS is one statement on PostgreSQL', async (t) => {
      if (!d.gh) return t.skip(`${dialect} unavailable`);
      const first = await signIn();
      assert.equal(first.acs.statusCode, 302, first.acs.body);
      assert.ok(locationParams(first.acs).get('code'));
      assert.match(first.start.requestId!, /^_[A-Za-z0-9_-]{35}$/);
      assert.equal(first.start.requestId!.slice(1, 9), connectionTagOf(d.conn.clientID));
      assert.equal(first.start.relayState, first.start.requestId);
      const second = await signIn();
      assert.equal(second.acs.statusCode, 302, second.acs.body);
      assert.equal(locationParams(second.acs).get('state'), 'st');
      const code = locationParams(second.acs).get('code')!;
      assert.ok(code);
      if (dialect === 'postgres') {
        assert.equal(first.statements, 2, 'nothing remembered yet: the claim, then the writes');
        assert.equal(second.statements, 1, 'one statement');
      }
      assert.equal((await profileOf(code)).email, 'alice@acme.com');
    });

    test('a validation thread that dies on a document is tried once: the main thread then answers it, not the pool again', async (t) => {
      if (!d.gh) return t.skip(`${dialect} unavailable`);
      await signIn(); // remembered
      const pool = d.gh.ctx.samlValidation;
      let runs = 0;
      d.gh.ctx.samlValidation = { threads: pool.threads, run: async () => { runs++; throw Object.assign(new Error('Worker terminated due to reaching memory limit'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }); }, close: () => pool.close() };
      try {
        const after = await signIn();
        assert.equal(after.acs.statusCode, 302, after.acs.body);
        assert.ok(locationParams(after.acs).get('code'), 'signed in, validated on the main thread');
        assert.equal(runs, 1, 'one thread given the document, not two');
      } finally {
        d.gh.ctx.samlValidation = pool;
      }
    });

    test('a replayed assertion, a response for a used request and a wrong audience keep their refusals, and issue nothing', async (t) => {
      if (!d.gh) return t.skip(`${dialect} unavailable`);
      await signIn(); // remembered
      const ok = await signIn({ assertionId: '_replayed-assertion-1' });
      assert.equal(ok.acs.statusCode, 302, ok.acs.body);
      assert.ok(locationParams(ok.acs).get('code'));
      const replayed = await signIn({ assertionId: '_replayed-assertion-1' });
      assert.equal(replayed.acs.statusCode, 302, replayed.acs.body);
      assert.equal(locationParams(replayed.acs).get('code'), null);
      assert.equal(locationParams(replayed.acs).get('error_code'), 'SAML_REPLAYED');
      const again = await postToAcs(d.gh.app, ok.samlResponse, ok.start.relayState);
      assert.equal(again.statusCode, 400, again.body);
      assert.match(again.body, /SAML_FLOW_EXPIRED/);
      const audience = await signIn({ audience: 'https://someone-else.example' });
      assert.equal(locationParams(audience.acs).get('error_code'), 'SAML_AUDIENCE_MISMATCH');
      assert.equal(locationParams(audience.acs).get('code'), null);
    });

    test('a certificate rotated (as by another instance) is used at once: the remembered key no longer signs anyone in', async (t) => {
      if (!d.gh) return t.skip(`${dialect} unavailable`);
      const own = await createSamlConnection(d.gh.app, d.idp, { tenant: `rot-${dialect}.example`, name: 'Rotating' });
      const rotated = await createTestIdp({ entityId: d.idp.entityId });
      const as = async (signer: TestIdp) => {
        const start = await startLogin(d.gh!.app, { ...query(), client_id: own.clientID });
        const b64 = buildSamlResponseBase64({ idp: signer, spEntityId: d.gh!.ctx.config.SAML_SP_ENTITY_ID, acsUrl: d.gh!.ctx.config.acsUrl, inResponseTo: start.requestId, nameId: 'bob@acme.com', attributes: { email: 'bob@acme.com' } });
        return acsCounted(b64, start.relayState);
      };
      assert.equal((await as(d.idp)).acs.statusCode, 302);
      const changed = await api('PATCH', { clientID: own.clientID, clientSecret: own.clientSecret, rawMetadata: rotated.metadataXml({ ssoUrl: IDP_SSO_URL }) });
      assert.ok(changed.statusCode < 300, changed.body);
      const old = await as(d.idp);
      assert.equal(old.acs.statusCode, 302, old.acs.body);
      assert.equal(locationParams(old.acs).get('code'), null, 'the old key signs no one in');
      assert.match(locationParams(old.acs).get('error_code') ?? '', /^SAML_SIGNATURE/);
      const fresh = await as(rotated);
      assert.ok(locationParams(fresh.acs).get('code'), fresh.acs.body);
      if (dialect === 'postgres') assert.equal((await as(rotated)).statements, 1, 'remembered again');
      // Deactivated: refused as the step-by-step path refuses it.
      assert.ok((await api('PATCH', { clientID: own.clientID, clientSecret: own.clientSecret, deactivated: true })).statusCode < 300);
      const start = await startLogin(d.gh.app, { ...query(), client_id: own.clientID });
      assert.equal(start.requestId, null, 'an inactive connection starts no sign-in');
    });

    test('a domain the tenant verifies after the connection was remembered is verified in the next sign-in', async (t) => {
      if (!d.gh) return t.skip(`${dialect} unavailable`);
      await signIn(); // remembered, with the tenant's verified domains as they were
      const before = await signIn();
      assert.equal((await profileOf(locationParams(before.acs).get('code')!)).email_verified, false);
      await d.gh.ctx.db.insertInto('verified_domains').values({ domain: 'acme.com', tenant: 'acme.com', verified_at: Date.now() }).execute();
      const after = await signIn();
      assert.equal((await profileOf(locationParams(after.acs).get('code')!)).email_verified, true);
      if (dialect === 'postgres') {
        assert.equal(after.statements, 3, 'the one statement missed (a domain verified since), then the claim and the writes');
        assert.equal((await signIn()).statements, 1, 'remembered again');
      }
    });
  });

  describe(`two instances on one ${dialect} database: what one changes, the other's one statement sees`, () => {
    let a: RunningGatehouse | null;
    let b: RunningGatehouse | null;
    let idp: TestIdp;
    let conn: { clientID: string; clientSecret: string };
    before(async () => {
      const env = { ENCRYPTION_KEY: randomBytes(32).toString('hex') };
      a = await startGatehouse({ dialect, env });
      if (!a) return;
      b = await startGatehouse({ dialect, env, databaseUrl: a.db.url });
      idp = await createTestIdp();
      conn = await createSamlConnection(a.app, idp);
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });
    const query = () => ({ response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: 'openid' });
    const answer = (gh: RunningGatehouse, signer: TestIdp, start: { requestId: string | null; relayState: string | null }) =>
      postToAcs(gh.app, buildSamlResponseBase64({ idp: signer, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, inResponseTo: start.requestId, nameId: 'carol@acme.com', attributes: { email: 'carol@acme.com' } }), start.relayState);

    test('a flow started on one instance is answered on the other; a certificate rotated and a connection deactivated on one are refused on the other', async (t) => {
      if (!a || !b) return t.skip(`${dialect} unavailable`);
      for (let i = 0; i < 2; i++) assert.ok(locationParams(await answer(a, idp, await startLogin(a.app, query()))).get('code'), 'A remembers the connection');
      let statements = 0;
      a.database.statements.tap = (q) => { if (ACS_TABLES.test(q)) statements++; };
      const across = await answer(a, idp, await startLogin(b.app, query()));
      a.database.statements.tap = null;
      assert.ok(locationParams(across).get('code'), across.body);
      if (dialect === 'postgres') assert.equal(statements, 1, 'a flow B started, answered by A in one statement');

      const rotated = await createTestIdp({ entityId: idp.entityId });
      const changed = await b.app.inject({ method: 'PATCH', url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { clientID: conn.clientID, clientSecret: conn.clientSecret, rawMetadata: rotated.metadataXml({ ssoUrl: IDP_SSO_URL }) } });
      assert.ok(changed.statusCode < 300, changed.body);
      const old = await answer(a, idp, await startLogin(a.app, query()));
      assert.equal(locationParams(old).get('code'), null, 'the key B removed signs no one in on A');
      assert.match(locationParams(old).get('error_code') ?? '', /^SAML_SIGNATURE/);
      assert.ok(locationParams(await answer(a, rotated, await startLogin(a.app, query()))).get('code'));

      const started = await startLogin(a.app, query());
      const off = await b.app.inject({ method: 'PATCH', url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { clientID: conn.clientID, clientSecret: conn.clientSecret, deactivated: true } });
      assert.ok(off.statusCode < 300, off.body);
      const refused = await answer(a, rotated, started);
      assert.equal(locationParams(refused).get('code'), null, 'a connection B deactivated signs no one in on A');
      assert.equal(locationParams(refused).get('error_code'), 'SAML_CONNECTION_UNKNOWN');
    });
  });
}
