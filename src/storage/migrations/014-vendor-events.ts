/**
 * 014 — the vendor event stream (issue 14, docs/decisions/0018-vendor-event-stream.md): the events table read
 * by `GET /api/v1/events` (tenant+product+seq and type+seq reads, and per connection for the portal's flags),
 * the one-row lock that keeps appends in commit order, the per-minute sign-in counts and the per-connection
 * episode state of `connection.login_failures`. The outbox's `event` column grows to 64 characters, since
 * `connection.metadata_refresh_failed` is longer than the 32 Directory Sync's names needed (widening a
 * VARCHAR only expands; SQLite does not enforce the length).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

function serialKey(t: DialectTraits): [string, (c: any) => any] {
  if (t.name === 'sqlite') return ['integer', (c) => c.primaryKey().autoIncrement()];
  if (t.name === 'postgres') return ['bigserial', (c) => c.primaryKey()];
  return ['bigint', (c) => c.primaryKey().autoIncrement()];
}

export const vendorEvents = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    const [seqType, seqDef] = serialKey(t);
    await db.schema
      .createTable('vendor_events')
      .addColumn('seq', seqType as never, seqDef)
      .addColumn('id', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('type', 'varchar(64)', (c) => c.notNull())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('product', t.key, (c) => c.notNull())
      .addColumn('connection_id', t.key, (c) => c.notNull())
      .addColumn('data', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('vendor_events_tenant_product').on('vendor_events').columns(['tenant', 'product', 'seq']).execute();
    await db.schema.createIndex('vendor_events_product').on('vendor_events').columns(['product', 'seq']).execute();
    await db.schema.createIndex('vendor_events_type').on('vendor_events').columns(['type', 'seq']).execute();
    await db.schema.createIndex('vendor_events_connection').on('vendor_events').columns(['connection_id', 'type', 'created_at']).execute();
    await db.schema.createIndex('vendor_events_created').on('vendor_events').column('created_at').execute();

    await db.schema.createTable('vendor_event_append_lock').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('holder', 'varchar(64)').execute();
    await db.insertInto('vendor_event_append_lock').values({ id: 1, holder: null }).execute();

    await db.schema
      .createTable('connection_login_counts')
      .addColumn('connection_id', t.key, (c) => c.notNull())
      .addColumn('minute', 'bigint', (c) => c.notNull())
      .addColumn('outcome', 'varchar(64)', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('connection_login_counts_pk', ['connection_id', 'minute', 'outcome'])
      .execute();
    await db.schema.createIndex('connection_login_counts_minute').on('connection_login_counts').column('minute').execute();

    await db.schema
      .createTable('connection_login_health')
      .addColumn('connection_id', t.key, (c) => c.primaryKey())
      .addColumn('last_success_at', 'bigint')
      .addColumn('failures_since_success', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failing_since', 'bigint')
      .execute();

    if (t.name === 'postgres') await db.schema.alterTable('directory_events').alterColumn('event', (c) => c.setDataType(sql`varchar(64)`)).execute();
    if (t.name === 'mysql') await db.schema.alterTable('directory_events').modifyColumn('event', sql`varchar(64)`, (c) => c.notNull()).execute();
  },
});
