/**
 * SCIM Users: create, read, list, replace, patch, delete. Each change is one transaction holding the
 * row change and its events (the outbox); userName uniqueness is the database's unique index.
 */
import { newResourceId } from '../ids.ts';
import type { Kysely } from 'kysely';
import { GatehouseError } from '../../errors.ts';
import { directoryGroupsRepo, directoryUsersRepo, isUniqueViolation, type DirectoryUserRow } from '../../storage/index.ts';
import type { Database } from '../../storage/schema.ts';
import { membershipData, userData } from '../events/payloads.ts';
import type { EventBatch } from '../events/outbox.ts';
import { applyScimPatch, readPatchBody } from './patch.ts';
import { excludes, project, readUserBody, renderGroup, renderUser, renderUserJson, userValues, type Projection, type UserGroup, type UserValues } from './resources.ts';
import { inOneWrite, inTransaction, type Ctx, type ScimScope } from './scope.ts';
import { listPage, type ListQuery } from './list.ts';
import { endDirectoryUserSessions } from './user-sessions.ts';
import type { AppContext } from '../../context.ts';

const notFound = (id: string): never => {
  throw new GatehouseError('SCIM_NOT_FOUND', `User ${id} not found.`);
};

const uniqueness = (err: unknown): never => {
  if (isUniqueViolation(err)) throw new GatehouseError('SCIM_UNIQUENESS', 'User already exists in the database.');
  throw err;
};

async function groupsByUser(db: Kysely<Database>, directoryId: string, ids: string[]): Promise<Map<string, UserGroup[]>> {
  const map = new Map<string, UserGroup[]>();
  for (const r of await directoryUsersRepo.groupsOf(db, directoryId, ids)) {
    const list = map.get(r.user_id) ?? [];
    list.push({ value: r.group_id, display: r.display_name });
    map.set(r.user_id, list);
  }
  return map;
}

/** The user, locked; with the roles its events need, read in the same statement, when the directory records events. */
async function lockedUser(ctx: Ctx, trx: Kysely<Database>, scope: ScimScope, id: string, events: EventBatch): Promise<DirectoryUserRow> {
  if (!events.recorded) return (await directoryUsersRepo.findForUpdate(trx, ctx.dialect, scope.directory.id, id)) ?? notFound(id);
  const found = (await directoryUsersRepo.findForUpdateWithRoles(trx, ctx.dialect, scope.directory.id, id, scope.directory)) ?? notFound(id);
  events.knowRoleSettings(found.roleSettings);
  return found.row;
}

const rowValues = (v: UserValues, now: number) => ({
  user_name: v.userName,
  user_name_key: v.userNameKey,
  external_id: v.externalId,
  display_name: v.displayName,
  active: v.active ? 1 : 0,
  raw: JSON.stringify(v.attrs),
  updated_at: now,
});

export async function createUser(ctx: Ctx, scope: ScimScope, body: unknown): Promise<Record<string, unknown>> {
  const values = readUserBody(body);
  // One write: on PostgreSQL the insert and its event are one statement (decision 0045).
  return inOneWrite(ctx, scope, (db, events, now) => {
    const row: DirectoryUserRow = { id: newResourceId(now), directory_id: scope.directory.id, ...rowValues(values, now), created_at: now, version: 1 };
    events.alongWith(directoryUsersRepo.insertWrite(db, row), uniqueness);
    const user = renderUser(row, [], scope.base);
    events.add('user.created', `u:${row.id}`, userData(user), { groupless: true });
    scope.report.done({ kind: 'created', resource: 'User' });
    return user;
  });
}

export async function getUser(ctx: Ctx, scope: ScimScope, id: string, p: Projection): Promise<Record<string, unknown>> {
  const row = (await directoryUsersRepo.findById(ctx.db, scope.directory.id, id)) ?? notFound(id);
  const groups = excludes(p, 'groups') ? [] : ((await groupsByUser(ctx.db, scope.directory.id, [id])).get(id) ?? []);
  scope.report.done({ kind: 'read', resource: 'User' });
  return project('User', renderUser(row, groups, scope.base), p);
}

export async function listUsers(ctx: Ctx, scope: ScimScope, q: ListQuery) {
  return listPage<DirectoryUserRow>(ctx, scope, 'User', q, async (rows, p) => {
    const groups = excludes(p, 'groups') ? new Map<string, UserGroup[]>() : await groupsByUser(ctx.db, scope.directory.id, rows.map((r) => r.id));
    const plain = !p.attributes && !p.excluded;
    return rows.map((r) =>
      plain ? renderUserJson(r, groups.get(r.id) ?? [], scope.base) : JSON.stringify(project('User', renderUser(r, groups.get(r.id) ?? [], scope.base), p)),
    );
  });
}

/**
 * Stores new values for an existing user; emits user.updated only when something changed. The update goes with
 * the event (one statement on PostgreSQL), so the user's groups, which it does not change, are read first.
 */
async function saveUser(trx: Kysely<Database>, scope: ScimScope, current: DirectoryUserRow, values: UserValues, events: EventBatch, now: number) {
  const next = rowValues(values, now);
  scope.report.done({ kind: 'updated', resource: 'User', changed: next.raw !== current.raw, ...(next.active !== current.active ? { active: next.active === 1 } : {}) });
  if (next.raw === current.raw) return current;
  const row: DirectoryUserRow = { ...current, ...next, version: current.version + 1 };
  const groups = events.recorded ? ((await groupsByUser(trx, scope.directory.id, [row.id])).get(row.id) ?? []) : [];
  events.alongWith(directoryUsersRepo.updateWrite(trx, scope.directory.id, current.id, { ...next, version: row.version }), uniqueness);
  events.add('user.updated', `u:${row.id}`, userData(renderUser(row, groups, scope.base)));
  return row;
}

export async function replaceUser(ctx: AppContext, scope: ScimScope, id: string, body: unknown): Promise<Record<string, unknown>> {
  const values = readUserBody(body);
  const { row, user } = await inTransaction(ctx, scope, async (trx, events, now) => {
    const current = await lockedUser(ctx, trx, scope, id, events);
    const row = await saveUser(trx, scope, current, values, events, now);
    const groups = (await groupsByUser(trx, scope.directory.id, [id])).get(id) ?? [];
    return { row, user: renderUser(row, groups, scope.base) };
  });
  if (row.active === 0) await endDirectoryUserSessions(ctx, scope.directory, row, 'scim_deactivated');
  return user;
}

export async function patchUser(ctx: AppContext, scope: ScimScope, id: string, body: unknown): Promise<() => Promise<Record<string, unknown>>> {
  const ops = readPatchBody(body);
  const row = await inTransaction(ctx, scope, async (trx, events, now) => {
    const current = await lockedUser(ctx, trx, scope, id, events);
    const { resource } = applyScimPatch('User', JSON.parse(current.raw), ops);
    return saveUser(trx, scope, current, userValues(resource), events, now);
  });
  // A deactivated user is signed out of the app (decision 0025); repeating it for a user already inactive finds nothing.
  if (row.active === 0) await endDirectoryUserSessions(ctx, scope.directory, row, 'scim_deactivated');
  // The caller renders only when the client asked for the resource back.
  return async () => {
    const groups = (await groupsByUser(ctx.db, scope.directory.id, [id])).get(id) ?? [];
    return renderUser(row, groups, scope.base);
  };
}

export async function deleteUser(ctx: AppContext, scope: ScimScope, id: string): Promise<void> {
  const deleted = await inTransaction(ctx, scope, async (trx, events) => {
    const current = await lockedUser(ctx, trx, scope, id, events);
    const groups = (await groupsByUser(trx, scope.directory.id, [id])).get(id) ?? [];
    await directoryGroupsRepo.removeUserEverywhere(trx, scope.directory.id, id);
    await directoryUsersRepo.delete(trx, scope.directory.id, id);
    // Leaving every group is a membership change of each: one group.user_removed per group, as a PATCH removing them would send.
    if (events.recorded && groups.length) {
      const member = renderUser(current, [], scope.base);
      for (const row of await directoryGroupsRepo.findByIds(trx, scope.directory.id, groups.map((g) => g.value))) {
        events.add('group.user_removed', `g:${row.id}`, membershipData(member, renderGroup(row, [], scope.base)));
      }
    }
    events.add('user.deleted', `u:${id}`, userData(renderUser(current, groups, scope.base)));
    scope.report.done({ kind: 'deleted', resource: 'User', groupsLeft: groups.length });
    return current;
  });
  await endDirectoryUserSessions(ctx, scope.directory, deleted, 'scim_deleted');
}
