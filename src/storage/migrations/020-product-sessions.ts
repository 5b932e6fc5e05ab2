/**
 * 020 — a product's session settings (issue 15): refresh tokens on or off and their lifetimes, the post-logout
 * redirect URIs it registered, and its back-channel logout receiver. One JSON column (null: the defaults), as
 * connections keep their settings. Expand-only.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const productSessions = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('products').addColumn('session_settings', t.text).execute();
  },
});
