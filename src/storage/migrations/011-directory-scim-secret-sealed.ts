/**
 * 011 — a sealed copy of each directory's SCIM secret (issue 13, "Secrets on read"): under JACKSON_COMPAT,
 * `GET /api/v1/dsync/:id` returns `scim.secret` as Jackson does, so the secret must be recoverable. The hash stays
 * the only thing SCIM authentication reads. Nullable: rows written before this migration have no sealed copy
 * until their secret is rotated. Expand-only: instances of the previous release ignore the column.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const directoryScimSecretSealed = (_t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('directories').addColumn('scim_secret_sealed', 'text').execute();
  },
});
