/** 006 — the admin portal: accounts, sessions, API keys, settings, and traces of failed sign-ins. */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const admin = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('admin_users')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('email', t.key, (c) => c.notNull().unique())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('role_source', 'varchar(16)', (c) => c.notNull())
      .addColumn('password_hash', t.text)
      .addColumn('totp_secret_enc', t.text)
      .addColumn('totp_enabled', 'integer', (c) => c.notNull())
      .addColumn('totp_last_step', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('last_login_at', 'bigint')
      .execute();
    await db.schema
      .createTable('admin_sessions')
      .addColumn('id_hash', t.key, (c) => c.primaryKey())
      .addColumn('user_id', t.key, (c) => c.notNull())
      .addColumn('method', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('ip', 'varchar(64)')
      .execute();
    await db.schema.createIndex('admin_sessions_user').on('admin_sessions').column('user_id').execute();
    await db.schema.createIndex('admin_sessions_expires').on('admin_sessions').column('expires_at').execute();
    await db.schema
      .createTable('admin_api_keys')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('prefix', 'varchar(32)', (c) => c.notNull())
      .addColumn('token_hash', t.key, (c) => c.notNull().unique())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('owner_id', t.key, (c) => c.notNull())
      .addColumn('scopes', t.text)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('admin_api_keys_owner').on('admin_api_keys').columns(['owner_id', 'created_at']).execute();
    await db.schema
      .createTable('admin_settings')
      .addColumn('key', t.key, (c) => c.primaryKey())
      .addColumn('value', t.text, (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sso_traces')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'varchar(8)', (c) => c.notNull())
      .addColumn('connection_id', t.key)
      .addColumn('tenant', t.key)
      .addColumn('product', t.key)
      .addColumn('code', 'varchar(64)', (c) => c.notNull())
      .addColumn('message', t.text, (c) => c.notNull())
      .addColumn('detail', t.text)
      .addColumn('saml_response', t.text)
      .execute();
    await db.schema.createIndex('sso_traces_at').on('sso_traces').columns(['at', 'id']).execute();
    await db.schema.createIndex('sso_traces_tenant').on('sso_traces').columns(['tenant', 'product', 'at']).execute();
  },
});
