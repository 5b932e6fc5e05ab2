/** Named queries for SCIM users. Every query is scoped by directory id. */
import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Database } from '../schema.ts';
import type { DirectoryUsersTable } from '../schema-directory.ts';
import { forUpdate, type DialectName } from '../dialect.ts';
import { prepared } from '../prepared.ts';

export type DirectoryUserRow = Selectable<DirectoryUsersTable>;

/** What user events need to give users their roles: the product's declared roles and the tenant's mapping (null when absent). */
export interface RoleSettings {
  roles: string | null;
  mappings: string | null;
}

/** The columns a change's row lock reads beside the row: `rolesOf`'s product roles and mapping, as scalar subqueries (decision 0045). */
export function roleSettingsColumns(rolesOf: { tenant: string; product: string }) {
  return [
    sql<string | null>`(select pr.roles from products pr where pr.id = ${rolesOf.product})`.as('role_settings_roles'),
    sql<string | null>`(select rm.mappings from role_mappings rm where rm.tenant = ${rolesOf.tenant} and rm.product = ${rolesOf.product})`.as('role_settings_mappings'),
  ] as const;
}

/** Splits a row read with `roleSettingsColumns` into the row and its role settings. */
export function withRoleSettings<R extends object>(found: R & { role_settings_roles: string | null; role_settings_mappings: string | null }): { row: R; roleSettings: RoleSettings } {
  const { role_settings_roles: roles, role_settings_mappings: mappings, ...row } = found;
  return { row: row as unknown as R, roleSettings: { roles: roles ?? null, mappings: mappings ?? null } };
}

type UserPatch = Pick<DirectoryUserRow, 'user_name' | 'user_name_key' | 'external_id' | 'display_name' | 'active' | 'raw' | 'updated_at' | 'version'>;

export interface UserGroupRef {
  user_id: string;
  group_id: string;
  display_name: string;
}

/**
 * Every column, named: a statement read in a transaction names its columns, so it stays prepared (decision 0048) when
 * a later release adds one under traffic (`*` would change its result type). The check below fails to compile when
 * the table gains a column this list lacks.
 */
export const DIRECTORY_USER_COLUMNS = ['id', 'directory_id', 'user_name', 'user_name_key', 'external_id', 'display_name', 'active', 'raw', 'created_at', 'updated_at', 'version'] as const;
const everyUserColumn: Exclude<keyof DirectoryUsersTable, (typeof DIRECTORY_USER_COLUMNS)[number]> extends never ? true : never = true;
void everyUserColumn;

/** The hot SCIM reads, compiled once (storage/prepared.ts, decision 0049): same SQL as built per call. */
const byUserName = prepared<{ directoryId: string; key: string }, DirectoryUserRow>(['directoryId', 'key'], (db, v) =>
  db.selectFrom('directory_users').selectAll().where('directory_id', '=', v.directoryId).where('user_name_key', '=', v.key),
);
const groupsOfOne = prepared<{ directoryId: string; userId: string }, UserGroupRef>(['directoryId', 'userId'], (db, v) => groupsOfQuery(db, v.directoryId, [v.userId]));
const lockedWithRoles = new Map<DialectName, ReturnType<typeof lockedWithRolesQuery>>();
function lockedWithRolesQuery(dialect: DialectName) {
  type Found = DirectoryUserRow & { role_settings_roles: string | null; role_settings_mappings: string | null };
  return prepared<{ directoryId: string; id: string; tenant: string; product: string }, Found>(['directoryId', 'id', 'tenant', 'product'], (db, v) =>
    forUpdate(db.selectFrom('directory_users').select(DIRECTORY_USER_COLUMNS).select(roleSettingsColumns(v)).where('directory_id', '=', v.directoryId).where('id', '=', v.id), dialect),
  );
}

function groupsOfQuery(db: Kysely<Database>, directoryId: string, userIds: string[]) {
  return db
    .selectFrom('directory_group_members as m')
    .innerJoin('directory_groups as g', 'g.id', 'm.group_id')
    .select(['m.member_value as user_id', 'g.id as group_id', 'g.display_name as display_name'])
    .where('m.directory_id', '=', directoryId)
    .where('m.member_value', 'in', userIds);
}

export const directoryUsersRepo = {
  /** Inserts; a duplicate userName in the directory raises a unique violation (see isUniqueViolation). */
  async insert(db: Kysely<Database>, row: DirectoryUserRow): Promise<void> {
    await db.insertInto('directory_users').values(row).execute();
  },
  /** The insert, unsent: a SCIM create hands it to its event batch (directoryEventsRepo.appendWith). */
  insertWrite(db: Kysely<Database>, row: DirectoryUserRow) {
    return db.insertInto('directory_users').values(row);
  },
  async findById(db: Kysely<Database>, directoryId: string, id: string): Promise<DirectoryUserRow | undefined> {
    return db.selectFrom('directory_users').selectAll().where('directory_id', '=', directoryId).where('id', '=', id).executeTakeFirst();
  },
  /** The user, locked for the rest of the transaction where the dialect has row locks (a change reads, then writes). */
  async findForUpdate(trx: Kysely<Database>, dialect: DialectName, directoryId: string, id: string): Promise<DirectoryUserRow | undefined> {
    return forUpdate(trx.selectFrom('directory_users').selectAll().where('directory_id', '=', directoryId).where('id', '=', id), dialect).executeTakeFirst();
  },
  /**
   * findForUpdate, and in the same statement what the change's user events need for roles (`rolesOf`'s product
   * roles and mapping, scalar subqueries the lock does not reach): one round trip fewer per change (decision 0045).
   */
  async findForUpdateWithRoles(trx: Kysely<Database>, dialect: DialectName, directoryId: string, id: string, rolesOf: { tenant: string; product: string }): Promise<{ row: DirectoryUserRow; roleSettings: RoleSettings } | undefined> {
    let q = lockedWithRoles.get(dialect);
    if (!q) lockedWithRoles.set(dialect, (q = lockedWithRolesQuery(dialect)));
    const found = await q.first(trx, { directoryId, id, tenant: rolesOf.tenant, product: rolesOf.product });
    return found ? withRoleSettings(found) : undefined;
  },
  async findByUserName(db: Kysely<Database>, directoryId: string, userName: string): Promise<DirectoryUserRow | undefined> {
    return byUserName.first(db, { directoryId, key: userName.toLowerCase() });
  },
  /**
   * By primary key, then scoped to the directory here: with `directory_id = ?` in the query, SQLite without
   * ANALYZE statistics walks the directory's index over every user it holds instead of one key lookup per
   * id (1.2 ms against ~0.1 ms for a group PATCH of 40 members in a 10,000-user directory).
   */
  async findByIds(db: Kysely<Database>, directoryId: string, ids: string[]): Promise<DirectoryUserRow[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('directory_users').selectAll().where('id', 'in', ids).execute();
    return rows.filter((r) => r.directory_id === directoryId);
  },
  /** An update of the stored attributes (the caller bumps version), unsent: SCIM sends it with its event (see insertWrite). */
  updateWrite(db: Kysely<Database>, directoryId: string, id: string, patch: UserPatch) {
    return db.updateTable('directory_users').set(patch).where('directory_id', '=', directoryId).where('id', '=', id);
  },
  async delete(db: Kysely<Database>, directoryId: string, id: string): Promise<boolean> {
    const r = await db.deleteFrom('directory_users').where('directory_id', '=', directoryId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
  /** One page in creation order, with an optional compiled filter. */
  async list(db: Kysely<Database>, directoryId: string, where: RawBuilder<SqlBool> | null, offset: number, limit: number): Promise<DirectoryUserRow[]> {
    // Deferred join: the OFFSET walks the (directory_id, created_at, id) index reading ids only, then
    // only the page's rows are fetched (deep pages of a 10,000-user directory stay in a few ms).
    let ids = db.selectFrom('directory_users').select(['id', 'created_at']).where('directory_id', '=', directoryId);
    if (where) ids = ids.where(where);
    const page = ids.orderBy('created_at').orderBy('id').limit(limit).offset(offset).as('page');
    return db
      .selectFrom(page)
      .innerJoin('directory_users', 'directory_users.id', 'page.id')
      .selectAll('directory_users')
      .orderBy('page.created_at')
      .orderBy('page.id')
      .execute();
  },
  async count(db: Kysely<Database>, directoryId: string, where: RawBuilder<SqlBool> | null): Promise<number> {
    let q = db.selectFrom('directory_users').select((eb) => eb.fn.countAll<number>().as('n')).where('directory_id', '=', directoryId);
    if (where) q = q.where(where);
    return Number((await q.executeTakeFirstOrThrow()).n);
  },
  /** Keyset page by id (the pull API's cursor). */
  async pageAfter(db: Kysely<Database>, directoryId: string, afterId: string | null, limit: number, offset = 0): Promise<DirectoryUserRow[]> {
    let q = db.selectFrom('directory_users').selectAll().where('directory_id', '=', directoryId);
    if (afterId) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).offset(offset).execute();
  },
  /** The groups each of these users belongs to. */
  async groupsOf(db: Kysely<Database>, directoryId: string, userIds: string[]): Promise<UserGroupRef[]> {
    if (userIds.length === 0) return [];
    if (userIds.length === 1) return groupsOfOne.rows(db, { directoryId, userId: userIds[0]! });
    return groupsOfQuery(db, directoryId, userIds).execute();
  },
};
