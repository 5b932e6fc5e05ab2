/**
 * Tables of Directory Sync (issue 4): directories, their SCIM users and groups, memberships, and the
 * webhook outbox with its delivery log. Same conventions as schema.ts: epoch-ms BIGINT times, 0/1
 * booleans, JSON as text.
 */
import type { Generated } from 'kysely';

export interface DirectoriesTable {
  id: string;
  tenant: string;
  product: string;
  name: string;
  type: string; // generic-scim-v2, okta-scim-v2, azure-scim-v2, …
  webhook_url: string; // '' when the app pulls instead
  webhook_secret_enc: string; // sealed with the secret box ('' when none)
  scim_secret_hash: string; // tokenHash of the bearer secret: what SCIM authentication compares
  scim_secret_sealed: string | null; // the bearer secret sealed with the secret box, bound to the directory id; null before migration 011
  log_webhook_events: number;
  deactivated: number;
  created_at: number;
  updated_at: number;
}

export interface DirectoryUsersTable {
  id: string;
  directory_id: string;
  user_name: string;
  user_name_key: string; // lower-cased user_name: UNIQUE (directory_id, user_name_key)
  external_id: string | null;
  display_name: string | null;
  active: number;
  raw: string; // JSON: the SCIM attributes with canonical names (no id, meta, schemas, groups)
  created_at: number;
  updated_at: number;
  version: number;
}

export interface DirectoryGroupsTable {
  id: string;
  directory_id: string;
  display_name: string;
  external_id: string | null;
  raw: string; // JSON: attributes other than members
  created_at: number;
  updated_at: number;
  version: number;
}

export interface DirectoryGroupMembersTable {
  group_id: string;
  directory_id: string;
  member_value: string; // the user id the IdP sent (may name a user that does not exist yet)
  display: string | null;
  created_at: number;
}

export type DirectoryEventStatus = 'pending' | 'delivered' | 'failed';

export interface DirectoryEventsTable {
  seq: Generated<number>; // delivery order
  id: string; // event id, stable across retries
  directory_id: string;
  resource_key: string; // 'u:<userId>' or 'g:<groupId>': events of one resource are delivered in order
  event: string;
  payload: string; // the JSON body sent (one event)
  status: DirectoryEventStatus;
  attempts: number;
  next_attempt_at: number;
  deadline_at: number; // after this, a failing event is marked failed
  lease_owner: string | null;
  lease_until: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface DirectoryEventAttemptsTable {
  seq: Generated<number>;
  event_id: string;
  directory_id: string;
  attempt: number;
  status_code: number | null; // null when no HTTP answer (refused, timeout)
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
  created_at: number;
}

export interface DirectoryClaimLockTable {
  id: number;
  holder: string | null;
}

export interface DirectoryTables {
  directories: DirectoriesTable;
  directory_users: DirectoryUsersTable;
  directory_groups: DirectoryGroupsTable;
  directory_group_members: DirectoryGroupMembersTable;
  directory_events: DirectoryEventsTable;
  directory_event_attempts: DirectoryEventAttemptsTable;
  directory_claim_lock: DirectoryClaimLockTable;
}
