/** 002 — Directory Sync: directories, SCIM users/groups/memberships, the webhook outbox and its delivery log. */
import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/** An auto-incrementing BIGINT primary key, the one place the three dialects spell it differently. */
function serialKey(t: DialectTraits): [string | ReturnType<typeof sql>, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  if (t.name === 'sqlite') return ['integer', (c) => c.primaryKey().autoIncrement()];
  if (t.name === 'postgres') return ['bigserial', (c) => c.primaryKey()];
  return ['bigint', (c) => c.primaryKey().autoIncrement()];
}

export const directorySync = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('directories')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('product', t.key, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('type', 'varchar(64)', (c) => c.notNull())
      .addColumn('webhook_url', t.text, (c) => c.notNull())
      .addColumn('webhook_secret_enc', t.text, (c) => c.notNull())
      .addColumn('scim_secret_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('log_webhook_events', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('deactivated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('directories_tenant_product').on('directories').columns(['tenant', 'product']).execute();

    await db.schema
      .createTable('directory_users')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('directory_id', t.key, (c) => c.notNull())
      .addColumn('user_name', t.text, (c) => c.notNull())
      .addColumn('user_name_key', t.key, (c) => c.notNull())
      .addColumn('external_id', t.key)
      .addColumn('display_name', t.text)
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('raw', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    // userName is unique per directory, case-insensitively, enforced here (never by a read first).
    await db.schema.createIndex('directory_users_username').on('directory_users').columns(['directory_id', 'user_name_key']).unique().execute();
    await db.schema.createIndex('directory_users_list').on('directory_users').columns(['directory_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('directory_users_external').on('directory_users').columns(['directory_id', 'external_id']).execute();

    await db.schema
      .createTable('directory_groups')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('directory_id', t.key, (c) => c.notNull())
      .addColumn('display_name', t.text, (c) => c.notNull())
      .addColumn('external_id', t.key)
      .addColumn('raw', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('directory_groups_list').on('directory_groups').columns(['directory_id', 'created_at', 'id']).execute();

    await db.schema
      .createTable('directory_group_members')
      .addColumn('group_id', t.key, (c) => c.notNull())
      .addColumn('directory_id', t.key, (c) => c.notNull())
      .addColumn('member_value', t.key, (c) => c.notNull())
      .addColumn('display', t.text)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('directory_group_members_pk', ['group_id', 'member_value'])
      .execute();
    await db.schema.createIndex('directory_group_members_user').on('directory_group_members').columns(['directory_id', 'member_value']).execute();

    const [seqType, seqDef] = serialKey(t);
    await db.schema
      .createTable('directory_events')
      .addColumn('seq', seqType as never, seqDef)
      .addColumn('id', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('directory_id', t.key, (c) => c.notNull())
      .addColumn('resource_key', t.key, (c) => c.notNull())
      .addColumn('event', 'varchar(32)', (c) => c.notNull())
      .addColumn('payload', t.text, (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('deadline_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_owner', 'varchar(64)')
      .addColumn('lease_until', 'bigint')
      .addColumn('last_status', 'integer')
      .addColumn('last_error', t.text)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .execute();
    await db.schema.createIndex('directory_events_due').on('directory_events').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('directory_events_resource').on('directory_events').columns(['directory_id', 'resource_key', 'seq']).execute();
    await db.schema.createIndex('directory_events_list').on('directory_events').columns(['directory_id', 'seq']).execute();

    await db.schema
      .createTable('directory_event_attempts')
      .addColumn('seq', seqType as never, seqDef)
      .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('directory_id', t.key, (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      .addColumn('response_excerpt', t.text)
      .addColumn('error', t.text)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('directory_event_attempts_event').on('directory_event_attempts').columns(['event_id', 'seq']).execute();

    // One row that claim transactions lock, so two instances never claim past each other's in-flight events.
    await db.schema
      .createTable('directory_claim_lock')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('holder', 'varchar(64)')
      .execute();
    await db.insertInto('directory_claim_lock').values({ id: 1, holder: null }).execute();
  },
});
