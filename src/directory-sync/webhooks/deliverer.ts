/**
 * The webhook deliverer, run by every instance: claim due events from the outbox (with a lease, so a
 * killed instance's events go to others when the lease ends), POST each signed event, record the
 * attempt, and schedule a retry with backoff until the event's deadline, when it is marked failed.
 * Events of one resource are sent one after another in order; different resources go in parallel.
 * The IdP's SCIM call never waits for any of this: it only appends to the outbox and nudges us.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { directoriesRepo, directoryEventsRepo, type DeliveryOutcome, type DirectoryEventRow, type DirectoryRow } from '../../storage/index.ts';
import type { NewDirectoryEventAttempt } from '../../storage/repositories/directory-events.ts';
import { onOutboxWrite } from '../events/outbox.ts';
import { retryDelayMs } from './backoff.ts';
import { createSender, type SendResult } from './sender.ts';
import { createThreadSender } from './sender-thread.ts';
import { SIGNATURE_HEADERS, signWebhook } from './signer.ts';
import { recordWebhookAttempt } from '../../observability/hooks.ts';

export interface DelivererOptions {
  /** Overrides of the configured values (tests). */
  pollMs?: number;
  leaseMs?: number;
  batch?: number;
  concurrency?: number;
  random?: () => number;
  /** POST from a worker thread (main.ts), instead of the main thread (tests, default). */
  threaded?: boolean;
}

export interface Deliverer {
  /** Stops claiming; resolves when in-flight deliveries are recorded. */
  stop(): Promise<void>;
  /** Runs one claim-and-deliver round now (tests). Resolves to the number of events handled. */
  runOnce(): Promise<number>;
  readonly instanceId: string;
}

/** How long a nudge waits to gather more events into one claim. */
const NUDGE_MS = 5;

/** Where a directory's events go, or why they are held (retried with backoff until they fail at their deadline). */
type Target = { url: string; secret: string } | { held: string };

/** Why events of a directory with a webhook URL but no secret (rows from before decision 0205) are not sent. */
export const HELD_NO_SECRET = 'held: the directory has a webhook URL but no webhook secret; set webhook_secret to deliver its events';

export function startWebhookDeliverer(ctx: AppContext, opts: DelivererOptions = {}): Deliverer {
  const cfg = ctx.config;
  const pollMs = opts.pollMs ?? cfg.DSYNC_DELIVERER_POLL_MS;
  const leaseMs = opts.leaseMs ?? cfg.DSYNC_DELIVERER_LEASE_MS;
  const batch = opts.batch ?? cfg.DSYNC_DELIVERER_BATCH;
  const concurrency = opts.concurrency ?? cfg.DSYNC_DELIVERER_CONCURRENCY;
  const random = opts.random ?? Math.random;
  const instanceId = randomUUID().slice(0, 8);
  const senderOpts = { allowHosts: cfg.OUTBOUND_ALLOW_HOSTS, timeoutMs: cfg.OUTBOUND_TIMEOUT_MS };
  const sender = opts.threaded ? createThreadSender(senderOpts) : createSender(senderOpts);
  let claims = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<number> | null = null;
  let again = false;
  let lastSweep = 0;

  async function targets(events: DirectoryEventRow[]): Promise<Map<string, Target | null>> {
    const rows = await directoriesRepo.findByIds(ctx.db, [...new Set(events.map((e) => e.directory_id))]);
    const map = new Map<string, Target | null>();
    for (const d of rows) map.set(d.id, targetOf(d));
    return map;
  }

  function targetOf(d: DirectoryRow): Target | null {
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

  async function post(e: DirectoryEventRow, t: { url: string; secret: string }): Promise<SendResult> {
    const ts = ctx.now();
    const sig = signWebhook(t.secret, ts, e.payload);
    return sender.send(t.url, e.payload, Object.fromEntries([...SIGNATURE_HEADERS.map((h) => [h, sig]), ['Gatehouse-Event-Id', e.id], ['Gatehouse-Event', e.event]]));
  }

  /** Delivers one resource's events in order; stops at the first failure and releases the rest. */
  async function deliverChain(chain: DirectoryEventRow[], t: Target | null | undefined, outcomes: DeliveryOutcome[], attempts: NewDirectoryEventAttempt[]) {
    for (let i = 0; i < chain.length; i++) {
      const e = chain[i]!;
      const r: SendResult = t && 'url' in t ? await post(e, t) : { status: null, latencyMs: 0, excerpt: null, error: t ? t.held : t === null ? 'the directory has no webhook URL' : 'the directory no longer exists' };
      const now = ctx.now();
      attempts.push({ event_id: e.id, directory_id: e.directory_id, attempt: e.attempts + 1, status_code: r.status, latency_ms: r.latencyMs, response_excerpt: r.excerpt, error: r.error, created_at: now });
      ctx.log.debug({ eventId: e.id, event: e.event, status: r.status, ms: r.latencyMs, error: r.error }, 'webhook attempt');
      if (t && 'url' in t) recordWebhookAttempt(ctx, r);
      if (r.status !== null && r.status >= 200 && r.status < 300) {
        outcomes.push({ seq: e.seq, result: 'delivered', status: r.status, at: now });
        continue;
      }
      const error = r.error ?? `HTTP ${r.status}`;
      const next = now + retryDelayMs(e.attempts + 1, cfg.WEBHOOK_RETRY_BASE_MS, cfg.WEBHOOK_RETRY_MAX_DELAY_MS, random());
      outcomes.push(next > e.deadline_at ? { seq: e.seq, result: 'failed', status: r.status, error } : { seq: e.seq, result: 'retry', status: r.status, error, nextAttemptAt: next });
      for (const rest of chain.slice(i + 1)) outcomes.push({ seq: rest.seq, result: 'released' });
      return;
    }
  }

  async function round(): Promise<number> {
    const claimId = `${instanceId}:${++claims}`;
    const events = await directoryEventsRepo.claim(ctx.db, ctx.dialect, claimId, ctx.now(), leaseMs, batch);
    if (events.length === 0) return 0;
    const byTarget = await targets(events);
    const chains = new Map<string, DirectoryEventRow[]>();
    for (const e of events) {
      const k = `${e.directory_id}\u0000${e.resource_key}`;
      (chains.get(k) ?? chains.set(k, []).get(k)!).push(e);
    }
    const outcomes: DeliveryOutcome[] = [];
    const attempts: NewDirectoryEventAttempt[] = [];
    const queue = [...chains.values()];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let chain = stopping ? undefined : queue.shift(); chain; chain = stopping ? undefined : queue.shift()) await deliverChain(chain, byTarget.get(chain[0]!.directory_id), outcomes, attempts);
      }),
    );
    for (const e of queue.flat()) outcomes.push({ seq: e.seq, result: 'released' }); // stopping: unsent events go back to other instances now, not after the lease
    await directoryEventsRepo.settle(ctx.db, claimId, outcomes, attempts);
    return events.length;
  }

  async function sweep() {
    const now = ctx.now();
    if (cfg.DSYNC_EVENT_RETENTION_DAYS === 0 || now - lastSweep < 3_600_000) return;
    lastSweep = now;
    await directoryEventsRepo.deleteDeliveredBefore(ctx.db, now - cfg.DSYNC_EVENT_RETENTION_DAYS * 86_400_000);
  }

  let dueAt = Infinity;
  /** Runs a round in `ms` unless one is already due sooner. */
  function schedule(ms: number) {
    if (stopping) return;
    const at = Date.now() + ms;
    if (timer && dueAt <= at) return;
    if (timer) clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(() => {
      timer = null;
      dueAt = Infinity;
      void tick();
    }, ms);
    timer.unref();
  }

  async function tick(): Promise<number> {
    if (current) {
      again = true;
      return current;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    dueAt = Infinity;
    current = (async () => {
      let handled = 0;
      try {
        handled = await round();
        await sweep();
      } catch (err) {
        ctx.log.warn({ err }, 'webhook delivery round failed; retrying');
      }
      return handled;
    })();
    const handled = await current;
    current = null;
    // A full batch: go on at once. New events arrived meanwhile: gather them for a few ms, so a busy
    // SCIM burst is delivered in batches rather than one claim per event.
    const delay = handled >= batch ? 0 : again || handled > 0 ? NUDGE_MS : pollMs;
    again = false;
    schedule(delay);
    return handled;
  }

  const unsubscribe = onOutboxWrite(ctx.db, () => {
    if (current) again = true;
    else schedule(NUDGE_MS);
  });
  schedule(0);

  return {
    instanceId,
    async runOnce() {
      return tick();
    },
    async stop() {
      stopping = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = null;
      if (current) await current;
      sender.close();
    },
  };
}
