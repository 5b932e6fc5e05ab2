/**
 * The storage conformance suite: the same tests on SQLite, PostgreSQL and MySQL/MariaDB.
 */
import assert from 'node:assert/strict';
import { migrateToLatest, MIGRATION_NAMES, connectionsRepo, loginFlowsRepo, assertionReplaysRepo, oauthCodesRepo, oauthTokensRepo, signingKeysRepo, type ConnectionRow } from '../../src/storage/index.ts';
import { pingDatabase, retryOnDeadlock } from '../../src/storage/dialect.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000; // a 2026 epoch-ms value: needs BIGINT everywhere

const connection = (id: string, over: Partial<ConnectionRow> = {}): ConnectionRow => ({
  id, tenant: 'acme.com', product: 'crm', kind: 'saml', name: 'Okta', description: 'Ünïcødé – 日本語 ✓',
  idp_entity_id: 'http://www.okta.com/exk1', idp_key: 'k'.repeat(64), redirect_urls: '["https://app.example/cb"]',
  default_redirect_url: 'https://app.example/cb', settings: JSON.stringify({ rawMetadata: 'x'.repeat(200_000) }), version: 1,
  client_secret_enc: 'v1.kid.iv.ct.tag', client_secret_mac: null, active: 1, sort_order: 0, created_at: now, updated_at: now, backchannel_logout_uri: null, ...over,
});

describeEachDialect('storage conformance', (s) => {
  const { dialect, it } = s;
  it('migrations apply, and applying them again (also concurrently) is a no-op', async () => {
    const applied = await migrateToLatest(s.opened.db, dialect);
    assert.deepEqual(applied, MIGRATION_NAMES());
    const again = await Promise.all([migrateToLatest(s.opened.db, dialect), migrateToLatest(s.opened.db, dialect)]);
    assert.deepEqual(again, [[], []]);
  });

  it('connections round-trip unicode, 200 KB text, booleans and epoch-ms times', async () => {
    await connectionsRepo.insert(s.opened.db, connection('c1'));
    await connectionsRepo.insert(s.opened.db, connection('c2', { tenant: 'other.com', sort_order: 1 }));
    const got = await connectionsRepo.findById(s.opened.db, 'c1');
    assert.ok(got);
    assert.equal(got.description, 'Ünïcødé – 日本語 ✓');
    assert.equal(JSON.parse(got.settings).rawMetadata.length, 200_000);
    assert.equal(got.created_at, now);
    assert.equal(typeof got.created_at, 'number');
    assert.equal(got.active, 1);
  });

  it('connection lookups are scoped by tenant and product', async () => {
    const mine = await connectionsRepo.listByTenantProduct(s.opened.db, 'acme.com', 'crm');
    assert.deepEqual(mine.map((c) => c.id), ['c1']);
    assert.deepEqual(await connectionsRepo.listByTenantProduct(s.opened.db, 'acme.com', 'other'), []);
    assert.equal((await connectionsRepo.listByIdpKey(s.opened.db, 'k'.repeat(64))).length, 2);
  });

  it('a duplicate connection id is refused by the database', async () => {
    await assert.rejects(connectionsRepo.insert(s.opened.db, connection('c1')));
  });

  it('update and delete report whether a row matched', async () => {
    assert.equal(await connectionsRepo.update(s.opened.db, 'c1', { name: 'Okta 2', active: 0 }), true);
    assert.equal((await connectionsRepo.findById(s.opened.db, 'c1'))?.name, 'Okta 2');
    assert.equal(await connectionsRepo.update(s.opened.db, 'nope', { name: 'x' }), false);
    assert.equal(await connectionsRepo.delete(s.opened.db, 'c2'), true);
    assert.equal(await connectionsRepo.delete(s.opened.db, 'c2'), false);
  });

  it('a login flow completes exactly once, even when raced', async () => {
    await loginFlowsRepo.insert(s.opened.db, { id: '_f1', connection_id: 'c1', tenant: 'acme.com', product: 'crm', params: '{}', created_at: now, expires_at: now + 1000, completed_at: null });
    const results = await Promise.all(Array.from({ length: 8 }, () => loginFlowsRepo.complete(s.opened.db, '_f1', now + 1)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('an assertion id is recorded once; a replay is refused, even when raced', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => assertionReplaysRepo.recordOnce(s.opened.db, 'a'.repeat(64), now + 1000)));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(await assertionReplaysRepo.recordOnce(s.opened.db, 'b'.repeat(64), now + 1000), true);
    assert.equal(await assertionReplaysRepo.deleteExpired(s.opened.db, now + 2000), 2);
  });

  it('a code is redeemed exactly once under a race, and its tokens can be revoked', async () => {
    await oauthCodesRepo.insert(s.opened.db, { code_hash: 'h1', flow_id: '_f1', connection_id: 'c1', client_id: 'c1', redirect_uri: 'https://app/cb', code_challenge: null, code_challenge_method: null, nonce: null, scope: 'openid', profile_enc: 'x', created_at: now, expires_at: now + 60_000, redeemed_at: null, sid: null });
    const results = await Promise.all(Array.from({ length: 8 }, () => oauthCodesRepo.redeem(s.opened.db, 'h1', now + 5)));
    assert.equal(results.filter(Boolean).length, 1);
    await oauthTokensRepo.insert(s.opened.db, { token_hash: 't1', code_hash: 'h1', connection_id: 'c1', profile_enc: 'x', created_at: now, expires_at: now + 3600_000, revoked_at: null, sid: null });
    assert.equal(await oauthTokensRepo.revokeByCode(s.opened.db, 'h1', now + 10), 1);
    assert.equal((await oauthTokensRepo.findByHash(s.opened.db, 't1'))?.revoked_at, now + 10);
    assert.equal(await oauthCodesRepo.deleteExpired(s.opened.db, now + 120_000), 1);
  });

  it('signing keys: two instances booting at once agree on one key', async () => {
    const row = (pem: string) => ({ id: 'jwt-1', use: 'jwt' as const, private_key_enc: 'sealed', public_pem: pem, created_at: now, retired_at: null });
    const res = await Promise.all([signingKeysRepo.insertIfAbsent(s.opened.db, row('A')), signingKeysRepo.insertIfAbsent(s.opened.db, row('B'))]);
    assert.equal(res.filter(Boolean).length, 1);
    const keys = await signingKeysRepo.listActive(s.opened.db, 'jwt');
    assert.equal(keys.length, 1);
  });

  it('the dialect table: ping, pool stats, and a deadlock victim runs again', async () => {
    const db = s.opened.db;
    await pingDatabase(db);
    const pool = s.opened.poolStats();
    if (dialect === 'sqlite') assert.equal(pool, null);
    else assert.equal(pool?.max, 5);
    // Two transactions take the same two row locks in opposite orders: PostgreSQL and InnoDB pick one as the
    // victim, which runs again and succeeds. SQLite runs them one after the other.
    await db.insertInto('rate_limits').values([{ limiter_key: 'dl:a', hits: 0, reset_at: now }, { limiter_key: 'dl:b', hits: 0, reset_at: now }]).execute();
    let runs = 0;
    let arrived = 0;
    let bothHoldOne!: () => void;
    const barrier = new Promise<void>((r) => (bothHoldOne = r));
    const bump = (trx: typeof db, key: string) => trx.updateTable('rate_limits').set((eb) => ({ hits: eb('hits', '+', 1) })).where('limiter_key', '=', key).execute();
    const crossed = (first: string, second: string) =>
      retryOnDeadlock(
        () =>
          db.transaction().execute(async (trx) => {
            runs++;
            await bump(trx, first);
            if (++arrived === 2) bothHoldOne();
            await Promise.race([barrier, new Promise((r) => setTimeout(r, 300))]);
            await bump(trx, second);
          }),
        { attempts: 3, backoffMs: () => 5 },
      );
    await Promise.all([crossed('dl:a', 'dl:b'), crossed('dl:b', 'dl:a')]);
    const hits = await db.selectFrom('rate_limits').select(['limiter_key', 'hits']).where('limiter_key', 'in', ['dl:a', 'dl:b']).orderBy('limiter_key').execute();
    assert.deepEqual(hits.map((r) => Number(r.hits)), [2, 2], 'each transaction counted once');
    assert.equal(runs, dialect === 'sqlite' ? 2 : 3, 'one deadlock victim ran again');
  });
}, { migrate: false });
