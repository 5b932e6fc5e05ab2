/**
 * What one SCIM request works on: the directory resolved from the URL and bearer token by the auth
 * hook, and its base URL. Built per request and passed explicitly; never stored on a shared object.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DirectoryRow } from '../../storage/index.ts';
import type { Database } from '../../storage/schema.ts';
import { EventBatch, notifyOutbox } from '../events/outbox.ts';

export interface ScimScope {
  directory: DirectoryRow;
  /** `<EXTERNAL_URL>/api/scim/v2.0/<directoryId>` */
  base: string;
}

export type Ctx = Pick<AppContext, 'db' | 'dialect' | 'config' | 'now'>;

/**
 * Runs `fn` in one transaction with an event batch; the events are written in the same transaction,
 * and the local deliverer is woken after the commit.
 */
export async function inTransaction<T>(ctx: Ctx, scope: ScimScope, fn: (trx: Kysely<Database>, events: EventBatch, now: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const now = ctx.now();
    const events = new EventBatch(scope.directory, now, ctx.config.WEBHOOK_RETRY_FOR_SECONDS * 1000);
    try {
      const result = await ctx.db.transaction().execute(async (trx) => {
        const r = await fn(trx, events, now);
        await events.write(trx);
        return r;
      });
      if (events.rows.length) notifyOutbox(ctx.db);
      return result;
    } catch (err) {
      // InnoDB and PostgreSQL may pick this transaction as a deadlock victim: it was rolled back whole, so run it again.
      if (attempt >= 4 || !isDeadlock(err)) throw err;
      await new Promise((r) => setTimeout(r, attempt * 5 * Math.random()));
    }
  }
}

/** A deadlock or serialization failure: the transaction was rolled back and may simply be retried. */
export function isDeadlock(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  return !!e && (e.code === 'ER_LOCK_DEADLOCK' || e.errno === 1213 || e.code === '40P01' || e.code === '40001');
}

/** `SELECT … FOR UPDATE` where the dialect has it (SQLite has one writer, so a transaction already serialises). */
export const lockable = (ctx: Ctx) => ctx.dialect !== 'sqlite';
