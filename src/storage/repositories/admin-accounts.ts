/** Named queries for admin accounts and their server-side sessions. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { AdminSessionsTable, AdminUsersTable } from '../schema-admin.ts';
import { forUpdate, isUniqueViolation, type DialectName } from '../dialect.ts';

export type AdminUserRow = Selectable<AdminUsersTable>;
export type AdminSessionRow = Selectable<AdminSessionsTable>;

export const adminUsersRepo = {
  /** Inserts; false when the email is taken (the unique constraint decides, so concurrent boots are safe). */
  async insert(db: Kysely<Database>, row: AdminUserRow): Promise<boolean> {
    try {
      await db.insertInto('admin_users').values(row).execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  },
  findById: (db: Kysely<Database>, id: string) => db.selectFrom('admin_users').selectAll().where('id', '=', id).executeTakeFirst(),
  findByEmail: (db: Kysely<Database>, email: string) => db.selectFrom('admin_users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst(),
  /** A page ordered by email; `after` is the last email of the previous page. */
  list: (db: Kysely<Database>, limit: number, after?: string) => {
    let q = db.selectFrom('admin_users').selectAll().orderBy('email').limit(limit);
    if (after) q = q.where('email', '>', after);
    return q.execute();
  },
  count: async (db: Kysely<Database>) => Number((await db.selectFrom('admin_users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  async update(db: Kysely<Database>, id: string, patch: Partial<Omit<AdminUserRow, 'id' | 'created_at'>>): Promise<boolean> {
    const r = await db.updateTable('admin_users').set(patch).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  /** Accepts a TOTP step once: false when this or a later step was already used (a replayed code). */
  async useTotpStep(db: Kysely<Database>, id: string, step: number): Promise<boolean> {
    const r = await db.updateTable('admin_users').set({ totp_last_step: step }).where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)])).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** Deletes the account with its sessions, and revokes its personal keys (in the caller's transaction). */
  async delete(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
    await db.deleteFrom('admin_sessions').where('user_id', '=', id).execute();
    await db.updateTable('admin_api_keys').set({ revoked_at: now }).where('owner_id', '=', id).where('revoked_at', 'is', null).execute();
    const r = await db.deleteFrom('admin_users').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
  /**
   * Ids of owners who can sign in without SSO (a password is set), locked for the rest of the transaction on
   * PostgreSQL and MySQL so two concurrent demotions cannot both pass the lockout guard (SQLite serialises writers).
   */
  async lockLocalOwners(tx: Transaction<Database>, dialect: DialectName): Promise<string[]> {
    const rows = await forUpdate(tx.selectFrom('admin_users').select('id').where('role', '=', 'owner').where('password_hash', 'is not', null), dialect).execute();
    return rows.map((r) => r.id);
  },
};

export const adminSessionsRepo = {
  insert: async (db: Kysely<Database>, row: AdminSessionRow) => void (await db.insertInto('admin_sessions').values(row).execute()),
  findByHash: (db: Kysely<Database>, idHash: string) => db.selectFrom('admin_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst(),
  touch: async (db: Kysely<Database>, idHash: string, now: number) => void (await db.updateTable('admin_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute()),
  delete: async (db: Kysely<Database>, idHash: string) => void (await db.deleteFrom('admin_sessions').where('id_hash', '=', idHash).execute()),
  deleteForUser: async (db: Kysely<Database>, userId: string) => void (await db.deleteFrom('admin_sessions').where('user_id', '=', userId).execute()),
  /** Ends every session of the account but one; returns how many ended. */
  async deleteOthersOfUser(db: Kysely<Database>, userId: string, keepHash: string): Promise<number> {
    const r = await db.deleteFrom('admin_sessions').where('user_id', '=', userId).where('id_hash', '!=', keepHash).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
  /** Removes sessions past their absolute timeout (idle ones are removed when next presented, or at this timeout). */
  async deleteExpired(db: Kysely<Database>, now: number): Promise<number> {
    const r = await db.deleteFrom('admin_sessions').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
