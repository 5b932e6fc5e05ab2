/**
 * Wake-up signals for the deliverers of one app: SCIM writes and replays notify after their commit, the
 * local deliverer listens and claims at once instead of waiting for its next poll. In-process only; other
 * instances poll. One per app context (built in boot()).
 */
export class OutboxSignal {
  readonly #listeners = new Set<() => void>();

  /** Calls `fn` after each outbox write; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  notify(): void {
    for (const fn of this.#listeners) fn();
  }
}

declare module '../../context.ts' {
  interface AppContext {
    /** Wakes this instance's webhook deliverer after events are written. */
    outbox: OutboxSignal;
  }
}
