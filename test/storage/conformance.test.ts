/**
 * The storage conformance suite: the same tests on SQLite, PostgreSQL and MySQL/MariaDB.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, migrateToLatest, MIGRATION_NAMES, connectionsRepo, loginFlowsRepo, assertionReplaysRepo, oauthCodesRepo, oauthTokensRepo, signingKeysRepo, type OpenedDatabase, type ConnectionRow } from '../../src/storage/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../support/databases.ts';

const now = 1_790_000_000_000; // a 2026 epoch-ms value: needs BIGINT everywhere

const connection = (id: string, over: Partial<ConnectionRow> = {}): ConnectionRow => ({
  id, tenant: 'acme.com', product: 'crm', kind: 'saml', name: 'Okta', description: 'Ünïcødé – 日本語 ✓',
  idp_entity_id: 'http://www.okta.com/exk1', idp_key: 'k'.repeat(64), redirect_urls: '["https://app.example/cb"]',
  default_redirect_url: 'https://app.example/cb', settings: JSON.stringify({ rawMetadata: 'x'.repeat(200_000) }),
  client_secret_enc: 'v1.kid.iv.ct.tag', active: 1, sort_order: 0, created_at: now, updated_at: now, ...over,
});

for (const dialect of testDialects()) {
  describe(`storage conformance: ${dialect}`, () => {
    let tdb: TestDatabase | null;
    let opened: OpenedDatabase;
    before(async () => {
      tdb = await createTestDatabase(dialect);
      if (!tdb) return;
      opened = await openDatabase(tdb.url, 5);
    });
    after(async () => {
      if (!tdb) return;
      await opened.close();
      await tdb.drop();
    });
    const it = (name: string, fn: () => Promise<void>) =>
      test(name, async (t) => {
        if (!tdb) return t.skip(`${dialect} server unreachable`);
        await fn();
      });

    it('migrations apply, and applying them again (also concurrently) is a no-op', async () => {
      const applied = await migrateToLatest(opened.db, dialect);
      assert.deepEqual(applied, MIGRATION_NAMES());
      const again = await Promise.all([migrateToLatest(opened.db, dialect), migrateToLatest(opened.db, dialect)]);
      assert.deepEqual(again, [[], []]);
    });

    it('connections round-trip unicode, 200 KB text, booleans and epoch-ms times', async () => {
      await connectionsRepo.insert(opened.db, connection('c1'));
      await connectionsRepo.insert(opened.db, connection('c2', { tenant: 'other.com', sort_order: 1 }));
      const got = await connectionsRepo.findById(opened.db, 'c1');
      assert.ok(got);
      assert.equal(got.description, 'Ünïcødé – 日本語 ✓');
      assert.equal(JSON.parse(got.settings).rawMetadata.length, 200_000);
      assert.equal(got.created_at, now);
      assert.equal(typeof got.created_at, 'number');
      assert.equal(got.active, 1);
    });

    it('connection lookups are scoped by tenant and product', async () => {
      const mine = await connectionsRepo.listByTenantProduct(opened.db, 'acme.com', 'crm');
      assert.deepEqual(mine.map((c) => c.id), ['c1']);
      assert.deepEqual(await connectionsRepo.listByTenantProduct(opened.db, 'acme.com', 'other'), []);
      assert.equal((await connectionsRepo.listByIdpKey(opened.db, 'k'.repeat(64))).length, 2);
    });

    it('a duplicate connection id is refused by the database', async () => {
      await assert.rejects(connectionsRepo.insert(opened.db, connection('c1')));
    });

    it('update and delete report whether a row matched', async () => {
      assert.equal(await connectionsRepo.update(opened.db, 'c1', { name: 'Okta 2', active: 0 }), true);
      assert.equal((await connectionsRepo.findById(opened.db, 'c1'))?.name, 'Okta 2');
      assert.equal(await connectionsRepo.update(opened.db, 'nope', { name: 'x' }), false);
      assert.equal(await connectionsRepo.delete(opened.db, 'c2'), true);
      assert.equal(await connectionsRepo.delete(opened.db, 'c2'), false);
    });

    it('a login flow completes exactly once, even when raced', async () => {
      await loginFlowsRepo.insert(opened.db, { id: '_f1', connection_id: 'c1', tenant: 'acme.com', product: 'crm', params: '{}', created_at: now, expires_at: now + 1000, completed_at: null });
      const results = await Promise.all(Array.from({ length: 8 }, () => loginFlowsRepo.complete(opened.db, '_f1', now + 1)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('an assertion id is recorded once; a replay is refused, even when raced', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => assertionReplaysRepo.recordOnce(opened.db, 'a'.repeat(64), now + 1000)));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await assertionReplaysRepo.recordOnce(opened.db, 'b'.repeat(64), now + 1000), true);
      assert.equal(await assertionReplaysRepo.deleteExpired(opened.db, now + 2000), 2);
    });

    it('a code is redeemed exactly once under a race, and its tokens can be revoked', async () => {
      await oauthCodesRepo.insert(opened.db, { code_hash: 'h1', flow_id: '_f1', connection_id: 'c1', client_id: 'c1', redirect_uri: 'https://app/cb', code_challenge: null, code_challenge_method: null, nonce: null, scope: 'openid', profile_enc: 'x', created_at: now, expires_at: now + 60_000, redeemed_at: null });
      const results = await Promise.all(Array.from({ length: 8 }, () => oauthCodesRepo.redeem(opened.db, 'h1', now + 5)));
      assert.equal(results.filter(Boolean).length, 1);
      await oauthTokensRepo.insert(opened.db, { token_hash: 't1', code_hash: 'h1', connection_id: 'c1', profile_enc: 'x', created_at: now, expires_at: now + 3600_000, revoked_at: null });
      assert.equal(await oauthTokensRepo.revokeByCode(opened.db, 'h1', now + 10), 1);
      assert.equal((await oauthTokensRepo.findByHash(opened.db, 't1'))?.revoked_at, now + 10);
      assert.equal(await oauthCodesRepo.deleteExpired(opened.db, now + 120_000), 1);
    });

    it('signing keys: two instances booting at once agree on one key', async () => {
      const row = (pem: string) => ({ id: 'jwt-1', use: 'jwt' as const, private_key_enc: 'sealed', public_pem: pem, created_at: now, retired_at: null });
      const res = await Promise.all([signingKeysRepo.insertIfAbsent(opened.db, row('A')), signingKeysRepo.insertIfAbsent(opened.db, row('B'))]);
      assert.equal(res.filter(Boolean).length, 1);
      const keys = await signingKeysRepo.listActive(opened.db, 'jwt');
      assert.equal(keys.length, 1);
    });
  });
}
