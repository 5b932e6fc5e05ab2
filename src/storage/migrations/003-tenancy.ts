/** 003 — tenants with enterprise keys and email domains, and products. */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const tenancy = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('tenants')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('enterprise_key', t.key, (c) => c.notNull().unique())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('tenant_domains')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('domain', t.key, (c) => c.notNull())
      .addColumn('verification_token', 'varchar(64)', (c) => c.notNull())
      .addColumn('verified_at', 'bigint')
      .addColumn('last_checked_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('tenant_domains_tenant_domain', ['tenant', 'domain'])
      .execute();
    await db.schema
      .createTable('verified_domains')
      .addColumn('domain', t.key, (c) => c.primaryKey())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('verified_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('products')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('default_redirect_url', t.text)
      .addColumn('initiate_login_uri', t.text)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
});
