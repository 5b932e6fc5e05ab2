/**
 * SCIM Groups: create, read, list, replace, patch, delete. Membership changes are computed against
 * the database (a group may have thousands of members) and produce one group.user_added /
 * group.user_removed per member that actually changed and exists as a user; a member that does not
 * exist yet is stored and echoed back with its display. Renames produce one group.updated;
 * membership-only changes produce none.
 */
import { newResourceId } from '../ids.ts';
import type { Kysely } from 'kysely';
import { GatehouseError } from '../../errors.ts';
import { directoryGroupsRepo, directoryUsersRepo, type DirectoryGroupRow, type DirectoryUserRow } from '../../storage/index.ts';
import type { Database } from '../../storage/schema.ts';
import type { EventBatch } from '../events/outbox.ts';
import { groupData, membershipData } from '../events/payloads.ts';
import { applyScimPatch, readPatchBody, type MemberChange, type MemberInput } from './patch.ts';
import { matchesFilter } from './match.ts';
import { dedupe, excludes, groupValues, project, readGroupBody, renderGroup, renderUser, type GroupValues, type Projection } from './resources.ts';
import { inOneWrite, inTransaction, type Ctx, type ScimScope } from './scope.ts';
import { listPage, type ListQuery } from './list.ts';

const notFound = (id: string): never => {
  throw new GatehouseError('SCIM_NOT_FOUND', `Group ${id} not found.`);
};

/** The group, locked; with the roles its membership events need, read in the same statement, when the directory records events. */
async function lockedGroup(ctx: Ctx, trx: Kysely<Database>, scope: ScimScope, id: string, events: EventBatch): Promise<DirectoryGroupRow> {
  if (!events.recorded) return (await directoryGroupsRepo.findForUpdate(trx, ctx.dialect, scope.directory.id, id)) ?? notFound(id);
  const found = (await directoryGroupsRepo.findForUpdateWithRoles(trx, ctx.dialect, scope.directory.id, id, scope.directory)) ?? notFound(id);
  events.knowRoleSettings(found.roleSettings);
  return found.row;
}

interface MembershipDelta {
  added: string[];
  removed: string[];
  /** Members found (or not: null) among the directory's users while adding them (PostgreSQL), so events need no lookup. */
  known: Map<string, DirectoryUserRow | null>;
}

/** Applies member changes in order against the database; returns what actually changed. */
async function applyMemberChanges(ctx: Ctx, trx: Kysely<Database>, scope: ScimScope, groupId: string, changes: MemberChange[], now: number): Promise<MembershipDelta> {
  const added = new Set<string>();
  const removed = new Set<string>();
  const known = new Map<string, DirectoryUserRow | null>();
  const add = async (members: MemberInput[]) => {
    const list = dedupe(members);
    const inserted = await directoryGroupsRepo.addNewMembers(trx, ctx.dialect, scope.directory.id, groupId, list.map((m) => ({ group_id: groupId, directory_id: scope.directory.id, member_value: m.value, display: m.display, created_at: now })));
    for (const [value, user] of inserted.users ?? []) known.set(value, user);
    for (const m of list) if (inserted.added.has(m.value)) removed.has(m.value) ? removed.delete(m.value) : added.add(m.value);
  };
  const remove = async (values: string[]) => {
    const present = [...(await directoryGroupsRepo.memberValuesIn(trx, groupId, [...new Set(values)]))];
    await directoryGroupsRepo.removeMembers(trx, groupId, present);
    for (const v of present) added.has(v) ? added.delete(v) : removed.add(v);
  };
  for (const c of changes) {
    if (c.kind === 'add') await add(c.members);
    else if (c.kind === 'remove') await remove(c.values);
    else if (c.kind === 'removeAll') await remove(await directoryGroupsRepo.allMemberValues(trx, groupId));
    else if (c.kind === 'removeWhere') {
      const members = await directoryGroupsRepo.membersOf(trx, scope.directory.id, [groupId]);
      await remove(members.filter((m) => matchesFilter({ value: m.member_value, display: m.display ?? m.user_display ?? undefined }, c.filter)).map((m) => m.member_value));
    } else {
      const wanted = dedupe(c.members);
      const keep = new Set(wanted.map((m) => m.value));
      await remove((await directoryGroupsRepo.allMemberValues(trx, groupId)).filter((v) => !keep.has(v)));
      await add(wanted);
    }
  }
  return { added: [...added], removed: [...removed], known };
}

/**
 * One membership event per changed member that exists as a user, in a stable order. Returns how many added
 * members are not (yet) users of the directory: stored, and resolved when the user appears (for the report).
 */
async function membershipEvents(trx: Kysely<Database>, scope: ScimScope, group: Record<string, unknown>, delta: MembershipDelta, events: EventBatch): Promise<number> {
  if (delta.added.length === 0 && delta.removed.length === 0) return 0;
  const ids = events.recorded ? [...delta.added, ...delta.removed] : delta.added;
  const users = new Map<string, DirectoryUserRow>();
  const unknown = ids.filter((id) => !delta.known.has(id));
  for (const id of ids) if (delta.known.get(id)) users.set(id, delta.known.get(id)!);
  for (const u of await directoryUsersRepo.findByIds(trx, scope.directory.id, unknown)) users.set(u.id, u);
  const pending = delta.added.filter((id) => !users.has(id)).length;
  if (!events.recorded) return pending;
  const key = `g:${group.id as string}`;
  for (const [type, ids] of [['group.user_removed', delta.removed], ['group.user_added', delta.added]] as const) {
    for (const id of ids) {
      const u = users.get(id);
      if (u) events.add(type, key, membershipData(renderUser(u, [], scope.base), group));
    }
  }
  return pending;
}

const rowValues = (v: GroupValues, now: number) => ({ display_name: v.displayName, external_id: v.externalId, raw: JSON.stringify(v.attrs), updated_at: now });

export async function createGroup(ctx: Ctx, scope: ScimScope, body: unknown): Promise<Record<string, unknown>> {
  const input = readGroupBody(body);
  if (!input.members?.length) {
    // An empty group (how Okta and Entra create them, members following in a PATCH) is one write: on PostgreSQL the
    // insert and its event are one statement (decision 0045).
    return inOneWrite(ctx, scope, (db, events, now) => {
      const row: DirectoryGroupRow = { id: newResourceId(now), directory_id: scope.directory.id, ...rowValues(input, now), created_at: now, version: 1 };
      events.alongWith(directoryGroupsRepo.insertWrite(db, row), (err) => {
        throw err;
      });
      const group = renderGroup(row, [], scope.base);
      events.add('group.created', `g:${row.id}`, groupData(group));
      scope.report.done({ kind: 'created', resource: 'Group', members: 0, pending: 0 });
      return group;
    });
  }
  return inTransaction(ctx, scope, async (trx, events, now) => {
    const row: DirectoryGroupRow = { id: newResourceId(now), directory_id: scope.directory.id, ...rowValues(input, now), created_at: now, version: 1 };
    await directoryGroupsRepo.insert(trx, row);
    const group = renderGroup(row, [], scope.base);
    events.add('group.created', `g:${row.id}`, groupData(group));
    const delta = await applyMemberChanges(ctx, trx, scope, row.id, [{ kind: 'add', members: input.members! }], now);
    const pending = await membershipEvents(trx, scope, group, delta, events);
    scope.report.done({ kind: 'created', resource: 'Group', members: delta.added.length, pending });
    return renderGroup(row, await directoryGroupsRepo.membersOf(trx, scope.directory.id, [row.id]), scope.base);
  });
}

export async function getGroup(ctx: Ctx, scope: ScimScope, id: string, p: Projection): Promise<Record<string, unknown>> {
  const row = (await directoryGroupsRepo.findById(ctx.db, scope.directory.id, id)) ?? notFound(id);
  const members = excludes(p, 'members') ? null : await directoryGroupsRepo.membersOf(ctx.db, scope.directory.id, [id]);
  scope.report.done({ kind: 'read', resource: 'Group' });
  return project('Group', renderGroup(row, members, scope.base), p);
}

export async function listGroups(ctx: Ctx, scope: ScimScope, q: ListQuery) {
  return listPage<DirectoryGroupRow>(ctx, scope, 'Group', q, async (rows, p) => {
    const members = excludes(p, 'members') ? null : await directoryGroupsRepo.membersOf(ctx.db, scope.directory.id, rows.map((r) => r.id));
    const byGroup = new Map<string, typeof members>();
    for (const m of members ?? []) (byGroup.get(m.group_id) ?? byGroup.set(m.group_id, []).get(m.group_id)!)!.push(m);
    return rows.map((r) => JSON.stringify(project('Group', renderGroup(r, members ? (byGroup.get(r.id) ?? []) : null, scope.base), p)));
  });
}

/** Saves changed attributes and members; group.updated only when the attributes changed. */
async function saveGroup(ctx: Ctx, trx: Kysely<Database>, scope: ScimScope, current: DirectoryGroupRow, values: GroupValues, changes: MemberChange[], events: EventBatch, now: number): Promise<DirectoryGroupRow> {
  const next = rowValues(values, now);
  const renamed = next.raw !== current.raw;
  const delta = await applyMemberChanges(ctx, trx, scope, current.id, changes, now);
  const changed = renamed || delta.added.length + delta.removed.length > 0;
  const report = (pending: number) => scope.report.done({
    kind: 'updated', resource: 'Group', changed, renamed,
    ...(changes.length ? { members: { replaced: changes.some((c) => c.kind === 'replace'), added: delta.added.length, removed: delta.removed.length, pending } } : {}),
  });
  if (!changed) return (report(0), current);
  const row: DirectoryGroupRow = { ...current, ...(renamed ? next : { updated_at: now }), version: current.version + 1 };
  // Sent with the events (one statement on PostgreSQL): nothing below reads the group's row.
  events.alongWith(directoryGroupsRepo.updateWrite(trx, scope.directory.id, current.id, { display_name: row.display_name, external_id: row.external_id, raw: row.raw, updated_at: now, version: row.version }), (err) => {
    throw err;
  });
  const group = renderGroup(row, null, scope.base);
  if (renamed) events.add('group.updated', `g:${row.id}`, groupData(group));
  report(await membershipEvents(trx, scope, group, delta, events));
  return row;
}

export async function replaceGroup(ctx: Ctx, scope: ScimScope, id: string, body: unknown): Promise<Record<string, unknown>> {
  const input = readGroupBody(body);
  return inTransaction(ctx, scope, async (trx, events, now) => {
    const current = await lockedGroup(ctx, trx, scope, id, events);
    // PUT without "members" keeps the members (clients that PUT only the name must not empty the group).
    const row = await saveGroup(ctx, trx, scope, current, input, input.members ? [{ kind: 'replace', members: input.members }] : [], events, now);
    return renderGroup(row, await directoryGroupsRepo.membersOf(trx, scope.directory.id, [id]), scope.base);
  });
}

export async function patchGroup(ctx: Ctx, scope: ScimScope, id: string, body: unknown): Promise<(p: Projection) => Promise<Record<string, unknown>>> {
  const ops = readPatchBody(body);
  const row = await inTransaction(ctx, scope, async (trx, events, now) => {
    const current = await lockedGroup(ctx, trx, scope, id, events);
    const { resource, members } = applyScimPatch('Group', JSON.parse(current.raw), ops);
    return saveGroup(ctx, trx, scope, current, groupValues(resource), members, events, now);
  });
  return async (p) => project('Group', renderGroup(row, excludes(p, 'members') ? null : await directoryGroupsRepo.membersOf(ctx.db, scope.directory.id, [id]), scope.base), p);
}

export async function deleteGroup(ctx: Ctx, scope: ScimScope, id: string): Promise<void> {
  await inTransaction(ctx, scope, async (trx, events) => {
    const current = await lockedGroup(ctx, trx, scope, id, events);
    await directoryGroupsRepo.delete(trx, scope.directory.id, id);
    events.add('group.deleted', `g:${id}`, groupData(renderGroup(current, null, scope.base)));
    scope.report.done({ kind: 'deleted', resource: 'Group' });
  });
}
