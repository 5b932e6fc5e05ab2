/**
 * Conformance of the portal queries (migration 029, decision 0033) on SQLite, PostgreSQL and MySQL/MariaDB: a link
 * is consumed once however many opens race (the conditional UPDATE decides), an expired link never is, sessions
 * are found by their hash, slide and end once; the sweep removes what has expired; the product's portal settings
 * column round-trips.
 */
import assert from 'node:assert/strict';
import { portalRepo, productsRepo, type PortalLinkRow } from '../../src/storage/index.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;
const linkRow = (id: string, expires: number): PortalLinkRow => ({
  id, token_hash: `hash-${id}`, tenant: 'acme.com', product: 'crm', intent: 'sso', client_id: null, return_url: 'https://vendor.example/back',
  expires_at: expires, consumed_at: null, created_by: 'test', created_at: now,
});

describeEachDialect('portal storage conformance', (s) => {
  const { it } = s;

  it('racing opens consume a link once; an expired link is never consumed', async () => {
    const db = s.opened.db;
    await portalRepo.insertLink(db, linkRow('l1', now + 300_000));
    const wins = await Promise.all(Array.from({ length: 8 }, () => portalRepo.consumeLink(db, 'l1', now + 1000)));
    assert.equal(wins.filter(Boolean).length, 1);
    assert.equal((await portalRepo.findLinkByTokenHash(db, 'hash-l1'))!.consumed_at, now + 1000);
    await portalRepo.insertLink(db, linkRow('l2', now + 300_000));
    assert.equal(await portalRepo.consumeLink(db, 'l2', now + 300_000), false, 'at its expiry instant');
    assert.equal((await portalRepo.findLinkByTokenHash(db, 'hash-l2'))!.consumed_at, null);
  });

  it('sessions are found by their hash, slide, and end once', async () => {
    const db = s.opened.db;
    await portalRepo.insertSession(db, { id: 's1', secret_hash: 'sh1', link_id: 'l1', tenant: 'acme.com', product: 'crm', intent: 'audit_log', client_id: null, return_url: null, created_at: now, last_seen_at: now, expires_at: now + 8 * 3_600_000, ended_at: null });
    await portalRepo.touchSession(db, 's1', now + 120_000);
    assert.equal((await portalRepo.findSessionBySecretHash(db, 'sh1'))!.last_seen_at, now + 120_000);
    const ends = await Promise.all([portalRepo.endSession(db, 's1', now + 130_000), portalRepo.endSession(db, 's1', now + 130_000)]);
    assert.deepEqual(ends.filter(Boolean).length, 1);
    assert.equal(await portalRepo.findSessionBySecretHash(db, 'nope'), undefined);
  });

  it('a product keeps its portal settings; older rows read null', async () => {
    const db = s.opened.db;
    await productsRepo.insert(db, { id: 'crm', name: 'CRM', default_redirect_url: null, initiate_login_uri: null, session_settings: null, roles: null, created_at: now, updated_at: now });
    assert.equal((await productsRepo.findById(db, 'crm'))!.portal_settings, null);
    await productsRepo.update(db, 'crm', { portal_settings: '{"portalReturnUrls":["https://v.example/back"],"portalFrameAncestors":["https://v.example"]}' });
    assert.match((await productsRepo.findById(db, 'crm'))!.portal_settings!, /portalFrameAncestors/);
  });
  it('the sweep deletes sessions past their end and links a week past theirs', async () => {
    const db = s.opened.db;
    const day = 86_400_000;
    await portalRepo.insertLink(db, linkRow('old', now - 8 * day));
    await portalRepo.insertLink(db, linkRow('recent', now - day));
    const session = (id: string, expires: number) => ({ id, secret_hash: `h-${id}`, link_id: 'recent', tenant: 'acme.com', product: 'crm', intent: 'sso' as const, client_id: null, return_url: null, created_at: now - day, last_seen_at: now - day, expires_at: expires, ended_at: null });
    await portalRepo.insertSession(db, session('gone', now - 1));
    await portalRepo.insertSession(db, session('live', now + 3_600_000));
    assert.equal(await portalRepo.deleteExpired(db, now), 2);
    assert.equal(await portalRepo.findLinkByTokenHash(db, 'hash-old'), undefined);
    assert.ok(await portalRepo.findLinkByTokenHash(db, 'hash-recent'), 'a recently expired link still explains itself with 410');
    assert.equal(await portalRepo.findSessionById(db, 'gone'), undefined);
    assert.ok(await portalRepo.findSessionById(db, 'live'));
  });
});
