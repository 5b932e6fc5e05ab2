/**
 * The login path's statements of decision 0042 on every dialect: authorize stores its flow with the connection's read
 * (one statement on PostgreSQL), the ACS claims a flow with its connection and its tenant's sign-in lookups, gives a
 * claim back, and stores a sign-in's replay key, session, code and success count together, refusing a replayed key
 * with nothing stored. And decision 0052's one statement (PostgreSQL): the claim and every write, only when what the
 * ACS remembered is still the database's, else nothing at all.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describeEachDialect } from '../support/each-dialect.ts';
import { appSessionsRepo, connectionsRepo, loginFlowsRepo, oauthCodesRepo, productsRepo, roleMappingsRepo, type AppSessionRow, type ConnectionRow, type OauthCodeRow } from '../../src/storage/index.ts';
import { connectionLoginHealthRepo, loginMinuteOf } from '../../src/storage/repositories/connection-login-health.ts';

const now = 1_790_000_000_000;

const connection = (id: string, tenant: string, product: string, over: Partial<ConnectionRow> = {}): ConnectionRow => ({
  id, tenant, product, kind: 'saml', name: 'Okta', description: '', idp_entity_id: 'http://www.okta.com/exk1', idp_key: 'k'.repeat(64),
  redirect_urls: '["https://app.example/cb"]', default_redirect_url: 'https://app.example/cb', settings: '{"ssoRedirectUrl":"https://idp.example/sso"}', version: 4,
  client_secret_enc: 'v1.kid.iv.ct.tag', client_secret_mac: null, active: 1, sort_order: 0, created_at: now, updated_at: now + 1, backchannel_logout_uri: null, ...over,
});

const CB = ['https://app.example/cb'];
const newFlow = (id: string) => ({ id, params: '{"clientId":"x","redirectUri":"https://app.example/cb"}', created_at: now, expires_at: now + 60_000, completed_at: null });

const session = (sid: string, connectionId: string): AppSessionRow => ({
  sid, connection_id: connectionId, tenant: 't', product: 'p', client_id: connectionId, sub: 'sub-1', nameid: 'ann@acme.com', nameid_key: 'k'.repeat(64),
  nameid_format: null, session_index: null, email: 'ann@acme.com', groups: null, created_at: now, expires_at: now + 3_600_000, ended_at: null, end_reason: null,
});

const code = (hash: string, sid: string, connectionId: string): OauthCodeRow => ({
  code_hash: hash, flow_id: '_f', connection_id: connectionId, client_id: connectionId, redirect_uri: 'https://app/cb', code_challenge: null, code_challenge_method: null,
  nonce: null, scope: 'openid', profile_enc: 'sealed', created_at: now, expires_at: now + 60_000, redeemed_at: null, sid,
});

describeEachDialect('login statements (decision 0042)', (s) => {
  const { dialect, it } = s;

  it('authorize: the flow is stored with the connection\'s read on PostgreSQL, only for an active SAML connection', async () => {
    const { db } = s.opened;
    const id = `c-${randomUUID()}`;
    await connectionsRepo.insert(db, connection(id, 'acme.com', 'crm'));
    const before = s.opened.statements.count;
    const read = await loginFlowsRepo.readConnectionStartingFlow(db, dialect, id, newFlow(`_${randomUUID()}`), CB);
    assert.equal(s.opened.statements.count - before, 1, 'one statement');
    assert.equal(read.connection?.id, id);
    assert.equal(read.connection?.version, 4);
    assert.equal(Number(read.connection?.updated_at), now + 1);
    assert.equal(read.started, dialect === 'postgres');
    if (dialect === 'postgres') {
      const flowId = `_${randomUUID()}`;
      await loginFlowsRepo.readConnectionStartingFlow(db, dialect, id, newFlow(flowId), CB);
      const stored = await loginFlowsRepo.findById(db, flowId);
      assert.deepEqual({ ...stored, created_at: Number(stored?.created_at), expires_at: Number(stored?.expires_at) }, { ...newFlow(flowId), connection_id: id, tenant: 'acme.com', product: 'crm', connection_version: 4 });
      for (const over of [{ active: 0 }, { kind: 'oidc' as const }]) {
        const other = `c-${randomUUID()}`;
        await connectionsRepo.insert(db, connection(other, 'acme.com', 'crm', over));
        const f = `_${randomUUID()}`;
        const r = await loginFlowsRepo.readConnectionStartingFlow(db, dialect, other, newFlow(f), CB);
        assert.equal(r.connection?.id, other);
        assert.equal(r.started, false);
        assert.equal(await loginFlowsRepo.findById(db, f), undefined, 'no flow for an inactive or OIDC connection');
      }
      await loginFlowsRepo.delete(db, flowId);
      assert.equal(await loginFlowsRepo.findById(db, flowId), undefined);
      // A redirect URI the connection does not list exactly: the connection is read, and nothing is written (decision 0047).
      for (const uris of [['https://app.example/cb2'], ['https://app.example/CB', 'https://app.example/CB'], ['https://app.example/cb/']]) {
        const f = `_${randomUUID()}`;
        const r = await loginFlowsRepo.readConnectionStartingFlow(db, dialect, id, newFlow(f), uris);
        assert.equal(r.connection?.id, id);
        assert.equal(r.started, false, uris.join());
        assert.equal(await loginFlowsRepo.findById(db, f), undefined, `no flow for ${uris.join()}`);
      }
      const second = `_${randomUUID()}`;
      assert.equal((await loginFlowsRepo.readConnectionStartingFlow(db, dialect, id, newFlow(second), ['https://APP.example/cb', 'https://app.example/cb'])).started, true, 'the normalised form listed is enough');
    }
    const none = await loginFlowsRepo.readConnectionStartingFlow(db, dialect, `nope-${randomUUID()}`, newFlow(`_${randomUUID()}`), CB);
    assert.deepEqual(none, { connection: undefined, started: false });
  });

  it('ACS: a flow is claimed once with its connection and its tenant\'s sign-in lookups; a claim can be given back', async () => {
    const { db } = s.opened;
    const tenant = `t-${randomUUID()}`;
    const product = `p-${randomUUID()}`;
    const id = `c-${randomUUID()}`;
    await connectionsRepo.insert(db, connection(id, tenant, product));
    await productsRepo.insert(db, { id: product, name: 'P', default_redirect_url: null, initiate_login_uri: null, session_settings: null, roles: '[{"key":"admin","name":"Admin"}]', created_at: now, updated_at: now });
    await roleMappingsRepo.put(db, tenant, product, '[{"group":"staff","role":"admin"}]', now);
    const domains = [`a-${randomUUID()}.example`, `b-${randomUUID()}.example`];
    for (const domain of domains) await db.insertInto('verified_domains').values({ domain, tenant, verified_at: now }).execute();
    await db.insertInto('verified_domains').values({ domain: `${randomUUID()}.example`, tenant: 'someone-else', verified_at: now }).execute();
    const flowId = `_${randomUUID()}`;
    await loginFlowsRepo.insert(db, { ...newFlow(flowId), connection_id: id, tenant, product, connection_version: 4 });

    const before = s.opened.statements.count;
    const claims = await Promise.all(Array.from({ length: 6 }, () => loginFlowsRepo.claimWithConnection(db, dialect, flowId, now + 5)));
    const won = claims.filter((c) => c !== undefined);
    assert.equal(won.length, 1, 'claimed exactly once under a race');
    if (dialect === 'postgres') assert.equal(s.opened.statements.count - before, 6, 'one statement each');
    const { flow, connection: conn, facts } = won[0]!;
    assert.equal(flow.id, flowId);
    assert.equal(Number(flow.completed_at), now + 5);
    assert.equal(flow.connection_version, 4);
    assert.equal(Object.keys(flow).some((k) => k.startsWith('c__') || k.startsWith('s__')), false);
    assert.deepEqual({ ...conn, created_at: Number(conn?.created_at), updated_at: Number(conn?.updated_at) }, connection(id, tenant, product));
    assert.deepEqual([...facts.verifiedDomains].sort(), [...domains].sort());
    assert.equal(facts.roles, '[{"key":"admin","name":"Admin"}]');
    assert.equal(facts.mappings, '[{"group":"staff","role":"admin"}]');

    // Given back: open again, unless someone else completed it since.
    await loginFlowsRepo.releaseClaim(db, flowId, now + 4);
    assert.equal(Number((await loginFlowsRepo.findById(db, flowId))?.completed_at), now + 5, 'another claim time gives nothing back');
    await loginFlowsRepo.releaseClaim(db, flowId, now + 5);
    assert.equal((await loginFlowsRepo.findById(db, flowId))?.completed_at, null);
    assert.ok(await loginFlowsRepo.claimWithConnection(db, dialect, flowId, now + 6), 'claimable again');
    assert.equal(await loginFlowsRepo.claimWithConnection(db, dialect, flowId, now + 7), undefined);
  });

  it('ACS: a flow whose connection is gone, or whose tenant has no lookups, is still claimed', async () => {
    const { db } = s.opened;
    const flowId = `_${randomUUID()}`;
    await loginFlowsRepo.insert(db, { ...newFlow(flowId), connection_id: `gone-${randomUUID()}`, tenant: 't', product: 'p', connection_version: 1 });
    const claimed = await loginFlowsRepo.claimWithConnection(db, dialect, flowId, now);
    assert.equal(claimed?.flow.id, flowId);
    assert.equal(claimed?.connection, undefined);
    assert.deepEqual(claimed?.facts, { verifiedDomains: [], roles: null, mappings: null });
    const expired = `_${randomUUID()}`;
    await loginFlowsRepo.insert(db, { ...newFlow(expired), expires_at: now - 1, connection_id: 'x', tenant: 't', product: 'p', connection_version: 1 });
    assert.equal(await loginFlowsRepo.claimWithConnection(db, dialect, expired, now), undefined);
    assert.equal((await loginFlowsRepo.findById(db, expired))?.completed_at, null, 'a refused claim writes nothing');
  });

  it('a sign-in\'s replay key, session, code and success count are stored together; a replayed key stores nothing', async () => {
    const { db } = s.opened;
    const conn = `c-${randomUUID()}`;
    const key = `r-${randomUUID()}`.slice(0, 64);
    const sid = randomUUID();
    const before = s.opened.statements.count;
    const stored = await oauthCodesRepo.insertWithSession(db, dialect, session(sid, conn), code(`h-${sid}`, sid, conn), { replay: { key, keepUntil: now + 3_600_000 }, success: { connectionId: conn, now } });
    assert.equal(stored, true);
    if (dialect === 'postgres') assert.equal(s.opened.statements.count - before, 1, 'one statement on PostgreSQL');
    assert.equal((await appSessionsRepo.find(db, sid))?.sid, sid);
    assert.equal((await oauthCodesRepo.findByHash(db, `h-${sid}`))?.sid, sid);
    assert.deepEqual(Object.fromEntries(await connectionLoginHealthRepo.window(db, conn, loginMinuteOf(now))), { ok: 1 });
    assert.equal((await connectionLoginHealthRepo.get(db, conn)).lastSuccessAt, now);

    const again = randomUUID();
    const replayed = await oauthCodesRepo.insertWithSession(db, dialect, session(again, conn), code(`h-${again}`, again, conn), { replay: { key, keepUntil: now + 3_600_000 }, success: { connectionId: conn, now: now + 1 } });
    assert.equal(replayed, false);
    assert.equal(await appSessionsRepo.find(db, again), undefined, 'no session');
    assert.equal(await oauthCodesRepo.findByHash(db, `h-${again}`), undefined, 'no code');
    assert.deepEqual(Object.fromEntries(await connectionLoginHealthRepo.window(db, conn, loginMinuteOf(now))), { ok: 1 }, 'not counted');

    // Concurrent sign-ins of one connection count once each; the same key raced is accepted once.
    const raced = `r-${randomUUID()}`.slice(0, 64);
    const sids = Array.from({ length: 6 }, () => randomUUID());
    const results = await Promise.all(sids.map((x) => oauthCodesRepo.insertWithSession(db, dialect, session(x, conn), code(`h-${x}`, x, conn), { replay: { key: raced, keepUntil: now + 3_600_000 }, success: { connectionId: conn, now } })));
    assert.equal(results.filter(Boolean).length, 1);
    assert.deepEqual(Object.fromEntries(await connectionLoginHealthRepo.window(db, conn, loginMinuteOf(now))), { ok: 2 });
  });

  it('a success count that fails does not fail the sign-in: the session and the code are stored (SQLite, MySQL)', async () => {
    if (dialect === 'postgres') return; // one statement on PostgreSQL: the count is part of it, retried on deadlock
    const { db } = s.opened;
    const conn = `c-${randomUUID()}`;
    const sid = randomUUID();
    const recordSuccess = connectionLoginHealthRepo.recordSuccess;
    // The count's upsert failing (an InnoDB deadlock between two sign-ins' upserts of one minute's row, say).
    connectionLoginHealthRepo.recordSuccess = async () => { throw Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213 }); };
    try {
      const stored = await oauthCodesRepo.insertWithSession(db, dialect, session(sid, conn), code(`h-${sid}`, sid, conn), { replay: { key: `r-${randomUUID()}`.slice(0, 64), keepUntil: now + 3_600_000 }, success: { connectionId: conn, now } });
      assert.equal(stored, true);
    } finally {
      connectionLoginHealthRepo.recordSuccess = recordSuccess;
    }
    assert.equal((await appSessionsRepo.find(db, sid))?.sid, sid);
    assert.equal((await oauthCodesRepo.findByHash(db, `h-${sid}`))?.sid, sid);
  });
});

describeEachDialect('the ACS in one statement (decision 0052)', (s) => {
  const { dialect, it } = s;
  const params = (over: Record<string, unknown> = {}) => JSON.stringify({ clientId: 'app-client', redirectUri: 'https://app.example/cb', state: 'st', nonce: 'n-1', scope: 'openid email', codeChallenge: 'ch', codeChallengeMethod: 'S256', ...over });

  /** A connection with its tenant's lookups stored, an open flow on it, and the sign-in the ACS would settle from what it remembered. */
  async function setUp(flowParams = params()) {
    const { db } = s.opened;
    const tenant = `t-${randomUUID()}`;
    const product = `p-${randomUUID()}`;
    const id = `c-${randomUUID()}`;
    const row = connection(id, tenant, product);
    await connectionsRepo.insert(db, row);
    await productsRepo.insert(db, { id: product, name: 'P', default_redirect_url: null, initiate_login_uri: null, session_settings: null, roles: '[{"key":"admin","name":"Admin"}]', created_at: now, updated_at: now });
    await roleMappingsRepo.put(db, tenant, product, '[{"group":"staff","role":"admin"}]', now);
    const domains = [`b-${randomUUID()}.example`, `a-${randomUUID()}.example`];
    for (const domain of domains) await db.insertInto('verified_domains').values({ domain, tenant, verified_at: now }).execute();
    const flowId = `_${randomUUID()}`;
    await loginFlowsRepo.insert(db, { ...newFlow(flowId), params: flowParams, connection_id: id, tenant, product, connection_version: 4 });
    const sid = randomUUID();
    const { client_id: _s, ...sess } = { ...session(sid, id), tenant, product };
    const { client_id: _c, redirect_uri: _r, code_challenge: _h, code_challenge_method: _m, nonce: _n, scope: _o, ...codeRow } = { ...code(`h-${sid}`, sid, id), flow_id: flowId };
    const settled = { flowId, now: now + 10, connection: row, facts: { verifiedDomains: domains, roles: '[{"key":"admin","name":"Admin"}]', mappings: '[{"group":"staff","role":"admin"}]' }, session: sess, code: codeRow, replay: { key: `r-${randomUUID()}`.slice(0, 64), keepUntil: now + 3_600_000 } };
    return { db, id, tenant, product, flowId, sid, settled };
  }

  /** Nothing of the sign-in was written: the flow still open, no session, no code, no replay key, nothing counted. */
  async function nothingWritten(x: Awaited<ReturnType<typeof setUp>>, why: string) {
    const { db } = s.opened;
    assert.equal((await loginFlowsRepo.findById(db, x.flowId))?.completed_at, null, `${why}: the flow stays open`);
    assert.equal(await appSessionsRepo.find(db, x.sid), undefined, `${why}: no session`);
    assert.equal(await oauthCodesRepo.findByHash(db, `h-${x.sid}`), undefined, `${why}: no code`);
    assert.equal(await db.selectFrom('assertion_replays').select('assertion_key').where('assertion_key', '=', x.settled.replay.key).executeTakeFirst(), undefined, `${why}: no replay key`);
    assert.deepEqual(Object.fromEntries(await connectionLoginHealthRepo.window(db, x.id, loginMinuteOf(now))), {}, `${why}: not counted`);
  }

  it('PostgreSQL: claims the flow and stores the replay key, session, code (with the flow\'s params) and success count in one statement', async () => {
    if (dialect !== 'postgres') {
      const x = await setUp();
      await assert.rejects(loginFlowsRepo.claimAndIssue(x.db, dialect, x.settled), /PostgreSQL/);
      return; // SQLite and MySQL/MariaDB take the step-by-step path
    }
    const x = await setUp();
    const before = s.opened.statements.count;
    const flow = await loginFlowsRepo.claimAndIssue(x.db, dialect, x.settled);
    assert.equal(s.opened.statements.count - before, 1, 'one statement');
    assert.equal(flow?.id, x.flowId);
    assert.equal(flow?.completed_at, now + 10);
    assert.equal(flow?.params, params());
    assert.equal((await loginFlowsRepo.findById(x.db, x.flowId))?.completed_at, now + 10);
    assert.deepEqual(await appSessionsRepo.find(x.db, x.sid), { ...session(x.sid, x.id), tenant: x.tenant, product: x.product, client_id: 'app-client' });
    assert.deepEqual(await oauthCodesRepo.findByHash(x.db, `h-${x.sid}`), {
      ...code(`h-${x.sid}`, x.sid, x.id), flow_id: x.flowId, client_id: 'app-client', redirect_uri: 'https://app.example/cb', code_challenge: 'ch', code_challenge_method: 'S256', nonce: 'n-1', scope: 'openid email',
    });
    assert.ok(await x.db.selectFrom('assertion_replays').select('assertion_key').where('assertion_key', '=', x.settled.replay.key).executeTakeFirst());
    assert.deepEqual(Object.fromEntries(await connectionLoginHealthRepo.window(x.db, x.id, loginMinuteOf(now))), { ok: 1 });
    assert.equal((await connectionLoginHealthRepo.get(x.db, x.id)).lastSuccessAt, now + 10);
    assert.equal(await loginFlowsRepo.claimAndIssue(x.db, dialect, { ...x.settled, replay: { ...x.settled.replay, key: `r-${randomUUID()}`.slice(0, 64) } }), undefined, 'claimed once');

    // PKCE and nonce absent: null columns.
    const bare = await setUp(params({ codeChallenge: null, codeChallengeMethod: null, nonce: null }));
    assert.ok(await loginFlowsRepo.claimAndIssue(bare.db, dialect, bare.settled));
    const stored = await oauthCodesRepo.findByHash(bare.db, `h-${bare.sid}`);
    assert.deepEqual([stored?.code_challenge, stored?.code_challenge_method, stored?.nonce], [null, null, null]);
  });

  it('PostgreSQL: anything the caller used that is no longer the database\'s, or a flow it never takes, writes nothing', async () => {
    if (dialect !== 'postgres') return; // PostgreSQL only: the others never send it
    const { db } = s.opened;
    type X = Awaited<ReturnType<typeof setUp>>;
    const cases: [string, (x: X) => Promise<unknown>, string?][] = [
      ['settings changed', (x) => connectionsRepo.update(db, x.id, { settings: '{"ssoRedirectUrl":"https://idp.example/other"}' })],
      ['updated_at changed', (x) => connectionsRepo.update(db, x.id, { updated_at: now + 2 })],
      ['version changed', (x) => connectionsRepo.update(db, x.id, { version: 5 })],
      ['IdP entity ID changed', (x) => connectionsRepo.update(db, x.id, { idp_entity_id: 'http://www.okta.com/other' })],
      ['deactivated', (x) => connectionsRepo.update(db, x.id, { active: 0 })],
      ['deleted', (x) => connectionsRepo.delete(db, x.id)],
      ['a domain verified since', (x) => db.insertInto('verified_domains').values({ domain: `c-${randomUUID()}.example`, tenant: x.tenant, verified_at: now }).execute()],
      ['a domain no longer verified', (x) => db.deleteFrom('verified_domains').where('domain', '=', x.settled.facts.verifiedDomains[0]!).execute()],
      ['product roles changed', (x) => db.updateTable('products').set({ roles: '[]' }).where('id', '=', x.product).execute()],
      ['role mapping changed', (x) => roleMappingsRepo.put(db, x.tenant, x.product, '[]', now + 1)],
      ['flow expired', (x) => db.updateTable('login_flows').set({ expires_at: now }).where('id', '=', x.flowId).execute()],
      ['flow completed', (x) => db.updateTable('login_flows').set({ completed_at: now + 1 }).where('id', '=', x.flowId).execute()],
      ['flow on another version', (x) => db.updateTable('login_flows').set({ connection_version: 3 }).where('id', '=', x.flowId).execute()],
      ['flow of another connection', (x) => db.updateTable('login_flows').set({ connection_id: `other-${randomUUID()}` }).where('id', '=', x.flowId).execute()],
      ['a setup-link test', () => Promise.resolve(), params({ setupTestId: 'test-1' })],
      ['a federation request', () => Promise.resolve(), params({ federationRequestId: 'fed-1' })],
      ['params without a client_id', () => Promise.resolve(), JSON.stringify({ redirectUri: 'https://app.example/cb' })],
    ];
    for (const [why, change, flowParams] of cases) {
      const x = await setUp(flowParams);
      await change(x);
      assert.equal(await loginFlowsRepo.claimAndIssue(db, dialect, x.settled), undefined, why);
      if (why !== 'flow completed') await nothingWritten(x, why);
    }
    // The same facts in another order are the same facts.
    const reordered = await setUp();
    assert.ok(await loginFlowsRepo.claimAndIssue(db, dialect, { ...reordered.settled, facts: { ...reordered.settled.facts, verifiedDomains: [...reordered.settled.facts.verifiedDomains].reverse() } }));
  });

  it('PostgreSQL: a replayed assertion key writes nothing, not even the claim; raced, one sign-in wins', async () => {
    if (dialect !== 'postgres') return; // PostgreSQL only: the others never send it
    const first = await setUp();
    assert.ok(await loginFlowsRepo.claimAndIssue(first.db, dialect, first.settled));
    const second = await setUp();
    assert.equal(await loginFlowsRepo.claimAndIssue(second.db, dialect, { ...second.settled, replay: first.settled.replay }), undefined);
    await nothingWritten(second, 'replayed');
    const raced = await setUp();
    const sids = Array.from({ length: 6 }, () => randomUUID());
    const results = await Promise.all(sids.map((sid) => loginFlowsRepo.claimAndIssue(raced.db, dialect, { ...raced.settled, session: { ...raced.settled.session, sid }, code: { ...raced.settled.code, code_hash: `h-${sid}`, sid } })));
    assert.equal(results.filter(Boolean).length, 1, 'one flow, one sign-in');
    assert.deepEqual(Object.fromEntries(await connectionLoginHealthRepo.window(raced.db, raced.id, loginMinuteOf(now))), { ok: 1 });
  });
});
