/** 004 — the audit log. */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const audit = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('audit_events')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('actor_id', t.key, (c) => c.notNull())
      .addColumn('actor_label', t.text, (c) => c.notNull())
      .addColumn('action', 'varchar(96)', (c) => c.notNull())
      .addColumn('target_type', 'varchar(48)', (c) => c.notNull())
      .addColumn('target_id', t.key, (c) => c.notNull())
      .addColumn('tenant', t.key)
      .addColumn('product', t.key)
      .addColumn('ip', 'varchar(64)')
      .addColumn('summary', t.text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_events_at').on('audit_events').columns(['at', 'id']).execute();
    await db.schema.createIndex('audit_events_tenant').on('audit_events').columns(['tenant', 'at']).execute();
    await db.schema.createIndex('audit_events_action').on('audit_events').columns(['action', 'at']).execute();
  },
});
