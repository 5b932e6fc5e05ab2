/**
 * Replaying failed webhook events, for the portal and the management API alike: the caller needs `dsync:write`
 * on the event's directory, and every replay is audited as `dsync.event.replayed` on that directory. A pending
 * event can be retried now (`dsync.event.retried`): its next attempt becomes due at once, in the database, so
 * whichever instance's deliverer claims next sends it.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { directoryEventsRepo } from '../storage/index.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { replayEvent, replayEvents } from './events/log.ts';
import { directoryFor } from './directories.ts';

const audit = (ctx: AppContext, caller: Caller, d: { id: string; tenant: string; product: string }, after: unknown) =>
  auditChange(ctx, caller, { action: 'dsync.event.replayed', target: { type: 'directory', id: d.id }, tenant: d.tenant, product: d.product, after });

/** An event the caller may change, with its directory; with `directoryId` the event must belong to that directory. */
async function writableEvent(ctx: AppContext, caller: Caller, eventId: string, directoryId: string | undefined) {
  const e = await directoryEventsRepo.findById(ctx.db, eventId);
  if (!e && directoryId === undefined) {
    authorize(caller, 'dsync:write', {}); // a limited caller learns nothing of events outside its scope
    throw new GatehouseError('DSYNC_EVENT_NOT_FOUND');
  }
  const dir = await directoryFor(ctx, caller, 'dsync:write', directoryId ?? e?.directory_id ?? '');
  if (!e || e.directory_id !== dir.id) throw new GatehouseError('DSYNC_EVENT_NOT_FOUND');
  return { e, dir };
}

/** Replays one failed event; with `directoryId` the event must belong to that directory. */
export async function replayDirectoryEvent(ctx: AppContext, caller: Caller, eventId: string, directoryId?: string) {
  const { e, dir } = await writableEvent(ctx, caller, eventId, directoryId);
  const out = await replayEvent(ctx, e.id);
  await audit(ctx, caller, dir, { eventId: e.id });
  return out;
}

/** Replays the listed failed events of a directory, or every failed one when `ids` is null. */
export async function replayDirectoryEvents(ctx: AppContext, caller: Caller, directoryId: string, ids: string[] | null) {
  const dir = await directoryFor(ctx, caller, 'dsync:write', directoryId);
  const out = await replayEvents(ctx, dir.id, ids);
  await audit(ctx, caller, dir, { eventIds: ids ?? 'every failed event', replayed: out.data.replayed });
  return out;
}

/** "Retry now" for a pending event: due at once instead of at its backoff time; 409 when it is not pending. With `directoryId` the event must belong to that directory. */
export async function retryPendingEventNow(ctx: AppContext, caller: Caller, eventId: string, directoryId?: string) {
  const { e, dir } = await writableEvent(ctx, caller, eventId, directoryId);
  const now = ctx.now();
  if (e.status !== 'pending' || (await directoryEventsRepo.dueNow(ctx.db, dir.id, e.id, now)) === 0) {
    throw new GatehouseError('API_CONFLICT', `Only pending events can be retried now; this one is ${e.status === 'pending' ? 'no longer pending' : e.status}.`);
  }
  ctx.outbox.notify();
  await auditChange(ctx, caller, { action: 'dsync.event.retried', target: { type: 'directory', id: dir.id }, tenant: dir.tenant, product: dir.product, before: { eventId: e.id, nextAttemptAt: new Date(e.next_attempt_at).toISOString() }, after: { eventId: e.id, nextAttemptAt: new Date(now).toISOString() } });
  return { data: { id: e.id, next_attempt_at: new Date(now).toISOString() } };
}
