/**
 * 017 — indexes for the product-wide reads Jackson's API added (issue 13): `GET /api/v1/sso/product` pages a
 * product's connections newest first, and `/api/v1/sso-traces/product` (list, count, delete) reads a product's
 * traces by time. Without them each is a full scan of the table.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const productIndexes = (_t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.createIndex('connections_product_created').on('connections').columns(['product', 'created_at']).execute();
    await db.schema.createIndex('sso_traces_product_at').on('sso_traces').columns(['product', 'at']).execute();
  },
});
