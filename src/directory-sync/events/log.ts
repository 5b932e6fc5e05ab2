/** The webhook event log of the management API: events with their delivery attempts, and replay. */
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { directoriesRepo, directoryEventsRepo, type DirectoryEventRow } from '../../storage/index.ts';
import type { DirectoryEventAttemptRow } from '../../storage/repositories/directory-events.ts';
import { offsetOf, resolveDirectory } from '../pull.ts';

type Q = Record<string, string | undefined>;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * An event with its delivery state. `webhook_endpoint`, `status_code` and `delivered` are Jackson's webhook-log
 * fields (the directory's webhook URL, the last HTTP status, whether it was delivered), beside Gatehouse's own.
 */
function toApiEvent(e: DirectoryEventRow, attempts: DirectoryEventAttemptRow[], webhookUrl: string | null) {
  return {
    id: e.id,
    webhook_endpoint: webhookUrl ?? '',
    status_code: e.last_status,
    delivered: e.status === 'delivered',
    event: e.event,
    directory_id: e.directory_id,
    status: e.status,
    attempts: e.attempts,
    created_at: iso(e.created_at),
    delivered_at: iso(e.delivered_at),
    next_attempt_at: e.status === 'pending' ? iso(e.next_attempt_at) : null,
    retry_until: iso(e.deadline_at),
    last_status: e.last_status,
    last_error: e.last_error,
    payload: JSON.parse(e.payload) as unknown,
    deliveries: attempts.map((a) => ({ attempt: a.attempt, status: a.status_code, latency_ms: a.latency_ms, response_excerpt: a.response_excerpt, error: a.error, at: iso(a.created_at) })),
  };
}

export async function listEvents(ctx: AppContext, q: Q) {
  const dir = await resolveDirectory(ctx, q);
  const limit = Math.min(500, Math.max(1, Number.parseInt(q.limit ?? q.pageLimit ?? '50', 10) || 50));
  const status = q.status === 'pending' || q.status === 'delivered' || q.status === 'failed' ? q.status : undefined;
  const before = q.pageToken ? Number(Buffer.from(q.pageToken, 'base64url').toString()) : undefined;
  const rows = await directoryEventsRepo.list(ctx.db, dir.id, { status, beforeSeq: Number.isFinite(before) ? before : undefined, limit, offset: offsetOf(q) });
  const attempts = await directoryEventsRepo.attemptsOf(ctx.db, rows.map((r) => r.id));
  return {
    data: rows.map((r) => toApiEvent(r, attempts.filter((a) => a.event_id === r.id), dir.webhook_url)),
    pageToken: rows.length === limit ? Buffer.from(String(rows[rows.length - 1]!.seq)).toString('base64url') : null,
    counts: await directoryEventsRepo.countByStatus(ctx.db, dir.id),
  };
}

export async function getEvent(ctx: AppContext, id: string) {
  const e = await directoryEventsRepo.findById(ctx.db, id);
  if (!e) throw new GatehouseError('DSYNC_EVENT_NOT_FOUND');
  const dir = await directoriesRepo.findById(ctx.db, e.directory_id);
  return { data: toApiEvent(e, await directoryEventsRepo.attemptsOf(ctx.db, [id]), dir?.webhook_url ?? null) };
}

/** Puts failed events back in the queue: one by id, the listed `ids`, or every failed event of the directory. */
export async function replayEvents(ctx: AppContext, directoryId: string, ids: string[] | null) {
  const now = ctx.now();
  const n = await directoryEventsRepo.replay(ctx.db, directoryId, ids, now, now + ctx.config.WEBHOOK_RETRY_FOR_SECONDS * 1000);
  if (n) ctx.outbox.notify();
  return { data: { replayed: n } };
}

export async function replayEvent(ctx: AppContext, id: string) {
  const e = await directoryEventsRepo.findById(ctx.db, id);
  if (!e) throw new GatehouseError('DSYNC_EVENT_NOT_FOUND');
  if (e.status !== 'failed') throw new GatehouseError('API_CONFLICT', `Only failed events can be replayed; this one is ${e.status}.`);
  return replayEvents(ctx, e.directory_id, [id]);
}
