/**
 * The refresh-token repository (decision 0024) on every dialect: stored by hash, the conditional UPDATE that rotates
 * a token succeeds once even when raced, family / code / session revocation, and the sweep by absolute expiry.
 */
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/each-dialect.ts';
import { oauthTokensRepo, refreshTokensRepo, type RefreshTokenRow } from '../../src/storage/index.ts';

const row = (over: Partial<RefreshTokenRow>): RefreshTokenRow => ({
  token_hash: 'h', family: 'fam', code_hash: 'code', sid: 'sid-1', client_id: 'tenant=acme.com&product=crm', client_auth: 'secret',
  connection_id: 'conn', profile_enc: 'sealed', scope: 'openid offline_access', created_at: 1_000, expires_at: 5_000, family_expires_at: 9_000,
  used_at: null, revoked_at: null, ...over,
});

describeEachDialect('refresh tokens repository', (suite) => {
  const { it } = suite;
  it('markUsed wins once, even when ten callers race; a revoked token cannot be used', async () => {
    const { db } = suite.opened;
    await refreshTokensRepo.insert(db, row({ token_hash: 'race' }));
    const wins = await Promise.all(Array.from({ length: 10 }, () => refreshTokensRepo.markUsed(db, 'race', 2_000)));
    assert.equal(wins.filter(Boolean).length, 1);
    assert.equal((await refreshTokensRepo.findByHash(db, 'race'))?.used_at, 2_000);
    await refreshTokensRepo.insert(db, row({ token_hash: 'revoked', revoked_at: 1_500 }));
    assert.equal(await refreshTokensRepo.markUsed(db, 'revoked', 2_000), false);
  });

  it('revokes by family (refresh and access tokens through the code hash), by code, by session list', async () => {
    const { db } = suite.opened;
    await refreshTokensRepo.insert(db, row({ token_hash: 'f1', family: 'F', code_hash: 'C' }));
    await refreshTokensRepo.insert(db, row({ token_hash: 'f2', family: 'F', code_hash: 'C', used_at: 1_200 }));
    await refreshTokensRepo.insert(db, row({ token_hash: 'g1', family: 'G', code_hash: 'D', sid: 'sid-2' }));
    await refreshTokensRepo.insert(db, row({ token_hash: 'h1', family: 'H', code_hash: 'E', sid: 'sid-3' }));
    await oauthTokensRepo.insert(db, { token_hash: 'at-F', code_hash: 'C', connection_id: 'conn', profile_enc: 'p', created_at: 1, expires_at: 9_999, revoked_at: null, sid: 'sid-1', scope: 'openid', client_id: 'x' });
    assert.equal(await refreshTokensRepo.revokeFamily(db, 'F', 3_000), 2);
    assert.equal(await oauthTokensRepo.revokeByCode(db, 'C', 3_000), 1);
    assert.equal(await refreshTokensRepo.revokeFamily(db, 'F', 3_001), 0, 'already revoked');
    assert.equal((await refreshTokensRepo.findByHash(db, 'g1'))?.revoked_at, null, 'other families untouched');
    assert.equal(await refreshTokensRepo.revokeByCode(db, 'D', 3_000), 1);
    assert.equal(await refreshTokensRepo.revokeBySessions(db, ['sid-3', 'sid-none'], 3_000), 1);
    assert.equal(await refreshTokensRepo.revokeBySessions(db, [], 3_000), 0);
    assert.equal(await refreshTokensRepo.revoke(db, 'h1', 3_000), false);
  });

  it('the sweep deletes by the family\'s absolute expiry, not the idle one', async () => {
    const { db } = suite.opened;
    await refreshTokensRepo.insert(db, row({ token_hash: 'idle-gone', family: 'S', expires_at: 100, family_expires_at: 20_000 }));
    await refreshTokensRepo.insert(db, row({ token_hash: 'family-gone', family: 'T', expires_at: 100, family_expires_at: 15_000 }));
    const deleted = await refreshTokensRepo.deleteExpired(db, 16_000);
    assert.ok(deleted >= 1);
    assert.equal(await refreshTokensRepo.findByHash(db, 'family-gone'), undefined);
    assert.ok(await refreshTokensRepo.findByHash(db, 'idle-gone'), 'kept for reuse detection');
  });
});
