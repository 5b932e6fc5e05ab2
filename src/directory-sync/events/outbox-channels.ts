/**
 * Outbox channels: senders of events other than a directory that share Directory Sync's outbox and deliverer
 * (the vendor event stream, docs/decisions/0018-vendor-event-stream.md; back-channel logout, decision 0025). A channel's rows carry its id where a
 * directory's id would be; the deliverer asks the channel, instead of the directories table, where they go.
 * Channels register in boot(), so directory-sync never imports the layers above it. One per app context.
 */

import type { DirectoryEventRow } from '../../storage/index.ts';
import type { SendResult } from '../webhooks/sender.ts';

/**
 * One event's own POST, for a channel whose events each go to a receiver of their own in a shape of their own
 * (back-channel logout: a form-encoded logout token to the app's receiver), or sent by the channel (`deliver`). `permanent` says which answers are
 * final failures, not retried (a receiver's 400 under OpenID Connect Back-Channel Logout).
 */
export type ChannelRequest =
  | { url: string; body: string; headers: Record<string, string>; permanent?: (status: number) => boolean }
  | { held: string }
  /** Sent by the channel itself over a transport that is not an HTTP POST (the audit stream's syslog, decision 0034). */
  | { deliver: () => Promise<SendResult> };

/**
 * Where a channel's events go now, or why they are held (retried with backoff until their deadline): one signed
 * webhook for all of them, or (`perEvent`) a request built for each event when it is sent.
 */
export type ChannelTarget = { url: string; secret: string } | { held: string } | { perEvent: (e: DirectoryEventRow) => Promise<ChannelRequest> };

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
