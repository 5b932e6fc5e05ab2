/** Named queries for the hourly budget of SSO traces: a conditional increment every instance shares. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { isUniqueViolation } from '../dialect.ts';

export interface TraceTake {
  bucket: string;
  hour: number;
  bytes: number;
  maxTraces: number;
  maxBytes: number;
}

export const ssoTraceBudgetsRepo = {
  /**
   * Takes one trace of `bytes` from the bucket's budget for the hour, or nothing when either cap would be
   * passed: one UPDATE whose WHERE holds the caps (so concurrent instances never overshoot), and an
   * INSERT the first time in the hour (a unique violation means another instance inserted first: update again).
   */
  async take(db: Kysely<Database>, t: TraceTake): Promise<boolean> {
    if (t.bytes > t.maxBytes || t.maxTraces < 1) return false;
    const update = async () =>
      Number(
        (await db.updateTable('sso_trace_budgets')
          .set((eb) => ({ traces: eb('traces', '+', 1), bytes: eb('bytes', '+', t.bytes) }))
          .where('bucket', '=', t.bucket).where('hour', '=', t.hour)
          .where('traces', '<', t.maxTraces).where('bytes', '<=', t.maxBytes - t.bytes)
          .executeTakeFirst()).numUpdatedRows,
      ) > 0;
    if (await update()) return true;
    try {
      await db.insertInto('sso_trace_budgets').values({ bucket: t.bucket, hour: t.hour, traces: 1, bytes: t.bytes }).execute();
      return true;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return update();
    }
  },
  async deleteBefore(db: Kysely<Database>, hour: number): Promise<number> {
    const r = await db.deleteFrom('sso_trace_budgets').where('hour', '<', hour).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
