/**
 * The one logical schema: what every table holds, as Kysely types. Times are epoch milliseconds
 * (BIGINT), booleans are 0/1 integers and structured values are JSON text, so the same rows work on
 * SQLite, PostgreSQL and MySQL/MariaDB. Dialect differences live in dialect.ts.
 */
import type { ColumnType, Generated } from 'kysely';
import type { TenancyTables } from './schema-tenancy.ts';
import type { AuditTables } from './schema-audit.ts';
import type { SetupLinkTables } from './schema-setup-links.ts';
import type { DirectoryTables } from './schema-directory.ts';
import type { AdminTables } from './schema-admin.ts';
import type { RateLimitTables } from './schema-rate-limits.ts';
import type { FederationTables } from './schema-federation.ts';
import type { VendorEventTables } from './schema-vendor-events.ts';
import type { VersionTables } from './schema-versions.ts';
import type { ConnectionUpkeepTables } from './schema-connection-upkeep.ts';
import type { SessionTables } from './schema-sessions.ts';
import type { ScimRequestTables } from './schema-scim-requests.ts';
import type { RoleTables } from './schema-roles.ts';
import type { LogoutTables } from './schema-logout.ts';
import type { PortalTables } from './schema-portal.ts';

export interface ConnectionsTable {
  id: string; // the clientID apps use
  tenant: string;
  product: string;
  kind: 'saml' | 'oidc';
  name: string;
  description: string;
  idp_entity_id: string; // SAML IdP entity ID or OIDC issuer
  idp_key: string; // sha256 of idp_entity_id (indexable on every dialect)
  redirect_urls: string; // JSON array
  default_redirect_url: string;
  settings: string; // JSON: see sso/connection-settings.ts
  client_secret_enc: string; // sealed with the secret box
  /** A keyed hash of the clientSecret (030, decision 0047): null until written; a stale one (another key, another secret) never matches. */
  client_secret_mac: ColumnType<string | null, string | null | undefined, string | null>;
  active: number;
  sort_order: number;
  created_at: number;
  updated_at: number;
  /** The connection version this row serves (issue 14; schema-versions.ts); 1 until a draft is promoted. */
  version: ColumnType<number, number | undefined, number>;
  /** This connection's own back-channel logout receiver, over its product's (022; decision 0025). */
  backchannel_logout_uri: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface LoginFlowsTable {
  id: string; // also the AuthnRequest ID and RelayState
  connection_id: string;
  tenant: string;
  product: string;
  params: string; // JSON: the app's authorize request (client_id form, redirect_uri, state, nonce, PKCE, scope)
  created_at: number;
  expires_at: number;
  completed_at: number | null;
  /** The connection version the flow started on: its answer is checked against that version (null: flows from before versions). */
  connection_version: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface AssertionReplaysTable {
  assertion_key: string; // sha256(issuer + "\n" + assertion ID)
  expires_at: number;
}

export interface OauthCodesTable {
  code_hash: string;
  flow_id: string;
  connection_id: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  nonce: string | null;
  scope: string;
  profile_enc: string; // sealed JSON profile
  created_at: number;
  expires_at: number;
  redeemed_at: number | null;
  sid: string | null; // the app session this sign-in opened (null: issued before migration 019)
}

export interface OauthTokensTable {
  token_hash: string;
  code_hash: string;
  connection_id: string;
  profile_enc: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  sid: string | null; // the app session (ending it revokes the token)
  scope: string | null; // granted scope (null: issued before migration 021)
  client_id: string | null; // the client it was issued to (null: before migration 021; the session's client_id)
}

export interface SigningKeysTable {
  id: string; // kid
  use: 'jwt' | 'saml_sp' | 'subject'; // subject: the key of per-connection `sub`s (src/sso/subjects.ts)
  private_key_enc: string;
  public_pem: string; // SPKI PEM (jwt) or certificate PEM (saml_sp)
  created_at: number;
  retired_at: number | null;
}

/** Tables of the SSO backbone (issue 2). */
export interface SsoTables {
  connections: ConnectionsTable;
  login_flows: LoginFlowsTable;
  assertion_replays: AssertionReplaysTable;
  oauth_codes: OauthCodesTable;
  oauth_tokens: OauthTokensTable;
  signing_keys: SigningKeysTable;
}

/** Every table. Each feature defines its tables in its own interface and is added here. */
export interface Database extends SsoTables, TenancyTables, DirectoryTables, AuditTables, SetupLinkTables, AdminTables, RateLimitTables, FederationTables, VendorEventTables, VersionTables, ConnectionUpkeepTables, SessionTables, ScimRequestTables, RoleTables, LogoutTables, PortalTables {}

export type { Generated };
