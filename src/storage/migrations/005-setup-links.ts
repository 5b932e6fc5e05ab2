/** 005 — setup links and their test-connection runs. */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const setupLinks = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('setup_links')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('service', 'varchar(8)', (c) => c.notNull())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('product', t.key, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('token_enc', t.text, (c) => c.notNull())
      .addColumn('defaults', t.text, (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('created_by', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('setup_links_scope', ['service', 'tenant', 'product'])
      .execute();
    await db.schema.createIndex('setup_links_product').on('setup_links').columns(['service', 'product', 'created_at']).execute();
    await db.schema
      .createTable('setup_link_tests')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('link_id', t.key, (c) => c.notNull())
      .addColumn('connection_id', t.key, (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('result', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .execute();
    await db.schema.createIndex('setup_link_tests_link').on('setup_link_tests').columns(['link_id', 'created_at']).execute();
  },
});
