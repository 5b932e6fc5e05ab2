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

export interface FederationTables {
  federation_apps: FederationAppsTable;
  federation_requests: FederationRequestsTable;
}
