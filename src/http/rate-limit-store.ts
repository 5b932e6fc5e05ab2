/**
 * The store behind every @fastify/rate-limit limiter: counters that every instance shares, in the database
 * or in Redis (docs/decisions/0405-shared-rate-limits.md).
 *
 * - Counting: a request is admitted only after the shared store counted it (or counted a reservation it
 *   belongs to), so N instances never give more than the budget. Local memory never admits on its own.
 * - Leases: for budgets of 1,000 a window or more, an instance reserves 1% of the budget at once and
 *   admits that many requests without another round trip (SCIM, the management API); a reservation not used
 *   by the window's end is lost, so the error is on the strict side, at most one lease per instance.
 *   Smaller budgets (sign-in, setup links) count one request at a time: exact.
 * - Refusals: once the shared count passed the budget, the key stays refused locally until the window
 *   ends (counts only grow within a window), so a flood costs no writes.
 * - Outage: a limiter marked `failClosed` answers 503; the others admit the request and log a warning.
 * - Keys: sha256 of the limiter's name and the client key, so no IP or token is stored in clear.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { GatehouseError } from '../errors.ts';
import type { WindowCount } from '../storage/repositories/rate-limits.ts';

/** Where the counts live: `add` counts `amount` more in the key's window (a new one if it ended). */
export interface SharedCounter {
  readonly kind: 'database' | 'redis';
  add(key: string, amount: number, windowMs: number, now: number): Promise<WindowCount>;
}

/** What a limiter's options may add to @fastify/rate-limit's own. */
export interface SharedLimitOptions {
  /** Names the limiter when it is not a route's own (app.rateLimit(...)); route limiters use method and URL. */
  name?: string;
  /** On a store outage, answer 503 instead of admitting the request. */
  failClosed?: boolean;
}

interface Held {
  /** Reserved requests not yet admitted (leases), or the count seen (refusals). */
  n: number;
  resetAt: number;
  /** Shared count when the lease was granted, for the rate-limit headers. */
  hits: number;
}

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;

const LEASE_FROM = 1000;
const MAX_HELD = 10_000;
const WARN_EVERY_MS = 10_000;

/** Requests reserved per round trip: one below 1,000 a window, 1% of the budget above. */
export const leaseSize = (max: number) => (max < LEASE_FROM ? 1 : Math.floor(max / 100));

class Shared {
  readonly leases = new Map<string, Held>();
  readonly refused = new Map<string, Held>();
  /** Lease reservations in flight, by key. */
  readonly reserving = new Map<string, Promise<void>>();
  #lastWarning = 0;
  constructor(readonly counter: SharedCounter, readonly now: () => number, readonly log: Pick<Logger, 'warn'>) {}

  keep(map: Map<string, Held>, key: string, held: Held, now: number): void {
    if (map.size >= MAX_HELD) {
      for (const [k, h] of map) if (h.resetAt <= now) map.delete(k);
      if (map.size >= MAX_HELD) map.clear(); // dropping leases only loses reserved budget; dropping refusals costs a round trip
    }
    map.set(key, held);
  }

  warn(err: unknown, limiter: string): void {
    const now = Date.now();
    if (now - this.#lastWarning < WARN_EVERY_MS) return;
    this.#lastWarning = now;
    this.log.warn({ err, limiter, store: this.counter.kind }, 'rate-limit store unreachable: requests are admitted without counting (sensitive limiters answer 503)');
  }
}

export class SharedRateLimitStore {
  constructor(private readonly shared: Shared, private readonly name: string, private readonly failClosed: boolean) {}

  incr(clientKey: string, cb: Callback, timeWindow: number, max: number): void {
    this.#take(createHash('sha256').update(`${this.name}\n${clientKey}`).digest('base64url'), cb, timeWindow, max);
  }

  #take(key: string, cb: Callback, timeWindow: number, max: number): void {
    const { shared } = this;
    const now = shared.now();
    const refused = shared.refused.get(key);
    if (refused && refused.resetAt > now) return cb(null, { current: ++refused.n, ttl: refused.resetAt - now });
    const lease = shared.leases.get(key);
    if (lease && lease.resetAt > now && lease.n > 0) {
      lease.n--;
      return cb(null, { current: lease.hits - lease.n, ttl: lease.resetAt - now });
    }
    const size = leaseSize(max);
    // One reservation in flight per key: requests arriving meanwhile wait for it and then take from it
    // (400 concurrent first requests must not reserve 400 leases, which would spend the budget 400 times).
    const inFlight = size > 1 ? shared.reserving.get(key) : undefined;
    if (inFlight) return void inFlight.then(() => this.#take(key, cb, timeWindow, max));
    const reservation = shared.counter.add(key, size, timeWindow, now).then(
      ({ hits, resetAt }) => {
        const before = hits - size;
        const granted = Math.max(0, Math.min(size, max - before));
        const ttl = Math.max(0, resetAt - now);
        if (granted === 0) {
          shared.keep(shared.refused, key, { n: hits, resetAt, hits }, now);
          return cb(null, { current: hits, ttl });
        }
        if (granted > 1) shared.keep(shared.leases, key, { n: granted - 1, resetAt, hits: before + granted }, now);
        cb(null, { current: before + 1, ttl });
      },
      (err: unknown) => {
        if (this.failClosed) return cb(new GatehouseError('SERVICE_UNAVAILABLE', 'Rate limiting is unavailable; try again in a moment.'));
        shared.warn(err, this.name);
        cb(null, { current: 0, ttl: timeWindow });
      },
    );
    if (size > 1) {
      shared.reserving.set(key, reservation);
      void reservation.finally(() => shared.reserving.delete(key));
    }
  }

  /** One per limiter: a route's (named by method and URL) or one made with app.rateLimit({ name }). */
  child(params: SharedLimitOptions & { routeInfo?: { method?: string | string[]; url?: string } }): SharedRateLimitStore {
    const route = params.routeInfo?.url ? `${[params.routeInfo.method].flat().join(',')} ${params.routeInfo.url}` : undefined;
    const name = params.name ?? route;
    if (!name) throw new Error('A rate limiter outside a route needs a name (app.rateLimit({ name, … })).');
    return new SharedRateLimitStore(this.shared, name, params.failClosed === true);
  }
}

/** The `store` option of @fastify/rate-limit: a class whose instances share one counter, one clock and one log. */
export function sharedStore(counter: SharedCounter, now: () => number, log: Pick<Logger, 'warn'>) {
  const shared = new Shared(counter, now, log);
  return class extends SharedRateLimitStore {
    constructor() {
      super(shared, 'global', false);
    }
  };
}

// Lets the limiters' options carry `name` and `failClosed` (@fastify/rate-limit passes every option to child()).
declare module '@fastify/rate-limit' {
  interface CreateRateLimitOptions extends SharedLimitOptions {}
}
