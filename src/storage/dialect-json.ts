/**
 * The JSON part of the dialect table: how each database reads a scalar out of a stored JSON document and
 * tests "some value of an array matches". The SCIM filter compiler (src/directory-sync/scim/filter-sql.ts)
 * is written once against this interface.
 */
import { sql, type RawBuilder } from 'kysely';

type Expr = RawBuilder<unknown>;

/** `$."a"."b"`: every segment quoted (segments are checked by the caller: catalog names or [A-Za-z0-9_$-]). */
const jsonPath = (path: string[]) => `$${path.map((p) => `."${p}"`).join('')}`;

export interface JsonOperators {
  scalar(col: Expr, path: string[]): Expr;
  /** `elem(sub)` reads a sub-attribute of one array value. `arrayPath` is a catalog name, never user text. */
  some(col: Expr, arrayPath: string[], cond: (elem: (sub: string[]) => Expr) => Expr): Expr;
  isTrue(expr: Expr, b: boolean): Expr;
  /** An aggregate: the group's values as a JSON array (text, or parsed by the driver), or null/`[]` for none. */
  arrayAgg(col: Expr): Expr;
}

export const SQLITE_JSON: JsonOperators = {
  scalar: (col, path) => sql`json_extract(${col}, ${jsonPath(path)})`,
  some: (col, arr, cond) =>
    sql`exists (select 1 from json_each(${col}, ${jsonPath(arr)}) je where ${cond((sub) => sql`(case when je.type = 'object' then json_extract(je.value, ${jsonPath(sub)}) end)`)})`,
  isTrue: (e, b) => sql`${e} = ${b ? 1 : 0}`,
  arrayAgg: (col) => sql`json_group_array(${col})`,
};

export const POSTGRES_JSON: JsonOperators = {
  scalar: (col, path) => sql`jsonb_extract_path_text(${col}::jsonb, ${sql.join(path.map((p) => sql`${p}::text`))})`,
  some: (col, arr, cond) => {
    const at = sql`(${col}::jsonb #> ARRAY[${sql.join(arr.map((p) => sql`${p}::text`))}])`;
    return sql`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(${at}) = 'array' then ${at} else '[]'::jsonb end) je(v) where ${cond((sub) => sql`jsonb_extract_path_text(je.v, ${sql.join(sub.map((p) => sql`${p}::text`))})`)})`;
  },
  isTrue: (e, b) => sql`${e} = ${b ? 'true' : 'false'}`,
  arrayAgg: (col) => sql`json_agg(${col})::text`,
};

export const MYSQL_JSON: JsonOperators = {
  scalar: (col, path) => sql`json_unquote(json_extract(${col}, ${jsonPath(path)}))`,
  // JSON_TABLE needs a literal path: arrayPath only ever holds catalog names (checked by the compiler too).
  some: (col, arr, cond) =>
    sql`exists (select 1 from json_table(${col}, ${sql.lit(`${jsonPath(arr)}[*]`)} columns (v json path '$')) je where ${cond((sub) => sql`json_unquote(json_extract(je.v, ${jsonPath(sub)}))`)})`,
  isTrue: (e, b) => sql`${e} = ${b ? 'true' : 'false'}`,
  arrayAgg: (col) => sql`json_arrayagg(${col})`,
};
