/**
 * 018 — Identity Federation OIDC apps (issue 13): apps that speak plain OIDC to the app-facing endpoints with a
 * client ID and secret of their own, and sign users in through their tenants' connections. A table of their own:
 * they have no entity ID or ACS URL (the SAML apps' constraints stay as they are) and their ids are Jackson's
 * (`oidc_` + RIPEMD-160 of "tenant:product"), distinct from a SAML app's. Expand-only.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const federationOidcApps = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('federation_oidc_apps')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('product', t.key, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('redirect_urls', t.text, (c) => c.notNull())
      .addColumn('client_secret_sealed', t.text, (c) => c.notNull())
      .addColumn('settings', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('federation_oidc_apps_product').on('federation_oidc_apps').columns(['product', 'created_at']).execute();
  },
});
