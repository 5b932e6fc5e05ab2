/**
 * Conformance of the role-mapping and reconciliation queries (migration 028) on SQLite, PostgreSQL and MySQL/MariaDB:
 * the portable upsert (also raced), the one-query read a sign-in makes, and the directory and sign-in reads.
 */
import assert from 'node:assert/strict';
import { appSessionsRepo, directoriesRepo, directoryGroupsRepo, directoryUsersRepo, productsRepo, roleMappingsRepo } from '../../src/storage/index.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;

describeEachDialect('role mapping storage conformance', (s) => {
  const { it } = s;

  it('a mapping is one document per tenant+product; racing writers leave one row; a sign-in reads roles and mapping at once', async () => {
    const db = s.opened.db;
    assert.equal(await roleMappingsRepo.forSignIn(db, 'acme.com', 'crm'), undefined, 'no product: nothing');
    await productsRepo.insert(db, { id: 'crm', name: 'CRM', default_redirect_url: null, initiate_login_uri: null, session_settings: null, roles: '[{"key":"admin","name":"Admin"}]', created_at: now, updated_at: now });
    assert.deepEqual(await roleMappingsRepo.forSignIn(db, 'acme.com', 'crm'), { roles: '[{"key":"admin","name":"Admin"}]', mappings: null });
    await Promise.all(Array.from({ length: 6 }, (_, i) => roleMappingsRepo.put(db, 'acme.com', 'crm', JSON.stringify([{ group: `g${i}`, role: 'admin' }]), now + i)));
    const rows = await db.selectFrom('role_mappings').selectAll().execute();
    assert.equal(rows.length, 1);
    await roleMappingsRepo.put(db, 'globex.com', 'crm', '[{"group":"Ünïcødé","role":"admin"}]', now);
    const mine = await roleMappingsRepo.forSignIn(db, 'acme.com', 'crm');
    assert.match(mine!.mappings!, /^\[\{"group":"g\d","role":"admin"\}\]$/);
    assert.equal((await roleMappingsRepo.forSignIn(db, 'globex.com', 'crm'))!.mappings, '[{"group":"Ünïcødé","role":"admin"}]');
    assert.equal((await roleMappingsRepo.find(db, 'initech.com', 'crm')), undefined);
  });

  it('directory users, groups and memberships of a tenant+product; sign-ins since a time, newest first, with their groups', async () => {
    const db = s.opened.db;
    const dir = { id: 'dir_1', tenant: 'acme.com', product: 'crm', name: 'A', type: 'generic-scim-v2', webhook_url: '', webhook_secret_enc: '', scim_secret_hash: 'h', scim_secret_sealed: null, log_webhook_events: 0, deactivated: 0, created_at: now, updated_at: now };
    await directoriesRepo.insert(db, dir);
    await directoriesRepo.insert(db, { ...dir, id: 'dir_2', tenant: 'globex.com', scim_secret_hash: 'h2' });
    const user = (id: string, directory_id: string) => ({ id, directory_id, user_name: `${id}@x.com`, user_name_key: `${id}@x.com`, external_id: null, display_name: null, active: 1, raw: '{}', created_at: now, updated_at: now, version: 1 });
    await directoryUsersRepo.insert(db, user('u1', 'dir_1'));
    await directoryUsersRepo.insert(db, user('u2', 'dir_2'));
    await directoryGroupsRepo.insert(db, { id: 'g1', directory_id: 'dir_1', display_name: 'Engineering', external_id: 'ext-eng', raw: '{}', created_at: now, updated_at: now, version: 1 });
    await directoryGroupsRepo.addMembers(db, [{ group_id: 'g1', directory_id: 'dir_1', member_value: 'u1', display: null, created_at: now }]);
    assert.deepEqual(await roleMappingsRepo.directoryIds(db, 'acme.com', 'crm'), ['dir_1']);
    assert.deepEqual((await roleMappingsRepo.usersOf(db, ['dir_1'], 10)).map((u) => u.id), ['u1']);
    assert.deepEqual(await roleMappingsRepo.groupsOf(db, ['dir_1'], 10), [{ directory_id: 'dir_1', id: 'g1', display_name: 'Engineering', external_id: 'ext-eng' }]);
    assert.deepEqual(await roleMappingsRepo.membershipsOf(db, 'dir_1', ['u1', 'u2']), [{ user_id: 'u1', display_name: 'Engineering', external_id: 'ext-eng' }]);
    assert.deepEqual(await roleMappingsRepo.membershipsOf(db, 'dir_1', []), []);

    const session = (sid: string, created_at: number, tenant = 'acme.com') => ({
      sid, connection_id: 'c1', tenant, product: 'crm', client_id: 'c1', sub: 's', nameid: `${sid}@x.com`, nameid_key: sid, nameid_format: null, session_index: null,
      email: null, groups: '["Engineering"]', created_at, expires_at: created_at + 1000, ended_at: null, end_reason: null,
    });
    await appSessionsRepo.insert(db, session('old', now - 5000));
    await appSessionsRepo.insert(db, session('a', now));
    await appSessionsRepo.insert(db, session('b', now + 1));
    await appSessionsRepo.insert(db, session('other', now, 'globex.com'));
    const seen = await roleMappingsRepo.signInsSince(db, 'acme.com', 'crm', now - 1000, 10);
    assert.deepEqual(seen.map((r) => r.nameid_key), ['b', 'a']);
    assert.equal(seen[0]!.groups, '["Engineering"]');
  });
});
