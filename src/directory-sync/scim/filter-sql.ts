/**
 * Compiles a SCIM filter AST into a SQL condition, so `totalResults` and pages are exact and computed
 * by the database. Indexed columns serve `id`, `userName`, `externalId`, `displayName`, `active` and
 * `meta.*`; memberships serve `groups.*` / `members.*`; every other attribute is read from the stored
 * JSON with the dialect's JSON functions, given by the dialect table (src/storage/dialect-json.ts): the only dialect-specific part.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { JsonOperators } from '../../storage/dialect-json.ts';
import { GatehouseError } from '../../errors.ts';
import { ENTERPRISE_USER, MULTI_VALUED, type AttrRef, type ResourceKind } from './attributes.ts';
import { parseScimDate, type CompareOp, type FilterNode, type FilterValue } from './filter.ts';

type Expr = RawBuilder<unknown>;
/** `folded`: a column stored lower-cased (compared without lower(), so its index is used). */
type Kind = 'exact' | 'ci' | 'folded' | 'bool' | 'date' | 'json' | 'int';
interface Operand {
  expr: Expr;
  kind: Kind;
}

const invalid = (detail: string): never => {
  throw new GatehouseError('SCIM_INVALID_FILTER', detail);
};

const SEGMENT = /^[A-Za-z0-9_$-]+$/;
const checkSegments = (path: string[]) => {
  for (const s of path) if (!SEGMENT.test(s)) invalid(`"${path.join('.')}" is not an attribute name.`);
};

const likeEscape = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

function compare(o: Operand, op: CompareOp, value: FilterValue, j: JsonOperators): Expr {
  if (value === null) {
    if (op === 'eq') return sql`${o.expr} is null`;
    if (op === 'ne') return sql`${o.expr} is not null`;
  }
  if (o.kind === 'bool' || typeof value === 'boolean') {
    const b = typeof value === 'boolean' ? value : String(value).toLowerCase() === 'true' ? true : String(value).toLowerCase() === 'false' ? false : invalid(`"${String(value)}" is not a boolean.`);
    if (op !== 'eq' && op !== 'ne') invalid(`"${op}" does not apply to booleans.`);
    const test = o.kind === 'bool' ? sql`${o.expr} = ${b ? 1 : 0}` : j.isTrue(o.expr, b);
    return op === 'eq' ? test : sql`(${test}) is not true`;
  }
  if (o.kind === 'date') {
    const ms = parseScimDate(value);
    if (Number.isNaN(ms)) invalid(`"${String(value)}" is not a date.`);
    if (['co', 'sw', 'ew'].includes(op)) invalid(`"${op}" does not apply to dates.`);
    return binary(o.expr, op, ms);
  }
  if (o.kind === 'int') {
    // The column is a 32-bit integer: anything else ("abc", 2147483648, 1.5) is refused, not sent to the database.
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || Math.abs(n) > 2_147_483_647) invalid(`"${String(value)}" is not a 32-bit integer.`);
    return binary(o.expr, op, n as number);
  }
  const ci = o.kind !== 'exact';
  const e = ci && o.kind !== 'folded' ? sql`lower(${o.expr})` : o.expr;
  const v = ci ? String(value).toLowerCase() : String(value);
  if (op === 'co') return sql`${e} like ${`%${likeEscape(v)}%`} escape '!'`;
  if (op === 'sw') return sql`${e} like ${`${likeEscape(v)}%`} escape '!'`;
  if (op === 'ew') return sql`${e} like ${`%${likeEscape(v)}`} escape '!'`;
  return binary(e, op, v);
}

function binary(e: Expr, op: CompareOp, v: string | number): Expr {
  switch (op) {
    case 'eq': return sql`${e} = ${v}`;
    case 'ne': return sql`(${e} is null or ${e} <> ${v})`;
    case 'gt': return sql`${e} > ${v}`;
    case 'ge': return sql`${e} >= ${v}`;
    case 'lt': return sql`${e} < ${v}`;
    case 'le': return sql`${e} <= ${v}`;
    default: return invalid(`"${op}" does not apply here.`);
  }
}

function present(o: Operand): Expr {
  return o.kind === 'json' || o.kind === 'ci' || o.kind === 'folded' || o.kind === 'exact' ? sql`(${o.expr} is not null and ${o.expr} <> '')` : sql`${o.expr} is not null`;
}

interface Target {
  kind: ResourceKind;
  table: 'directory_users' | 'directory_groups';
  j: JsonOperators;
}

const col = (t: Target, name: string): Expr => sql.ref(`${t.table}.${name}`);

/** Indexed columns by canonical path. */
function column(t: Target, attr: AttrRef): Operand | null {
  if (attr.schema !== 'core') return null;
  const p = attr.path.join('.');
  const common: Record<string, Operand> = {
    id: { expr: col(t, 'id'), kind: 'exact' },
    externalId: { expr: col(t, 'external_id'), kind: 'exact' },
    'meta.created': { expr: col(t, 'created_at'), kind: 'date' },
    'meta.lastModified': { expr: col(t, 'updated_at'), kind: 'date' },
    'meta.version': { expr: col(t, 'version'), kind: 'int' },
  };
  if (common[p]) return common[p]!;
  if (t.kind === 'User') {
    if (p === 'userName') return { expr: col(t, 'user_name_key'), kind: 'folded' };
    if (p === 'displayName') return { expr: col(t, 'display_name'), kind: 'ci' };
    if (p === 'active') return { expr: col(t, 'active'), kind: 'bool' };
  } else if (p === 'displayName') return { expr: col(t, 'display_name'), kind: 'ci' };
  return null;
}

/** `groups.*` on users and `members.*` on groups: conditions over the membership table. */
function membership(t: Target, cond: (m: (sub: string[]) => Operand) => Expr): Expr {
  if (t.kind === 'Group') {
    return sql`exists (select 1 from directory_group_members m where m.group_id = ${col(t, 'id')} and ${cond((sub) => memberOperand(sub, 'member_value', 'display'))})`;
  }
  return sql`exists (select 1 from directory_group_members m join directory_groups mg on mg.id = m.group_id where m.member_value = ${col(t, 'id')} and m.directory_id = ${col(t, 'directory_id')} and ${cond((sub) => memberOperand(sub, 'group_id', 'mg.display_name'))})`;
}

function memberOperand(sub: string[], valueCol: string, displayCol: string): Operand {
  const name = sub[0] ?? 'value';
  if (sub.length <= 1 && name === 'value') return { expr: sql.ref(valueCol.includes('.') ? valueCol : `m.${valueCol}`), kind: 'exact' };
  if (sub.length === 1 && name === 'display') return { expr: sql.ref(displayCol.includes('.') ? displayCol : `m.${displayCol}`), kind: 'ci' };
  return invalid(`Only "value" and "display" of memberships can be filtered.`);
}

function jsonBase(t: Target, attr: AttrRef): { colExpr: Expr; path: string[] } {
  checkSegments(attr.path);
  return { colExpr: col(t, 'raw'), path: attr.schema === 'enterprise' ? [ENTERPRISE_USER, ...attr.path] : attr.path };
}

function compileNode(t: Target, f: FilterNode): Expr {
  switch (f.op) {
    case 'and': return sql`(${sql.join(f.filters.map((x) => compileNode(t, x)), sql` and `)})`;
    case 'or': return sql`(${sql.join(f.filters.map((x) => compileNode(t, x)), sql` or `)})`;
    case 'not': return sql`((${compileNode(t, f.filter)}) is not true)`;
    case 'has': return some(t, f.attr, (operand) => compileRelative(f.filter, operand, t.j));
    default: {
      const leaf = f;
      const top = leaf.attr.path[0]!;
      const direct = column(t, leaf.attr);
      if (direct) return leaf.op === 'pr' ? present(direct) : compare(direct, leaf.op, leaf.value, t.j);
      if (leaf.attr.schema === 'core' && MULTI_VALUED.has(top)) {
        const sub = leaf.attr.path.slice(1);
        return some(t, { schema: 'core', path: [top] }, (operand) => {
          const o = operand(sub.length ? sub : ['value']);
          return leaf.op === 'pr' ? present(o) : compare(o, leaf.op, leaf.value, t.j);
        });
      }
      if (leaf.attr.schema === 'core' && ['id', 'meta', 'schemas'].includes(top)) invalid(`"${leaf.attr.path.join('.')}" cannot be filtered.`);
      const { colExpr, path } = jsonBase(t, leaf.attr);
      const o: Operand = { expr: t.j.scalar(colExpr, path), kind: 'json' };
      return leaf.op === 'pr' ? present(o) : compare(o, leaf.op, leaf.value, t.j);
    }
  }
}

/** "Some value of the multi-valued attribute satisfies cond". */
function some(t: Target, attr: AttrRef, cond: (operand: (sub: string[]) => Operand) => Expr): Expr {
  const top = attr.path[0]!;
  if (attr.schema !== 'core' || !MULTI_VALUED.has(top) || attr.path.length !== 1) return invalid(`"${attr.path.join('.')}" is not a multi-valued attribute.`);
  if ((t.kind === 'User' && top === 'groups') || (t.kind === 'Group' && top === 'members')) return membership(t, cond);
  return t.j.some(col(t, 'raw'), [top], (elem) =>
    cond((sub) => {
      checkSegments(sub);
      return { expr: elem(sub), kind: 'json' };
    }),
  );
}

/** A filter inside `attr[...]`, over one value reached through `operand`. */
function compileRelative(f: FilterNode, operand: (sub: string[]) => Operand, j: JsonOperators): Expr {
  switch (f.op) {
    case 'and': return sql`(${sql.join(f.filters.map((x) => compileRelative(x, operand, j)), sql` and `)})`;
    case 'or': return sql`(${sql.join(f.filters.map((x) => compileRelative(x, operand, j)), sql` or `)})`;
    case 'not': return sql`((${compileRelative(f.filter, operand, j)}) is not true)`;
    case 'has': return invalid('Value filters cannot be nested.');
    case 'pr': return present(operand(f.attr.path));
    default: return compare(operand(f.attr.path), f.op, f.value, j);
  }
}

/** The SQL condition for a parsed filter on users or groups, with the dialect's JSON operators (`traitsOf(dialect).json`). Throws SCIM_INVALID_FILTER for what cannot be compiled. */
export function compileScimFilter(filter: FilterNode, kind: ResourceKind, json: JsonOperators): RawBuilder<SqlBool> {
  return compileNode({ kind, table: kind === 'User' ? 'directory_users' : 'directory_groups', j: json }, filter) as RawBuilder<SqlBool>;
}
