/** Login flows: what the app asked for, kept in the database between authorize and the IdP's answer. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, LoginFlowsTable } from '../schema.ts';
import { traitsOf, type DialectName } from '../dialect.ts';

export type LoginFlowRow = Selectable<LoginFlowsTable>;

export const loginFlowsRepo = {
  async insert(db: Kysely<Database>, row: Insertable<LoginFlowsTable>): Promise<void> {
    await db.insertInto('login_flows').values(row).execute();
  },
  async findById(db: Kysely<Database>, id: string): Promise<LoginFlowRow | undefined> {
    return db.selectFrom('login_flows').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /**
   * Completes an open, unexpired flow and answers it as it now is (completed_at = now), or undefined when no such
   * flow is open: the read and the single-use mark of an IdP's answer in one statement where the dialect has
   * RETURNING (decision 0039); on MySQL/MariaDB the conditional UPDATE, then the read.
   */
  async claim(db: Kysely<Database>, dialect: DialectName, id: string, now: number): Promise<LoginFlowRow | undefined> {
    const update = db.updateTable('login_flows').set({ completed_at: now }).where('id', '=', id).where('completed_at', 'is', null).where('expires_at', '>=', now);
    if (traitsOf(dialect).returning) return update.returningAll().executeTakeFirst();
    const r = await update.executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return db.selectFrom('login_flows').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /**
   * The finishers' single-use mark: a flow the protocol layer already claimed (`claim`, completed_at set) is this
   * request's; an open one is completed here. False when another answer completed it first.
   */
  async completeUnlessClaimed(db: Kysely<Database>, flow: LoginFlowRow, now: number): Promise<boolean> {
    return flow.completed_at !== null || loginFlowsRepo.complete(db, flow.id, now);
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
