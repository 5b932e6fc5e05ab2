/**
 * The pull API for apps that prefer it to webhooks: users, groups and a group's members of one
 * directory, Jackson shapes (`{id, first_name, last_name, email, active, raw, directoryId}`, `{id, name, raw}`),
 * with opaque keyset cursors (`pageToken`) so pages stay stable while the directory changes, and Jackson's
 * `pageOffset`/`pageLimit` offset paging.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { directoriesRepo, directoryGroupsRepo, directoryUsersRepo, type DirectoryRow } from '../storage/index.ts';
import { groupData, userData } from './events/payloads.ts';
import { scimBase } from './scim/auth.ts';
import { renderGroup, renderUser } from './scim/resources.ts';

type Q = Record<string, string | undefined>;

/** A user as Jackson's pull API answers it: the event payload's fields plus the `directoryId` Jackson stores with it. */
const pulledUser = (dir: DirectoryRow, user: ReturnType<typeof userData>) => ({ ...user, directoryId: dir.id });

const encode = (v: string) => Buffer.from(v, 'utf8').toString('base64url');
const decode = (v: string | undefined) => (v ? Buffer.from(v, 'base64url').toString('utf8') : null);
const limitOf = (q: Q) => Math.min(1000, Math.max(1, Number.parseInt(q.limit ?? q.pageLimit ?? '100', 10) || 100));

/** Jackson's offset paging (`pageOffset` with `pageLimit`), beside the cursor; 400 naming it when not a count. */
export function offsetOf(q: Q): number {
  if (q.pageOffset === undefined || q.pageOffset === '') return 0;
  const n = Number(q.pageOffset);
  if (!Number.isInteger(n) || n < 0) throw new GatehouseError('API_VALIDATION', '"pageOffset" must be an integer of 0 or more.', { field: 'pageOffset' });
  return n;
}

/** The directory named by `directoryId`, or the first one of `tenant` + `product`. */
export async function resolveDirectory(ctx: AppContext, q: Q): Promise<DirectoryRow> {
  if (q.directoryId) {
    const d = await directoriesRepo.findById(ctx.db, q.directoryId);
    if (d) return d;
  } else if (q.tenant && q.product) {
    const [d] = await directoriesRepo.listByTenantProduct(ctx.db, q.tenant, q.product);
    if (d) return d;
  } else {
    throw new GatehouseError('API_VALIDATION', 'Name the directory with "directoryId", or with "tenant" and "product".', { field: 'directoryId' });
  }
  throw new GatehouseError('DSYNC_DIRECTORY_NOT_FOUND');
}

export async function pullUsers(ctx: AppContext, q: Q) {
  const dir = await resolveDirectory(ctx, q);
  const limit = limitOf(q);
  const rows = await directoryUsersRepo.pageAfter(ctx.db, dir.id, decode(q.pageToken ?? q.cursor), limit, offsetOf(q));
  const base = scimBase(ctx.config.EXTERNAL_URL, dir.id);
  return { data: rows.map((r) => pulledUser(dir, userData(renderUser(r, [], base)))), pageToken: rows.length === limit ? encode(rows[rows.length - 1]!.id) : null };
}

export async function pullUser(ctx: AppContext, userId: string, q: Q) {
  const dir = await resolveDirectory(ctx, q);
  const row = await directoryUsersRepo.findById(ctx.db, dir.id, userId);
  if (!row) throw new GatehouseError('API_NOT_FOUND', 'No user with this id in the directory.');
  return { data: pulledUser(dir, userData(renderUser(row, [], scimBase(ctx.config.EXTERNAL_URL, dir.id)))) };
}

export async function pullGroups(ctx: AppContext, q: Q) {
  const dir = await resolveDirectory(ctx, q);
  const limit = limitOf(q);
  const rows = await directoryGroupsRepo.pageAfter(ctx.db, dir.id, decode(q.pageToken ?? q.cursor), limit, offsetOf(q));
  const base = scimBase(ctx.config.EXTERNAL_URL, dir.id);
  return { data: rows.map((r) => groupData(renderGroup(r, null, base))), pageToken: rows.length === limit ? encode(rows[rows.length - 1]!.id) : null };
}

export async function pullGroup(ctx: AppContext, groupId: string, q: Q) {
  const dir = await resolveDirectory(ctx, q);
  const row = await directoryGroupsRepo.findById(ctx.db, dir.id, groupId);
  if (!row) throw new GatehouseError('API_NOT_FOUND', 'No group with this id in the directory.');
  return { data: groupData(renderGroup(row, null, scimBase(ctx.config.EXTERNAL_URL, dir.id))) };
}

export async function pullGroupMembers(ctx: AppContext, groupId: string, q: Q) {
  const dir = await resolveDirectory(ctx, q);
  if (!(await directoryGroupsRepo.findById(ctx.db, dir.id, groupId))) throw new GatehouseError('API_NOT_FOUND', 'No group with this id in the directory.');
  const limit = limitOf(q);
  const values = await directoryGroupsRepo.memberPage(ctx.db, dir.id, groupId, decode(q.pageToken ?? q.cursor), limit);
  return { data: values.map((v) => ({ user_id: v })), pageToken: values.length === limit ? encode(values[values.length - 1]!) : null };
}
