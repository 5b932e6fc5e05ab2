/** Tables of the admin portal (issue 5): accounts, sessions, API keys, settings, and failed sign-in traces. */

export type AdminRole = 'owner' | 'admin' | 'viewer';

export interface AdminUsersTable {
  id: string;
  email: string; // lower-cased, unique
  name: string;
  role: AdminRole;
  /** 'manual' when an owner set the role; 'groups' when IdP groups gave it (refreshed at each SSO sign-in). */
  role_source: 'manual' | 'groups';
  password_hash: string | null; // scrypt; null = SSO-only account
  totp_secret_enc: string | null; // sealed; set by setup, used once enabled
  totp_enabled: number;
  totp_last_step: number | null; // last accepted 30-second step (a code works once)
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
  /** 1 when SSO may sign in to this account: set by an owner (accounts with a password), or at creation for SSO-only ones (008). */
  sso_linked: number;
}

export interface AdminSessionsTable {
  id_hash: string; // tokenHash of the cookie value
  user_id: string;
  method: 'password' | 'sso';
  created_at: number;
  last_seen_at: number;
  expires_at: number; // absolute timeout
  ip: string | null;
}

export interface AdminApiKeysTable {
  id: string;
  name: string;
  prefix: string; // first characters of the key, shown in lists
  token_hash: string; // tokenHash of the whole key, unique
  kind: 'personal' | 'scoped';
  owner_id: string; // the account that created it (a personal key acts as this account)
  scopes: string | null; // JSON {tenants?, products?, permissions} for scoped keys
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AdminSettingsTable {
  key: string; // 'branding', 'portal_sso'
  value: string; // JSON
  updated_at: number;
}

export interface SsoTracesTable {
  id: string;
  at: number;
  kind: 'saml' | 'oidc';
  connection_id: string | null;
  tenant: string | null;
  product: string | null;
  code: string; // ErrorCode
  message: string; // plain-language reason
  detail: string | null;
  saml_response: string | null; // decoded XML (SAML only, capped)
}

/** A connection an owner chose for portal SSO (008). Only these sign admins in, and only an owner may change them. */
export interface PortalSsoConnectionsTable {
  connection_id: string;
  connection_created_at: number; // a connection deleted and created again under the same id is not trusted
  chosen_by: string; // admin id
  chosen_at: number;
}

/** Failed password/TOTP guesses per email (tokenHash of it), shared by every instance (008). */
export interface AdminSignInFailuresTable {
  key: string;
  user_id: string | null; // the account, when one has that email
  failures: number; // in the current streak
  first_failed_at: number;
  last_failed_at: number;
  blocked_until: number; // no guess is checked before this
  audit_id: string | null; // the aggregated admin.sign_in.failed event of the current window
  audit_at: number | null;
  audit_count: number;
}

/** The hourly budget of SSO traces per bucket (src/admin/trace-budget.ts). */
export interface SsoTraceBudgetsTable {
  bucket: string; // `connection:<id>`, `idp:<idp_key>` or `unmatched`
  hour: number; // floor(ms / 3600000)
  traces: number;
  bytes: number;
}

export interface AdminTables {
  admin_users: AdminUsersTable;
  admin_sessions: AdminSessionsTable;
  admin_api_keys: AdminApiKeysTable;
  admin_settings: AdminSettingsTable;
  sso_traces: SsoTracesTable;
  portal_sso_connections: PortalSsoConnectionsTable;
  admin_sign_in_failures: AdminSignInFailuresTable;
  sso_trace_budgets: SsoTraceBudgetsTable;
}
