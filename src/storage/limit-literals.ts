/**
 * `limit ?` written as a literal for SQLite (decision 0053).
 *
 * SQLite (3.53, as better-sqlite3 12 ships it) plans a LIMIT with the value bound to its parameter, so binding that
 * parameter marks the prepared statement expired, and the next run prepares it again. better-sqlite3 binds every
 * parameter on every run: a statement with `limit ?` was planned anew each time it ran, ~20–50 µs measured on this
 * machine class where the same statement with a literal LIMIT runs in 5–10 µs (OFFSET parameters do not do this).
 * Kysely compiles `.limit(n)` as `limit ?`, so every such query paid it: a deactivating SCIM PATCH's session lookup,
 * the webhook deliverer's claim, the SCIM inspector's trim, and more.
 *
 * Here a `limit ?` whose value is a safe integer is replaced by that integer in the SQL text and its parameter
 * dropped. The places are found once per SQL text by scanning for `?` outside quoted strings and identifiers. A
 * value that is not an integer leaves the statement as it is (SQLite then decides, as before). Statements with a
 * value written in are cached apart from the others, in a smaller map, because their text varies with the value
 * (a SCIM `count` is the client's): a flood of distinct values re-prepares, as every run did before, and never
 * evicts the other statements.
 */

/** Where each `limit ?` is: the index of its parameter and the character offset of its `?`. */
type LimitSlots = { param: number; at: number }[];

const MAX_TEXTS = 1000;
const MAX_INLINED_STATEMENTS = 256;

/** The `limit ?` slots of an SQL text (none: an empty array). Pure. */
export function limitSlots(sql: string): LimitSlots {
  const slots: LimitSlots = [];
  if (!/limit\s*\?/i.test(sql)) return slots;
  let param = 0;
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      if (ch === quote) quote = null; // a doubled quote closes and reopens: same state after both
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
      continue;
    }
    if (ch === '[') {
      quote = ']';
      continue;
    }
    // A comment could hide a quote or a `?` from this scan: such a text is sent as it is (Kysely writes none).
    if ((ch === '-' && sql[i + 1] === '-') || (ch === '/' && sql[i + 1] === '*')) return [];
    if (ch !== '?') continue;
    if (/\blimit\s*$/i.test(sql.slice(Math.max(0, i - 16), i))) slots.push({ param, at: i });
    param++;
  }
  return slots;
}

/** The SQL with each `limit ?` of `slots` written as its integer value, and the parameters left; null when a value is not a safe integer. Pure. */
export function withLimitLiterals(sql: string, parameters: readonly unknown[], slots: LimitSlots): { sql: string; parameters: unknown[] } | null {
  let text = '';
  let from = 0;
  const drop = new Set<number>();
  for (const { param, at } of slots) {
    const v = parameters[param];
    const n = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
    if (n === null) return null;
    text += `${sql.slice(from, at)}${String(n)}`;
    from = at + 1;
    drop.add(param);
  }
  return { sql: text + sql.slice(from), parameters: parameters.filter((_, i) => !drop.has(i)) };
}

export class LimitLiterals<S = unknown> {
  readonly #slots = new Map<string, LimitSlots>();
  readonly #statements = new Map<string, S>();

  /** The statement to run in place of `sql`, or null when it has no `limit ?` to write in. */
  inline(sql: string, parameters: readonly unknown[]): { sql: string; parameters: unknown[] } | null {
    let slots = this.#slots.get(sql);
    if (!slots) {
      if (this.#slots.size >= MAX_TEXTS) this.#slots.clear();
      this.#slots.set(sql, (slots = limitSlots(sql)));
    }
    return slots.length ? withLimitLiterals(sql, parameters, slots) : null;
  }

  /** A statement with values written in, prepared once per text, from a cache of its own. */
  statement<T extends S>(sql: string, prepare: (sql: string) => T): T {
    let stmt = this.#statements.get(sql) as T | undefined;
    if (!stmt) {
      if (this.#statements.size >= MAX_INLINED_STATEMENTS) this.#statements.clear();
      stmt = prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }
}
