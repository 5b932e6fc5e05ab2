/**
 * SQLite's planner statistics (`sqlite_stat1`), kept current as SQLite recommends for long-lived connections: with no
 * statistics the planner guesses, and it answered a deactivation's session lookup (tenant, product, and emails or
 * NameID keys) by reading every session of the tenant — 225 µs at 2,000 sessions and growing — where the email and
 * NameID indexes answer it directly (decision 0062). `PRAGMA optimize` analyses only the tables whose size has changed
 * a lot since they were last analysed (or never were), and `analysis_limit` bounds each ANALYZE to a sample, so a
 * round costs a few milliseconds when it has work and next to nothing when it has none. PostgreSQL and MySQL keep
 * their own statistics (autovacuum/ANALYZE, InnoDB's persistent stats).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Rows sampled per index by each ANALYZE (SQLite's documented range for this use is 100–1000). */
export const ANALYSIS_LIMIT = 400;

/** The connection's pragma for a sampled ANALYZE, set once when the file is opened. */
export const ANALYSIS_LIMIT_PRAGMA = `analysis_limit = ${ANALYSIS_LIMIT}`;

/**
 * Refreshes the statistics of every table that needs it (0x10002: all tables, not only those this connection used).
 * Through Kysely, so that it takes its turn with the group commit like any other statement.
 */
export async function refreshSqliteStatistics(db: Kysely<Database>): Promise<void> {
  await sql`pragma optimize = 0x10002`.execute(db);
}
