/**
 * Evaluates a (relative) filter against one value of a multi-valued attribute in memory, for PATCH
 * paths such as `emails[type eq "work"]` and `members[display eq "x"]`. Strings compare
 * case-insensitively (RFC 7643: caseExact is false for these sub-attributes). Pure.
 */
import { coerceBoolean } from './attributes.ts';
import type { FilterNode, FilterValue } from './filter.ts';

function read(obj: Record<string, unknown>, path: string[]): unknown {
  let v: unknown = obj;
  for (const seg of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[seg] : undefined;
  return v;
}

function compare(actual: unknown, op: string, expected: FilterValue): boolean {
  if (op === 'pr') return actual !== undefined && actual !== null && actual !== '';
  if (actual === undefined || actual === null) return op === 'ne' ? expected !== null : op === 'eq' && expected === null;
  if (typeof expected === 'boolean') {
    const b = coerceBoolean(actual);
    return op === 'eq' ? b === expected : b !== expected;
  }
  const a = String(actual).toLowerCase();
  const e = String(expected).toLowerCase();
  switch (op) {
    case 'eq': return a === e;
    case 'ne': return a !== e;
    case 'co': return a.includes(e);
    case 'sw': return a.startsWith(e);
    case 'ew': return a.endsWith(e);
    case 'gt': return a > e;
    case 'ge': return a >= e;
    case 'lt': return a < e;
    case 'le': return a <= e;
    default: return false;
  }
}

export function matchesFilter(obj: Record<string, unknown>, f: FilterNode): boolean {
  switch (f.op) {
    case 'and': return f.filters.every((x) => matchesFilter(obj, x));
    case 'or': return f.filters.some((x) => matchesFilter(obj, x));
    case 'not': return !matchesFilter(obj, f.filter);
    case 'pr': return compare(read(obj, f.attr.path), 'pr', null);
    case 'has': {
      const list = read(obj, f.attr.path);
      return Array.isArray(list) && list.some((e) => typeof e === 'object' && e !== null && matchesFilter(e as Record<string, unknown>, f.filter));
    }
    default: return compare(read(obj, f.attr.path), f.op, f.value);
  }
}
