/**
 * 019 — app sessions (issue 15): one row per sign-in that issued a code, with the indexes that find a user's
 * sessions by connection and NameID (SAML SLO) or by tenant, product and email or NameID (SCIM deactivation),
 * and `sid` on codes and access tokens so ending a session revokes what it issued. Expand-only: codes and
 * tokens issued before this release have no `sid` and keep working until they expire.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const appSessions = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('app_sessions')
      .addColumn('sid', t.key, (c) => c.primaryKey())
      .addColumn('connection_id', t.key, (c) => c.notNull())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('product', t.key, (c) => c.notNull())
      .addColumn('client_id', t.key, (c) => c.notNull())
      .addColumn('sub', 'varchar(1024)', (c) => c.notNull())
      .addColumn('nameid', 'varchar(1024)', (c) => c.notNull())
      .addColumn('nameid_key', 'varchar(64)', (c) => c.notNull())
      .addColumn('nameid_format', 'varchar(256)')
      .addColumn('session_index', 'varchar(256)')
      .addColumn('email', 'varchar(320)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .addColumn('end_reason', 'varchar(64)')
      .execute();
    await db.schema.createIndex('app_sessions_connection_nameid').on('app_sessions').columns(['connection_id', 'nameid_key']).execute();
    await db.schema.createIndex('app_sessions_user_nameid').on('app_sessions').columns(['tenant', 'product', 'nameid_key']).execute();
    await db.schema.createIndex('app_sessions_user_email').on('app_sessions').columns(['tenant', 'product', 'email']).execute();
    await db.schema.createIndex('app_sessions_expires').on('app_sessions').column('expires_at').execute();
    await db.schema.alterTable('oauth_codes').addColumn('sid', t.key).execute();
    await db.schema.alterTable('oauth_tokens').addColumn('sid', t.key).execute();
    await db.schema.createIndex('oauth_tokens_sid').on('oauth_tokens').column('sid').execute();
  },
});
