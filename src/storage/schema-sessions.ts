/**
 * Tables of app sessions (issue 15, docs/decisions/0023-app-sessions.md): one row per sign-in that issued a
 * code to an app, the anchor that ties the app's tokens (`sid`) to the upstream session (NameID and
 * SessionIndex, for SAML Single Logout) and to the directory's user (email, NameID), so a logout or a SCIM
 * deactivation can find and end it. Same conventions as schema.ts.
 */
export interface AppSessionsTable {
  sid: string; // random, the id_token's `sid`
  connection_id: string;
  tenant: string;
  product: string;
  client_id: string; // the client id the app used: the logout token's `aud`
  sub: string; // as the id_token carried it
  nameid: string; // the IdP's NameID (or upstream OIDC `sub`), as sent
  nameid_key: string; // sha256 hex of the lowercased NameID: the index SCIM and SLO matches use
  nameid_format: string | null; // SAML NameID Format, for a LogoutRequest
  session_index: string | null; // SAML SessionIndex, when the IdP sent one
  email: string | null; // lowercased
  created_at: number;
  expires_at: number; // the session ends on its own then (SESSION_TTL_SECONDS)
  ended_at: number | null;
  groups: string | null; // JSON string[]: the groups the IdP sent at this sign-in (migration 028; capped), for role-mapping previews
  end_reason: string | null; // rp_logout, saml_slo, scim_deactivated, scim_deleted, connection_deactivated, connection_deleted, admin, app
}

/** Refresh tokens (decision 0024): by hash only; each rotation adds a row to the family and marks the old one used. */
export interface OauthRefreshTokensTable {
  token_hash: string;
  family: string; // random, one per code redemption; reuse revokes the whole family
  code_hash: string; // the code the family came from: its access tokens carry the same code_hash
  sid: string; // the app session: ending it revokes the family
  client_id: string; // the client id the code was issued to
  client_auth: 'secret' | 'none'; // how the client authenticated when the family began: a public client refreshes with client_id only
  connection_id: string;
  profile_enc: string; // sealed, as on codes and access tokens
  scope: string; // granted scope (narrowed on refresh, never widened)
  created_at: number;
  expires_at: number; // idle expiry, never past family_expires_at
  family_expires_at: number; // absolute expiry of the family, never past the app session's expires_at
  used_at: number | null; // rotated: presenting it again is reuse
  revoked_at: number | null;
}

export interface SessionTables {
  app_sessions: AppSessionsTable;
  oauth_refresh_tokens: OauthRefreshTokensTable;
}
