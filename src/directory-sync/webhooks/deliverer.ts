/**
 * The webhook deliverer, run by every instance: rounds of claim-and-deliver (delivery-round.ts) driven by a
 * scheduler that runs at most one round at a time, at once after a full batch, 25 ms after an outbox write
 * (so a SCIM burst is delivered in batches), and every poll interval otherwise. A killed instance's events go
 * to others when their lease ends. The IdP's SCIM call never waits for any of this: it only appends to the
 * outbox and nudges us.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { directoryEventsRepo } from '../../storage/index.ts';
import { deliverRound, type RoundEnv } from './delivery-round.ts';
import { createSender } from './sender.ts';
import { createThreadSender } from './sender-thread.ts';

export { HELD_NO_SECRET } from './delivery-round.ts';

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

/**
 * How long a nudge waits to gather more events into one claim. A round has a cost of its own (the claim, the
 * settle, the hand-off to the sender thread): an IdP pushing one request at a time (~1 ms each) made rounds of
 * a few events at 5 ms; at 25 ms they hold ~20, and an event is still on its way within 25 ms (decision 0036).
 */
const NUDGE_MS = 25;
const SWEEP_EVERY_MS = 3_600_000;

/**
 * Runs `work` at most once at a time. `schedule(ms)` asks for a run in `ms` unless one is due sooner; a request
 * made while a run is in flight is remembered (`pending`) and decides the delay after it.
 */
class RoundScheduler {
  private timer: NodeJS.Timeout | null = null;
  private dueAt = Infinity;
  private inFlight: Promise<number> | null = null;
  private pending = false;
  private stopped = false;

  constructor(private readonly work: () => Promise<number>, private readonly delayAfter: (handled: number, pending: boolean) => number) {}

  get stopping() {
    return this.stopped;
  }

  schedule(ms: number): void {
    if (this.stopped) return;
    const at = Date.now() + ms;
    if (this.timer && this.dueAt <= at) return;
    this.clearTimer();
    this.dueAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dueAt = Infinity;
      void this.run();
    }, ms);
    this.timer.unref();
  }

  /** A write happened: fold it into the running round's follow-up, or run soon. */
  nudge(): void {
    if (this.inFlight) this.pending = true;
    else this.schedule(NUDGE_MS);
  }

  async run(): Promise<number> {
    if (this.inFlight) {
      this.pending = true;
      return this.inFlight;
    }
    this.clearTimer();
    this.inFlight = this.work();
    const handled = await this.inFlight;
    this.inFlight = null;
    const delay = this.delayAfter(handled, this.pending);
    this.pending = false;
    this.schedule(delay);
    return handled;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    if (this.inFlight) await this.inFlight;
  }

  private clearTimer() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = Infinity;
  }
}

/** Deletes delivered events past their retention: once an hour per instance, and every round while a backlog remains. */
function retentionSweep(ctx: AppContext): () => Promise<void> {
  let lastSweep = 0;
  let from = 0; // where an unfinished sweep goes on (an optimization: any instance may start over from 0)
  return async () => {
    const now = ctx.now();
    if (ctx.config.DSYNC_EVENT_RETENTION_DAYS === 0 || now - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = now;
    const r = await directoryEventsRepo.deleteDeliveredBefore(ctx.db, ctx.dialect, now - ctx.config.DSYNC_EVENT_RETENTION_DAYS * 86_400_000, { from });
    from = r.next;
    if (!r.done) lastSweep = 0; // a backlog: another budget next round
  };
}

export function startWebhookDeliverer(ctx: AppContext, opts: DelivererOptions = {}): Deliverer {
  const cfg = ctx.config;
  const pollMs = opts.pollMs ?? cfg.DSYNC_DELIVERER_POLL_MS;
  const instanceId = randomUUID().slice(0, 8);
  const senderOpts = { allowHosts: cfg.OUTBOUND_ALLOW_HOSTS, timeoutMs: cfg.OUTBOUND_TIMEOUT_MS };
  const sender = opts.threaded ? createThreadSender(senderOpts) : createSender(senderOpts);
  const sweep = retentionSweep(ctx);
  let claims = 0;

  const env: RoundEnv = {
    ctx, sender,
    leaseMs: opts.leaseMs ?? cfg.DSYNC_DELIVERER_LEASE_MS,
    batch: opts.batch ?? cfg.DSYNC_DELIVERER_BATCH,
    concurrency: opts.concurrency ?? cfg.DSYNC_DELIVERER_CONCURRENCY,
    random: opts.random ?? Math.random,
    stopping: () => scheduler.stopping,
  };
  // The retention sweep runs beside the rounds, one at a time, never in a round's path: a backlog's sweeps (hundreds
  // of ms each on PostgreSQL and MySQL) must not hold up deliveries, and a sweep's failure is not a delivery's.
  let sweeping: Promise<void> | null = null;
  const sweepBeside = () => {
    sweeping ??= sweep()
      .catch((err) => ctx.log.warn({ err }, 'retention sweep of delivered webhook events failed; retrying later'))
      .finally(() => (sweeping = null));
  };
  const round = async (): Promise<number> => {
    try {
      const handled = await deliverRound(env, `${instanceId}:${++claims}`);
      if (!scheduler.stopping) sweepBeside();
      return handled;
    } catch (err) {
      ctx.log.warn({ err }, 'webhook delivery round failed; retrying');
      return 0;
    }
  };
  // A full batch: go on at once. New events arrived meanwhile: gather them for a few ms, so a busy SCIM burst
  // is delivered in batches rather than one claim per event. Otherwise poll.
  const scheduler = new RoundScheduler(round, (handled, pending) => (handled >= env.batch ? 0 : pending || handled > 0 ? NUDGE_MS : pollMs));

  const unsubscribe = ctx.outbox.subscribe(() => scheduler.nudge());
  scheduler.schedule(0);

  return {
    instanceId,
    runOnce: () => scheduler.run(),
    async stop() {
      unsubscribe();
      await scheduler.stop();
      await sweeping; // a sweep in progress finishes before the database closes
      sender.close();
    },
  };
}
