/**
 * The dialect table: the few places SQLite, PostgreSQL and MySQL/MariaDB differ. Everything else
 * is written once with Kysely.
 */
import { Kysely, MysqlDialect, PostgresDialect, sql, type LogEvent, type RawBuilder } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from './schema.ts';
import { startSqliteCheckpoints, type CheckpointHost } from './sqlite-checkpoints.ts';
import { ANALYSIS_LIMIT_PRAGMA } from './sqlite-statistics.ts';
import { allowDirectStatements, GroupCommitSqliteDialect } from './sqlite-driver.ts';
import { MYSQL_JSON, POSTGRES_JSON, SQLITE_JSON, type JsonOperators } from './dialect-json.ts';
import { lazyRequire } from '../lazy-require.ts';
import { nameStatementsOf, namedStatementTable, type PgClientLike } from './pg-named-statements.ts';

/** Loaded only by deployments on MySQL/MariaDB (src/lazy-require.ts). */
const mysqlDriver = lazyRequire<typeof import('mysql2')>('mysql2');

export type DialectName = 'sqlite' | 'postgres' | 'mysql';

export interface DialectTraits {
  name: DialectName;
  /** Indexable short string. */
  key: RawBuilder<unknown>;
  /** Unbounded text (MySQL TEXT stops at 64 KiB, so MEDIUMTEXT there). */
  text: RawBuilder<unknown>;
  /** `SELECT … FOR UPDATE` exists (not on SQLite, whose one writer already serialises transactions). */
  rowLocks: boolean;
  /** `INSERT/UPDATE … RETURNING` exists (not on MySQL/MariaDB: the rows are read back). */
  returning: boolean;
  /**
   * Several writes can be one statement, atomic without BEGIN and COMMIT (PostgreSQL's data-modifying `WITH`): a SCIM
   * change and its outbox rows then cost one round trip (decision 0045). Not SQLite or MySQL/MariaDB.
   */
  writesInOneStatement: boolean;
  /** `FROM t FORCE INDEX (i)` exists (MySQL/MariaDB), for plans its statistics get wrong. */
  indexHints: boolean;
  /**
   * Writes group-commit inside transactions (SQLite, src/storage/sqlite-driver.ts): a lone write outside one
   * forces the group's COMMIT first, so small writes are wrapped in a transaction of their own.
   */
  groupCommit: boolean;
  /** Reading a stored JSON document in a WHERE clause (SCIM filters). */
  json: JsonOperators;
}

const TRAITS: Readonly<Record<DialectName, DialectTraits>> = {
  sqlite: { name: 'sqlite', key: sql`varchar(191)`, text: sql`text`, rowLocks: false, returning: true, writesInOneStatement: false, indexHints: false, groupCommit: true, json: SQLITE_JSON },
  postgres: { name: 'postgres', key: sql`varchar(191)`, text: sql`text`, rowLocks: true, returning: true, writesInOneStatement: true, indexHints: false, groupCommit: false, json: POSTGRES_JSON },
  mysql: { name: 'mysql', key: sql`varchar(191)`, text: sql`mediumtext`, rowLocks: true, returning: false, writesInOneStatement: false, indexHints: true, groupCommit: false, json: MYSQL_JSON },
};

/** The dialect table's row for `name` (a constant: cheap on hot paths). */
export const traitsOf = (name: DialectName): DialectTraits => TRAITS[name];

/** `q FOR UPDATE` where the dialect has row locks; `q` unchanged on SQLite. */
export const forUpdate = <Q extends { forUpdate(): Q }>(q: Q, dialect: DialectName): Q => (TRAITS[dialect].rowLocks ? q.forUpdate() : q);

/** A deadlock or serialization failure (InnoDB, PostgreSQL): the transaction was rolled back whole and may simply run again. */
function isDeadlock(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  return !!e && (e.code === 'ER_LOCK_DEADLOCK' || e.errno === 1213 || e.code === '40P01' || e.code === '40001');
}

/**
 * Runs `fn` (a whole transaction) again when the database picked it as a deadlock victim, up to `attempts`
 * times, waiting `backoffMs(attempt)` between runs. Any other error, or the last deadlock, is thrown.
 */
export async function retryOnDeadlock<T>(fn: () => Promise<T>, opts: { attempts: number; backoffMs: (attempt: number) => number }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= opts.attempts || !isDeadlock(err)) throw err;
      await new Promise((r) => setTimeout(r, opts.backoffMs(attempt)));
    }
  }
}

export function dialectOf(url: string): DialectName {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  return 'mysql';
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
  /**
   * SQLite files only: moves WAL checkpoints (page copies and the fsync) to a worker thread, off the
   * request path (src/storage/sqlite-checkpoints.ts). The server calls it; tests and the CLI do not need it.
   */
  startBackgroundCheckpoints?(opts: { intervalMs: number; onProblem: (message: string) => void; host?: CheckpointHost | null }): { stop(): Promise<void> };
  /** Connections of the pool (PostgreSQL/MySQL), for /metrics; null on SQLite. */
  poolStats(): PoolStats | null;
  /**
   * Statements sent to the database since it was opened (BEGIN and COMMIT included): on PostgreSQL and MySQL each
   * is one network round trip. /metrics exposes it; bench/ counts a login's with it (decision 0039).
   */
  statements: StatementCounter;
}

/** A running count of statements, and an optional tap that sees each one's SQL (benchmarks; never set in production). */
export interface StatementCounter {
  count: number;
  tap: ((sql: string) => void) | null;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** Opens a Kysely instance for DATABASE_URL. Drivers load lazily so SQLite users never load pg/mysql2. */
export async function openDatabase(url: string, poolSize = 10, opts: { preparedStatements?: boolean } = {}): Promise<OpenedDatabase> {
  const dialect = dialectOf(url);
  const statements: StatementCounter = { count: 0, tap: null };
  // Kysely calls `log` once per statement executed on a connection, transaction control included.
  const counted = (sql: string) => {
    statements.count++;
    statements.tap?.(sql);
  };
  const log = (event: LogEvent) => counted(event.query.sql);
  let kysely: Kysely<Database>;
  let poolStats = (): PoolStats | null => null;
  if (dialect === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const database = new SQLite(file);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    database.pragma(ANALYSIS_LIMIT_PRAGMA); // the planner's statistics are sampled (sqlite-statistics.ts)
    // Group commit and reused prepared statements (src/storage/sqlite-driver.ts).
    const sqliteDialect = new GroupCommitSqliteDialect(database);
    kysely = new Kysely<Database>({ dialect: sqliteDialect, log });
    // Compiled-once reads outside transactions skip Kysely's connection promises when the connection is free (prepared.ts).
    allowDirectStatements(kysely, sqliteDialect.driver!, counted);
    if (file !== ':memory:') {
      const db = kysely;
      return { db, dialect, close: () => db.destroy(), poolStats, statements, startBackgroundCheckpoints: (opts) => startSqliteCheckpoints(database, file, opts) };
    }
  } else if (dialect === 'postgres') {
    const pg = (await import('pg')).default;
    pg.types.setTypeParser(20, (v: string) => Number(v)); // BIGINT epoch ms fits in a double
    // Fail fast when the server is away: a refused connect errors at once, a silent one after 5 s; a query
    // on a connection that died without a reset gives up after query_timeout (TCP keepalive notices first).
    const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000, statement_timeout: 15000, query_timeout: 20000, keepAlive: true } as never);
    pool.on('error', () => {}); // idle client errors are surfaced on the next query instead
    // A checked-out client (inside a transaction, between two queries) that loses its server — a restart,
    // a failover, "terminating connection due to administrator command" — emits 'error' with no listener,
    // which would crash the process. Its next query fails instead (→ 503) and the pool drops it on release.
    // Statements are prepared once per connection (src/storage/pg-named-statements.ts, decision 0048) unless the
    // operator turns it off (a pooler in transaction mode that does not track prepared statements).
    const names = opts.preparedStatements === false ? null : namedStatementTable();
    pool.on('connect', (client: PgClientLike & { on(event: 'error', fn: () => void): void }) => {
      client.on('error', () => {});
      if (names) nameStatementsOf(client, names);
    });
    kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
    poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: poolSize });
  } else {
    const mysql = mysqlDriver();
    const pool = mysql.createPool({ uri: url.replace(/^mariadb:/, 'mysql:'), connectionLimit: poolSize, supportBigNumbers: true, bigNumberStrings: false, connectTimeout: 5000 });
    kysely = new Kysely<Database>({ dialect: new MysqlDialect({ pool }), log });
    const internals = pool as unknown as { _allConnections?: { length: number }; _freeConnections?: { length: number }; _connectionQueue?: { length: number } };
    poolStats = () => ({ total: internals._allConnections?.length ?? 0, idle: internals._freeConnections?.length ?? 0, waiting: internals._connectionQueue?.length ?? 0, max: poolSize });
  }
  return { db: kysely, dialect, close: () => kysely.destroy(), poolStats, statements };
}

/** One round trip to the database (the readiness probe); throws when it cannot be reached. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** True when the error is a unique/primary-key violation on any dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  if (!e) return false;
  return e.code === '23505' || e.code === 'ER_DUP_ENTRY' || e.errno === 1062 || (typeof e.code === 'string' && /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test(e.code));
}

// Network failures, PostgreSQL's admin/crash shutdown and "cannot connect now" (starting up, shutting down), lost MySQL
// connections (what a MariaDB shutdown or KILL gives a query in flight), "Server shutdown in progress" (1053).
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'SQLITE_BUSY']);

/** True when the database cannot be reached (the caller answers 503 rather than 500). */
export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  return UNAVAILABLE_CODES.has(e.code ?? '') || /timeout exceeded when trying to connect|Connection terminated|Query read timeout|not queryable|connection is in closed state/i.test(e.message ?? '');
}
