/**
 * Server-side prepared statements for PostgreSQL (decision 0048). Kysely's PostgresDialect sends every statement
 * as `client.query(sql, params)`: an unnamed statement, which PostgreSQL parses, analyses and plans on every
 * execution. Given a `name`, `pg` sends the Parse once per connection and afterwards only Bind/Execute, and
 * PostgreSQL keeps the parsed statement (and, after five runs, a generic plan when it is as good as a custom one).
 *
 * The name is given by the statement's text, from one table shared by every connection of the process, so the
 * same text always has the same name and no two texts share one (`pg` refuses a name reused for other text).
 * Bounded: at most `maxNames` distinct texts are named, each at most `maxLength` characters and with at most
 * `maxParams` parameters (a multi-row insert or an `IN` list makes a new text per row count: those few are left
 * unnamed rather than filling the table). A text is named the second time it is seen, so texts that come once (an
 * `IN` list of an unusual length) do not take the places of the hot ones. Statements without parameters (BEGIN, COMMIT, DDL,
 * migrations) are never named: they cost little to parse, and DDL must not be kept.
 *
 * A prepared statement whose result is "every column" (`SELECT *`, `t.*`, `RETURNING *`) fails with "cached plan must
 * not change result type" (0A000) once its table gains a column, which an expanding migration run by another
 * instance does under traffic (test/resilience/migrations.test.ts). Such a statement is named only outside a
 * transaction, where that failure has run nothing: it is sent again unnamed, and the connection names its statements
 * afresh (a new generation of names, which PostgreSQL parses again on the new table). In a transaction it is sent
 * unnamed, since the failure would abort the transaction. Statements with explicit columns keep their result type.
 */

export interface NamedStatementOptions {
  maxNames: number;
  maxLength: number;
  maxParams: number;
}

export const NAMED_STATEMENT_DEFAULTS: NamedStatementOptions = { maxNames: 400, maxLength: 16_000, maxParams: 64 };

interface PgQueryConfig {
  name: string;
  text: string;
  values: unknown[];
}

/** The part of a `pg` Client this module touches. */
export interface PgClientLike {
  query(...args: unknown[]): unknown;
  getTransactionStatus?(): string | null;
}

/** One named text: its name, and whether its result is every column of a table (see above). */
export interface NamedText {
  name: string;
  star: boolean;
}

const STAR_RESULT = /\.\*|\b(?:select|returning)\s+(?:distinct\s+)?\*/i;

/** The text → name table (one per pool); `entryOf` answers null for a text that is not to be named. */
export function namedStatementTable(opts: NamedStatementOptions = NAMED_STATEMENT_DEFAULTS) {
  const names = new Map<string, NamedText>();
  let seenOnce = new Set<string>();
  return {
    entryOf(text: string, paramCount: number): NamedText | null {
      if (paramCount === 0 || paramCount > opts.maxParams || text.length > opts.maxLength) return null;
      const known = names.get(text);
      if (known !== undefined) return known;
      if (names.size >= opts.maxNames) return null;
      if (!seenOnce.delete(text)) {
        if (seenOnce.size >= opts.maxNames * 4) seenOnce = new Set();
        seenOnce.add(text);
        return null;
      }
      const entry = { name: `gh${names.size + 1}`, star: STAR_RESULT.test(text) };
      names.set(text, entry);
      return entry;
    },
    get size() {
      return names.size;
    },
  };
}

const isStalePlan = (err: unknown) => {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '0A000' && /cached plan must not change result type/i.test(e.message ?? '');
};
/**
 * A pooler between us and PostgreSQL that does not keep prepared statements per client (PgBouncer in transaction mode
 * before 1.21 or without `max_prepared_statements`, or one that runs `DISCARD ALL`) answers a named statement with
 * "does not exist" (26000) or "already exists" (42P05). The connection then stops naming (outside a transaction the
 * statement is sent again unnamed); `DATABASE_PREPARED_STATEMENTS=false` is the setting for such a deployment.
 */
const isLostStatement = (err: unknown) => {
  const code = (err as { code?: string } | null)?.code;
  return code === '26000' || code === '42P05';
};
/** After this many stale generations on one connection, it stops naming statements (a schema changing all the time). */
const MAX_GENERATIONS = 8;

/**
 * Makes `client.query(text, values)` (Kysely's call) run as a named statement when the table names the text. Other
 * call shapes (a config object, a cursor, a callback) pass through. Call once per client (the pool's `connect`).
 */
export function nameStatementsOf(client: PgClientLike, table: ReturnType<typeof namedStatementTable>): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let generation = 0;
  client.query = (...args: unknown[]) => {
    const [text, values] = args;
    if (generation > MAX_GENERATIONS || args.length !== 2 || typeof text !== 'string' || !Array.isArray(values)) return query(...args);
    const entry = table.entryOf(text, values.length);
    // 'I': idle, no transaction open (pg's last ReadyForQuery); anything else, or not known, counts as in one.
    const idle = client.getTransactionStatus?.() === 'I';
    if (entry === null || (entry.star && !idle)) return query(text, values);
    const sent = generation;
    const config: PgQueryConfig = { name: sent ? `${entry.name}_${sent}` : entry.name, text, values };
    return (query(config) as Promise<unknown>).catch((err: unknown) => {
      if (isLostStatement(err)) generation = MAX_GENERATIONS + 1;
      else if (!isStalePlan(err)) throw err;
      else if (generation === sent) generation++;
      if (!idle) throw err;
      return query(text, values);
    });
  };
}
