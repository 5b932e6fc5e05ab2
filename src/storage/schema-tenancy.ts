/** Tables for tenants (enterprise keys, email domains) and products (issue 3). */
import type { ColumnType } from 'kysely';

export interface TenantsTable {
  id: string; // the tenant identifier used by connections and directories
  enterprise_key: string; // used in one-click and invite links
  name: string;
  created_at: number;
  updated_at: number;
}

export interface TenantDomainsTable {
  id: string;
  tenant: string;
  domain: string; // lower-case
  verification_token: string;
  verified_at: number | null;
  last_checked_at: number | null;
  created_at: number;
}

/** One row per verified domain: the primary key makes "verified by one tenant only" a database rule. */
export interface VerifiedDomainsTable {
  domain: string;
  tenant: string;
  verified_at: number;
}

export interface ProductsTable {
  id: string; // the product identifier used by connections
  name: string; // display name for pages
  default_redirect_url: string | null;
  initiate_login_uri: string | null;
  session_settings: string | null; // JSON ProductSessionSettings (src/tenancy/session-settings.ts); null: the defaults
  roles: string | null; // JSON [{key, name}] the product declares (src/tenancy/product-roles.ts, migration 028); null: none
  portal_settings: ColumnType<string | null, string | null | undefined, string | null>; // JSON {portalReturnUrls, portalFrameAncestors} (tenancy/portal-settings.ts, migration 029); null: none
  created_at: number;
  updated_at: number;
}

export interface TenancyTables {
  tenants: TenantsTable;
  tenant_domains: TenantDomainsTable;
  verified_domains: VerifiedDomainsTable;
  products: ProductsTable;
}
