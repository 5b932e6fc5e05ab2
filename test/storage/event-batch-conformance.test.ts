/**
 * A change's events as EventBatch writes them (src/directory-sync/events/outbox.ts) on SQLite, PostgreSQL and
 * MySQL/MariaDB: one event (the compiled insert on SQLite and MySQL, decision 0062) and several, with the change's
 * own write, are stored with every column as given; a failing write leaves no event and reaches its `onError`.
 */
import assert from 'node:assert/strict';
import { directoriesRepo, directoryGroupsRepo, type DirectoryRow } from '../../src/storage/index.ts';
import { EventBatch } from '../../src/directory-sync/events/outbox.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;
const DIR = 'dir-event-batch';

describeEachDialect('event batch conformance', (s) => {
  const { it } = s;

  it('one event and several, written with the change, every column as given; a failed write leaves none', async () => {
    const db = s.opened.db;
    const dialect = s.dialect;
    await directoriesRepo.insert(db, { id: DIR, tenant: 'acme.com', product: 'crm', name: 'Acme', type: 'okta-scim-v2', webhook_url: 'https://hooks.example/x', webhook_secret_enc: '', scim_secret_hash: 'h'.repeat(43), scim_secret_sealed: 'v1.x', log_webhook_events: 0, deactivated: 0, created_at: now, updated_at: now });
    const dir = (await directoriesRepo.findById(db, DIR)) as DirectoryRow;
    const group = (id: string, name: string) => ({ id, directory_id: DIR, display_name: name, external_id: null, raw: '{}', created_at: now, updated_at: now, version: 1 });
    for (const [n, groupId] of [[1, 'g-one'], [3, 'g-three']] as const) {
      const batch = new EventBatch(dir, now, 60_000);
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < n; i++) batch.add('group.created', `g:${groupId}`, { id: groupId, name: `Ünï ${i}`, raw: { n: i } });
        batch.alongWith(directoryGroupsRepo.insertWrite(trx, group(groupId, `G ${groupId}`) as never), (err) => { throw err; });
        await batch.write(trx, dialect);
      });
    }
    const rows = await db.selectFrom('directory_events').selectAll().where('directory_id', '=', DIR).orderBy('seq').execute();
    assert.deepEqual(rows.map((r) => [r.resource_key, r.event, r.status, Number(r.attempts), Number(r.next_attempt_at), Number(r.deadline_at), r.lease_owner, r.lease_until, r.last_status, r.last_error, Number(r.created_at), r.delivered_at]), [
      ...['g:g-one', 'g:g-three', 'g:g-three', 'g:g-three'].map((k) => [k, 'group.created', 'pending', 0, now, now + 60_000, null, null, null, null, now, null]),
    ]);
    assert.deepEqual(rows.map((r) => (JSON.parse(r.payload) as { data: { name: string } }).data.name), ['Ünï 0', 'Ünï 0', 'Ünï 1', 'Ünï 2']);
    assert.equal(new Set(rows.map((r) => r.id)).size, 4);
    assert.ok(await db.selectFrom('directory_groups').select('id').where('id', '=', 'g-one').executeTakeFirst(), 'the change was written');

    // The same group again: the write fails (unique), its onError answers, and no event stays.
    const failing = new EventBatch(dir, now, 60_000);
    failing.add('group.created', 'g:g-one', { id: 'g-one' });
    let caught = false;
    await assert.rejects(db.transaction().execute(async (trx) => {
      failing.alongWith(directoryGroupsRepo.insertWrite(trx, group('g-one', 'G g-one') as never), (err) => {
        caught = true;
        throw err;
      });
      await failing.write(trx, dialect);
    }));
    assert.ok(caught);
    assert.equal((await db.selectFrom('directory_events').select('id').where('directory_id', '=', DIR).execute()).length, 4);
  });
});
