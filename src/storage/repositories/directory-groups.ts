/** Named queries for SCIM groups and memberships. Every query is scoped by directory id. */
import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Database } from '../schema.ts';
import type { DirectoryGroupMembersTable, DirectoryGroupsTable } from '../schema-directory.ts';
import { forUpdate, traitsOf, type DialectName } from '../dialect.ts';
import { DIRECTORY_USER_COLUMNS, roleSettingsColumns, withRoleSettings, type DirectoryUserRow, type RoleSettings } from './directory-users.ts';

export type DirectoryGroupRow = Selectable<DirectoryGroupsTable>;
export type DirectoryMemberRow = Selectable<DirectoryGroupMembersTable>;

type GroupPatch = Pick<DirectoryGroupRow, 'display_name' | 'external_id' | 'raw' | 'updated_at' | 'version'>;

export interface MemberView {
  group_id: string;
  member_value: string;
  display: string | null;
  user_display: string | null;
  user_name: string | null;
}

const CHUNK = 500;
const chunks = <T>(list: T[]): T[][] => Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));

/** Every column, named (see DIRECTORY_USER_COLUMNS). */
const DIRECTORY_GROUP_COLUMNS = ['id', 'directory_id', 'display_name', 'external_id', 'raw', 'created_at', 'updated_at', 'version'] as const;
const everyGroupColumn: Exclude<keyof DirectoryGroupsTable, (typeof DIRECTORY_GROUP_COLUMNS)[number]> extends never ? true : never = true;
void everyGroupColumn;

/** `u.<each column>` of a directory user, so a statement that reads them can stay prepared in a transaction. */
const userColumns = sql.join(DIRECTORY_USER_COLUMNS.map((c) => sql.ref(`u.${c}`)));

export const directoryGroupsRepo = {
  async insert(db: Kysely<Database>, row: DirectoryGroupRow): Promise<void> {
    await db.insertInto('directory_groups').values(row).execute();
  },
  /** The insert, unsent: a SCIM create hands it to its event batch (directoryEventsRepo.appendWith). */
  insertWrite(db: Kysely<Database>, row: DirectoryGroupRow) {
    return db.insertInto('directory_groups').values(row);
  },
  async findById(db: Kysely<Database>, directoryId: string, id: string): Promise<DirectoryGroupRow | undefined> {
    return db.selectFrom('directory_groups').selectAll().where('directory_id', '=', directoryId).where('id', '=', id).executeTakeFirst();
  },
  /** The group, locked for the rest of the transaction where the dialect has row locks (a change reads, then writes). */
  async findForUpdate(trx: Kysely<Database>, dialect: DialectName, directoryId: string, id: string): Promise<DirectoryGroupRow | undefined> {
    return forUpdate(trx.selectFrom('directory_groups').selectAll().where('directory_id', '=', directoryId).where('id', '=', id), dialect).executeTakeFirst();
  },
  /** findForUpdate with the roles user events need, in the same statement (see directoryUsersRepo.findForUpdateWithRoles). */
  async findForUpdateWithRoles(trx: Kysely<Database>, dialect: DialectName, directoryId: string, id: string, rolesOf: { tenant: string; product: string }): Promise<{ row: DirectoryGroupRow; roleSettings: RoleSettings } | undefined> {
    const q = trx
      .selectFrom('directory_groups')
      .select(DIRECTORY_GROUP_COLUMNS)
      .select(roleSettingsColumns(rolesOf))
      .where('directory_id', '=', directoryId)
      .where('id', '=', id);
    const found = await forUpdate(q, dialect).executeTakeFirst();
    return found ? withRoleSettings(found) : undefined;
  },
  /** By primary key, then scoped to the directory here (see directoryUsersRepo.findByIds). */
  async findByIds(db: Kysely<Database>, directoryId: string, ids: string[]): Promise<DirectoryGroupRow[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('directory_groups').selectAll().where('id', 'in', ids).orderBy('id').execute();
    return rows.filter((r) => r.directory_id === directoryId);
  },
  /** An update of the stored attributes (the caller bumps version), unsent: SCIM sends it with its event (see insertWrite). */
  updateWrite(db: Kysely<Database>, directoryId: string, id: string, patch: GroupPatch) {
    return db.updateTable('directory_groups').set(patch).where('directory_id', '=', directoryId).where('id', '=', id);
  },
  async delete(db: Kysely<Database>, directoryId: string, id: string): Promise<boolean> {
    await db.deleteFrom('directory_group_members').where('directory_id', '=', directoryId).where('group_id', '=', id).execute();
    const r = await db.deleteFrom('directory_groups').where('directory_id', '=', directoryId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
  async list(db: Kysely<Database>, directoryId: string, where: RawBuilder<SqlBool> | null, offset: number, limit: number): Promise<DirectoryGroupRow[]> {
    // Deferred join: the OFFSET walks the (directory_id, created_at, id) index reading ids only, then
    // only the page's rows are fetched (deep pages of a 10,000-user directory stay in a few ms).
    let ids = db.selectFrom('directory_groups').select(['id', 'created_at']).where('directory_id', '=', directoryId);
    if (where) ids = ids.where(where);
    const page = ids.orderBy('created_at').orderBy('id').limit(limit).offset(offset).as('page');
    return db
      .selectFrom(page)
      .innerJoin('directory_groups', 'directory_groups.id', 'page.id')
      .selectAll('directory_groups')
      .orderBy('page.created_at')
      .orderBy('page.id')
      .execute();
  },
  async count(db: Kysely<Database>, directoryId: string, where: RawBuilder<SqlBool> | null): Promise<number> {
    let q = db.selectFrom('directory_groups').select((eb) => eb.fn.countAll<number>().as('n')).where('directory_id', '=', directoryId);
    if (where) q = q.where(where);
    return Number((await q.executeTakeFirstOrThrow()).n);
  },
  async pageAfter(db: Kysely<Database>, directoryId: string, afterId: string | null, limit: number, offset = 0): Promise<DirectoryGroupRow[]> {
    let q = db.selectFrom('directory_groups').selectAll().where('directory_id', '=', directoryId);
    if (afterId) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).offset(offset).execute();
  },

  /** Members of these groups, with the user's name when the user exists (a member may not exist yet). */
  async membersOf(db: Kysely<Database>, directoryId: string, groupIds: string[]): Promise<MemberView[]> {
    if (groupIds.length === 0) return [];
    return db
      .selectFrom('directory_group_members as m')
      .leftJoin('directory_users as u', (j) => j.onRef('u.id', '=', 'm.member_value').onRef('u.directory_id', '=', 'm.directory_id'))
      .select(['m.group_id', 'm.member_value', 'm.display', 'u.display_name as user_display', 'u.user_name as user_name'])
      .where('m.directory_id', '=', directoryId)
      .where('m.group_id', 'in', groupIds)
      .orderBy('m.created_at')
      .orderBy('m.member_value')
      .execute();
  },
  /** Keyset page of one group's member values (the pull API). */
  async memberPage(db: Kysely<Database>, directoryId: string, groupId: string, afterValue: string | null, limit: number): Promise<string[]> {
    let q = db.selectFrom('directory_group_members').select('member_value').where('directory_id', '=', directoryId).where('group_id', '=', groupId);
    if (afterValue) q = q.where('member_value', '>', afterValue);
    return (await q.orderBy('member_value').limit(limit).execute()).map((r) => r.member_value);
  },
  /** Which of `values` are already members. */
  async memberValuesIn(db: Kysely<Database>, groupId: string, values: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunks(values)) {
      const rows = await db.selectFrom('directory_group_members').select('member_value').where('group_id', '=', groupId).where('member_value', 'in', part).execute();
      for (const r of rows) found.add(r.member_value);
    }
    return found;
  },
  async allMemberValues(db: Kysely<Database>, groupId: string): Promise<string[]> {
    return (await db.selectFrom('directory_group_members').select('member_value').where('group_id', '=', groupId).execute()).map((r) => r.member_value);
  },
  async addMembers(db: Kysely<Database>, rows: DirectoryMemberRow[]): Promise<void> {
    for (const part of chunks(rows)) await db.insertInto('directory_group_members').values(part).execute();
  },
  /**
   * Adds the rows (one group of `directoryId`, distinct values) that are not members yet; returns the values it added
   * and, on PostgreSQL, which of them are users of the directory (`users`: value → row, or null when no such user
   * yet). PostgreSQL: one `INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING RETURNING`, joined to the users in
   * the same statement (decisions 0045, 0048); SQLite: the insert alone; MySQL/MariaDB: a read of those already there, then the insert.
   */
  async addNewMembers(db: Kysely<Database>, dialect: DialectName, directoryId: string, groupId: string, rows: DirectoryMemberRow[]): Promise<{ added: Set<string>; users: Map<string, DirectoryUserRow | null> | null }> {
    const added = new Set<string>();
    const traits = traitsOf(dialect);
    if (!traits.returning) {
      const present = await directoryGroupsRepo.memberValuesIn(db, groupId, rows.map((r) => r.member_value));
      const fresh = rows.filter((r) => !present.has(r.member_value));
      await directoryGroupsRepo.addMembers(db, fresh);
      for (const r of fresh) added.add(r.member_value);
      return { added, users: null };
    }
    if (traits.writesInOneStatement) {
      // One statement whatever the count, with the same text for every count (so it is prepared once per
      // connection, decision 0048): the values as arrays, unnested in their order. The user's columns are named, not
      // `u.*`: it runs in the PATCH's transaction, where an every-column statement is never prepared.
      const users = new Map<string, DirectoryUserRow | null>();
      const found = await sql<{ member_value: string } & Record<string, unknown>>`
        with added as (
          insert into directory_group_members (group_id, directory_id, member_value, display, created_at)
          select ${groupId}, ${directoryId}, t.v, t.d, t.c
          from unnest(${rows.map((r) => r.member_value)}::text[], ${rows.map((r) => r.display)}::text[], ${rows.map((r) => r.created_at)}::bigint[]) with ordinality as t(v, d, c, o)
          order by t.o
          on conflict (group_id, member_value) do nothing
          returning member_value
        )
        select added.member_value, ${userColumns} from added left join directory_users u on u.id = added.member_value and u.directory_id = ${directoryId}`.execute(db);
      for (const { member_value, ...u } of found.rows) {
        added.add(member_value);
        users.set(member_value, u.id === null ? null : (u as unknown as DirectoryUserRow));
      }
      return { added, users };
    }
    for (const part of chunks(rows)) {
      const insert = db.insertInto('directory_group_members').values(part).onConflict((oc) => oc.columns(['group_id', 'member_value']).doNothing());
      for (const r of await insert.returning('member_value').execute()) added.add(r.member_value);
    }
    return { added, users: null };
  },
  async removeMembers(db: Kysely<Database>, groupId: string, values: string[]): Promise<void> {
    for (const part of chunks(values)) await db.deleteFrom('directory_group_members').where('group_id', '=', groupId).where('member_value', 'in', part).execute();
  },
  /** Removes a deleted user from every group of the directory. */
  async removeUserEverywhere(db: Kysely<Database>, directoryId: string, userId: string): Promise<void> {
    await db.deleteFrom('directory_group_members').where('directory_id', '=', directoryId).where('member_value', '=', userId).execute();
  },
};
