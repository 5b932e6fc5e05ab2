/**
 * What one SCIM request works on: the directory resolved from the URL and bearer token by the auth
 * hook, and its base URL. Built per request and passed explicitly; never stored on a shared object.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DirectoryRow } from '../../storage/index.ts';
import type { Database } from '../../storage/schema.ts';
import { retryOnDeadlock, traitsOf } from '../../storage/dialect.ts';
import { EventBatch } from '../events/outbox.ts';
import type { ScimReport } from './report.ts';

export interface ScimScope {
  directory: DirectoryRow;
  /** `<EXTERNAL_URL>/api/scim/v2.0/<directoryId>` */
  base: string;
  /** What the handler did, for the SCIM inspector (report.ts). */
  report: ScimReport;
}

export type Ctx = Pick<AppContext, 'db' | 'dialect' | 'config' | 'now' | 'outbox'>;

/**
 * Runs `fn` in one transaction with an event batch; the events are written in the same transaction,
 * and the local deliverer is woken after the commit.
 */
export async function inTransaction<T>(ctx: Ctx, scope: ScimScope, fn: (trx: Kysely<Database>, events: EventBatch, now: number) => Promise<T>): Promise<T> {
  return withRetries(ctx, scope, (events, now) =>
    ctx.db.transaction().execute(async (trx) => {
      const r = await fn(trx, events, now);
      await events.write(trx, ctx.dialect);
      return r;
    }),
  );
}

/**
 * A change that reads nothing in the database first (a create): `fn` hands its one write to the batch
 * (`events.alongWith`). Where the dialect writes several rows in one statement (PostgreSQL), that statement is the
 * whole change, atomic without BEGIN and COMMIT; elsewhere it runs as `inTransaction` would (decision 0045).
 */
export async function inOneWrite<T>(ctx: Ctx, scope: ScimScope, fn: (db: Kysely<Database>, events: EventBatch, now: number) => T): Promise<T> {
  if (!traitsOf(ctx.dialect).writesInOneStatement) return inTransaction(ctx, scope, async (trx, events, now) => fn(trx, events, now));
  return withRetries(ctx, scope, async (events, now) => {
    const r = fn(ctx.db, events, now);
    await events.write(ctx.db, ctx.dialect);
    return r;
  });
}

async function withRetries<T>(ctx: Ctx, scope: ScimScope, run: (events: EventBatch, now: number) => Promise<T>): Promise<T> {
  // A deadlock victim was rolled back whole (events included): run it again with a fresh batch and clock.
  const { result, events } = await retryOnDeadlock(
    async () => {
      const now = ctx.now();
      const events = new EventBatch(scope.directory, now, ctx.config.WEBHOOK_RETRY_FOR_SECONDS * 1000);
      return { result: await run(events, now), events };
    },
    { attempts: 4, backoffMs: (attempt) => attempt * 5 * Math.random() },
  );
  if (events.rows.length) ctx.outbox.notify();
  return result;
}
