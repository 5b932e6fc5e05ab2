/**
 * Connection versions (issue 14, decision 0020): the IdP side of a connection (kind, IdP, settings JSON) as a
 * draft, the live version, or a version that was live before. `connections` stays the serving copy; promote
 * and roll back copy a version into it in one transaction.
 */
export interface ConnectionVersionsTable {
  connection_id: string;
  version: number;
  status: 'draft' | 'live' | 'retired' | 'discarded';
  /** The connection id while a draft, else null: unique, so a connection has at most one draft. */
  draft_of: string | null;
  kind: 'saml' | 'oidc';
  idp_entity_id: string;
  idp_key: string;
  settings: string; // JSON: see sso/connection-settings.ts (secrets sealed as on the connection)
  /** The version that was live when this one was promoted: what a roll back returns to. */
  replaces_version: number | null;
  created_by: string; // the caller's label, as the audit log shows it
  created_at: number;
  updated_at: number;
  promoted_at: number | null;
  retired_at: number | null;
}

export interface VersionTables {
  connection_versions: ConnectionVersionsTable;
}
