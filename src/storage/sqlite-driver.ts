/**
 * Kysely's SQLite driver, with group commit and reused prepared statements.
 *
 * SQLite has one connection and one writer, so Kysely runs transactions one after another; each COMMIT
 * appends every page it touched to the WAL (two writes per page), which measured ~85–130 µs per commit:
 * most of a SCIM create. Here a transaction runs as a SAVEPOINT inside a shared outer transaction, and
 * the outer COMMIT is made once for everything that finished meanwhile ("group commit"):
 *   - a transaction's `commit` releases its savepoint, then waits for the outer COMMIT before it
 *     resolves, so a caller still answers only once its change is committed; the connection is handed to
 *     the next transaction while it waits;
 *   - the outer COMMIT happens at the end of the event loop's current turn (setImmediate), so the
 *     transactions of requests handled in the same turn share it, or at once when 32 wait for it;
 *   - but a transaction alone (nobody in line, nobody else in its group) while writes arrive one at a time
 *     commits at once, without waiting a turn that nobody would use (decision 0036): "one at a time" holds
 *     until a transaction begins in the same turn as such a commit (others are in flight: wait turns
 *     again), and holds again once a turn's wait gathered no one;
 *   - a rollback undoes its own savepoint only; the others' work stays;
 *   - a statement outside a transaction first commits the group, then runs on its own, so it never reads
 *     or writes uncommitted work;
 *   - if the outer COMMIT fails, or SQLite rolls back the outer transaction itself (I/O error, disk
 *     full), every transaction of the group fails with that error: nothing is reported as committed
 *     that was not.
 * Prepared statements are kept by SQL text (Kysely prepares every query anew); better-sqlite3 is
 * synchronous and nothing here streams, so a cached statement is never busy when it is reused.
 *
 * A `limit ?` is sent with its value written in (limit-literals.ts, decision 0053): SQLite plans LIMIT with the
 * value bound to it, so binding that parameter expires the statement and better-sqlite3, which binds every
 * parameter on every run, had SQLite prepare it again each time (~20–50 µs a run; a statement with a literal
 * LIMIT stays prepared). Such statements are kept apart, in a smaller cache, as their text varies with the value.
 */
import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult, type SqliteDialectConfig } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { LimitLiterals } from './limit-literals.ts';

const SAVEPOINT = 'gatehouse_txn';
const MAX_GROUP = 32;
const MAX_CACHED_STATEMENTS = 1000;
const CACHEABLE = /^\s*(select|insert|update|delete|with|begin|commit|rollback|savepoint|release)\b/i;

type Statement = ReturnType<BetterSqlite3.Database['prepare']>;

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/** One use of the connection, from acquireConnection to releaseConnection. */
class Lease implements DatabaseConnection {
  released = false;
  inTransaction = false;
  constructor(private readonly driver: GroupCommitSqliteDriver) {}
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, query);
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not used by Gatehouse.');
  }
}

export class GroupCommitSqliteDriver implements Driver {
  readonly #statements = new Map<string, Statement>();
  readonly #limits = new LimitLiterals();
  readonly #queue: (() => void)[] = [];
  #locked = false;
  #outerOpen = false;
  #commitScheduled = false;
  #commitDue = false;
  /** Writes arrive together: a lone transaction waits a turn for others (else it commits at once). */
  #together = true;
  /** A lone transaction committed at once in this turn of the event loop. */
  #committedAloneThisTurn = false;
  #waiters: Waiter[] = [];
  /** Transactions committed and outer COMMITs made (tests, benchmarks). */
  readonly stats = { transactions: 0, commits: 0 };

  constructor(private readonly db: BetterSqlite3.Database) {}

  async init(): Promise<void> {}

  #statement(sql: string): Statement {
    if (!CACHEABLE.test(sql)) return this.db.prepare(sql);
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) this.#statements.clear();
      stmt = this.db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  #run(sql: string): void {
    (this.#statement(sql) as unknown as { run(): unknown }).run();
  }

  #prepared(query: CompiledQuery): { stmt: Statement; params: unknown[] } {
    const inlined = this.#limits.inline(query.sql, query.parameters);
    const stmt = inlined ? this.#limits.statement(inlined.sql, (sql) => this.db.prepare(sql)) : this.#statement(query.sql);
    return { stmt, params: (inlined ? inlined.parameters : query.parameters) as unknown[] };
  }

  /**
   * A statement that returns rows (a read, or a write with RETURNING) outside any transaction, run at once when the
   * connection is free: what acquiring it, `execute` and releasing it would do with nobody in line (the group is
   * committed first, so it never sees or joins uncommitted work), without Kysely's connection promises
   * (storage/prepared.ts). Null when the connection is held or the statement returns no rows: the caller then takes
   * Kysely's path (and waits its turn).
   */
  rowsNow<R>(query: CompiledQuery): R[] | null {
    if (this.#locked) return null;
    this.#commitGroup();
    const { stmt, params } = this.#prepared(query);
    return stmt.reader ? (stmt.all(params) as R[]) : null;
  }

  async execute<R>(lease: Lease, query: CompiledQuery): Promise<QueryResult<R>> {
    if (!lease.inTransaction) this.#commitGroup(); // on its own: never sees or joins uncommitted work
    try {
      const { stmt, params } = this.#prepared(query);
      if (stmt.reader) return { rows: stmt.all(params) as R[] };
      const { changes, lastInsertRowid } = stmt.run(params);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    } catch (err) {
      this.#checkOuterSurvived(err);
      throw err;
    }
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return new Promise((resolve) => {
      const grant = () => {
        this.#locked = true;
        resolve(new Lease(this));
      };
      if (this.#locked) this.#queue.push(grant);
      else grant();
    });
  }

  /**
   * Hands the connection to the next in line. The group is committed first when it is full or its
   * commit is due; when no one is in line, the commit is scheduled for the end of this turn of the event
   * loop, so transactions of requests being handled in the same turn join the group.
   */
  #unlock(): void {
    if (this.#commitDue || this.#waiters.length >= MAX_GROUP) this.#commitGroup();
    const next = this.#queue.shift();
    if (next) return next();
    this.#locked = false;
    if (!this.#outerOpen) return;
    if (!this.#together && this.#waiters.length === 1 && !this.#commitScheduled) this.#commitAlone();
    else this.#scheduleCommit();
  }

  /** Commits a lone transaction now, and notes the turn so that a second transaction in it is noticed. */
  #commitAlone(): void {
    this.#commitGroup();
    if (this.#committedAloneThisTurn) return;
    this.#committedAloneThisTurn = true;
    setImmediate(() => (this.#committedAloneThisTurn = false));
  }

  #scheduleCommit(): void {
    if (this.#commitScheduled) return;
    this.#commitScheduled = true;
    setImmediate(() => {
      this.#commitScheduled = false;
      if (!this.#outerOpen) return;
      // Nobody joined during the turn's wait: writes are arriving one at a time.
      if (this.#waiters.length <= 1 && !this.#locked) this.#together = false;
      if (this.#locked) this.#commitDue = true; // whoever holds the connection commits when it hands it on
      else this.#commitGroup();
    });
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.released) return; // handed on early by commitTransaction
    lease.released = true;
    this.#unlock();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#committedAloneThisTurn) this.#together = true; // another write in the turn of a lone commit
    if (!this.#outerOpen) {
      this.#run('begin');
      this.#outerOpen = true;
    }
    this.#run(`savepoint ${SAVEPOINT}`);
    (connection as Lease).inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    try {
      this.#run(`release ${SAVEPOINT}`);
    } catch (err) {
      this.#checkOuterSurvived(err);
      throw err;
    }
    lease.inTransaction = false;
    const committed = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    lease.released = true;
    this.#unlock();
    await committed;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    // Its group's COMMIT failed after the connection was handed on: the group is already failed, and the
    // connection now belongs to another transaction.
    if (lease.released) return;
    lease.inTransaction = false;
    if (!this.db.inTransaction) {
      this.#failGroup(new Error('SQLite rolled back the transaction group'));
      return;
    }
    this.#run(`rollback to ${SAVEPOINT}`);
    this.#run(`release ${SAVEPOINT}`);
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to "${name}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release "${name}"`));
  }

  async destroy(): Promise<void> {
    this.#commitGroup();
    this.db.close();
  }

  /** The outer COMMIT: every waiting transaction resolves, or all fail together. */
  #commitGroup(): void {
    this.#commitDue = false;
    if (!this.#outerOpen) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#outerOpen = false;
    try {
      this.#run('commit');
      this.stats.commits++;
      this.stats.transactions += waiters.length;
    } catch (err) {
      if (this.db.inTransaction) this.#run('rollback');
      for (const w of waiters) w.reject(err);
      return;
    }
    for (const w of waiters) w.resolve();
  }

  /** After a failed statement: if SQLite ended the outer transaction itself, the whole group is lost. */
  #checkOuterSurvived(err: unknown): void {
    if (this.#outerOpen && !this.db.inTransaction) this.#failGroup(err);
  }

  #failGroup(err: unknown): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#outerOpen = false;
    for (const w of waiters) w.reject(err);
  }
}

/** Root Kysely instances on a GroupCommitSqliteDriver, with the statement counter Kysely's `log` feeds (dialect.ts). */
const directReaders = new WeakMap<object, { driver: GroupCommitSqliteDriver; counted: (sql: string) => void }>();

/** Lets `rowsNowOn` run statements that return rows on `db` (a root instance, never a transaction) on `driver` directly. */
export function allowDirectStatements(db: object, driver: GroupCommitSqliteDriver, counted: (sql: string) => void): void {
  directReaders.set(db, { driver, counted });
}

/**
 * Runs a compiled statement that returns rows (a read, or a write with RETURNING) at once when `db` is a root SQLite instance whose connection is free (`rowsNow`), counted as
 * Kysely's `log` counts it; null otherwise (a transaction, another dialect, the connection held).
 */
export function rowsNowOn<R>(db: object, query: CompiledQuery): R[] | null {
  const direct = directReaders.get(db);
  if (!direct) return null;
  const rows = direct.driver.rowsNow<R>(query);
  if (rows) direct.counted(query.sql);
  return rows;
}

/** SqliteDialect with the driver above. */
export class GroupCommitSqliteDialect extends SqliteDialect {
  constructor(private readonly database: BetterSqlite3.Database) {
    super({ database } as SqliteDialectConfig);
  }

  /** The driver Kysely created (tests and benchmarks read its stats). */
  driver: GroupCommitSqliteDriver | undefined;

  override createDriver(): Driver {
    return (this.driver = new GroupCommitSqliteDriver(this.database));
  }
}
