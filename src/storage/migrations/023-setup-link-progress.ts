/**
 * 023 — a setup link's progress (issue 16): when the customer first opened it, made a connection or directory
 * through it, last ran a test sign-in (and how it went), when the link's directories got their first SCIM
 * request, and when the setup was first complete. Nullable columns only: an older instance keeps working.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const setupLinkProgress = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    for (const col of ['opened_at', 'created_resource_at', 'last_test_at', 'first_scim_request_at', 'completed_at']) {
      await db.schema.alterTable('setup_links').addColumn(col, 'bigint').execute();
    }
    await db.schema.alterTable('setup_links').addColumn('last_test_ok', 'integer').execute();
    await db.schema.alterTable('setup_links').addColumn('last_test_reason', t.text).execute();
  },
});
