/**
 * Server-side prepared statements for PostgreSQL (decision 0048). Kysely's PostgresDialect sends every statement
 * as `client.query(sql, params)`: an unnamed statement, which PostgreSQL parses, analyses and plans on every
 * execution. Given a `name`, `pg` sends the Parse once per connection and afterwards only Bind/Execute, and
 * PostgreSQL keeps the parsed statement (and, after five runs, a generic plan when it is as good as a custom one).
 *
 * The name is given by the statement's text, from one table shared by every connection of the process, so the
 * same text always has the same name and no two texts share one (`pg` refuses a name reused for other text).
 * Bounded: at most `maxNames` distinct texts are named (first come), each at most `maxLength` characters and with
 * at most `maxParams` parameters (a multi-row insert or an `IN` list makes a new text per row count: those few
 * are left unnamed rather than filling the table). Statements without parameters (BEGIN, COMMIT, DDL,
 * migrations) are never named: they cost little to parse, and DDL must not be kept.
 *
 * A prepared statement whose tables changed shape under it (a migration run by another instance adds a column
 * that a `SELECT *` returns) fails once with "cached plan must not change result type" (0A000); that connection
 * then stops naming statements, so the next query on it is planned afresh, and the error surfaces as any other.
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
}

/** The text → name table (one per pool); `nameOf` answers null for a text that is not to be named. */
export function namedStatementTable(opts: NamedStatementOptions = NAMED_STATEMENT_DEFAULTS) {
  const names = new Map<string, string>();
  return {
    nameOf(text: string, paramCount: number): string | null {
      if (paramCount === 0 || paramCount > opts.maxParams || text.length > opts.maxLength) return null;
      const known = names.get(text);
      if (known !== undefined) return known;
      if (names.size >= opts.maxNames) return null;
      const name = `gh${names.size + 1}`;
      names.set(text, name);
      return name;
    },
    get size() {
      return names.size;
    },
  };
}

const STALE_PLAN = /cached plan must not change result type/i;

/**
 * Makes `client.query(text, values)` (Kysely's call) run as a named statement when the table names the text. Other
 * call shapes (a config object, a cursor, a callback) pass through. Call once per client (the pool's `connect`).
 */
export function nameStatementsOf(client: PgClientLike, table: ReturnType<typeof namedStatementTable>): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let naming = true;
  client.query = (...args: unknown[]) => {
    const [text, values] = args;
    if (!naming || args.length !== 2 || typeof text !== 'string' || !Array.isArray(values)) return query(...args);
    const name = table.nameOf(text, values.length);
    if (name === null) return query(text, values);
    const config: PgQueryConfig = { name, text, values };
    return (query(config) as Promise<unknown>).catch((err: unknown) => {
      const e = err as { code?: string; message?: string } | null;
      if (e?.code === '0A000' && STALE_PLAN.test(e.message ?? '')) naming = false;
      throw err;
    });
  };
}
