/**
 * The vendor event stream (`GET /api/v1/events`): connection lifecycle, metadata refreshes, certificate expiry and
 * login-failure episodes, oldest first after a cursor. Iterate to the present, keep `cursor`, continue from it later.
 */
import type { Call } from '../http.ts';
import { Paged } from '../pagination.ts';
import type { VendorEvent } from '../types.ts';

/** The event types of the stream (`types` filters by them). */
export type VendorEventType =
  | 'connection.created' | 'connection.updated' | 'connection.deleted' | 'connection.activated' | 'connection.deactivated'
  | 'connection.metadata_refreshed' | 'connection.metadata_refresh_failed'
  | 'connection.certificate_expiring' | 'connection.certificate_expired'
  | 'connection.login_failures';

export interface EventStreamOptions {
  tenant?: string;
  product?: string;
  types?: readonly (VendorEventType | (string & {}))[];
  /** Continue after this cursor (the `cursor` of an earlier iteration); from the oldest kept event without it. */
  after?: string;
  /** Events per request (1–500, default 100). */
  limit?: number;
}

export class Events {
  readonly #call: Call;
  constructor(call: Call) {
    this.#call = call;
  }

  /**
   * The events after `after`, oldest first, across pages, up to the newest there is now. After the loop, the
   * returned object's `cursor` is where to continue next time:
   *
   *     const stream = gatehouse.events.list({ after: saved });
   *     for await (const e of stream) handle(e);
   *     saved = stream.cursor;
   */
  list(opts: EventStreamOptions = {}): Paged<VendorEvent> {
    const { types, after, ...rest } = opts;
    return new Paged(async (cursor) => {
      const page = await this.#call('get', '/api/v1/events', { query: { ...rest, types: types?.length ? types.join(',') : undefined, after: cursor ?? undefined } });
      return { items: page.data, next: page.nextCursor };
    }, after ?? null);
  }
}
