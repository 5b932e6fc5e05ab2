/**
 * Rate-limit counters shared by every instance: one row per limiter key, counted by one atomic upsert that
 * starts a new window when the stored one has ended (the same window rule as @fastify/rate-limit's local
 * and Redis stores: a window starts at its first request).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { traitsOf, type DialectName } from '../dialect.ts';

export interface WindowCount {
  /** Requests counted in the window, this one (or this reservation) included. */
  hits: number;
  /** When the window ends (epoch ms). */
  resetAt: number;
}

type Db = Kysely<Database>;

/** PostgreSQL and SQLite: INSERT … ON CONFLICT DO UPDATE … RETURNING, where every SET reads the old row. */
function upsertReturning(db: Db, key: string, amount: number, windowMs: number, now: number) {
  return db
    .insertInto('rate_limits')
    .values({ limiter_key: key, hits: amount, reset_at: now + windowMs })
    .onConflict((oc) =>
      oc.column('limiter_key').doUpdateSet({
        hits: sql`case when rate_limits.reset_at <= ${now} then excluded.hits else rate_limits.hits + excluded.hits end`,
        reset_at: sql`case when rate_limits.reset_at <= ${now} then excluded.reset_at else rate_limits.reset_at end`,
      }),
    )
    .returning(['hits', 'reset_at'])
    .executeTakeFirstOrThrow();
}

/**
 * MySQL/MariaDB: ON DUPLICATE KEY UPDATE (assignments run left to right, so `hits` is set before `reset_at`
 * changes), then the row is read back in the same transaction, under the row lock the upsert took.
 */
async function upsertThenRead(db: Db, key: string, amount: number, windowMs: number, now: number) {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('rate_limits')
      .values({ limiter_key: key, hits: amount, reset_at: now + windowMs })
      .onDuplicateKeyUpdate({
        hits: sql`if(reset_at <= ${now}, values(hits), hits + values(hits))`,
        reset_at: sql`if(reset_at <= ${now}, values(reset_at), reset_at)`,
      })
      .execute();
    return trx.selectFrom('rate_limits').select(['hits', 'reset_at']).where('limiter_key', '=', key).executeTakeFirstOrThrow();
  });
}

export const rateLimitsRepo = {
  /** Adds `amount` to the key's window (a new window of `windowMs` if the last one ended) and returns the count. */
  async add(db: Db, dialect: DialectName, key: string, amount: number, windowMs: number, now: number): Promise<WindowCount> {
    const traits = traitsOf(dialect);
    const row =
      !traits.returning
        ? await upsertThenRead(db, key, amount, windowMs, now)
        : traits.groupCommit
          ? // Inside a transaction it joins SQLite's group commit (src/storage/sqlite-driver.ts); on its own it
            // would force the group's COMMIT first and take group commit away from the request behind it.
            await db.transaction().execute((trx) => upsertReturning(trx, key, amount, windowMs, now))
          : await upsertReturning(db, key, amount, windowMs, now);
    return { hits: Number(row.hits), resetAt: Number(row.reset_at) };
  },
  /** Windows that ended: their rows are no longer needed (a missing row is a fresh window). */
  async deleteExpired(db: Db, now: number): Promise<number> {
    const r = await db.deleteFrom('rate_limits').where('reset_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
