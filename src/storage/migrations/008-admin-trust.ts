/**
 * 008 — trust boundaries of the admin portal (issue 11): the connections an owner chose for portal SSO, the
 * owner's "linked to SSO" flag on accounts, and per-account sign-in failures (throttling shared by every
 * instance, and the aggregated audit event). Expand-only: instances of the previous release ignore all three.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const adminTrust = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('portal_sso_connections')
      .addColumn('connection_id', t.key, (c) => c.primaryKey())
      .addColumn('connection_created_at', 'bigint', (c) => c.notNull())
      .addColumn('chosen_by', t.key, (c) => c.notNull())
      .addColumn('chosen_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('admin_users').addColumn('sso_linked', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // Accounts without a password could only ever sign in through SSO: they stay linked. Accounts with a
    // password wait for an owner to link them.
    await sql`update admin_users set sso_linked = 1 where password_hash is null`.execute(db);
    await db.schema
      .createTable('admin_sign_in_failures')
      .addColumn('key', t.key, (c) => c.primaryKey())
      .addColumn('user_id', t.key)
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('first_failed_at', 'bigint', (c) => c.notNull())
      .addColumn('last_failed_at', 'bigint', (c) => c.notNull())
      .addColumn('blocked_until', 'bigint', (c) => c.notNull())
      .addColumn('audit_id', t.key)
      .addColumn('audit_at', 'bigint')
      .addColumn('audit_count', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('admin_sign_in_failures_last').on('admin_sign_in_failures').column('last_failed_at').execute();
  },
});
