/**
 * Tables of the vendor event stream (issue 14, docs/decisions/0018-vendor-event-stream.md): what happened to
 * connections, in the order it was recorded (`seq`, the pull API's cursor), and the per-connection sign-in
 * counts that decide `connection.login_failures`. Same conventions as schema.ts.
 */
import type { Generated } from 'kysely';

export interface VendorEventsTable {
  seq: Generated<number>; // append order = commit order (appends hold vendor_event_append_lock), the cursor
  id: string; // event id (uuid), stable in the pull API and the webhook
  type: string; // connection.created, connection.login_failures, …
  tenant: string;
  product: string;
  connection_id: string; // the clientID the event is about
  data: string; // JSON, never a secret
  created_at: number;
}

/** One row that appends lock, so events commit in `seq` order and a reader never skips one that commits late. */
export interface VendorEventAppendLockTable {
  id: number;
  holder: string | null;
}

/** Sign-in outcomes per connection and minute: `outcome` is 'ok' or the refusal's error code. */
export interface ConnectionLoginCountsTable {
  connection_id: string;
  minute: number; // epoch minutes
  outcome: string;
  n: number;
}

/** Per connection: its last successful sign-in, the refusals since, and when its current failing episode began (null: none). */
export interface ConnectionLoginHealthTable {
  connection_id: string;
  last_success_at: number | null;
  failures_since_success: number;
  failing_since: number | null;
}

export interface VendorEventTables {
  vendor_events: VendorEventsTable;
  vendor_event_append_lock: VendorEventAppendLockTable;
  connection_login_counts: ConnectionLoginCountsTable;
  connection_login_health: ConnectionLoginHealthTable;
}
