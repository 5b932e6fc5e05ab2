/**
 * Conformance of the pending SAML logouts repository (decision 0030) on SQLite, PostgreSQL and MySQL/MariaDB: a
 * pending logout keeps the app's URI and state (at their longest), is completed exactly once (raced instances: one
 * wins), never after it expires, and is swept once expired.
 */
import assert from 'node:assert/strict';
import { pendingLogoutsRepo, type PendingLogoutRow } from '../../src/storage/index.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;
const pending = (id: string, over: Partial<PendingLogoutRow> = {}): PendingLogoutRow => ({
  id, connection_id: 'c1', sid: 'sid-1', redirect_uri: 'https://app.example.test/bye', state: 'st', created_at: now, expires_at: now + 600_000, completed_at: null, ...over,
});

describeEachDialect('pending logouts storage conformance', (s) => {
  const { it } = s;

  it('kept as written, the longest URI and state included; completed once, raced or not; never once expired; swept', async () => {
    const db = s.opened.db;
    const long = pending('_p1', { redirect_uri: `https://app.example.test/${'u'.repeat(2048 - 25)}`, state: 's'.repeat(2048) });
    await pendingLogoutsRepo.insert(db, long);
    assert.deepEqual(await pendingLogoutsRepo.find(db, '_p1'), long);
    await pendingLogoutsRepo.insert(db, pending('_p2', { sid: null, redirect_uri: null, state: null }));
    assert.equal((await pendingLogoutsRepo.find(db, '_p2'))?.redirect_uri, null);
    await assert.rejects(pendingLogoutsRepo.insert(db, pending('_p1')), 'the LogoutRequest ID is the key');

    const raced = await Promise.all([1, 2, 3, 4].map(() => pendingLogoutsRepo.complete(db, '_p1', now + 1)));
    assert.equal(raced.filter(Boolean).length, 1, 'one instance completes it');
    assert.equal((await pendingLogoutsRepo.find(db, '_p1'))?.completed_at, now + 1);
    assert.equal(await pendingLogoutsRepo.complete(db, '_p2', now + 600_000), false, 'not at its expiry');
    assert.equal(await pendingLogoutsRepo.complete(db, 'nope', now), false);

    assert.equal(await pendingLogoutsRepo.deleteExpired(db, now + 600_001), 2);
    assert.equal(await pendingLogoutsRepo.find(db, '_p1'), undefined);
  });
});
