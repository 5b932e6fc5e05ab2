/**
 * One claim-and-deliver round of the webhook outbox: claim due events under a lease, group them into
 * per-resource chains (sent in order; chains in parallel), POST each signed event (or, for a channel that builds
 * its own, its request: back-channel logout, decision 0025), and settle every outcome and attempt in one write. Events of a directory that cannot be sent (no URL, no secret, gone)
 * are recorded as failed attempts with the reason and retried with backoff until their deadline. Outcomes whose
 * recording fails while the database is away are kept and recorded once it is back (record-outcomes.ts).
 */
import type { AppContext } from '../../context.ts';
import { directoriesRepo, directoryEventsRepo, type DeliveryOutcome, type DirectoryEventRow, type DirectoryRow } from '../../storage/index.ts';
import type { NewDirectoryEventAttempt } from '../../storage/repositories/directory-events.ts';
import type { ChannelRequest, ChannelTarget } from '../events/outbox-channels.ts';
import { recordWebhookAttempt } from '../../observability/hooks.ts';
import { retryDelayMs } from './backoff.ts';
import { recordOutcomes } from './record-outcomes.ts';
import type { SendResult } from './sender.ts';
import { SIGNATURE_HEADERS, signWebhook } from './signer.ts';

/** Why events of a directory with a webhook URL but no secret (rows from before decision 0205) are not sent. */
export const HELD_NO_SECRET = 'held: the directory has a webhook URL but no webhook secret; set webhook_secret to deliver its events';

/** Where a directory's (or a channel's) events go, or why they are held (retried with backoff until they fail at their deadline). */
type Target = ChannelTarget;

export interface RoundSettings {
  leaseMs: number;
  batch: number;
  concurrency: number;
  random: () => number;
}

export interface RoundEnv extends RoundSettings {
  ctx: AppContext;
  sender: { send(url: string, body: string, headers: Record<string, string>): Promise<SendResult> };
  /** True once the deliverer is stopping: unsent chains go back to the outbox at once. */
  stopping(): boolean;
}

/** Runs one round under `claimId`; resolves to the number of events claimed. */
export async function deliverRound(env: RoundEnv, claimId: string): Promise<number> {
  const { ctx } = env;
  const events = await directoryEventsRepo.claim(ctx.db, ctx.dialect, claimId, ctx.now(), env.leaseMs, env.batch);
  if (events.length === 0) return 0;
  const byDirectory = await targets(ctx, events);
  const outcomes: DeliveryOutcome[] = [];
  const attempts: NewDirectoryEventAttempt[] = [];
  const queue = chainsOf(events);
  const next = () => (env.stopping() ? undefined : queue.shift());
  await Promise.all(
    Array.from({ length: Math.min(env.concurrency, queue.length) }, async () => {
      for (let chain = next(); chain; chain = next()) await deliverChain(env, chain, byDirectory.get(chain[0]!.directory_id), outcomes, attempts);
    }),
  );
  for (const e of queue.flat()) outcomes.push({ seq: e.seq, result: 'released' }); // stopping: unsent events go back to other instances now, not after the lease
  // Kept and retried through a database restart, so a delivered event is not sent again by another instance (decision 0037).
  await recordOutcomes(env, { claimId, leaseUntil: Math.min(...events.map((e) => Number(e.lease_until))), outcomes, attempts });
  return events.length;
}

/** The claimed events grouped by resource, each group in claim (sequence) order. */
function chainsOf(events: DirectoryEventRow[]): DirectoryEventRow[][] {
  const chains = new Map<string, DirectoryEventRow[]>();
  for (const e of events) {
    const k = `${e.directory_id}\u0000${e.resource_key}`;
    (chains.get(k) ?? chains.set(k, []).get(k)!).push(e);
  }
  return [...chains.values()];
}

async function targets(ctx: AppContext, events: DirectoryEventRow[]): Promise<Map<string, Target | null>> {
  const ids = [...new Set(events.map((e) => e.directory_id))];
  const rows = await directoriesRepo.findByIds(ctx.db, ids);
  const found = new Map<string, Target | null>(rows.map((d) => [d.id, targetOf(ctx, d)]));
  // Rows of an outbox channel (the vendor event stream) carry the channel's id: the channel says where they go.
  for (const id of ids) {
    if (found.has(id)) continue;
    const t = await ctx.outboxChannels.targetOf(id);
    if (t) found.set(id, t);
  }
  return found;
}

function targetOf(ctx: AppContext, d: DirectoryRow): Target | null {
  if (!d.webhook_url) return null;
  if (!d.webhook_secret_enc) return { held: HELD_NO_SECRET };
  try {
    const secret = ctx.secrets.decrypt(d.webhook_secret_enc);
    return secret ? { url: d.webhook_url, secret } : { held: HELD_NO_SECRET };
  } catch {
    ctx.log.error({ directoryId: d.id }, 'webhook secret cannot be decrypted (ENCRYPTION_KEY rotated without ENCRYPTION_KEYS_PREVIOUS?)');
    return null;
  }
}

/** The POST of one event: the signed webhook, or the channel's own request for it; `held` when it cannot be sent now. */
async function requestOf(env: RoundEnv, e: DirectoryEventRow, t: Target): Promise<ChannelRequest> {
  if ('held' in t) return t;
  if ('perEvent' in t) {
    try {
      return await t.perEvent(e);
    } catch (err) {
      env.ctx.log.error({ err, eventId: e.id }, 'outbox channel could not build its request');
      return { held: 'held: the request could not be built (see the server log)' };
    }
  }
  const sig = signWebhook(t.secret, env.ctx.now(), e.payload);
  return { url: t.url, body: e.payload, headers: Object.fromEntries([...SIGNATURE_HEADERS.map((h) => [h, sig]), ['Gatehouse-Event-Id', e.id], ['Gatehouse-Event', e.event]]) };
}

/** A channel's own transport; a throw is a failed attempt like a refused connection. */
async function deliverOwn(env: RoundEnv, e: DirectoryEventRow, req: { deliver: () => Promise<SendResult> }): Promise<SendResult> {
  try {
    return await req.deliver();
  } catch (err) {
    env.ctx.log.error({ err, eventId: e.id }, 'outbox channel could not send');
    return { status: null, latencyMs: 0, excerpt: null, error: 'the channel could not send (see the server log)' };
  }
}

const unsendable = (t: Target | ChannelRequest | null | undefined): SendResult => ({
  status: null, latencyMs: 0, excerpt: null,
  error: t && 'held' in t ? t.held : t === null ? 'the directory has no webhook URL' : 'the directory no longer exists',
});

/** Delivers one resource's events in order; stops at the first failure and releases the rest. */
async function deliverChain(env: RoundEnv, chain: DirectoryEventRow[], t: Target | null | undefined, outcomes: DeliveryOutcome[], attempts: NewDirectoryEventAttempt[]) {
  const { ctx } = env;
  const cfg = ctx.config;
  for (let i = 0; i < chain.length; i++) {
    const e = chain[i]!;
    const req = t ? await requestOf(env, e, t) : null;
    const sendable = req && 'url' in req ? req : null;
    const own = req && 'deliver' in req ? req : null;
    const r = sendable ? await env.sender.send(sendable.url, sendable.body, sendable.headers) : own ? await deliverOwn(env, e, own) : unsendable(req ?? t);
    const now = ctx.now();
    attempts.push({ event_id: e.id, directory_id: e.directory_id, attempt: e.attempts + 1, status_code: r.status, latency_ms: r.latencyMs, response_excerpt: r.excerpt, error: r.error, created_at: now });
    ctx.log.debug({ eventId: e.id, event: e.event, status: r.status, ms: r.latencyMs, error: r.error }, 'webhook attempt');
    if (sendable || own) recordWebhookAttempt(ctx, r);
    if (r.status !== null && r.status >= 200 && r.status < 300) {
      outcomes.push({ seq: e.seq, result: 'delivered', status: r.status, at: now });
      continue;
    }
    const error = r.error ?? `HTTP ${r.status}`;
    if (r.status !== null && sendable?.permanent?.(r.status)) {
      outcomes.push({ seq: e.seq, result: 'failed', status: r.status, error: `${error}: refused by the receiver, not retried` });
      for (const rest of chain.slice(i + 1)) outcomes.push({ seq: rest.seq, result: 'released' });
      return;
    }
    const retryAt = now + retryDelayMs(e.attempts + 1, cfg.WEBHOOK_RETRY_BASE_MS, cfg.WEBHOOK_RETRY_MAX_DELAY_MS, env.random());
    outcomes.push(retryAt > e.deadline_at ? { seq: e.seq, result: 'failed', status: r.status, error } : { seq: e.seq, result: 'retry', status: r.status, error, nextAttemptAt: retryAt });
    for (const rest of chain.slice(i + 1)) outcomes.push({ seq: rest.seq, result: 'released' });
    return;
  }
}
