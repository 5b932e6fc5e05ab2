/**
 * Outbox channels: senders of events other than a directory that share Directory Sync's outbox and deliverer
 * (the vendor event stream, docs/decisions/0018-vendor-event-stream.md). A channel's rows carry its id where a
 * directory's id would be; the deliverer asks the channel, instead of the directories table, where they go.
 * Channels register in boot(), so directory-sync never imports the layers above it. One per app context.
 */

/** Where a channel's events go now, or why they are held (retried with backoff until their deadline). */
export type ChannelTarget = { url: string; secret: string } | { held: string };

export class OutboxChannels {
  readonly #targets = new Map<string, () => Promise<ChannelTarget>>();

  /** Registers channel `id`; `target` is asked once per delivery round that claimed its events. */
  register(id: string, target: () => Promise<ChannelTarget>): void {
    this.#targets.set(id, target);
  }

  /** The channel's target, or undefined when `id` is no channel (a directory). */
  async targetOf(id: string): Promise<ChannelTarget | undefined> {
    return this.#targets.get(id)?.();
  }
}

declare module '../../context.ts' {
  interface AppContext {
    /** Outbox senders other than directories (the vendor event stream). */
    outboxChannels: OutboxChannels;
  }
}
