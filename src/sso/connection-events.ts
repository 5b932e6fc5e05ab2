/**
 * What happens to a connection over its life, announced on the app's event hub (src/events/event-hub.ts).
 * The sso layer announces (connections saved or deleted, metadata refreshed, certificates near expiry, a
 * draft promoted…); the vendor event stream (GET /api/v1/events and its webhook) subscribes in boot(), so
 * the protocol and connection code never import it (docs/decisions/0013-layers.md).
 */
import type { AppContext } from '../context.ts';
import type { ConnectionRow } from '../storage/index.ts';

/** Every type the vendor event stream carries for connections (issue 14; PRODUCT.md "Connection lifecycle"). */
export const CONNECTION_EVENT_TYPES = [
  'connection.created',
  'connection.updated',
  'connection.deleted',
  'connection.activated',
  'connection.deactivated',
  'connection.metadata_refreshed',
  'connection.metadata_refresh_failed',
  'connection.certificate_expiring',
  'connection.certificate_expired',
  'connection.login_failures',
  'connection.draft_created',
  'connection.draft_promoted',
  'connection.draft_discarded',
  'connection.rolled_back',
] as const;

export type ConnectionEventType = (typeof CONNECTION_EVENT_TYPES)[number];

export interface ConnectionEvent {
  ctx: AppContext;
  type: ConnectionEventType;
  tenant: string;
  product: string;
  /** The connection's clientID. */
  connectionId: string;
  /** What the vendor needs to act, never a secret (no client secret, no private key). */
  data: Record<string, unknown>;
  /**
   * The connection as it is after the change (as it was, for `connection.deleted`), for listeners in this process
   * that act on it (back-channel logout reads its receiver); never recorded or sent.
   */
  connection?: ConnectionRow;
}

declare module '../events/event-hub.ts' {
  interface AppEvents {
    'connection.event': ConnectionEvent;
  }
}

/** Announces one connection event; listeners (the vendor event stream) record and deliver it. */
export function announceConnectionEvent(ctx: AppContext, event: Omit<ConnectionEvent, 'ctx'>): Promise<void> {
  return ctx.events.emit('connection.event', { ctx, ...event });
}
