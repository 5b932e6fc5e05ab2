/**
 * Conformance of the repositories the trust boundaries added (issue 11) on SQLite, PostgreSQL and
 * MySQL/MariaDB: the portal's trusted SSO connections, per-account sign-in failures, the shared rate-limit
 * windows and the hourly SSO trace budgets. Each counter is raced: concurrent instances share one row.
 */
import assert from 'node:assert/strict';
import { portalTrustRepo, signInFailuresRepo } from '../../src/storage/repositories/admin-trust.ts';
import { rateLimitsRepo } from '../../src/storage/repositories/rate-limits.ts';
import { ssoTraceBudgetsRepo } from '../../src/storage/repositories/sso-trace-budgets.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;

describeEachDialect('trust storage conformance', (s) => {
  const { dialect, it } = s;

  it('portal trust: the choice is replaced whole, read in choice order, and forgotten per connection', async () => {
    const db = s.opened.db;
    await portalTrustRepo.replace(db, [
      { connection_id: 'c2', connection_created_at: now, chosen_by: 'adm_1', chosen_at: now + 1 },
      { connection_id: 'c1', connection_created_at: now, chosen_by: 'adm_1', chosen_at: now },
    ]);
    assert.deepEqual((await portalTrustRepo.list(db)).map((r) => r.connection_id), ['c1', 'c2']);
    assert.equal((await portalTrustRepo.find(db, 'c2'))?.chosen_at, now + 1);
    assert.equal(await portalTrustRepo.firstTrusted(db, ['nope', 'c2']), 'c2');
    assert.equal(await portalTrustRepo.firstTrusted(db, []), undefined);
    await portalTrustRepo.replace(db, [{ connection_id: 'c3', connection_created_at: now, chosen_by: 'adm_2', chosen_at: now }]);
    assert.deepEqual((await portalTrustRepo.list(db)).map((r) => r.connection_id), ['c3']);
    await portalTrustRepo.forget(db, 'c3');
    assert.deepEqual(await portalTrustRepo.list(db), []);
  });

  it('sign-in failures: counted once each when raced, a stale streak starts again, the wait only grows, one audit window claim wins', async () => {
    const db = s.opened.db;
    await Promise.all(Array.from({ length: 6 }, () => signInFailuresRepo.countFailure(db, 'k1', 'u1', now, now - 60_000)));
    assert.equal((await signInFailuresRepo.find(db, 'k1'))?.failures, 6);
    const fresh = await signInFailuresRepo.countFailure(db, 'k1', 'u1', now + 3_600_000, now + 3_600_000 - 60_000);
    assert.deepEqual([fresh.failures, fresh.first_failed_at, fresh.blocked_until], [1, now + 3_600_000, 0], 'a streak older than the window starts again');
    await signInFailuresRepo.block(db, 'k1', now + 10_000);
    await signInFailuresRepo.block(db, 'k1', now + 5_000);
    assert.equal((await signInFailuresRepo.find(db, 'k1'))?.blocked_until, now + 10_000, 'never lowered');
    const ensured = await signInFailuresRepo.ensure(db, 'k2', null, now);
    assert.equal(ensured.failures, 0);
    assert.equal((await signInFailuresRepo.ensure(db, 'k2', null, now + 1)).first_failed_at, now, 'ensure keeps the row it finds');
    const claims = await Promise.all(['a1', 'a2', 'a3'].map((id) => signInFailuresRepo.claimAuditWindow(db, 'k1', null, id, now)));
    assert.equal(claims.filter(Boolean).length, 1);
    const winner = (await signInFailuresRepo.find(db, 'k1'))!.audit_id!;
    assert.equal(await signInFailuresRepo.countInAuditWindow(db, 'k1'), 2);
    assert.equal(await signInFailuresRepo.claimAuditWindow(db, 'k1', winner, 'a4', now + 1), true, 'the next window replaces the previous event');
    await signInFailuresRepo.reset(db, 'k1');
    const reset = (await signInFailuresRepo.find(db, 'k1'))!;
    assert.deepEqual([reset.failures, reset.blocked_until, reset.audit_id], [0, 0, 'a4']);
    assert.equal(await signInFailuresRepo.deleteOlderThan(db, now + 1), 1, 'k2 only: k1 failed later');
  });

  it('rate limits: one window per key shared by concurrent callers, a new window once it ends, expired windows removed', async () => {
    const db = s.opened.db;
    const counts = await Promise.all(Array.from({ length: 8 }, () => rateLimitsRepo.add(db, dialect, 'ip:1', 1, 60_000, now)));
    assert.deepEqual(counts.map((c) => c.hits).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(counts.every((c) => c.resetAt === now + 60_000));
    assert.deepEqual(await rateLimitsRepo.add(db, dialect, 'ip:1', 5, 60_000, now + 30_000), { hits: 13, resetAt: now + 60_000 });
    assert.deepEqual(await rateLimitsRepo.add(db, dialect, 'ip:1', 1, 60_000, now + 60_000), { hits: 1, resetAt: now + 120_000 }, 'the window ended');
    assert.deepEqual(await rateLimitsRepo.add(db, dialect, 'ip:2', 1, 1_000, now), { hits: 1, resetAt: now + 1_000 });
    assert.equal(await rateLimitsRepo.deleteExpired(db, now + 2_000), 1);
  });

  it('trace budgets: concurrent takes never pass the trace or byte cap, each hour is its own budget', async () => {
    const db = s.opened.db;
    const take = (bucket: string, hour: number, bytes: number) => ssoTraceBudgetsRepo.take(db, { bucket, hour, bytes, maxTraces: 5, maxBytes: 1000 });
    const taken = await Promise.all(Array.from({ length: 12 }, () => take('connection:c1', 10, 10)));
    assert.equal(taken.filter(Boolean).length, 5, 'the count cap holds under a race');
    const bytes = await Promise.all(Array.from({ length: 6 }, () => take('idp:x', 10, 300)));
    assert.equal(bytes.filter(Boolean).length, 3, 'the bytes cap holds under a race');
    assert.equal(await take('idp:x', 10, 2000), false, 'more than the whole budget');
    assert.equal(await take('connection:c1', 11, 10), true, 'a new hour');
    assert.equal(await ssoTraceBudgetsRepo.deleteBefore(db, 11), 2);
    assert.equal(await take('connection:c1', 11, 10), true);
  });
});
