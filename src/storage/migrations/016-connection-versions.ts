/**
 * 016 — connection versions (issue 14, "Change without an outage"): a draft, the live version's record and the
 * versions it replaced, per connection. `connections` stays the serving copy and gains `version` (which version
 * it serves); a login flow records the version it started on, and a setup-link test the version it tests.
 * `draft_of` is the connection id while a row is a draft and null otherwise: its unique index keeps at most one
 * draft per connection on every dialect (MySQL has no partial indexes).
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const connectionVersions = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('connection_versions')
      .addColumn('connection_id', t.key, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('draft_of', t.key, (c) => c.unique())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('idp_entity_id', t.text, (c) => c.notNull())
      .addColumn('idp_key', 'varchar(64)', (c) => c.notNull())
      .addColumn('settings', t.text, (c) => c.notNull())
      .addColumn('replaces_version', 'integer')
      .addColumn('created_by', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('promoted_at', 'bigint')
      .addColumn('retired_at', 'bigint')
      .addPrimaryKeyConstraint('connection_versions_pk', ['connection_id', 'version'])
      .execute();
    await db.schema.alterTable('connections').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    await db.schema.alterTable('login_flows').addColumn('connection_version', 'integer').execute();
    await db.schema.alterTable('setup_link_tests').addColumn('connection_version', 'integer').execute();
  },
});
