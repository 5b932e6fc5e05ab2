/**
 * 029 — the embeddable admin portal (issue 17 §3, decision 0033): single-use portal links (found by their token's
 * SHA-256, consumed by one conditional UPDATE), the sessions they start (found by the cookie's SHA-256, so any
 * instance serves them), and the product's portal settings (return URLs, frame ancestors; one JSON column, null:
 * none). Expand-only.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const portalLinks = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('portal_links')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('token_hash', t.key, (c) => c.notNull().unique())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('product', t.key, (c) => c.notNull())
      .addColumn('intent', t.key, (c) => c.notNull())
      .addColumn('client_id', t.key)
      .addColumn('return_url', t.text)
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('consumed_at', 'bigint')
      .addColumn('created_by', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('portal_sessions')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('secret_hash', t.key, (c) => c.notNull().unique())
      .addColumn('link_id', t.key, (c) => c.notNull())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('product', t.key, (c) => c.notNull())
      .addColumn('intent', t.key, (c) => c.notNull())
      .addColumn('client_id', t.key)
      .addColumn('return_url', t.text)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .execute();
    await db.schema.alterTable('products').addColumn('portal_settings', t.text).execute();
  },
});
