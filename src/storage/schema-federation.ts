/** Identity Federation (src/federation/): the apps Gatehouse is a SAML IdP for, and their pending sign-in requests. */
export interface FederationAppsTable {
  id: string; // Jackson's app id: RIPEMD-160 (hex) of "tenant:product"
  tenant: string;
  product: string;
  name: string;
  entity_id: string; // the app's SP entity ID: the AuthnRequest Issuer and the assertion's Audience
  entity_key: string; // sha256 of entity_id (unique, indexable on every dialect)
  acs_url: string; // where the signed response is posted, matched exactly
  settings: string; // JSON: see federation/app-input.ts (branding, tenants, mappings, audience override, TTL)
  created_at: number;
  updated_at: number;
}

/** An app's AuthnRequest, kept while the user signs in upstream: used once, then it expires. */
export interface FederationRequestsTable {
  id: string; // random; the login flow's params name it, so only the flow's own answer reaches it
  app_id: string;
  authn_request_id: string | null; // the app's AuthnRequest ID: the response's InResponseTo
  relay_state: string | null;
  acs_url: string; // the ACS URL verified when the request arrived
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** An OIDC app (Jackson's `type: "oidc"`): its client ID is `fed_` + id; it signs in at /api/oauth/authorize. */
export interface FederationOidcAppsTable {
  id: string; // Jackson's: "oidc_" + RIPEMD-160 (hex) of "tenant:product"
  tenant: string;
  product: string;
  name: string;
  redirect_urls: string; // JSON array: the redirect_uri allow-list (exact, or Jackson's matching under JACKSON_COMPAT)
  client_secret_sealed: string; // the client secret, sealed with the secret box and bound to the app id
  settings: string; // JSON: as federation_apps.settings (branding, tenants, mappings; the SAML-only ones kept for Jackson's shape)
  created_at: number;
  updated_at: number;
}

export interface FederationTables {
  federation_apps: FederationAppsTable;
  federation_oidc_apps: FederationOidcAppsTable;
  federation_requests: FederationRequestsTable;
}
