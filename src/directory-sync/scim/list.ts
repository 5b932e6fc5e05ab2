/**
 * SCIM list queries (RFC 7644 §3.4.2): filter compiled to SQL, 1-based `startIndex`, `count`, and an
 * exact `totalResults` counted by the database.
 */
import { LIST_RESPONSE, type ResourceKind } from './attributes.ts';
import { parseScimFilter, type FilterNode } from './filter.ts';
import { compileScimFilter } from './filter-sql.ts';
import { readProjection, type Projection } from './resources.ts';
import { traitsOf } from '../../storage/dialect.ts';
import { directoryGroupsRepo, directoryUsersRepo, type DirectoryGroupRow, type DirectoryUserRow } from '../../storage/index.ts';
import type { Ctx, ScimScope } from './scope.ts';

export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 1000;

export type ListQuery = Record<string, unknown>;

/**
 * Past any directory's size, so clamping never changes which resources a page holds; and an OFFSET
 * every database takes (a 2^64 one was a 500: SQLite's "datatype mismatch"). RFC 7644 §3.4.2.4 already
 * clamps the low end (startIndex < 1 is 1, a negative count is 0); the high end is clamped the same way.
 */
export const MAX_START_INDEX = 2 ** 31;

const intParam = (v: unknown, def: number): number => {
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : typeof v === 'number' ? v : def;
  return Number.isFinite(n) ? n : def;
};

/**
 * `userName eq "…"` on Users: the request Okta and Entra ID send before every create. userName is unique per
 * directory case-insensitively (the `directory_users_username` index on the folded key the filter compares), so
 * the first page holds every match and its length is the total: no COUNT query (decision 0036), and the page is
 * one key lookup, not the list's deferred join with the compiled filter (decision 0044).
 */
const uniqueUserName = (f: FilterNode | null, kind: ResourceKind): string | null =>
  kind === 'User' && f !== null && f.op === 'eq' && typeof f.value === 'string' && f.attr.schema === 'core' && f.attr.path.length === 1 && f.attr.path[0] === 'userName' ? f.value : null;

export async function listPage<R extends DirectoryUserRow | DirectoryGroupRow>(
  ctx: Ctx,
  scope: ScimScope,
  kind: ResourceKind,
  q: ListQuery,
  /** Each resource as JSON text (the list is assembled as text: stored JSON is spliced in, never re-parsed, on the default path). */
  render: (rows: R[], p: Projection) => Promise<string[]>,
): Promise<string> {
  const p = readProjection(q);
  const filterText = typeof q.filter === 'string' && q.filter.trim() ? q.filter : null;
  const filter = filterText ? parseScimFilter(filterText, kind) : null;
  const startIndex = Math.min(MAX_START_INDEX, Math.max(1, intParam(q.startIndex, 1)));
  const count = Math.min(MAX_COUNT, Math.max(0, intParam(q.count, DEFAULT_COUNT)));
  const dir = scope.directory.id;
  const userName = startIndex === 1 && count > 0 ? uniqueUserName(filter, kind) : null;
  if (userName !== null) {
    // One key lookup on the unique index, the same comparison the compiled filter makes (the folded key = the value lower-cased).
    const found = await directoryUsersRepo.findByUserName(ctx.db, dir, userName);
    return answer(scope, kind, p, filterText, found ? [found as R] : [], 1, render);
  }
  const where = filter ? compileScimFilter(filter, kind, traitsOf(ctx.dialect).json) : null;
  const repo = kind === 'User' ? directoryUsersRepo : directoryGroupsRepo;
  const [total, rows] = await Promise.all([
    repo.count(ctx.db, dir, where),
    count === 0 ? Promise.resolve([]) : repo.list(ctx.db, dir, where, startIndex - 1, count),
  ]);
  return answer(scope, kind, p, filterText, rows as R[], startIndex, render, Number(total));
}

async function answer<R>(scope: ScimScope, kind: ResourceKind, p: Projection, filterText: string | null, rows: R[], startIndex: number, render: (rows: R[], p: Projection) => Promise<string[]>, total = rows.length): Promise<string> {
  const resources = await render(rows, p);
  scope.report.done({ kind: 'listed', resource: kind, total, returned: resources.length, filtered: filterText !== null });
  return `{"schemas":["${LIST_RESPONSE}"],"totalResults":${total},"startIndex":${startIndex},"itemsPerPage":${resources.length},"Resources":[${resources.join(',')}]}`;
}
