/**
 * The connection-version store on SQLite, PostgreSQL and MariaDB: at most one draft per connection (a unique
 * key, so across instances), the serving row recorded as a retired version, the tenant+product IdP rule, and a
 * locked connection row that keeps a second writer waiting until the first commits.
 */
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/each-dialect.ts';
import { connectionsRepo, connectionVersionsRepo as versions, isUniqueViolation, type ConnectionRow, type ConnectionVersionRow } from '../../src/storage/index.ts';

const now = 1_790_000_000_000;

const connection = (id: string, over: Partial<ConnectionRow> = {}): ConnectionRow => ({
  id, tenant: 'acme.com', product: 'crm', kind: 'saml', name: id, description: '', idp_entity_id: `https://idp/${id}`, idp_key: `key-${id}`,
  redirect_urls: '[]', default_redirect_url: 'https://app.example/cb', settings: '{"v":"live"}', client_secret_enc: 'v1.x', client_secret_mac: null, active: 1, sort_order: 0,
  created_at: now, updated_at: now, version: 1, backchannel_logout_uri: null, ...over,
});

const draft = (connectionId: string, version: number, over: Partial<ConnectionVersionRow> = {}): ConnectionVersionRow => ({
  connection_id: connectionId, version, status: 'draft', draft_of: connectionId, kind: 'oidc', idp_entity_id: 'https://op.example', idp_key: 'key-op',
  settings: '{"v":"draft"}', replaces_version: null, created_by: 'Key 1', created_at: now, updated_at: now, promoted_at: null, retired_at: null, ...over,
});

describeEachDialect('connection versions', (s) => {
  s.it('a new connection serves version 1 and flows record the version they start on', async () => {
    const db = s.opened.db;
    await connectionsRepo.insert(db, { ...connection('c1'), version: undefined });
    assert.equal((await connectionsRepo.findById(db, 'c1'))!.version, 1);
  });

  s.it('at most one draft per connection: a second draft is a unique violation; after it is discarded a new one may be made', async () => {
    const db = s.opened.db;
    await versions.insert(db, draft('c1', 2));
    await assert.rejects(versions.insert(db, draft('c1', 3)), (err) => isUniqueViolation(err));
    assert.equal((await versions.draftOf(db, 'c1'))!.version, 2);
    assert.equal(await versions.update(db, 'c1', 2, { status: 'discarded', draft_of: null }), true);
    assert.equal(await versions.draftOf(db, 'c1'), undefined);
    await versions.insert(db, draft('c1', 3));
    assert.equal(await versions.maxVersion(db, 'c1'), 3);
    assert.equal(await versions.maxVersion(db, 'nobody'), 0);
  });

  s.it('retireServing records what the row serves, creating the version record or updating it', async () => {
    const db = s.opened.db;
    const c = (await connectionsRepo.findById(db, 'c1'))!;
    await versions.retireServing(db, c, now + 5);
    const v1 = (await versions.find(db, 'c1', 1))!;
    assert.deepEqual([v1.status, v1.kind, v1.settings, v1.idp_key, v1.updated_at, v1.retired_at, v1.draft_of], ['retired', 'saml', '{"v":"live"}', 'key-c1', now, now + 5, null]);
    await versions.update(db, 'c1', 1, { status: 'live', retired_at: null });
    await versions.retireServing(db, { ...c, settings: '{"v":"refreshed"}', updated_at: now + 7 }, now + 9);
    const again = (await versions.find(db, 'c1', 1))!;
    assert.deepEqual([again.status, again.settings, again.updated_at, again.retired_at], ['retired', '{"v":"refreshed"}', now + 7, now + 9]);
    assert.deepEqual((await versions.list(db, 'c1')).map((v) => [v.version, v.status]), [[3, 'draft'], [2, 'discarded'], [1, 'retired']]);
  });

  s.it('otherWithIdp finds another connection of the same tenant+product with the IdP, not the connection itself nor other tenants', async () => {
    const db = s.opened.db;
    await connectionsRepo.insert(db, connection('c2', { idp_key: 'key-op' }));
    await connectionsRepo.insert(db, connection('c3', { tenant: 'globex.com', idp_key: 'key-x' }));
    assert.equal(await versions.otherWithIdp(db, connection('c1'), 'key-op'), 'c2');
    assert.equal(await versions.otherWithIdp(db, connection('c2'), 'key-op'), undefined);
    assert.equal(await versions.otherWithIdp(db, connection('c1'), 'key-x'), undefined);
  });

  s.it('the connection lock holds a second transaction until the first commits (row locks, or SQLite\'s one writer)', async () => {
    const db = s.opened.db;
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const first = db.transaction().execute(async (trx) => {
      await versions.lockConnection(trx, s.dialect, 'c1');
      // SQLite takes its write lock with the first write, not with a read; elsewhere the SELECT … FOR UPDATE alone holds the row.
      if (s.dialect === 'sqlite') await connectionsRepo.update(trx, 'c1', { name: 'first' });
      locked();
      await held;
      order.push('first commits');
    });
    await isLocked;
    const second = db.transaction().execute(async (trx) => {
      if (s.dialect === 'sqlite') await connectionsRepo.update(trx, 'c1', { name: 'second' });
      await versions.lockConnection(trx, s.dialect, 'c1');
      order.push('second locks');
      await connectionsRepo.update(trx, 'c1', { name: 'second' });
    });
    // Give the second transaction every chance to run ahead: poll, never a fixed sleep as proof.
    for (let i = 0; i < 20 && order.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(order, [], 'the second transaction waits');
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first commits', 'second locks']);
    assert.equal((await connectionsRepo.findById(db, 'c1'))!.name, 'second');
  });

  s.it('deleteOf removes every version of a deleted connection', async () => {
    const db = s.opened.db;
    await versions.deleteOf(db, 'c1');
    assert.deepEqual(await versions.list(db, 'c1'), []);
  });
});
