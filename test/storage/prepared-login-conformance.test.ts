/**
 * The login's statements compiled once (src/storage/prepared-login.ts, decisions 0055 and 0059) on SQLite, PostgreSQL
 * and MySQL/MariaDB: each sends the SQL Kysely builds per call for the same query, binds its own values (nulls
 * included, never a placeholder or the previous call's), and the redeem counts the rows it changed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describeEachDialect } from '../support/each-dialect.ts';
import { loginStatements } from '../../src/storage/prepared-login.ts';
import { CLAIMED_CONNECTION_COLUMNS } from '../../src/storage/repositories/connections.ts';
import { connectionLoginHealthRepo, loginMinuteOf } from '../../src/storage/repositories/connection-login-health.ts';
import { tenantSignInFactColumns } from '../../src/storage/repositories/role-mappings.ts';
import { assertionReplaysRepo, loginFlowsRepo, oauthCodesRepo, oauthTokensRepo, type OauthCodeRow, type OauthTokenRow, type RedeemCheck } from '../../src/storage/index.ts';

const now = 1_700_000_000_000;

const code = (hash: string): OauthCodeRow => ({
  code_hash: hash, flow_id: '_f', connection_id: 'c1', client_id: 'c1', redirect_uri: 'https://app/cb', code_challenge: null, code_challenge_method: null,
  nonce: null, scope: 'openid', profile_enc: 'sealed', created_at: now, expires_at: now + 60_000, redeemed_at: null, sid: null,
});

const token = (hash: string, over: Partial<OauthTokenRow> = {}): OauthTokenRow => ({
  token_hash: hash, code_hash: 'h', connection_id: 'c1', profile_enc: 'sealed', created_at: now, expires_at: now + 3_600_000, revoked_at: null, sid: null, scope: 'openid', client_id: 'c1', ...over,
});

const numbers = (row: OauthTokenRow | undefined) => row && { ...row, created_at: Number(row.created_at), expires_at: Number(row.expires_at), revoked_at: row.revoked_at === null ? null : Number(row.revoked_at) };

describeEachDialect('prepared login statements conformance', (s) => {
  const { dialect, it } = s;

  it('each statement sends the SQL Kysely builds per call, as one statement', async () => {
    const db = s.opened.db;
    const sent: string[] = [];
    s.opened.statements.tap = (text) => sent.push(text);
    try {
      await loginStatements.codeWithClientSecret.first(db, { codeHash: 'x' });
      await loginStatements.redeemCode.changed(db, { codeHash: 'x', now });
      await loginStatements.tokenWithSession.first(db, { tokenHash: 'x' });
      await loginStatements.insertToken.rows(db, token(`sql-${randomUUID()}`));
    } finally {
      s.opened.statements.tap = null;
    }
    assert.deepEqual(sent, [
      db.selectFrom('oauth_codes as k').leftJoin('connections as c', 'c.id', 'k.connection_id').selectAll('k')
        .select(['c.client_secret_enc as connection_secret_enc', 'c.client_secret_mac as connection_secret_mac']).where('k.code_hash', '=', 'x').compile().sql,
      db.updateTable('oauth_codes').set({ redeemed_at: now }).where('code_hash', '=', 'x').where('redeemed_at', 'is', null).compile().sql,
      db.selectFrom('oauth_tokens as t').leftJoin('app_sessions as s', 's.sid', 't.sid').selectAll('t')
        .select(['s.sid as session_found', 's.ended_at as session_ended_at', 's.expires_at as session_expires_at']).where('t.token_hash', '=', 'x').compile().sql,
      db.insertInto('oauth_tokens').values(token('y')).compile().sql,
    ]);
  });

  it('every call binds its own values: nulls and numbers stored as given, a redeem counted once, in and out of a transaction', async () => {
    const db = s.opened.db;
    const h = `h-${randomUUID()}`;
    const a = token(`a-${h}`, { code_hash: h });
    const b = token(`b-${h}`, { code_hash: h, revoked_at: now + 1, sid: 'sid-b', scope: null, client_id: null, profile_enc: 'other' });
    await Promise.all([loginStatements.insertToken.rows(db, a), loginStatements.insertToken.rows(db, b)]);
    assert.deepEqual(numbers(await oauthTokensRepo.findByHash(db, a.token_hash)), a);
    assert.deepEqual(numbers(await oauthTokensRepo.findByHash(db, b.token_hash)), b);
    const withSession = await oauthTokensRepo.findWithSession(db, b.token_hash);
    assert.equal(withSession?.sid, 'sid-b');
    assert.equal(withSession?.session_found, null, 'no such session');
    assert.equal(await oauthTokensRepo.findWithSession(db, `none-${h}`), undefined);

    await oauthCodesRepo.insert(db, code(h));
    await oauthCodesRepo.insert(db, code(`2-${h}`));
    assert.equal((await oauthCodesRepo.findWithClientSecret(db, h))?.code_hash, h);
    assert.equal((await oauthCodesRepo.findWithClientSecret(db, `2-${h}`))?.code_hash, `2-${h}`);
    await db.transaction().execute(async (trx) => {
      assert.equal(await oauthCodesRepo.redeem(trx, h, now + 5), true);
      assert.equal(await oauthCodesRepo.redeem(trx, h, now + 6), false, 'a second redeem changes nothing');
    });
    assert.equal(Number((await oauthCodesRepo.findByHash(db, h))?.redeemed_at), now + 5);
    assert.equal((await oauthCodesRepo.findByHash(db, `2-${h}`))?.redeemed_at, null, 'the other code is untouched');
    assert.equal(await oauthCodesRepo.redeem(db, `2-${h}`, now + 9), true);
    assert.equal(Number((await oauthCodesRepo.findByHash(db, `2-${h}`))?.redeemed_at), now + 9);
    assert.equal(await oauthCodesRepo.redeem(db, `none-${h}`, now), false);
  });

  it('a redeem whose access token cannot be stored: PostgreSQL (one statement) leaves the code unredeemed, the others have spent it', async () => {
    const db = s.opened.db;
    const h = `u-${randomUUID()}`;
    await oauthCodesRepo.insert(db, code(h));
    await loginStatements.insertToken.rows(db, token(`taken-${h}`));
    await assert.rejects(oauthCodesRepo.redeemWithToken(db, dialect, h, now + 3, token(`taken-${h}`, { code_hash: h })));
    // SQLite and MySQL/MariaDB run the redeem and the insert as two statements (decisions 0039, 0055).
    const stored = await oauthCodesRepo.findByHash(db, h);
    assert.equal(stored?.redeemed_at === null ? null : Number(stored?.redeemed_at), dialect === 'postgres' ? null : now + 3);
    assert.equal(await oauthCodesRepo.redeemWithToken(db, dialect, h, now + 4, token(`ok-${h}`, { code_hash: h })), dialect === 'postgres');
  });

  it('the authorize and ACS statements (decision 0059) send the SQL Kysely builds per call and bind every value, nulls included', async () => {
    const db = s.opened.db;
    const id = `_flow-${randomUUID()}`;
    const flow = { id, connection_id: 'c1', tenant: 't', product: 'p', params: '{"clientId":"c1"}', created_at: now, expires_at: now + 60_000, completed_at: null, connection_version: null };
    const session = {
      sid: `sid-${id}`, connection_id: 'c1', tenant: 't', product: 'p', client_id: 'c1', sub: 'sub', nameid: 'n', nameid_key: 'k', nameid_format: null,
      session_index: 'si', email: null, groups: '["g"]', created_at: now, expires_at: now + 1000, ended_at: null, end_reason: null,
    };
    // In the order the code's writer (oauth/codes.ts#codeRowBase) builds the row.
    const codeOf: OauthCodeRow = {
      code_hash: `code-${id}`, flow_id: id, connection_id: 'c1', profile_enc: 'sealed', created_at: now, expires_at: now + 60_000, redeemed_at: null, sid: session.sid,
      client_id: 'c1', redirect_uri: 'https://app/cb', code_challenge: null, code_challenge_method: null, nonce: null, scope: 'openid',
    };
    const sent: string[] = [];
    s.opened.statements.tap = (text) => sent.push(text);
    try {
      assert.equal(await loginStatements.connectionById.first(db, { id: `none-${id}` }), undefined);
      await loginFlowsRepo.insert(db, flow);
      assert.equal(await assertionReplaysRepo.recordOnce(db, `key-${id}`, now), true);
      assert.equal(await assertionReplaysRepo.recordOnce(db, `key-${id}`, now), false, 'a replay');
      await loginStatements.insertSession.rows(db, session);
      await loginStatements.insertCode.rows(db, codeOf);
      if (dialect !== 'postgres') {
        // Outside PostgreSQL the claim and the claimed flow's read are the compiled statements (on PostgreSQL, one
        // UPDATE … RETURNING built per call, pinned by login-statements-conformance).
        assert.equal(await loginStatements.claimFlow.changed(db, { id: `none-${id}`, now }), 0);
        assert.equal(await loginStatements.claimedFlow[dialect].first(db, { id: `none-${id}` }), undefined);
      }
    } finally {
      s.opened.statements.tap = null;
    }
    assert.deepEqual(sent, [
      db.selectFrom('connections').selectAll().where('id', '=', 'x').compile().sql,
      db.insertInto('login_flows').values(flow).compile().sql,
      db.insertInto('assertion_replays').values({ assertion_key: 'k', expires_at: now }).compile().sql,
      db.insertInto('assertion_replays').values({ assertion_key: 'k', expires_at: now }).compile().sql,
      db.insertInto('app_sessions').values(session).compile().sql,
      db.insertInto('oauth_codes').values(codeOf).compile().sql,
      ...(dialect === 'postgres' ? [] : [
        db.updateTable('login_flows').set({ completed_at: now }).where('id', '=', 'x').where('completed_at', 'is', null).where('expires_at', '>=', now).compile().sql,
        db.selectFrom('login_flows as f').leftJoin('connections as c', 'c.id', 'f.connection_id').selectAll('f')
          .select(CLAIMED_CONNECTION_COLUMNS).select(tenantSignInFactColumns(dialect, 'c.tenant', 'c.product')).where('f.id', '=', 'x').compile().sql,
      ]),
    ]);
    const storedCode = await oauthCodesRepo.findByHash(db, codeOf.code_hash);
    assert.deepEqual(storedCode && { ...storedCode, created_at: Number(storedCode.created_at), expires_at: Number(storedCode.expires_at) }, codeOf);
    const stored = await db.selectFrom('app_sessions').selectAll().where('sid', '=', session.sid).executeTakeFirstOrThrow();
    assert.deepEqual({ ...stored, created_at: Number(stored.created_at), expires_at: Number(stored.expires_at) }, session);
    const storedFlow = await loginFlowsRepo.findById(db, id);
    assert.deepEqual(storedFlow && { ...storedFlow, created_at: Number(storedFlow.created_at), expires_at: Number(storedFlow.expires_at) }, flow);
    // The claim: once, then never again; the read after it sees the flow completed, with no connection (none is stored).
    const claimed = await loginFlowsRepo.claimWithConnection(db, dialect, id, now + 5);
    assert.equal(Number(claimed?.flow.completed_at), now + 5);
    assert.equal(claimed?.connection, undefined);
    assert.equal(await loginFlowsRepo.claimWithConnection(db, dialect, id, now + 6), undefined);
    assert.equal(await loginFlowsRepo.claimWithConnection(db, dialect, `none-${id}`, now), undefined);
  });
});

describeEachDialect('prepared login statements conformance: a success counted', (s) => {
  const { dialect, it } = s;

  it('outside PostgreSQL, the success\'s two upserts are the SQL Kysely builds per call, count once per sign-in and end a failing episode', async () => {
    const db = s.opened.db;
    const connectionId = `c-${randomUUID()}`;
    const minute = loginMinuteOf(now);
    await db.insertInto('connection_login_health').values({ connection_id: connectionId, last_success_at: null, failures_since_success: 3, failing_since: now - 5 }).execute();
    const sent: string[] = [];
    s.opened.statements.tap = (text) => sent.push(text);
    try {
      await connectionLoginHealthRepo.recordSuccess(db, dialect, connectionId, minute, now);
      await connectionLoginHealthRepo.recordSuccess(db, dialect, connectionId, minute, now + 7);
    } finally {
      s.opened.statements.tap = null;
    }
    if (dialect !== 'postgres') {
      const count = db.insertInto('connection_login_counts').values({ connection_id: 'x', minute: 1, outcome: 'ok', n: 1 });
      const health = db.insertInto('connection_login_health').values({ connection_id: 'x', last_success_at: 1, failures_since_success: 0, failing_since: null });
      const set = { last_success_at: 1, failures_since_success: 0, failing_since: null };
      const expected = dialect === 'mysql'
        ? [count.onDuplicateKeyUpdate({ n: sql`n + 1` }).compile().sql, health.onDuplicateKeyUpdate(set).compile().sql]
        : [count.onConflict((oc) => oc.columns(['connection_id', 'minute', 'outcome']).doUpdateSet({ n: sql`connection_login_counts.n + 1` })).compile().sql, health.onConflict((oc) => oc.column('connection_id').doUpdateSet(set)).compile().sql];
      assert.deepEqual(sent.filter((t) => !/^(begin|commit|savepoint|release)/i.test(t)), [...expected, ...expected]);
    }
    assert.equal((await connectionLoginHealthRepo.window(db, connectionId, minute)).get('ok'), 2);
    assert.deepEqual(await connectionLoginHealthRepo.get(db, connectionId), { lastSuccessAt: now + 7, failuresSinceSuccess: 0, failingSince: null });
  });
});

describeEachDialect('the checked redeem (PostgreSQL, SQLite: decisions 0047, 0061)', (s) => {
  const { dialect, it } = s;
  const pkceCode = (hash: string, over: Partial<OauthCodeRow> = {}): OauthCodeRow => ({ ...code(hash), connection_id: 'c-pkce', client_id: 'c-pkce', code_challenge: 'S256-of-the-verifier', code_challenge_method: 'S256', ...over });
  const check = (codeHash: string, over: Partial<RedeemCheck> = {}): RedeemCheck => ({ codeHash, now, clientIds: ['c-pkce'], redirectUri: 'https://app/cb', verifier: { s256: 'S256-of-the-verifier' }, secretMacs: null, ...over });
  const issued = (i: number) => ({ token_hash: `t${i}-${randomUUID()}`, created_at: now, expires_at: now + 3_600_000 });

  it('redeems a code exactly once under a race, and stores the winner\'s access token only', async () => {
    if (dialect === 'mysql') return; // MySQL/MariaDB take the step-by-step path
    const db = s.opened.db;
    const h = `race-${randomUUID()}`;
    await oauthCodesRepo.insert(db, pkceCode(h));
    const tokens = Array.from({ length: 8 }, (_, i) => issued(i));
    const results = await Promise.all(tokens.map((tk) => oauthCodesRepo.redeemChecked(db, dialect, check(h), tk)));
    assert.equal(results.filter(Boolean).length, 1, 'one redemption wins');
    assert.equal(Number((await oauthCodesRepo.findByHash(db, h))?.redeemed_at), now);
    const stored = await Promise.all(tokens.map((tk) => oauthTokensRepo.findByHash(db, tk.token_hash)));
    assert.equal(stored.filter(Boolean).length, 1, 'a losing redemption stores no token');
    const winner = stored.find(Boolean)!;
    assert.deepEqual({ code_hash: winner.code_hash, client_id: winner.client_id, connection_id: winner.connection_id, scope: winner.scope, revoked_at: winner.revoked_at }, { code_hash: h, client_id: 'c-pkce', connection_id: 'c-pkce', scope: 'openid', revoked_at: null });
  });

  it('redeems nothing when any check fails, and redeems with one or two client_ids sent', async () => {
    if (dialect === 'mysql') return; // MySQL/MariaDB take the step-by-step path
    const db = s.opened.db;
    const misses: [string, Partial<OauthCodeRow>, Partial<RedeemCheck>][] = [
      ['expired', { expires_at: now - 1 }, {}],
      ['already redeemed', { redeemed_at: now - 1 }, {}],
      ['another client', {}, { clientIds: ['someone-else'] }],
      ['another redirect_uri', {}, { redirectUri: 'https://app/other' }],
      ['a wrong verifier', {}, { verifier: { s256: 'another' } }],
      ['no verifier for a PKCE code', {}, { verifier: null }],
      ['a plain challenge', { code_challenge_method: 'plain' }, {}],
      ['no PKCE and no secret', { code_challenge: null, code_challenge_method: null }, { verifier: null }],
      ['offline_access', { scope: 'openid offline_access' }, {}],
      ['a client_id other than its connection', { client_id: 'tenant=acme&product=crm' }, { clientIds: ['tenant=acme&product=crm'] }],
      ['a secret whose hash no connection has', {}, { secretMacs: ['not-a-mac'] }],
      // An empty list never reaches PostgreSQL's statement (its `in ()` is a syntax error); SQLite's treats it as no match.
      ...(dialect === 'sqlite' ? [['no client_id in the list', {}, { clientIds: [] }] as [string, Partial<OauthCodeRow>, Partial<RedeemCheck>]] : []),
    ];
    for (const [name, codeOver, checkOver] of misses) {
      const h = `miss-${randomUUID()}`;
      await oauthCodesRepo.insert(db, pkceCode(h, codeOver));
      const tk = issued(0);
      assert.equal(await oauthCodesRepo.redeemChecked(db, dialect, check(h, checkOver), tk), undefined, name);
      assert.equal(Number((await oauthCodesRepo.findByHash(db, h))?.redeemed_at ?? null) || null, codeOver.redeemed_at ?? null, `${name}: the code is as it was`);
      assert.equal(await oauthTokensRepo.findByHash(db, tk.token_hash), undefined, `${name}: no token`);
    }
    for (const clientIds of [null, ['c-pkce', 'c-pkce-literal'], ['c-pkce-literal', 'c-pkce']]) {
      const h = `hit-${randomUUID()}`;
      await oauthCodesRepo.insert(db, pkceCode(h));
      assert.equal((await oauthCodesRepo.redeemChecked(db, dialect, check(h, { clientIds, redirectUri: null }), issued(1)))?.code_hash, h, JSON.stringify(clientIds));
    }
  });
});
