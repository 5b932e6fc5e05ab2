/**
 * 010 — the hourly budget of SSO traces (issue 11, finding 4): one row per bucket (a connection, an IdP
 * entity ID, or the one bucket of posts that matched nothing) and hour, counting the traces stored and
 * their bytes. Every instance takes from the same row, so N instances do not get N budgets.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const traceCaps = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('sso_trace_budgets')
      .addColumn('bucket', t.key, (c) => c.notNull())
      .addColumn('hour', 'bigint', (c) => c.notNull())
      .addColumn('traces', 'integer', (c) => c.notNull())
      .addColumn('bytes', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sso_trace_budgets_pk', ['bucket', 'hour'])
      .execute();
    await db.schema.createIndex('sso_trace_budgets_hour').on('sso_trace_budgets').column('hour').execute();
  },
});
