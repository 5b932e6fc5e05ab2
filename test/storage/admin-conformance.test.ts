/** Conformance of the admin repositories (accounts, sessions, API keys, settings, traces, audit) on SQLite, PostgreSQL and MySQL/MariaDB. */
import assert from 'node:assert/strict';
import { adminUsersRepo, adminSessionsRepo, type AdminUserRow } from '../../src/storage/repositories/admin-accounts.ts';
import { adminApiKeysRepo } from '../../src/storage/repositories/admin-api-keys.ts';
import { adminSettingsRepo } from '../../src/storage/repositories/admin-settings.ts';
import { ssoTracesRepo } from '../../src/storage/repositories/sso-traces.ts';
import { adminAuditRepo } from '../../src/storage/repositories/admin-audit.ts';
import { connectionsRepo } from '../../src/storage/repositories/connections.ts';
import { auditRow } from '../../src/policy/audit.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;
const user = (id: string, over: Partial<AdminUserRow> = {}): AdminUserRow => ({
  id, email: `${id}@example.com`, name: 'Ünïcødé', role: 'owner', role_source: 'manual', password_hash: 'scrypt$x', totp_secret_enc: null, totp_enabled: 0,
  totp_last_step: null, created_at: now, updated_at: now, last_login_at: null, sso_linked: 0, ...over,
});

describeEachDialect('admin storage', (s) => {
  const { it, dialect } = s;

  it('accounts: unique email (also raced), update, TOTP step accepted once (raced), delete with sessions and keys', async () => {
    const results = await Promise.all([adminUsersRepo.insert(s.opened.db, user('u1')), adminUsersRepo.insert(s.opened.db, user('u1b', { email: 'u1@example.com' }))]);
    assert.deepEqual([...results].sort(), [false, true]);
    assert.equal((await adminUsersRepo.findByEmail(s.opened.db, 'U1@Example.com'))?.name, 'Ünïcødé');
    const id = (await adminUsersRepo.findByEmail(s.opened.db, 'u1@example.com'))!.id;
    const steps = await Promise.all(Array.from({ length: 6 }, () => adminUsersRepo.useTotpStep(s.opened.db, id, 1000)));
    assert.equal(steps.filter(Boolean).length, 1);
    assert.equal(await adminUsersRepo.useTotpStep(s.opened.db, id, 999), false, 'an older step is refused');
    assert.equal(await adminUsersRepo.useTotpStep(s.opened.db, id, 1001), true);
    await adminSessionsRepo.insert(s.opened.db, { id_hash: 'h1', user_id: id, method: 'password', created_at: now, last_seen_at: now, expires_at: now + 1000, ip: '127.0.0.1' });
    await adminApiKeysRepo.insert(s.opened.db, { id: 'k1', name: 'k', prefix: 'gh_abc', token_hash: 'th1', kind: 'personal', owner_id: id, scopes: null, created_at: now, expires_at: null, last_used_at: null, revoked_at: null });
    assert.equal(await adminUsersRepo.delete(s.opened.db, id, now), true);
    assert.equal(await adminSessionsRepo.findByHash(s.opened.db, 'h1'), undefined);
    assert.equal((await adminApiKeysRepo.findByHash(s.opened.db, 'th1'))?.revoked_at, now);
  });

  it('local owners are locked inside a transaction; list pages by email', async () => {
    await adminUsersRepo.insert(s.opened.db, user('o1'));
    await adminUsersRepo.insert(s.opened.db, user('o2', { password_hash: null }));
    await adminUsersRepo.insert(s.opened.db, user('a1', { role: 'admin' }));
    const ids = await s.opened.db.transaction().execute((tx) => adminUsersRepo.lockLocalOwners(tx, dialect));
    assert.deepEqual(ids, ['o1']);
    const p1 = await adminUsersRepo.list(s.opened.db, 2);
    const p2 = await adminUsersRepo.list(s.opened.db, 2, p1[1]!.email);
    assert.deepEqual([...p1, ...p2].map((u) => u.id), ['a1', 'o1', 'o2']);
  });

  it('sessions: touch and absolute expiry', async () => {
    await adminSessionsRepo.insert(s.opened.db, { id_hash: 'h2', user_id: 'o1', method: 'sso', created_at: now, last_seen_at: now, expires_at: now + 1000, ip: null });
    await adminSessionsRepo.touch(s.opened.db, 'h2', now + 500);
    assert.equal((await adminSessionsRepo.findByHash(s.opened.db, 'h2'))?.last_seen_at, now + 500);
    assert.equal(await adminSessionsRepo.deleteExpired(s.opened.db, now + 2000), 1);
  });

  it('API keys: unique hash, newest-first cursor, last-used at most once a minute, revoke once', async () => {
    for (let i = 0; i < 3; i++) await adminApiKeysRepo.insert(s.opened.db, { id: `k${i + 2}`, name: 'k', prefix: 'gh_x', token_hash: `t${i}`, kind: 'scoped', owner_id: 'o1', scopes: '{"permissions":["sso:read"]}', created_at: now + i, expires_at: now + 10_000, last_used_at: null, revoked_at: null });
    await assert.rejects(adminApiKeysRepo.insert(s.opened.db, { id: 'dup', name: 'k', prefix: 'gh_x', token_hash: 't0', kind: 'personal', owner_id: 'o1', scopes: null, created_at: now, expires_at: null, last_used_at: null, revoked_at: null }));
    const p1 = await adminApiKeysRepo.list(s.opened.db, { owner: 'o1', limit: 2 });
    assert.deepEqual(p1.map((k) => k.id), ['k4', 'k3']);
    assert.deepEqual((await adminApiKeysRepo.list(s.opened.db, { owner: 'o1', limit: 2, before: [p1[1]!.created_at, p1[1]!.id] })).map((k) => k.id), ['k2']);
    await adminApiKeysRepo.touch(s.opened.db, 'k2', now + 100);
    await adminApiKeysRepo.touch(s.opened.db, 'k2', now + 200);
    assert.equal((await adminApiKeysRepo.findById(s.opened.db, 'k2'))?.last_used_at, now + 100);
    assert.equal(await adminApiKeysRepo.revoke(s.opened.db, 'k2', now), true);
    assert.equal(await adminApiKeysRepo.revoke(s.opened.db, 'k2', now), false);
  });

  it('settings: upsert, also raced between instances', async () => {
    await Promise.all(Array.from({ length: 5 }, (_, i) => adminSettingsRepo.put(s.opened.db, 'branding', { productName: `n${i}` }, now)));
    const v = (await adminSettingsRepo.get(s.opened.db, 'branding')) as { productName: string };
    assert.match(v.productName, /^n\d$/);
    await adminSettingsRepo.put(s.opened.db, 'branding', { productName: 'final ✓' }, now);
    assert.deepEqual(await adminSettingsRepo.get(s.opened.db, 'branding'), { productName: 'final ✓' });
    assert.equal(await adminSettingsRepo.get(s.opened.db, 'nothing'), undefined);
  });

  it('traces: 300 KB of XML, filters, cursor, retention', async () => {
    const xml = `<samlp:Response>${'x'.repeat(300_000)}</samlp:Response>`;
    for (let i = 0; i < 3; i++) await ssoTracesRepo.insert(s.opened.db, { id: `t${i}`, at: now + i, kind: 'saml', connection_id: 'c1', tenant: i === 2 ? 'b.com' : 'a.com', product: 'crm', code: 'SAML_EXPIRED', message: 'm', detail: null, saml_response: i === 0 ? xml : null });
    assert.equal((await ssoTracesRepo.findById(s.opened.db, 't0'))?.saml_response?.length, xml.length);
    assert.deepEqual((await ssoTracesRepo.list(s.opened.db, { since: now, tenant: 'a.com', limit: 10 })).map((t) => t.id), ['t1', 't0']);
    assert.deepEqual((await ssoTracesRepo.list(s.opened.db, { since: now, limit: 10, before: [now + 2, 't2'] })).map((t) => t.id), ['t1', 't0']);
    assert.equal(await ssoTracesRepo.deleteOlderThan(s.opened.db, now + 2), 2);
  });

  it('audit search: filters, case-insensitive free text with LIKE wildcards taken literally, cursor', async () => {
    const actor = { type: 'admin' as const, id: 'o1', label: 'Owner@Example.com' };
    const rows = [
      auditRow({ actor, action: 'sso.connection.created', target: { type: 'sso_connection', id: 'c_1' }, tenant: 'acme.com', after: { name: '100%_done' } }, now),
      auditRow({ actor, action: 'sso.connection.deleted', target: { type: 'sso_connection', id: 'c2' }, tenant: 'globex.com' }, now + 1),
      auditRow({ actor: { type: 'api_key', id: 'k1', label: 'key' }, action: 'product.created', target: { type: 'product', id: 'crm' } }, now + 2),
    ];
    for (const r of rows) await adminAuditRepo.insert(s.opened.db, r);
    const ids = async (f: Parameters<typeof adminAuditRepo.search>[1]) => (await adminAuditRepo.search(s.opened.db, f, 10)).map((r) => r.target_id);
    assert.deepEqual(await ids({ action: 'sso.connection.' }), ['c2', 'c_1']);
    assert.deepEqual(await ids({ action: 'sso.*' }), ['c2', 'c_1']);
    assert.deepEqual(await ids({ action: 'product.created' }), ['crm']);
    assert.deepEqual(await ids({ tenant: 'acme.com' }), ['c_1']);
    assert.deepEqual(await ids({ actor: 'k1' }), ['crm']);
    assert.deepEqual(await ids({ q: 'OWNER@' }), ['c2', 'c_1']);
    assert.deepEqual(await ids({ q: 'c_' }), ['c_1'], '_ is not a wildcard');
    assert.deepEqual(await ids({ q: '%' }), [], '% is not a wildcard');
    assert.deepEqual(await ids({ from: now + 1, to: now + 1 }), ['c2']);
    assert.deepEqual((await adminAuditRepo.search(s.opened.db, {}, 10, [now + 1, rows[1]!.id])).map((r) => r.target_id), ['c_1']);
  });

  it('the portal\'s connection list pages over tenant, product and id', async () => {
    const c = (id: string, tenant: string, product: string) => ({
      id, tenant, product, kind: 'saml' as const, name: '', description: '', idp_entity_id: 'e', idp_key: 'k', redirect_urls: '[]', default_redirect_url: 'https://a',
      settings: '{}', client_secret_enc: 'x', active: 1, sort_order: 0, created_at: now, updated_at: now,
    });
    for (const [id, t, p] of [['z1', 'a', 'p1'], ['a1', 'a', 'p2'], ['m1', 'b', 'p1'], ['m2', 'b', 'p1']] as const) await s.opened.db.insertInto('connections').values(c(id, t, p)).execute();
    const p1 = await connectionsRepo.page(s.opened.db, { limit: 2 });
    const last = p1[1]!;
    const p2 = await connectionsRepo.page(s.opened.db, { limit: 5, after: [last.tenant, last.product, last.id] });
    assert.deepEqual([...p1, ...p2].map((r) => r.id), ['z1', 'a1', 'm1', 'm2']);
    assert.deepEqual((await connectionsRepo.page(s.opened.db, { product: 'p1', limit: 5 })).map((r) => r.id), ['z1', 'm1', 'm2']);
  });
});
