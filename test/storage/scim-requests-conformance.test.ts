/**
 * Conformance of the SCIM inspector's repository (decision 0027) on SQLite, PostgreSQL and MySQL/MariaDB: one insert,
 * a directory's page newest first with its filters and cursor, the trim's index read and its delete (no
 * self-referencing DELETE, which MariaDB refuses), 7-day retention, and the log going with its directory.
 */
import assert from 'node:assert/strict';
import { scimRequestsRepo, type ScimRequestRow } from '../../src/storage/repositories/scim-requests.ts';
import { cutPoint } from '../../src/directory-sync/inspector/recorder.ts';
import { directoriesRepo } from '../../src/storage/index.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;
const row = (i: number, over: Partial<ScimRequestRow> = {}): ScimRequestRow => ({
  id: `0190000${String(i).padStart(5, '0')}`, directory_id: 'dir-1', at: now + i * 1000, method: i % 3 === 0 ? 'PATCH' : 'GET', path: `/Users/${i}`,
  status: i % 4 === 0 ? 409 : 200, outcome: i % 4 === 0 ? 'refused' : 'accepted', bytes: 100 + i, detail_enc: `v1.kid.iv.${'x'.repeat(i)}.tag`, ...over,
});

describeEachDialect('SCIM inspector storage conformance', (s) => {
  const { it } = s;

  it('insert, then a page newest first filtered by outcome, status and method, with the cursor', async () => {
    const { db, dialect } = s.opened;
    for (let i = 1; i <= 12; i++) await scimRequestsRepo.insert(db, dialect, row(i));
    await scimRequestsRepo.insert(db, dialect, row(99, { directory_id: 'dir-2' }));
    const all = await scimRequestsRepo.list(db, { directoryId: 'dir-1', since: 0, limit: 100 });
    assert.deepEqual(all.map((r) => Number(r.at)), Array.from({ length: 12 }, (_, k) => now + (12 - k) * 1000));
    assert.equal(all[0]!.detail_enc, row(12).detail_enc);
    assert.deepEqual((await scimRequestsRepo.list(db, { directoryId: 'dir-1', since: 0, outcome: 'refused', limit: 100 })).map((r) => r.path), ['/Users/12', '/Users/8', '/Users/4']);
    assert.deepEqual((await scimRequestsRepo.list(db, { directoryId: 'dir-1', since: 0, status: [409], method: 'GET', limit: 100 })).map((r) => r.path), ['/Users/8', '/Users/4']);
    assert.deepEqual((await scimRequestsRepo.list(db, { directoryId: 'dir-1', since: now + 11_000, limit: 100 })).length, 2);
    const page2 = await scimRequestsRepo.list(db, { directoryId: 'dir-1', since: 0, limit: 3, before: [Number(all[2]!.at), all[2]!.id] });
    assert.deepEqual(page2.map((r) => r.path), ['/Users/9', '/Users/8', '/Users/7']);
  });

  it('the trim: newest sizes and their summary from the index, a cut by count or bytes, one delete of what is older', async () => {
    const { db } = s.opened;
    const sizes = await scimRequestsRepo.sizesNewestFirst(db, 'dir-1', 6);
    assert.equal(sizes.length, 6);
    const cut = cutPoint(sizes, 5, 1_000_000)!;
    assert.equal(Number(cut.at), now + 7 * 1000);
    // The trim's common case, read as two aggregates (decision 0053): the same cut, and the newest entries' total size.
    const summary = await scimRequestsRepo.newestSummary(db, 'dir-1', 5);
    assert.deepEqual(summary, { bytes: sizes.slice(0, 5).reduce((t, r) => t + Number(r.bytes), 0), beyond: { at: Number(cut.at), id: cut.id } });
    const all = await scimRequestsRepo.sizesNewestFirst(db, 'dir-1', 100);
    assert.deepEqual(await scimRequestsRepo.newestSummary(db, 'dir-1', 100), { bytes: all.reduce((t, r) => t + Number(r.bytes), 0), beyond: null });
    assert.deepEqual(await scimRequestsRepo.newestSummary(db, 'no-such-directory', 5), { bytes: 0, beyond: null });
    assert.equal(await scimRequestsRepo.deleteFrom(db, 'dir-1', Number(cut.at), cut.id), 7);
    assert.deepEqual((await scimRequestsRepo.list(db, { directoryId: 'dir-1', since: 0, limit: 100 })).map((r) => r.path), ['/Users/12', '/Users/11', '/Users/10', '/Users/9', '/Users/8']);
    const byBytes = cutPoint(await scimRequestsRepo.sizesNewestFirst(db, 'dir-1', 6), 5, 112 + 111 + 1);
    assert.equal(byBytes!.id, row(10).id, 'the entry that passes the byte cap goes, with all older');
    assert.equal((await scimRequestsRepo.list(db, { directoryId: 'dir-2', since: 0, limit: 100 })).length, 1, 'other directories untouched');
  });

  it('retention by time across directories, and a deleted directory takes its log along', async () => {
    const { db } = s.opened;
    assert.equal(await scimRequestsRepo.deleteOlderThan(db, now + 10_500), 3);
    await directoriesRepo.insert(db, {
      id: 'dir-2', tenant: 'acme.com', product: 'crm', name: 'x', type: 'generic-scim-v2', webhook_url: '', webhook_secret_enc: '', scim_secret_hash: 'h', scim_secret_sealed: null,
      log_webhook_events: 0, deactivated: 0, created_at: now, updated_at: now,
    });
    assert.equal(await directoriesRepo.delete(db, 'dir-2'), true);
    assert.equal((await scimRequestsRepo.list(db, { directoryId: 'dir-2', since: 0, limit: 100 })).length, 0);
    assert.equal((await scimRequestsRepo.list(db, { directoryId: 'dir-1', since: 0, limit: 100 })).length, 2);
  });
});
