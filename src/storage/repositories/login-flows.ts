/** Login flows: what the app asked for, kept in the database between authorize and the IdP's answer. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, LoginFlowsTable } from '../schema.ts';

export type LoginFlowRow = Selectable<LoginFlowsTable>;

export const loginFlowsRepo = {
  async insert(db: Kysely<Database>, row: Insertable<LoginFlowsTable>): Promise<void> {
    await db.insertInto('login_flows').values(row).execute();
  },
  async findById(db: Kysely<Database>, id: string): Promise<LoginFlowRow | undefined> {
    return db.selectFrom('login_flows').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** Marks the flow completed; false when it was already completed (a second IdP answer for one request). */
  async complete(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
    const r = await db.updateTable('login_flows').set({ completed_at: now }).where('id', '=', id).where('completed_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async deleteExpired(db: Kysely<Database>, now: number): Promise<number> {
    const r = await db.deleteFrom('login_flows').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
