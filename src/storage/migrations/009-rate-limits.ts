/**
 * 009 — rate-limit counters shared by every instance (docs/decisions/0405-shared-rate-limits.md): one row
 * per limiter key and window, counted with one atomic upsert; rows whose window has ended are deleted by the
 * sweep (reset_at index).
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const rateLimits = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('rate_limits')
      .addColumn('limiter_key', t.key, (c) => c.primaryKey())
      .addColumn('hits', 'bigint', (c) => c.notNull())
      .addColumn('reset_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rate_limits_reset_at').on('rate_limits').column('reset_at').execute();
  },
});
