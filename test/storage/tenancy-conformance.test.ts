/**
 * Conformance of the tenancy, setup-link and portal-list repositories on SQLite, PostgreSQL and MySQL/MariaDB:
 * unique keys answer false instead of throwing, a domain is verified by one tenant only (also raced), a setup
 * link's scope holds one link, a test completes once, and the portal's keyset pages walk every row once.
 */
import assert from 'node:assert/strict';
import { connectionsRepo, directoriesRepo, NO_PROGRESS, productsRepo, setupLinksRepo, setupLinkTestsRepo, tenantDomainsRepo, tenantsRepo, type ConnectionRow, type SetupLinkRow } from '../../src/storage/index.ts';
import type { TenantProductKey } from '../../src/storage/repositories/keyset.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;

const link = (id: string, over: Partial<SetupLinkRow> = {}): SetupLinkRow => ({
  id, service: 'sso', tenant: 'acme.com', product: 'crm', name: 'Ünïcødé link', description: '', token_hash: `hash-${id}`, token_enc: 'v1.kid.iv.ct.tag',
  defaults: '{}', expires_at: now + 86_400_000, created_by: 'adm_1', created_at: now, updated_at: now, ...NO_PROGRESS, ...over,
});

const connection = (id: string, tenant: string, product: string): ConnectionRow => ({
  id, tenant, product, kind: 'saml', name: id, description: '', idp_entity_id: `https://idp/${id}`, idp_key: `key-${id}`, redirect_urls: '[]',
  default_redirect_url: 'https://app.example/cb', settings: '{}', client_secret_enc: 'v1.kid.iv.ct.tag', client_secret_mac: null, active: 1, sort_order: 0, created_at: now, updated_at: now, version: 1, backchannel_logout_uri: null,
});

describeEachDialect('tenancy and setup-link storage conformance', (s) => {
  const { it } = s;

  it('tenants: id and enterprise key are unique (false, not an error), update reports conflicts, delete takes the domains along', async () => {
    const db = s.opened.db;
    assert.equal(await tenantsRepo.insert(db, { id: 'acme.com', enterprise_key: 'acme', name: 'Acme ✓', created_at: now, updated_at: now }), true);
    assert.equal(await tenantsRepo.insert(db, { id: 'acme.com', enterprise_key: 'other', name: '', created_at: now, updated_at: now }), false);
    assert.equal(await tenantsRepo.insert(db, { id: 'beta.com', enterprise_key: 'acme', name: '', created_at: now, updated_at: now }), false, 'enterprise key taken');
    assert.equal(await tenantsRepo.insert(db, { id: 'beta.com', enterprise_key: 'beta', name: '', created_at: now, updated_at: now }), true);
    assert.equal((await tenantsRepo.findByEnterpriseKey(db, 'acme'))?.name, 'Acme ✓');
    assert.equal(await tenantsRepo.update(db, 'beta.com', { enterprise_key: 'acme' }), 'conflict');
    assert.equal(await tenantsRepo.update(db, 'nobody', { name: 'x' }), 'missing');
    assert.equal(await tenantsRepo.update(db, 'beta.com', { name: 'Beta', updated_at: now + 1 }), 'ok');
    assert.deepEqual((await tenantsRepo.list(db, 10)).map((t) => t.id), ['acme.com', 'beta.com']);
    assert.deepEqual((await tenantsRepo.list(db, 10, 'acme.com')).map((t) => t.id), ['beta.com']);

    await tenantDomainsRepo.insert(db, { id: 'd1', tenant: 'beta.com', domain: 'beta.example', verification_token: 't', verified_at: null, last_checked_at: null, created_at: now });
    assert.equal(await tenantDomainsRepo.markVerified(db, 'beta.com', 'beta.example', now), true);
    assert.equal(await tenantsRepo.delete(db, 'beta.com'), true);
    assert.equal(await tenantDomainsRepo.verifiedTenantOf(db, 'beta.example'), undefined, 'the verified domain went with its tenant');
    assert.deepEqual(await tenantDomainsRepo.listByTenant(db, 'beta.com'), []);
  });

  it('domains: one tenant verifies a domain, even when two race for it; deleting frees it', async () => {
    const db = s.opened.db;
    for (const tenant of ['t1', 't2']) await tenantDomainsRepo.insert(db, { id: `dom-${tenant}`, tenant, domain: 'shared.example', verification_token: tenant, verified_at: null, last_checked_at: null, created_at: now });
    assert.equal(await tenantDomainsRepo.insert(db, { id: 'dom-t1b', tenant: 't1', domain: 'shared.example', verification_token: 'x', verified_at: null, last_checked_at: null, created_at: now }), false);
    const raced = await Promise.allSettled(['t1', 't2', 't1', 't2'].map((t) => tenantDomainsRepo.markVerified(db, t, 'shared.example', now)));
    const winners = new Set(raced.flatMap((r, i) => (r.status === 'fulfilled' && r.value ? [['t1', 't2', 't1', 't2'][i]] : [])));
    assert.equal(winners.size, 1, `exactly one tenant verified it: ${JSON.stringify(raced.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason))))}`);
    const [winner] = [...winners] as [string];
    const loser = winner === 't1' ? 't2' : 't1';
    assert.equal(await tenantDomainsRepo.verifiedTenantOf(db, 'shared.example'), winner);
    assert.equal((await tenantDomainsRepo.find(db, loser, 'shared.example'))?.verified_at, null);
    assert.equal(await tenantDomainsRepo.delete(db, winner, 'shared.example'), true);
    assert.equal(await tenantDomainsRepo.markVerified(db, loser, 'shared.example', now + 1), true);
  });

  it('products: unique id, update and delete report whether a row was there', async () => {
    const db = s.opened.db;
    const row = { id: 'crm', name: 'CRM ✓', default_redirect_url: null, initiate_login_uri: null, session_settings: null, roles: null, created_at: now, updated_at: now };
    assert.equal(await productsRepo.insert(db, row), true);
    assert.equal(await productsRepo.insert(db, row), false);
    assert.equal(await productsRepo.update(db, 'crm', { default_redirect_url: 'https://app.example/cb' }), true);
    assert.equal(await productsRepo.update(db, 'none', { name: 'x' }), false);
    assert.equal((await productsRepo.findById(db, 'crm'))?.default_redirect_url, 'https://app.example/cb');
    assert.equal(await productsRepo.delete(db, 'crm'), true);
    assert.equal(await productsRepo.delete(db, 'crm'), false);
  });

  it('setup links: one per scope (replace drops the old link and its tests), a rotated token stops matching, lists and counts filter', async () => {
    const db = s.opened.db;
    await setupLinksRepo.replace(db, link('l1'));
    await setupLinkTestsRepo.insert(db, { id: 'run1', link_id: 'l1', connection_id: 'c1', status: 'pending', result: '{}', created_at: now, completed_at: null });
    await setupLinksRepo.replace(db, link('l2', { token_hash: 'hash-l2' }));
    assert.equal(await setupLinksRepo.findById(db, 'l1'), undefined);
    assert.equal(await setupLinkTestsRepo.findById(db, 'run1'), undefined, "the replaced link's tests went with it");
    assert.equal((await setupLinksRepo.findByScope(db, 'sso', 'acme.com', 'crm'))?.id, 'l2');
    await setupLinksRepo.replace(db, link('l3', { service: 'dsync', token_hash: 'hash-l3' }));
    await setupLinksRepo.replace(db, link('l4', { tenant: 'beta.com', token_hash: 'hash-l4', created_at: now + 5 }));

    assert.equal(await setupLinksRepo.rotateToken(db, 'l2', 'hash-l2-new', 'v1.new', now + 1), true);
    assert.equal(await setupLinksRepo.findByTokenHash(db, 'hash-l2'), undefined);
    assert.equal((await setupLinksRepo.findByTokenHash(db, 'hash-l2-new'))?.id, 'l2');
    assert.equal(await setupLinksRepo.rotateToken(db, 'nobody', 'h', 'e', now), false);

    assert.deepEqual((await setupLinksRepo.list(db, { service: 'sso', offset: 0, limit: 10 })).map((l) => l.id), ['l4', 'l2'], 'newest first');
    assert.deepEqual((await setupLinksRepo.list(db, { service: 'sso', tenant: 'acme.com', offset: 0, limit: 10 })).map((l) => l.id), ['l2']);
    assert.equal(await setupLinksRepo.count(db, { service: 'sso' }), 2);
    assert.equal(await setupLinksRepo.count(db, { service: 'dsync', product: 'crm' }), 1);
    assert.equal(await setupLinksRepo.delete(db, 'l4'), true);
    assert.equal(await setupLinksRepo.delete(db, 'l4'), false);
  });

  it('setup-link tests complete once (a late answer cannot overwrite the first), and anySucceeded sees only successes', async () => {
    const db = s.opened.db;
    await setupLinkTestsRepo.insert(db, { id: 'run2', link_id: 'l2', connection_id: 'c1', status: 'pending', result: '{}', created_at: now, completed_at: null });
    assert.equal(await setupLinkTestsRepo.anySucceeded(db, 'l2'), false);
    await Promise.all([setupLinkTestsRepo.complete(db, 'run2', 'failed', { code: 'X' }, now + 1), setupLinkTestsRepo.complete(db, 'run2', 'succeeded', { ok: true }, now + 2)]);
    const done = await setupLinkTestsRepo.find(db, 'l2', 'run2');
    assert.ok(done && done.status !== 'pending');
    await setupLinkTestsRepo.complete(db, 'run2', done.status === 'failed' ? 'succeeded' : 'failed', {}, now + 3);
    assert.equal((await setupLinkTestsRepo.findById(db, 'run2'))?.status, done.status, 'the first completion stands');
    assert.equal(await setupLinkTestsRepo.anySucceeded(db, 'l2'), done.status === 'succeeded');
    assert.equal(await setupLinkTestsRepo.find(db, 'other-link', 'run2'), undefined, 'a test is found only through its own link');
  });

  it("the portal's connection and directory pages walk every row once, in (tenant, product, id) order, filtered", async () => {
    const db = s.opened.db;
    const keys: TenantProductKey[] = [['a', 'p1', 'c3'], ['a', 'p1', 'c1'], ['a', 'p2', 'c2'], ['b', 'p1', 'c0'], ['b', 'p1', 'c5']];
    for (const [t, p, id] of keys) {
      await connectionsRepo.insert(db, connection(`pg-${id}`, t, p));
      await directoriesRepo.insert(db, { id: `dir-${id}`, tenant: t, product: p, name: id, type: 'generic-scim-v2', webhook_url: '', webhook_secret_enc: '', scim_secret_hash: `h-${id}`, scim_secret_sealed: null, log_webhook_events: 0, deactivated: 0, created_at: now, updated_at: now });
    }
    const walk = async (page: (after?: TenantProductKey) => Promise<{ tenant: string; product: string; id: string }[]>) => {
      const seen: string[] = [];
      let after: TenantProductKey | undefined;
      for (;;) {
        const rows = await page(after);
        if (!rows.length) return seen;
        seen.push(...rows.map((r) => r.id));
        const last = rows[rows.length - 1]!;
        after = [last.tenant, last.product, last.id];
      }
    };
    const expected = ['c1', 'c3', 'c2', 'c0', 'c5'];
    const onlyOurs = (prefix: string) => (ids: string[]) => ids.filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length));
    assert.deepEqual(onlyOurs('pg-')(await walk((after) => connectionsRepo.page(db, { limit: 2, after }))), expected);
    assert.deepEqual(onlyOurs('dir-')(await walk((after) => directoriesRepo.page(db, { limit: 2, after }))), expected);
    assert.deepEqual(onlyOurs('pg-')(await walk((after) => connectionsRepo.page(db, { tenant: 'a', product: 'p1', limit: 1, after }))), ['c1', 'c3']);
    assert.deepEqual(onlyOurs('dir-')(await walk((after) => directoriesRepo.page(db, { product: 'p1', limit: 1, after }))), ['c1', 'c3', 'c0', 'c5']);
  });
});
