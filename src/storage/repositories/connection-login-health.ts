/**
 * Per-connection sign-in outcomes for `connection.login_failures` (docs/decisions/0018-vendor-event-stream.md):
 * counts per minute and outcome, added by one atomic upsert, refusals since the last success, and the episode state, whose opening is one
 * conditional UPDATE, so exactly one instance opens (and announces) an episode.
 */
import { sql, type Kysely, type QueryCreator } from 'kysely';
import type { Database } from '../schema.ts';
import { isUniqueViolation, retryOnDeadlock, traitsOf, type DialectName } from '../dialect.ts';
import { prepared } from '../prepared.ts';

type Db = Kysely<Database>;

export interface LoginHealth {
  lastSuccessAt: number | null;
  failuresSinceSuccess: number;
  failingSince: number | null;
}

/** The minute a sign-in is counted in (the counts' key). */
export const loginMinuteOf = (ms: number): number => Math.floor(ms / 60_000);

const successRows = (connectionId: string, minute: number, now: number) => ({
  count: { connection_id: connectionId, minute, outcome: 'ok', n: 1 },
  health: { connection_id: connectionId, last_success_at: now, failures_since_success: 0, failing_since: null },
  set: { last_success_at: now, failures_since_success: 0, failing_since: null },
});

/**
 * An outcome's count upsert and a success's health upsert, compiled once per dialect (storage/prepared.ts): a sign-in
 * runs them outside PostgreSQL (there the success's are CTEs of its statement) and every refusal runs the count, and
 * Kysely built both on every call. The same SQL as built per call (test/storage/prepared-login-conformance.test.ts).
 */
const upsertsFor = (dialect: DialectName) => ({
  count: prepared<{ connectionId: string; minute: number; outcome: string }, never>(['connectionId', 'minute', 'outcome'], (db, v) => {
    const q = db.insertInto('connection_login_counts').values({ connection_id: v.connectionId, minute: v.minute, outcome: v.outcome, n: 1 });
    return dialect === 'mysql' ? q.onDuplicateKeyUpdate({ n: sql`n + 1` }) : q.onConflict((oc) => oc.columns(['connection_id', 'minute', 'outcome']).doUpdateSet({ n: sql`connection_login_counts.n + 1` }));
  }),
  health: prepared<{ connectionId: string; now: number }, never>(['connectionId', 'now'], (db, v) => {
    const { health, set } = successRows(v.connectionId, 0, v.now);
    const q = db.insertInto('connection_login_health').values(health);
    return dialect === 'mysql' ? q.onDuplicateKeyUpdate(set) : q.onConflict((oc) => oc.column('connection_id').doUpdateSet(set));
  }),
});
const UPSERTS = { sqlite: upsertsFor('sqlite'), mysql: upsertsFor('mysql'), postgres: upsertsFor('postgres') };

/** Runs a small write in a transaction of its own where the dialect group-commits (SQLite), as rate-limits.ts does. */
const write = <T>(db: Db, dialect: DialectName, fn: (db: Db) => Promise<T>): Promise<T> => (traitsOf(dialect).groupCommit && !db.isTransaction ? db.transaction().execute(fn) : fn(db));

export const connectionLoginHealthRepo = {
  /** Runs a sign-in's few writes as one transaction on SQLite (one group-commit entry), as plain statements elsewhere. */
  batch: write,

  /** Adds one outcome ('ok' or an error code) to the connection's count for `minute`. */
  async count(db: Db, dialect: DialectName, connectionId: string, minute: number, outcome: string): Promise<void> {
    const upsert = (d: Db) => UPSERTS[dialect].count.rows(d, { connectionId, minute, outcome });
    // Concurrent upserts of one new row can deadlock on InnoDB; a lone statement is simply run again.
    if (db.isTransaction) await upsert(db);
    else await retryOnDeadlock(() => write(db, dialect, upsert), { attempts: 3, backoffMs: (n) => n * 5 });
  },

  /**
   * A successful sign-in, counted and remembered (it ends any failing episode): one statement on PostgreSQL (the
   * count's upsert is a data-modifying CTE of the health upsert), two upserts in one group-commit transaction on
   * SQLite, two upserts on MySQL/MariaDB, which has neither RETURNING nor data-modifying CTEs (decision 0039).
   */
  async recordSuccess(db: Db, dialect: DialectName, connectionId: string, minute: number, now: number): Promise<void> {
    const { count, health, set } = successRows(connectionId, minute, now);
    if (dialect === 'postgres') {
      const run = () => db
        .with('counted', (d) => d.insertInto('connection_login_counts').values(count)
          .onConflict((oc) => oc.columns(['connection_id', 'minute', 'outcome']).doUpdateSet({ n: sql`connection_login_counts.n + 1` }))
          .returning('n'))
        .insertInto('connection_login_health').values(health)
        .onConflict((oc) => oc.column('connection_id').doUpdateSet(set))
        .execute();
      await retryOnDeadlock(run, { attempts: 3, backoffMs: (n) => n * 5 });
      return;
    }
    const countOk = (d: Db) => UPSERTS[dialect].count.rows(d, { connectionId, minute, outcome: 'ok' });
    const upsertHealth = (d: Db) => UPSERTS[dialect].health.rows(d, { connectionId, now });
    if (db.isTransaction || traitsOf(dialect).groupCommit) {
      await write(db, dialect, async (d) => {
        await countOk(d);
        await upsertHealth(d);
      });
      return;
    }
    // Concurrent upserts of one new row can deadlock on InnoDB; a lone statement is simply run again.
    await retryOnDeadlock(() => countOk(db), { attempts: 3, backoffMs: (n) => n * 5 });
    await retryOnDeadlock(() => upsertHealth(db), { attempts: 3, backoffMs: (n) => n * 5 });
  },

  /**
   * `recordSuccess` on PostgreSQL as two data-modifying CTEs added to another statement (`q`, a query creator
   * holding that statement's CTEs): a sign-in's code and its count in one statement (oauth.ts#insertWithSession, decision 0042).
   */
  withSuccess<Q>(q: Q, s: { connectionId: string; now: number }): Q {
    const { count, health, set } = successRows(s.connectionId, loginMinuteOf(s.now), s.now);
    return (q as unknown as QueryCreator<Database>)
      .with('counted', (d) => d.insertInto('connection_login_counts').values(count)
        .onConflict((oc) => oc.columns(['connection_id', 'minute', 'outcome']).doUpdateSet({ n: sql`connection_login_counts.n + 1` }))
        .returning('n'))
      .with('health', (d) => d.insertInto('connection_login_health').values(health)
        .onConflict((oc) => oc.column('connection_id').doUpdateSet(set))
        .returning('connection_id')) as unknown as Q;
  },

  /** Outcomes of the connection from `sinceMinute` on, summed by outcome. */
  async window(db: Db, connectionId: string, sinceMinute: number): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('connection_login_counts')
      .select(['outcome', (eb) => eb.fn.sum<number>('n').as('n')])
      .where('connection_id', '=', connectionId)
      .where('minute', '>=', sinceMinute)
      .groupBy('outcome')
      .execute();
    return new Map(rows.map((r) => [r.outcome, Number(r.n)]));
  },

  async get(db: Db, connectionId: string): Promise<LoginHealth> {
    const r = await db.selectFrom('connection_login_health').selectAll().where('connection_id', '=', connectionId).executeTakeFirst();
    return { lastSuccessAt: r?.last_success_at == null ? null : Number(r.last_success_at), failuresSinceSuccess: Number(r?.failures_since_success ?? 0), failingSince: r?.failing_since == null ? null : Number(r.failing_since) };
  },

  /** A refusal of a connection that has succeeded before (no row: never seen working, nothing to count). */
  async failed(db: Db, dialect: DialectName, connectionId: string): Promise<void> {
    await write(db, dialect, (d) => d.updateTable('connection_login_health').set((eb) => ({ failures_since_success: eb('failures_since_success', '+', 1) })).where('connection_id', '=', connectionId).execute());
  },

  /** A success: remembered, and it ends any failing episode. */
  async succeeded(db: Db, dialect: DialectName, connectionId: string, now: number): Promise<void> {
    await write(db, dialect, async (d) => {
      const set = { last_success_at: now, failures_since_success: 0, failing_since: null };
      const r = await d.updateTable('connection_login_health').set(set).where('connection_id', '=', connectionId).executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) return;
      try {
        await d.insertInto('connection_login_health').values({ connection_id: connectionId, ...set }).execute();
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        await d.updateTable('connection_login_health').set(set).where('connection_id', '=', connectionId).execute();
      }
    });
  },

  /** Opens a failing episode unless one is open; true for the one caller that opened it. */
  async openEpisode(db: Db, dialect: DialectName, connectionId: string, now: number): Promise<boolean> {
    return write(db, dialect, async (d) => {
      const r = await d.updateTable('connection_login_health').set({ failing_since: now }).where('connection_id', '=', connectionId).where('failing_since', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    });
  },

  /** Counts older than `beforeMinute` are outside every window. */
  async deleteCountsBefore(db: Db, beforeMinute: number): Promise<number> {
    const r = await db.deleteFrom('connection_login_counts').where('minute', '<', beforeMinute).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
