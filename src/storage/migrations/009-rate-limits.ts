/**
 * 009 — rate-limit counters shared by every instance (docs/decisions/0405-shared-rate-limits.md): one row
 * per limiter key and window, counted with one atomic upsert; rows whose window has ended are deleted by the
 * sweep (reset_at index).
 *
 * On PostgreSQL the table is UNLOGGED: a counter's commit then waits for no WAL flush (an autocommitted
 * upsert otherwise waits for one fsync, milliseconds on an ordinary disk), at the price of the counters
 * being emptied after a crash and not copied to standbys. Losing a minute's counts is acceptable for rate
 * limits; a fsync per sign-in attempt or per setup-link request is not.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const rateLimits = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    const table = db.schema.createTable('rate_limits');
    await (t.name === 'postgres' ? table.modifyFront(sql`unlogged`) : table)
      .addColumn('limiter_key', t.key, (c) => c.primaryKey())
      .addColumn('hits', 'bigint', (c) => c.notNull())
      .addColumn('reset_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rate_limits_reset_at').on('rate_limits').column('reset_at').execute();
  },
});
