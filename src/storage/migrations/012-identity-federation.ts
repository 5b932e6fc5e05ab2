/** 012 — Identity Federation: the apps Gatehouse signs SAML assertions for, and their pending requests. */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const identityFederation = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('federation_apps')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('product', t.key, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('entity_id', t.text, (c) => c.notNull())
      .addColumn('entity_key', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('acs_url', t.text, (c) => c.notNull())
      .addColumn('settings', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('federation_apps_product').on('federation_apps').columns(['product', 'created_at']).execute();
    await db.schema
      .createTable('federation_requests')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('app_id', t.key, (c) => c.notNull())
      .addColumn('authn_request_id', 'varchar(256)')
      .addColumn('relay_state', t.text)
      .addColumn('acs_url', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema.createIndex('federation_requests_expires').on('federation_requests').column('expires_at').execute();
  },
});
