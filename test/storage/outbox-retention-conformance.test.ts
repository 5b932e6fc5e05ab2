/**
 * Decision 0063 (retention): the outbox's retention sweep on SQLite, PostgreSQL and MySQL/MariaDB. A backlog of
 * several batches of old delivered events goes in one sweep (or, past the per-call budget, in the documented number of
 * calls), with their attempt logs; pending, failed and recent delivered events and their attempts stay; two sweeps at
 * once delete each row once and fail neither.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { directoryEventsRepo } from '../../src/storage/index.ts';
import type { NewDirectoryEvent } from '../../src/storage/repositories/directory-events.ts';
import type { DirectoryEventStatus } from '../../src/storage/schema-directory.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;
const DAY = 86_400_000;
const cutoff = now - 7 * DAY;
const BATCH = 40;

let n = 0;
const event = (status: DirectoryEventStatus, deliveredAt: number | null, createdAt = cutoff - 30 * DAY): NewDirectoryEvent => {
  const i = n++;
  return {
    id: `evt_${String(i).padStart(6, '0')}`, directory_id: 'dir', resource_key: `user:${i % 13}`, event: 'user.updated', payload: `{"i":${i}}`,
    status, attempts: 1, next_attempt_at: createdAt, deadline_at: createdAt + DAY, created_at: createdAt, delivered_at: deliveredAt,
  };
};

describeEachDialect('outbox retention sweep conformance', (s) => {
  const { it } = s;
  const { dialect } = s;

  /** Appends old delivered events interleaved with events that must stay; returns the ids that must stay. */
  async function seed(old: number, { cutoffRows = true } = {}): Promise<Set<string>> {
    await clear();
    const rows: NewDirectoryEvent[] = [];
    const keep = new Set<string>();
    for (let i = 0; i < old; i++) {
      rows.push(event('delivered', cutoff - DAY + i));
      if (i % 10 === 0) {
        for (const r of [event('pending', null), event('failed', null), ...(cutoffRows ? [event('delivered', cutoff)] : [])]) {
          rows.push(r);
          keep.add(r.id);
        }
      }
    }
    // The recent outbox, appended after the backlog: the walk ends at its first event.
    for (let i = 0; i < 3; i++) {
      for (const r of [event('delivered', now - 1000, now - 2000), event('pending', null, now - 500)]) {
        rows.push(r);
        keep.add(r.id);
      }
    }
    for (let i = 0; i < rows.length; i += 200) await directoryEventsRepo.append(s.opened.db, rows.slice(i, i + 200));
    const attempts = rows.map((r) => ({ event_id: r.id, directory_id: 'dir', attempt: 1, status_code: 200, latency_ms: 5, response_excerpt: null, error: null, created_at: cutoff - 30 * DAY }));
    for (let i = 0; i < attempts.length; i += 200) await s.opened.db.insertInto('directory_event_attempts').values(attempts.slice(i, i + 200)).execute();
    return keep;
  }
  async function remaining(): Promise<{ events: string[]; attempts: string[] }> {
    const events = (await s.opened.db.selectFrom('directory_events').select('id').orderBy('id').execute()).map((r) => r.id);
    const attempts = (await s.opened.db.selectFrom('directory_event_attempts').select('event_id').orderBy('event_id').execute()).map((r) => r.event_id);
    return { events, attempts };
  }
  /** Calls the sweep with a budget of `batches` reads, going on from where the last call stopped, until it is done. */
  async function sweepInCalls(batches: number): Promise<Array<{ deleted: number; done: boolean }>> {
    const calls: Array<{ deleted: number; done: boolean }> = [];
    let from = 0;
    for (let c = 0; c < 20; c++) {
      const r = await directoryEventsRepo.deleteDeliveredBefore(s.opened.db, dialect, cutoff, { batch: BATCH, batches, from });
      calls.push({ deleted: r.deleted, done: r.done });
      from = r.next;
      if (r.done) break;
    }
    return calls;
  }
  async function clear(): Promise<void> {
    await s.opened.db.deleteFrom('directory_event_attempts').execute();
    await s.opened.db.deleteFrom('directory_events').execute();
  }

  it('one sweep removes a backlog of several batches, with its attempts; pending, failed and recent events stay', async () => {
    const keep = await seed(BATCH * 4 + 7);
    const r = await directoryEventsRepo.deleteDeliveredBefore(s.opened.db, dialect, cutoff, { batch: BATCH, batches: 10 });
    assert.deepEqual(r, { deleted: BATCH * 4 + 7, done: true, next: 0 });
    const left = await remaining();
    assert.deepEqual(left.events, [...keep].sort(), 'only the old delivered events went; those delivered exactly at the cutoff stay');
    assert.deepEqual(left.attempts, [...keep].sort(), 'their attempt logs went with them, no others');
    assert.deepEqual(await directoryEventsRepo.deleteDeliveredBefore(s.opened.db, dialect, cutoff, { batch: BATCH }), { deleted: 0, done: true, next: 0 });
    await clear();
  });

  it('past its budget a sweep says so, and the next calls finish the backlog (ceil(reads / budget) calls)', async () => {
    // No delivered event within retention among the backlog: 2 + 2 full reads of it, then the read that ends on the recent outbox.
    const keep = await seed(BATCH * 5, { cutoffRows: false });
    assert.deepEqual(await sweepInCalls(2), [{ deleted: BATCH * 2, done: false }, { deleted: BATCH * 2, done: false }, { deleted: BATCH, done: true }]);
    assert.deepEqual((await remaining()).events, [...keep].sort());
  });

  it('an unfinished sweep goes on from where it stopped: events kept at the head of the outbox are not read again', async () => {
    // A delivered event within retention every 10 of the backlog: BATCH * 5 + 20 rows to read, 2 reads per call.
    const keep = await seed(BATCH * 5);
    const calls = await sweepInCalls(2);
    assert.equal(calls.length, Math.ceil(Math.ceil((BATCH * 5 + 20 + 1) / BATCH) / 2));
    assert.equal(calls.reduce((t, c) => t + c.deleted, 0), BATCH * 5);
    assert.deepEqual((await remaining()).events, [...keep].sort());
  });

  it('two sweeps at once: each old row deleted once between them, neither fails, survivors intact', async () => {
    const keep = await seed(BATCH * 6 + 3);
    const [a, b] = await Promise.all([
      directoryEventsRepo.deleteDeliveredBefore(s.opened.db, dialect, cutoff, { batch: BATCH, batches: 20 }),
      directoryEventsRepo.deleteDeliveredBefore(s.opened.db, dialect, cutoff, { batch: BATCH, batches: 20 }),
    ]);
    assert.equal(a.deleted + b.deleted, BATCH * 6 + 3);
    assert.ok(a.done && b.done);
    const left = await remaining();
    assert.deepEqual(left.events, [...keep].sort());
    assert.deepEqual(left.attempts, [...keep].sort());
    const count = await sql<{ n: number }>`select count(*) as n from directory_events where status = 'delivered'`.execute(s.opened.db);
    assert.equal(Number(count.rows[0]!.n), Math.ceil((BATCH * 6 + 3) / 10) + 3, 'the delivered events within retention');
    await clear();
  });
});
