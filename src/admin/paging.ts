/** Server-side pagination of the admin API: `?limit=` (default 25, max 100) and an opaque `?cursor=`. */
import { GatehouseError } from '../errors.ts';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export function pageLimit(v: unknown): number {
  if (v === undefined || v === '') return 25;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new GatehouseError('API_VALIDATION', '"limit" must be an integer from 1 to 100.', { field: 'limit' });
  return n;
}

export const encodeCursor = (key: unknown): string => Buffer.from(JSON.stringify(key)).toString('base64url');

/** Decodes a cursor made by encodeCursor and checks its shape; 400 naming `cursor` otherwise. */
export function decodeCursor<T>(v: unknown, valid: (x: unknown) => x is T): T | undefined {
  if (v === undefined || v === '') return undefined;
  try {
    const x = JSON.parse(Buffer.from(String(v), 'base64url').toString('utf8')) as unknown;
    if (valid(x)) return x;
  } catch {
    // falls through
  }
  throw new GatehouseError('API_VALIDATION', '"cursor" is not a cursor this API returned.', { field: 'cursor' });
}

export const isTimeIdKey = (x: unknown): x is [number, string] => Array.isArray(x) && x.length === 2 && typeof x[0] === 'number' && typeof x[1] === 'string';
export const isString = (x: unknown): x is string => typeof x === 'string';

/** Builds a page from `limit + 1` rows fetched: the extra row only says there is more. */
export function pageOf<R, T>(rows: R[], limit: number, view: (r: R) => T, keyOf: (r: R) => unknown): Page<T> {
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  return { data: shown.map(view), nextCursor: more ? encodeCursor(keyOf(shown[shown.length - 1]!)) : null };
}
