/**
 * Queries built and compiled once, run with new values (decision 0049). Kysely builds a query's operation tree
 * and compiles it to SQL on every call (~10–15 µs each, and its garbage, on the SCIM path); a hot named query whose
 * shape never changes is built once per dialect with a placeholder for each value, and each call only puts its
 * values in the compiled parameters. The SQL is the same text Kysely would send, so the driver's statement cache
 * and the statement counter see nothing new; plugins' result transforms still run (`executeQuery`). On SQLite, a statement
 * that returns rows (a read, or a write with RETURNING) on the root instance (not a transaction) whose connection is free runs at once on the driver (`rowsNowOn`, decision
 * 0062): the same statement, counted the same, without Kysely's connection promises (~5–10 µs a read); no plugin is
 * installed on that instance (a `withPlugin` copy is another instance and takes Kysely's path).
 *
 * Only for queries whose SQL does not depend on the values (no `in` lists of varying length, no optional clauses).
 */
import { createQueryId, type CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { rowsNowOn } from './sqlite-driver.ts';

/** A value's stand-in while the query is compiled: a string no caller can pass (it holds U+0000, which no column stores). */
const slot = (name: string) => `\u0000gatehouse-prepared:${name}\u0000`;

interface Compiled {
  query: CompiledQuery;
  /** For each parameter, the name of the value it takes, or null for a constant the builder put there itself. */
  names: (string | null)[];
}

export interface Prepared<V extends Record<string, unknown>, R> {
  /** Runs the query on `db` (the root instance or a transaction) with `values`; the rows as Kysely would return them. */
  rows(db: Kysely<Database>, values: V): Promise<R[]>;
  first(db: Kysely<Database>, values: V): Promise<R | undefined>;
  /**
   * Runs a data-changing statement; the number of rows it affected as the driver counts them: on MySQL/MariaDB the
   * rows its WHERE matched (mysql2 connects with FOUND_ROWS), elsewhere the rows changed. Equal for an UPDATE whose
   * WHERE excludes rows that already hold the new value (`redeemed_at is null`, say); use it only for such.
   */
  changed(db: Kysely<Database>, values: V): Promise<number>;
}

/**
 * `build` receives a placeholder for every value name it uses (`v.directoryId`) and returns the query; it is called
 * once per dialect (per Kysely adapter: transactions share their root's), never per call.
 */
export function prepared<V extends Record<string, unknown>, R>(names: readonly (keyof V & string)[], build: (db: Kysely<Database>, v: { [K in keyof V]: V[K] }) => Compilable<R>): Prepared<V, R> {
  const byAdapter = new WeakMap<object, Compiled>();
  const compiled = (db: Kysely<Database>): Compiled => {
    const adapter = db.getExecutor().adapter;
    let c = byAdapter.get(adapter);
    if (!c) {
      const slots = Object.fromEntries(names.map((n) => [n, slot(n)])) as unknown as { [K in keyof V]: V[K] };
      const query = build(db, slots).compile();
      const bySlot = new Map(names.map((n) => [slot(n), n]));
      c = { query, names: query.parameters.map((p) => (typeof p === 'string' ? bySlot.get(p) ?? null : null)) };
      for (const n of names) if (!c.names.includes(n)) throw new Error(`prepared query: the value ${n} is not a parameter of ${query.sql}`);
      byAdapter.set(adapter, c);
    }
    return c;
  };
  const bind = (c: Compiled, values: V): unknown[] => {
    const fixed = c.query.parameters;
    const parameters = new Array<unknown>(fixed.length);
    for (let i = 0; i < fixed.length; i++) {
      const n = c.names[i];
      parameters[i] = n === null ? fixed[i] : values[n];
    }
    return parameters;
  };
  const run = (db: Kysely<Database>, values: V) => {
    const c = compiled(db);
    return db.executeQuery<R>({ query: c.query.query, sql: c.query.sql, parameters: bind(c, values), queryId: createQueryId() });
  };
  const rows = async (db: Kysely<Database>, values: V): Promise<R[]> => {
    // On SQLite, outside a transaction and with the connection free: at once, without Kysely's connection promises.
    const c = compiled(db);
    const now = rowsNowOn<R>(db, { ...c.query, parameters: bind(c, values) });
    return now ?? (await run(db, values)).rows;
  };
  return {
    rows,
    first: async (db, values) => (await rows(db, values))[0],
    changed: async (db, values) => Number((await run(db, values)).numAffectedRows ?? 0n),
  };
}
