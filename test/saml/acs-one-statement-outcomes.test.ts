/**
 * The ACS's one statement on PostgreSQL (decision 0052), two outcomes pinned by decision 0059: a database error in the
 * statement ends as the step-by-step path would have ended (the flow claimed, then a code or that path's error),
 * never as an error behind a flow left open; and which flows the instance remembers their connection for is decided
 * by the params' keys, exactly as the statement reads them, not by their text.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildSamlResponseBase64 } from '../support/saml-idp.ts';
import { APP_CALLBACK, locationParams, postToAcs, samlDeploymentFor, startLogin } from '../support/saml-flow.ts';
import { takesTheOneStatement } from '../../src/sso/saml/acs-at-once.ts';
import { AcsConnections } from '../../src/sso/saml/acs-connections.ts';

const ACS_TABLES = /login_flows|connections|verified_domains|role_mappings|products|assertion_replays|app_sessions|oauth_codes|connection_login/;

describe('the ACS\'s one statement on postgres: a database error, and the params it takes', () => {
  const d = samlDeploymentFor('postgres');

  async function signIn(state = 'st') {
    const start = await startLogin(d.gh!.app, { response_type: 'code', client_id: d.conn.clientID, redirect_uri: APP_CALLBACK, state, scope: 'openid' });
    assert.ok(start.requestId, start.res.body);
    const b64 = buildSamlResponseBase64({
      idp: d.idp, spEntityId: d.gh!.ctx.config.SAML_SP_ENTITY_ID, acsUrl: d.gh!.ctx.config.acsUrl, inResponseTo: start.requestId,
      nameId: 'alice@acme.com', attributes: { email: 'alice@acme.com' },
    });
    let statements = 0;
    d.gh!.database.statements.tap = (q) => { if (ACS_TABLES.test(q)) statements++; };
    try {
      const acs = await postToAcs(d.gh!.app, b64, start.relayState);
      return { acs, statements, flowId: start.requestId };
    } finally {
      d.gh!.database.statements.tap = null;
    }
  }
  const flowCompletedAt = async (id: string) =>
    (await d.gh!.ctx.db.selectFrom('login_flows').select('completed_at').where('id', '=', id).executeTakeFirstOrThrow()).completed_at;

  /** A trigger that fails the code inserts (the one statement's, and the step-by-step path's): `failures` of them, or all. */
  async function failingCodeInserts<T>(failures: number | 'all', run: () => Promise<T>): Promise<T> {
    const db = d.gh!.ctx.db;
    const limit = failures === 'all' ? 1_000_000 : failures;
    // A sequence is not rolled back with the failed statement, so it counts the failures across the two paths' attempts.
    await sql`create sequence test_code_insert_failures`.execute(db);
    await sql.raw(`create function test_fail_code_insert() returns trigger language plpgsql as $$
      begin if nextval('test_code_insert_failures') <= ${limit} then raise exception 'injected code insert failure'; end if; return new; end $$`).execute(db);
    await sql`create trigger test_fail_code_insert before insert on oauth_codes for each row execute function test_fail_code_insert()`.execute(db);
    try {
      return await run();
    } finally {
      await sql`drop trigger test_fail_code_insert on oauth_codes`.execute(db);
      await sql`drop function test_fail_code_insert()`.execute(db);
      await sql`drop sequence test_code_insert_failures`.execute(db);
    }
  }

  test('a database error in the one statement once: the step-by-step path signs the user in, and the flow is closed', async (t) => {
    if (!d.gh) return t.skip('postgres unavailable');
    await signIn(); // remembered
    const once = await failingCodeInserts(1, () => signIn());
    assert.equal(once.acs.statusCode, 302, once.acs.body);
    assert.ok(locationParams(once.acs).get('code'), 'signed in by the step-by-step path');
    assert.notEqual(await flowCompletedAt(once.flowId), null);
  });

  test('a database error that lasts: the step-by-step path\'s own outcome, the flow claimed and no code', async (t) => {
    if (!d.gh) return t.skip('postgres unavailable');
    await signIn(); // remembered
    const failed = await failingCodeInserts('all', () => signIn());
    assert.equal(failed.acs.statusCode, 500, failed.acs.body);
    assert.doesNotMatch(String(failed.acs.headers.location ?? ''), /[?&]code=/);
    assert.notEqual(await flowCompletedAt(failed.flowId), null, 'closed, as the step-by-step path closes it before its writes');
    const codes = await d.gh.ctx.db.selectFrom('oauth_codes').select('code_hash').where('flow_id', '=', failed.flowId).execute();
    assert.equal(codes.length, 0);
  });

  test('an app\'s state that reads "setupTestId" is an app flow (and "federationRequestId" too): its connection is remembered, the next sign-in is one statement', async (t) => {
    if (!d.gh) return t.skip('postgres unavailable');
    for (const state of ['setupTestId', 'federationRequestId']) {
      d.gh.ctx.acsConnections = new AcsConnections(); // nothing remembered: the step-by-step path claims, and remembers
      const first = await signIn(state);
      assert.equal(first.acs.statusCode, 302, first.acs.body);
      assert.equal(first.statements, 2);
      const second = await signIn(state);
      assert.equal(locationParams(second.acs).get('state'), state);
      assert.ok(locationParams(second.acs).get('code'));
      assert.equal(second.statements, 1, 'remembered by the claim before');
    }
  });

  test('takesTheOneStatement reads the params\' keys, as the statement does', () => {
    const app = { clientId: 'c', redirectUri: 'https://app.example.test/cb', state: 's' };
    assert.equal(takesTheOneStatement(JSON.stringify(app)), true);
    assert.equal(takesTheOneStatement(JSON.stringify({ ...app, state: 'setupTestId' })), true);
    assert.equal(takesTheOneStatement(JSON.stringify({ ...app, redirectUri: 'https://app.example.test/cb?x="federationRequestId"' })), true);
    assert.equal(takesTheOneStatement(JSON.stringify({ ...app, setupTestId: 't1' })), false);
    assert.equal(takesTheOneStatement(JSON.stringify({ ...app, setupTestId: null })), false, 'present, even null: jsonb -> gives a JSON null, not SQL NULL');
    assert.equal(takesTheOneStatement(JSON.stringify({ ...app, federationRequestId: 'f1' })), false);
    assert.equal(takesTheOneStatement(JSON.stringify({ ...app, clientId: null })), false, 'the statement wants clientId a string');
    assert.equal(takesTheOneStatement(JSON.stringify({ redirectUri: app.redirectUri })), false);
    assert.equal(takesTheOneStatement('[]'), false);
    assert.equal(takesTheOneStatement('not json'), false);
  });
});
