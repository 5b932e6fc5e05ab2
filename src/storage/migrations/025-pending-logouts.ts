/**
 * 025 — pending SAML logouts (issue 15, decision 0030): one row per LogoutRequest Gatehouse sent to an IdP, so the
 * IdP's LogoutResponse can land on any instance, be matched by InResponseTo once, and send the browser on to the
 * app's verified post_logout_redirect_uri with its state. Expand-only: a new table.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const pendingLogouts = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('pending_logouts')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('connection_id', t.key, (c) => c.notNull())
      .addColumn('sid', t.key)
      .addColumn('redirect_uri', 'varchar(2048)')
      .addColumn('state', 'varchar(2048)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .execute();
    await db.schema.createIndex('pending_logouts_expires').on('pending_logouts').column('expires_at').execute();
  },
});
