/**
 * 024 — the SCIM inspector's request log (issue 16 §2, docs/decisions/0027-scim-inspector.md). Reads are one
 * directory's newest first (optionally only refusals), trimming walks one directory newest first, and retention
 * deletes by time across directories: one index each.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const scimRequests = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('scim_requests')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('directory_id', t.key, (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('method', 'varchar(8)', (c) => c.notNull())
      .addColumn('path', 'varchar(1024)', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('detail_enc', t.text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('scim_requests_directory').on('scim_requests').columns(['directory_id', 'at', 'id', 'bytes']).execute();
    await db.schema.createIndex('scim_requests_directory_outcome').on('scim_requests').columns(['directory_id', 'outcome', 'at']).execute();
    await db.schema.createIndex('scim_requests_at').on('scim_requests').column('at').execute();
  },
});
