/**
 * Conformance of the Identity Federation repositories on SQLite, PostgreSQL and MySQL/MariaDB: one app per id
 * and per entity ID (the constraints decide, also when raced), product pages, and pending requests that are
 * used once (raced instances: one wins) and not after they expire.
 */
import assert from 'node:assert/strict';
import { federationAppsRepo, federationOidcAppsRepo, federationRequestsRepo, type FederationAppRow, type FederationOidcAppRow, type FederationRequestRow } from '../../src/storage/index.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;
const app = (id: string, entityKey: string, over: Partial<FederationAppRow> = {}): FederationAppRow => ({
  id, tenant: `t-${id}`, product: 'crm', name: id, entity_id: `https://${entityKey}.example.test`, entity_key: entityKey.padEnd(64, '0'), acs_url: 'https://app.example.test/acs',
  settings: '{}', created_at: now, updated_at: now, ...over,
});
const oidcApp = (id: string, over: Partial<FederationOidcAppRow> = {}): FederationOidcAppRow => ({
  id, tenant: `t-${id}`, product: 'crm', name: id, redirect_urls: '["https://app.example.test/cb"]', client_secret_sealed: 'v1.sealed', settings: '{}', created_at: now, updated_at: now, ...over,
});
const request = (id: string, over: Partial<FederationRequestRow> = {}): FederationRequestRow => ({
  id, app_id: 'a1', authn_request_id: '_req', relay_state: null, acs_url: 'https://app.example.test/acs', created_at: now, expires_at: now + 60_000, used_at: null, ...over,
});

describeEachDialect('identity federation storage conformance', (s) => {
  const { it } = s;

  it('apps: one per id and one per entity ID, raced inserts included; pages by product, newest first', async () => {
    const db = s.opened.db;
    assert.equal(await federationAppsRepo.insert(db, app('a1', 'e1')), true);
    assert.equal(await federationAppsRepo.insert(db, app('a1', 'e2')), false, 'same id');
    assert.equal(await federationAppsRepo.insert(db, app('a2', 'e1')), false, 'same entity ID');
    const raced = await Promise.all(['a3', 'a4', 'a5'].map((id) => federationAppsRepo.insert(db, app(id, 'e3'))));
    assert.equal(raced.filter(Boolean).length, 1);
    await federationAppsRepo.insert(db, app('a6', 'e6', { product: 'hr' }));
    await federationAppsRepo.insert(db, app('a7', 'e7', { created_at: now + 10 }));
    assert.equal((await federationAppsRepo.findByEntityKey(db, 'e1'.padEnd(64, '0')))?.id, 'a1');
    const page = await federationAppsRepo.page(db, { product: 'crm', offset: 0, limit: 10 });
    assert.equal(page[0]!.id, 'a7');
    assert.equal(page.length, 3);
    assert.deepEqual((await federationAppsRepo.page(db, { product: 'crm', offset: 1, limit: 1 })).length, 1);
    assert.equal(await federationAppsRepo.update(db, 'a1', { name: 'renamed', updated_at: now + 1 }), true);
    assert.equal((await federationAppsRepo.findById(db, 'a1'))?.name, 'renamed');
    assert.equal(await federationAppsRepo.update(db, 'nope', { name: 'x' }), false);
    assert.equal(await federationAppsRepo.delete(db, 'a1'), true);
    assert.equal(await federationAppsRepo.delete(db, 'a1'), false);
  });

  it('OIDC apps: one per id (raced inserts included), pages by product newest first, update and delete', async () => {
    const db = s.opened.db;
    const raced = await Promise.all([1, 2, 3].map((n) => federationOidcAppsRepo.insert(db, oidcApp('oidc_a1', { name: `n${n}` }))));
    assert.equal(raced.filter(Boolean).length, 1);
    await federationOidcAppsRepo.insert(db, oidcApp('oidc_a2', { created_at: now + 10 }));
    await federationOidcAppsRepo.insert(db, oidcApp('oidc_a3', { product: 'hr' }));
    assert.deepEqual((await federationOidcAppsRepo.page(db, { product: 'crm', offset: 0, limit: 10 })).map((r) => r.id), ['oidc_a2', 'oidc_a1']);
    assert.deepEqual((await federationOidcAppsRepo.page(db, { product: 'crm', offset: 1, limit: 1 })).map((r) => r.id), ['oidc_a1']);
    assert.equal(await federationOidcAppsRepo.update(db, 'oidc_a1', { redirect_urls: '["https://app.example.test/cb2"]', updated_at: now + 1 }), true);
    const row = await federationOidcAppsRepo.findById(db, 'oidc_a1');
    assert.deepEqual([row?.redirect_urls, row?.client_secret_sealed, row?.updated_at], ['["https://app.example.test/cb2"]', 'v1.sealed', now + 1]);
    assert.equal(await federationOidcAppsRepo.update(db, 'nope', { name: 'x' }), false);
    assert.equal(await federationOidcAppsRepo.delete(db, 'oidc_a1'), true);
    assert.equal(await federationOidcAppsRepo.delete(db, 'oidc_a1'), false);
    assert.equal(await federationOidcAppsRepo.findById(db, 'oidc_a1'), undefined);
  });

  it('pending requests: open until used once (one of several raced uses wins), never after expiry; swept when expired', async () => {
    const db = s.opened.db;
    await federationRequestsRepo.insert(db, request('r1'));
    await federationRequestsRepo.insert(db, request('r2', { expires_at: now + 1_000 }));
    assert.equal((await federationRequestsRepo.findOpen(db, 'r1', now))?.authn_request_id, '_req');
    const uses = await Promise.all([1, 2, 3, 4].map(() => federationRequestsRepo.use(db, 'r1', now + 5)));
    assert.equal(uses.filter(Boolean).length, 1);
    assert.equal(await federationRequestsRepo.findOpen(db, 'r1', now + 6), undefined, 'used');
    assert.equal(await federationRequestsRepo.findOpen(db, 'r2', now + 1_000), undefined, 'expired');
    assert.equal(await federationRequestsRepo.use(db, 'r2', now + 2_000), false, 'an expired request cannot be used');
    assert.equal(await federationRequestsRepo.deleteExpired(db, now + 2_000), 1);
    assert.equal(await federationRequestsRepo.deleteExpired(db, now + 120_000), 1);
  });
});
