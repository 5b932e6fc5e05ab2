/** The embeddable admin portal (issue 17 §3, migration 029, decision 0033): single-use links and the sessions they start. */

export interface PortalLinksTable {
  id: string;
  token_hash: string; // lookup key: SHA-256 of the token; the token itself is never stored
  tenant: string;
  product: string;
  intent: 'sso' | 'dsync' | 'domain_verification' | 'certificate_renewal' | 'audit_log';
  client_id: string | null; // certificate_renewal: the one connection
  return_url: string | null;
  expires_at: number;
  consumed_at: number | null; // set once, by the first open
  created_by: string;
  created_at: number;
}

export interface PortalSessionsTable {
  id: string;
  secret_hash: string; // lookup key: SHA-256 of the cookie's value
  link_id: string;
  tenant: string;
  product: string;
  intent: PortalLinksTable['intent'];
  client_id: string | null;
  return_url: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number; // absolute end
  ended_at: number | null;
}

export interface PortalTables {
  portal_links: PortalLinksTable;
  portal_sessions: PortalSessionsTable;
}
