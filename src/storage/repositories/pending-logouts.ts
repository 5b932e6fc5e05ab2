/** Pending SAML logouts (issue 15, decision 0030): inserted when a LogoutRequest is sent, completed once by its LogoutResponse. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { PendingLogoutsTable } from '../schema-logout.ts';

export type PendingLogoutRow = Selectable<PendingLogoutsTable>;

export const pendingLogoutsRepo = {
  async insert(db: Kysely<Database>, row: PendingLogoutRow): Promise<void> {
    await db.insertInto('pending_logouts').values(row).execute();
  },
  async find(db: Kysely<Database>, id: string): Promise<PendingLogoutRow | undefined> {
    return db.selectFrom('pending_logouts').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** Completes it once (a conditional UPDATE); false when it was already completed or has expired. */
  async complete(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
    const r = await db.updateTable('pending_logouts').set({ completed_at: now }).where('id', '=', id).where('completed_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async deleteExpired(db: Kysely<Database>, before: number): Promise<number> {
    const r = await db.deleteFrom('pending_logouts').where('expires_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
