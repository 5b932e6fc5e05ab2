/**
 * The webhook outbox: events are appended in the transaction of the change that caused them, then
 * claimed by deliverers with a lease. Events of one resource are claimed in order: an event waits
 * while an earlier event of its resource is leased or backing off. Claims take a lock on one row
 * (plus FOR UPDATE SKIP LOCKED on PostgreSQL/MySQL), so two instances never claim past each other;
 * on SQLite (one writer) the claim is a single conditional UPDATE.
 */
import { sql, type Insertable, type InsertObject, type InsertQueryBuilder, type Kysely, type Selectable, type UpdateQueryBuilder } from 'kysely';
import type { Database } from '../schema.ts';
import { retryOnDeadlock, traitsOf, type DialectName } from '../dialect.ts';
import type { DirectoryEventAttemptsTable, DirectoryEventStatus, DirectoryEventsTable } from '../schema-directory.ts';
import { prepared } from '../prepared.ts';

export type DirectoryEventRow = Selectable<DirectoryEventsTable>;
export type NewDirectoryEvent = Insertable<DirectoryEventsTable>;
export type DirectoryEventAttemptRow = Selectable<DirectoryEventAttemptsTable>;
/** A change's own write (an insert or update of the resource), to be sent with its outbox rows (`appendWith`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ResourceWrite = InsertQueryBuilder<Database, any, any> | UpdateQueryBuilder<Database, any, any, any>;
export type NewDirectoryEventAttempt = Insertable<DirectoryEventAttemptsTable>;

/** What the deliverer decided for one claimed event. */
export type DeliveryOutcome =
  | { seq: number; result: 'delivered'; status: number; at: number }
  | { seq: number; result: 'retry'; status: number | null; error: string; nextAttemptAt: number }
  | { seq: number; result: 'failed'; status: number | null; error: string }
  | { seq: number; result: 'released' };

/**
 * The outbox as `p`, for the "is an earlier event of this resource still pending?" probe. MariaDB, with
 * statistics from before a burst of appends, walks the directory's whole history for each candidate
 * instead (2 s per claim of 200 with 2,000 pending, against 12 ms); the hint pins the index made for
 * the probe. The cast keeps Kysely's column types: the raw text names the same table and alias.
 */
function earlierEvents(dialect: DialectName): 'directory_events as p' {
  if (!traitsOf(dialect).indexHints) return 'directory_events as p';
  return sql`directory_events as p force index (directory_events_resource_pending)` as unknown as 'directory_events as p';
}

/** The retention sweep's batch (rows per DELETE; smaller on SQLite, where a batch blocks the event loop) and batches per call. */
const SWEEP_BATCH = 1_000;
const SWEEP_BATCH_SQLITE = 250;
const SWEEP_BATCHES = 20;

const PENDING = sql.lit<DirectoryEventStatus>('pending');

/**
 * Due events in seq order, skipping those behind an earlier event of their resource that is leased or backing off.
 * On PostgreSQL the probe ends in `OFFSET 0`, which keeps it a subplan run per candidate (PostgreSQL does not turn
 * such an `EXISTS` into a join): its index conditions are then the candidate's directory and resource, whatever the
 * planner thought of the table's size. As an anti-join, the generic plan a connection prepared while the outbox was
 * small (decision 0048) probed without them and read every pending row for every candidate: 116–170 ms per claim
 * of 100 with 2,000–5,000 pending, ~1 ms of the backend's CPU per event (decision 0063). The walk stops at `limit`.
 * `'pending'` is written as a literal: the same for every claim.
 */
function claimable(db: Kysely<Database>, dialect: DialectName, now: number, limit: number) {
  const perCandidate = traitsOf(dialect).name === 'postgres';
  return db
    .selectFrom('directory_events as e')
    .select('e.seq')
    .where('e.status', '=', PENDING)
    .where('e.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('e.lease_until', 'is', null), eb('e.lease_until', '<', now)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom(earlierEvents(dialect))
            .select(sql`1`.as('one'))
            .whereRef('p.directory_id', '=', 'e.directory_id')
            .whereRef('p.resource_key', '=', 'e.resource_key')
            .whereRef('p.seq', '<', 'e.seq')
            .where('p.status', '=', PENDING)
            .where((eb) => eb.or([eb('p.next_attempt_at', '>', now), eb('p.lease_until', '>=', now)]))
            .$if(perCandidate, (q) => q.offset(sql.lit(0))),
        ),
      ),
    )
    .orderBy('e.seq')
    .limit(limit);
}

const bySeq = (a: { seq: number }, b: { seq: number }) => Number(a.seq) - Number(b.seq);

/** Every column, named (see DIRECTORY_USER_COLUMNS): the claim's RETURNING stays prepared when a release adds one. */
const EVENT_COLUMNS = ['seq', 'id', 'directory_id', 'resource_key', 'event', 'payload', 'status', 'attempts', 'next_attempt_at', 'deadline_at', 'lease_owner', 'lease_until', 'last_status', 'last_error', 'created_at', 'delivered_at'] as const;
const everyEventColumn: Exclude<keyof DirectoryEventsTable, (typeof EVENT_COLUMNS)[number]> extends never ? true : never = true;
void everyEventColumn;

type EventInsert = InsertObject<Database, 'directory_events'>;
const UNNESTED = ['id', 'directory_id', 'resource_key', 'event', 'payload', 'status', 'attempts', 'next_attempt_at', 'deadline_at', 'created_at'] as const;
const UNSET = ['lease_owner', 'lease_until', 'last_status', 'last_error', 'delivered_at'] as const;

/**
 * Several new events as arrays, unnested in their order (PostgreSQL, decision 0048): the statement's text is the same
 * whatever the count, so it is prepared once per connection, and binds 10 arrays instead of 15 values per event.
 * Null when a row has a computed payload or a column set that new events leave empty: `values()` then.
 */
function unnestedEvents(rows: EventInsert[]) {
  if (rows.length < 2) return null;
  for (const r of rows) {
    if (typeof r.payload !== 'string' || UNSET.some((c) => r[c] != null)) return null;
    if (UNNESTED.some((c) => r[c] === undefined || (r[c] !== null && typeof r[c] === 'object'))) return null;
  }
  const col = (c: (typeof UNNESTED)[number]) => rows.map((r) => r[c]);
  // The payloads (JSON, full of quotes) go as one JSON array of strings: JSON.stringify escapes them natively, where
  // pg's array literal escapes each in JavaScript (~4× the CPU for a PATCH's 40, decision 0058).
  return sql<Record<(typeof UNNESTED)[number], unknown>>`select t.id, t.directory_id, t.resource_key, t.event, t.payload, t.status, t.attempts, t.next_attempt_at, t.deadline_at, t.created_at
    from rows from (unnest(${col('id')}::text[]), unnest(${col('directory_id')}::text[]), unnest(${col('resource_key')}::text[]), unnest(${col('event')}::text[]),
      json_array_elements_text(${JSON.stringify(col('payload'))}::json), unnest(${col('status')}::text[]), unnest(${col('attempts')}::integer[]),
      unnest(${col('next_attempt_at')}::bigint[]), unnest(${col('deadline_at')}::bigint[]), unnest(${col('created_at')}::bigint[]))
      with ordinality as t(id, directory_id, resource_key, event, payload, status, attempts, next_attempt_at, deadline_at, created_at, o)
    order by t.o`;
}

/** A new event's columns, in the order Kysely's `values([row])` names them for a row with every column. */
const EVENT_INSERT_COLUMNS = ['id', 'directory_id', 'resource_key', 'event', 'payload', 'status', 'attempts', 'next_attempt_at', 'deadline_at', 'lease_owner', 'lease_until', 'last_status', 'last_error', 'created_at', 'delivered_at'] as const;
type EventValues = { [K in (typeof EVENT_INSERT_COLUMNS)[number]]: NewDirectoryEvent[K] };

/**
 * One new event's insert, compiled once (decision 0062): a change that makes one event — a PATCH, a create, a
 * delete — no longer has Kysely build and compile an insert of 15 values on every call. The SQL is the text
 * `insertInto('directory_events').values([row])` makes for a row with every column.
 */
const insertOneEvent = prepared<EventValues, never>(EVENT_INSERT_COLUMNS, (db, v) => db.insertInto('directory_events').values(v));
const hasEveryColumn = (row: InsertObject<Database, 'directory_events'>): row is EventValues =>
  typeof row.payload === 'string' && EVENT_INSERT_COLUMNS.every((c) => c in row);

export const directoryEventsRepo = {
  /** Appends rows: one row with every column through the compiled insert, anything else as one Kysely insert. */
  async append(db: Kysely<Database>, rows: InsertObject<Database, 'directory_events'>[]): Promise<void> {
    const only = rows.length === 1 ? rows[0]! : null;
    if (only && hasEveryColumn(only)) await insertOneEvent.changed(db, only);
    else if (rows.length) await db.insertInto('directory_events').values(rows).execute();
  },
  /**
   * Runs `write` (built on `db`) and appends `rows`. Where the dialect allows (PostgreSQL), one statement: the write
   * as a data-modifying `WITH`, which runs whether or not the insert reads it, and fails the statement whole (a
   * unique violation leaves no event). Elsewhere two statements, so the caller holds a transaction.
   */
  async appendWith(db: Kysely<Database>, dialect: DialectName, write: ResourceWrite, rows: InsertObject<Database, 'directory_events'>[]): Promise<void> {
    if (rows.length === 0) {
      await write.execute();
      return;
    }
    if (traitsOf(dialect).writesInOneStatement) {
      const insert = db.with('resource_write', () => write).insertInto('directory_events');
      const unnested = unnestedEvents(rows);
      await (unnested ? insert.columns([...UNNESTED]).expression(unnested) : insert.values(rows)).execute();
      return;
    }
    await write.execute();
    await directoryEventsRepo.append(db, rows);
  },
  /**
   * Appends rows whose `id` says what they are about (a back-channel logout's is its session's): a row whose id is
   * already queued is skipped, so repeating the append (a retry, a second instance) never queues it twice.
   */
  async appendOnce(db: Kysely<Database>, dialect: DialectName, rows: NewDirectoryEvent[]): Promise<void> {
    if (rows.length === 0) return;
    const q = db.insertInto('directory_events').values(rows);
    await (traitsOf(dialect).name === 'mysql' ? q.ignore() : q.onConflict((oc) => oc.column('id').doNothing())).execute();
  },

  /** Claims up to `limit` due events for `claimId` until `now + leaseMs`; returns them in seq order. */
  async claim(db: Kysely<Database>, dialect: DialectName, claimId: string, now: number, leaseMs: number, limit: number): Promise<DirectoryEventRow[]> {
    const lease = { lease_owner: claimId, lease_until: now + leaseMs };
    const traits = traitsOf(dialect);
    if (!traits.rowLocks) {
      // One writer (SQLite): a single conditional UPDATE is already exclusive.
      const rows = await db.updateTable('directory_events').set(lease).where('seq', 'in', claimable(db, dialect, now, limit)).returningAll().execute();
      return rows.sort(bySeq);
    }
    // READ COMMITTED: no gap locks, so claims never block (or deadlock with) SCIM transactions appending events.
    return db.transaction().setIsolationLevel('read committed').execute(async (trx) => {
      await trx.selectFrom('directory_claim_lock').select('id').where('id', '=', 1).forUpdate().execute();
      // The pick and the lease stay two statements on PostgreSQL too: as one (`UPDATE … WHERE seq IN (pick)` or a
      // MATERIALIZED CTE), the connection's cached plan went bad as the outbox grew (decision 0058, "After review").
      const seqs = (await claimable(trx, dialect, now, limit).forUpdate().skipLocked().execute()).map((r) => r.seq);
      if (seqs.length === 0) return [];
      const claimed = trx.updateTable('directory_events').set(lease).where('seq', 'in', seqs);
      if (traits.returning) return (await claimed.returning(EVENT_COLUMNS).execute()).sort(bySeq);
      await claimed.execute();
      return trx.selectFrom('directory_events').selectAll().where('seq', 'in', seqs).orderBy('seq').execute();
    });
  },

  /**
   * Records outcomes (only for events still leased by `claimId`) and the attempt log, in one transaction; resolves
   * to the number of events whose outcome was applied (fewer than `outcomes` when another claim took some over).
   * `again`: an earlier call may have committed without its answer reaching us (the connection died during
   * COMMIT), so attempts already stored are not stored twice; outcomes are idempotent anyway, since a committed
   * call cleared the claim id they are matched by.
   */
  async settle(db: Kysely<Database>, claimId: string, outcomes: DeliveryOutcome[], attempts: NewDirectoryEventAttempt[], opts: { again?: boolean } = {}): Promise<number> {
    if (outcomes.length === 0 && attempts.length === 0) return 0;
    // A deadlock victim is rolled back whole; recording again is safe (rows are matched by our claim id). The
    // statements stay plain UPDATEs by seq in a transaction on PostgreSQL too: as one statement over arrays
    // (`UPDATE … FROM unnest(…)`), the plan a connection cached while the outbox was small scanned the table
    // once it held 40,000 rows (decision 0058, "After review").
    return retryOnDeadlock(() => settleOnce(db, claimId, outcomes, attempts, opts.again ?? false), { attempts: 5, backoffMs: (attempt) => attempt * 10 });
  },

  async findById(db: Kysely<Database>, id: string): Promise<DirectoryEventRow | undefined> {
    return db.selectFrom('directory_events').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** Newest first, keyset by seq. */
  async list(db: Kysely<Database>, directoryId: string, opts: { status?: DirectoryEventStatus; beforeSeq?: number; limit: number; offset?: number }): Promise<DirectoryEventRow[]> {
    let q = db.selectFrom('directory_events').selectAll().where('directory_id', '=', directoryId);
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.beforeSeq !== undefined) q = q.where('seq', '<', opts.beforeSeq);
    return q.orderBy('seq', 'desc').limit(opts.limit).offset(opts.offset ?? 0).execute();
  },
  /**
   * Removes a directory's settled events (delivered or failed) and their attempt logs (Jackson's "delete webhook
   * logs"); pending events stay, since they are the outbox still to deliver.
   */
  async deleteSettled(db: Kysely<Database>, directoryId: string): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const settled = trx.selectFrom('directory_events').select('id').where('directory_id', '=', directoryId).where('status', 'in', ['delivered', 'failed']);
      await trx.deleteFrom('directory_event_attempts').where('event_id', 'in', settled).execute();
      const r = await trx.deleteFrom('directory_events').where('directory_id', '=', directoryId).where('status', 'in', ['delivered', 'failed']).executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  },
  async attemptsOf(db: Kysely<Database>, eventIds: string[]): Promise<DirectoryEventAttemptRow[]> {
    if (eventIds.length === 0) return [];
    return db.selectFrom('directory_event_attempts').selectAll().where('event_id', 'in', eventIds).orderBy('seq').execute();
  },
  /** Puts failed events (all of a directory, or the given ids) back in the queue with a fresh deadline. */
  async replay(db: Kysely<Database>, directoryId: string, ids: string[] | null, now: number, deadline: number): Promise<number> {
    let q = db.updateTable('directory_events').set({ status: 'pending', next_attempt_at: now, deadline_at: deadline, lease_owner: null, lease_until: null }).where('directory_id', '=', directoryId).where('status', '=', 'failed');
    if (ids) q = q.where('id', 'in', ids.length ? ids : ['']);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  /** Makes one pending event of the directory due at `now` (the portal's "Retry now"); 0 when it is not pending. */
  async dueNow(db: Kysely<Database>, directoryId: string, id: string, now: number): Promise<number> {
    const r = await db.updateTable('directory_events').set({ next_attempt_at: now }).where('id', '=', id).where('directory_id', '=', directoryId).where('status', '=', 'pending').executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  /** Pending and failed events across every directory, with the oldest pending one's creation time (the /metrics outbox gauges). */
  async backlog(db: Kysely<Database>): Promise<{ pending: number; failed: number; oldestPendingAt: number | null }> {
    const rows = await db
      .selectFrom('directory_events')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('created_at').as('oldest')])
      .where('status', 'in', ['pending', 'failed'])
      .groupBy('status')
      .execute();
    const get = (s: string) => rows.find((r) => r.status === s);
    const first = get('pending')?.oldest;
    return { pending: Number(get('pending')?.n ?? 0), failed: Number(get('failed')?.n ?? 0), oldestPendingAt: first == null ? null : Number(first) };
  },
  async countByStatus(db: Kysely<Database>, directoryId: string): Promise<Record<string, number>> {
    const rows = await db.selectFrom('directory_events').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('directory_id', '=', directoryId).groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  },
  /**
   * Removes delivered events (and their attempt logs) delivered before `before`. Walks delivered events in seq order
   * on the (status, seq) index, `batch` rows a read, and deletes the read rows past retention with two autocommit
   * DELETEs by key: no long transaction, locks held for one statement and taken in key order, so two instances
   * sweeping at once wait rather than deadlock, and a row deleted twice is a no-op. The DELETE repeats both
   * conditions. The walk ends at a short read or at the first event created at or after `before` (an event is
   * delivered after its creation, and seq follows creation; one appended out of order by a skewed clock waits for the
   * next sweep), so it never reads the retained outbox; it also ends after `budget.batches` reads (`done: false`),
   * yielding to the event loop between reads (on SQLite each statement blocks it), with the seq to go on `from`
   * (`next`): events kept within retention at the head of the walk are then not read again. Decision 0063.
   */
  async deleteDeliveredBefore(db: Kysely<Database>, dialect: DialectName, before: number, budget: { batch?: number; batches?: number; from?: number } = {}): Promise<{ deleted: number; done: boolean; next: number }> {
    const batch = budget.batch ?? (traitsOf(dialect).name === 'sqlite' ? SWEEP_BATCH_SQLITE : SWEEP_BATCH);
    let deleted = 0;
    let after = budget.from ?? 0;
    for (let b = 0; b < (budget.batches ?? SWEEP_BATCHES); b++) {
      const read = await db.selectFrom('directory_events').select(['seq', 'id', 'delivered_at', 'created_at'])
        .where('status', '=', 'delivered').where('seq', '>', after).orderBy('seq').limit(batch).execute();
      const old = read.filter((r) => r.delivered_at != null && Number(r.delivered_at) < before);
      if (old.length > 0) {
        deleted += await retryOnDeadlock(async () => {
          await db.deleteFrom('directory_event_attempts').where('event_id', 'in', old.map((r) => r.id)).execute();
          const r = await db.deleteFrom('directory_events').where('seq', 'in', old.map((r) => r.seq)).where('status', '=', 'delivered').where('delivered_at', '<', before).executeTakeFirst();
          return Number(r.numDeletedRows);
        }, { attempts: 5, backoffMs: (attempt) => attempt * 10 });
      }
      if (read.length < batch || read.some((r) => Number(r.created_at) >= before)) return { deleted, done: true, next: 0 };
      after = Number(read[read.length - 1]!.seq);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { deleted, done: false, next: after };
  },
};

const attemptKey = (a: { event_id: string; attempt: number; created_at: number }) => `${a.event_id}\u0000${a.attempt}\u0000${Number(a.created_at)}`;

/** The attempts not stored yet: an attempt is its event, its number and its time (to the ms), which no other try shares. */
async function unstored(trx: Kysely<Database>, attempts: NewDirectoryEventAttempt[]): Promise<NewDirectoryEventAttempt[]> {
  const ids = [...new Set(attempts.map((a) => a.event_id))];
  const stored = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx.selectFrom('directory_event_attempts').select(['event_id', 'attempt', 'created_at']).where('event_id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) stored.add(attemptKey(r));
  }
  return attempts.filter((a) => !stored.has(attemptKey(a)));
}

async function settleOnce(db: Kysely<Database>, claimId: string, outcomes: DeliveryOutcome[], attempts: NewDirectoryEventAttempt[], again: boolean): Promise<number> {
  return db.transaction().setIsolationLevel('read committed').execute(async (trx) => {
    let applied = 0;
    // Deliveries are the common case: one statement per answer status, whatever the batch size.
    const delivered = new Map<number, { at: number; seqs: number[] }>();
    for (const o of outcomes) {
      if (o.result !== 'delivered') continue;
      const g = delivered.get(o.status) ?? { at: 0, seqs: [] };
      g.at = Math.max(g.at, o.at);
      g.seqs.push(o.seq);
      delivered.set(o.status, g);
    }
    for (const [status, g] of delivered) {
      for (let i = 0; i < g.seqs.length; i += 500) {
        const r = await trx.updateTable('directory_events').where('seq', 'in', g.seqs.slice(i, i + 500)).where('lease_owner', '=', claimId)
          .set((eb) => ({ status: 'delivered', delivered_at: g.at, last_status: status, last_error: null, attempts: eb('attempts', '+', 1), lease_owner: null, lease_until: null })).executeTakeFirst();
        applied += Number(r.numUpdatedRows);
      }
    }
    for (const o of outcomes) {
      if (o.result === 'delivered') continue;
      const q = trx.updateTable('directory_events').where('seq', '=', o.seq).where('lease_owner', '=', claimId);
      const r =
        o.result === 'retry' ? await q.set((eb) => ({ next_attempt_at: o.nextAttemptAt, last_status: o.status, last_error: o.error, attempts: eb('attempts', '+', 1), lease_owner: null, lease_until: null })).executeTakeFirst()
        : o.result === 'failed' ? await q.set((eb) => ({ status: 'failed', last_status: o.status, last_error: o.error, attempts: eb('attempts', '+', 1), lease_owner: null, lease_until: null })).executeTakeFirst()
        : await q.set({ lease_owner: null, lease_until: null }).executeTakeFirst();
      applied += Number(r.numUpdatedRows);
    }
    const rows = again && attempts.length ? await unstored(trx, attempts) : attempts;
    for (let i = 0; i < rows.length; i += 200) await trx.insertInto('directory_event_attempts').values(rows.slice(i, i + 200)).execute();
    return applied;
  });
}

