/**
 * 015 — connection upkeep (issue 14): the schedule and lease of metadata-URL refreshes (one instance
 * claims a due connection with a conditional UPDATE), the validators for conditional GETs, and one row
 * per certificate-expiry notice announced, whose primary key makes each notice happen once across instances.
 * Connections made from a URL before this release are scheduled at once (due now).
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const connectionUpkeep = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('metadata_refresh')
      .addColumn('connection_id', t.key, (c) => c.primaryKey())
      .addColumn('next_refresh_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('etag', 'varchar(1024)')
      .addColumn('last_modified', 'varchar(256)')
      .execute();
    await db.schema.createIndex('metadata_refresh_due').on('metadata_refresh').column('next_refresh_at').execute();
    await db.schema
      .createTable('certificate_notices')
      .addColumn('connection_id', t.key, (c) => c.notNull())
      .addColumn('fingerprint', 'varchar(128)', (c) => c.notNull())
      .addColumn('threshold_days', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('certificate_notices_pk', ['connection_id', 'fingerprint', 'threshold_days'])
      .execute();
    const rows = (await db.selectFrom('connections').select(['id', 'settings']).execute()) as { id: string; settings: string }[];
    for (const row of rows) {
      const s = JSON.parse(row.settings) as { metadataUrl?: string | null; discoveryUrl?: string | null };
      if (s.metadataUrl || s.discoveryUrl) await db.insertInto('metadata_refresh').values({ connection_id: row.id, next_refresh_at: 0, lease_until: 0, etag: null, last_modified: null }).execute();
    }
  },
});
