/**
 * Issue 15, the anchor of every logout: a sign-in that issues a code opens an app session in the database, with
 * the IdP's NameID, NameID Format and SessionIndex; the id_token carries its `sid`; ending the session (from any
 * instance: the row is the state) revokes the access token at once, and ends it exactly once.
 * Full logins through the real HTTP surface on every dialect.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createSamlConnection } from '../support/saml-flow.ts';
import { signInToApp } from '../support/app-sign-in.ts';
import { appSessionsRepo } from '../../src/storage/index.ts';
import { endAppSessions, nameidKeyOf } from '../../src/oauth/sessions.ts';

const NAME_ID = 'Alice@Acme.com';

for (const dialect of testDialects()) {
  describe(`app sessions on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    let idp: TestIdp;
    let conn: { clientID: string; clientSecret: string };
    before(async () => {
      gh = await startGatehouse({ dialect });
      if (!gh) return;
      idp = await createTestIdp();
      conn = await createSamlConnection(gh.app, idp);
    });
    after(async () => gh?.close());

    const signIn = () => signInToApp(gh!, idp, conn, { nameId: NAME_ID, attributes: { email: NAME_ID } });
    const userinfo = (token: string) => gh!.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${token}` } });

    test('a sign-in opens a session the id_token names; ending it revokes the access token, once', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const { claims, accessToken } = await signIn();
      assert.equal(typeof claims.sid, 'string');
      const row = await appSessionsRepo.find(gh.ctx.db, claims.sid as string);
      assert.ok(row, 'the session is stored');
      assert.equal(row.connection_id, conn.clientID);
      assert.equal(row.client_id, conn.clientID);
      assert.equal(row.sub, claims.sub);
      assert.equal(row.nameid, NAME_ID);
      assert.equal(row.nameid_key, nameidKeyOf('alice@acme.com'), 'matched case-insensitively');
      assert.equal(row.email, 'alice@acme.com');
      assert.ok(row.session_index, 'the SAML SessionIndex is kept for Single Logout');
      assert.equal(row.ended_at, null);
      assert.ok(row.expires_at - row.created_at === gh.ctx.config.SESSION_TTL_SECONDS * 1000);
      assert.equal((await userinfo(accessToken)).statusCode, 200);

      const heard: string[] = [];
      gh.ctx.events.on('app_sessions.ended', (e) => void heard.push(...e.sessions.map((s) => `${s.sid}:${e.reason}`)));
      const [first, second] = await Promise.all([
        endAppSessions(gh.ctx, { connectionId: conn.clientID, nameidKey: nameidKeyOf(NAME_ID) }, 'saml_slo'),
        endAppSessions(gh.ctx, { sid: claims.sid as string }, 'admin'),
      ]);
      assert.equal(first.length + second.length, 1, 'ended exactly once');
      assert.deepEqual(heard, [`${claims.sid}:${first.length ? 'saml_slo' : 'admin'}`]);
      const info = await userinfo(accessToken);
      assert.equal(info.statusCode, 401, info.body);
      assert.equal(info.json().error, 'invalid_token');
      const after = await appSessionsRepo.find(gh.ctx.db, claims.sid as string);
      assert.ok(after?.ended_at);
    });

    test('each sign-in has its own session; ending one leaves the other', async (t) => {
      if (!gh) return t.skip(`${dialect} is not available`);
      const a = await signIn();
      const b = await signIn();
      assert.notEqual(a.claims.sid, b.claims.sid);
      const ended = await endAppSessions(gh.ctx, { sid: a.claims.sid as string }, 'app');
      assert.deepEqual(ended.map((s) => s.sid), [a.claims.sid]);
      assert.equal((await userinfo(a.accessToken)).statusCode, 401);
      assert.equal((await userinfo(b.accessToken)).statusCode, 200);
      const byEmail = await endAppSessions(gh.ctx, { tenant: 'acme.com', product: 'crm', emails: ['alice@acme.com'], nameidKeys: [] }, 'scim_deactivated');
      assert.ok(byEmail.some((s) => s.sid === b.claims.sid));
      assert.equal((await userinfo(b.accessToken)).statusCode, 401);
    });
  });
}
