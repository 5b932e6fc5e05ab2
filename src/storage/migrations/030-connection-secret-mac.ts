/**
 * 030 — a keyed hash of each connection's clientSecret beside the sealed one (decision 0047), so the token
 * endpoint's redeem can check client authentication in its own WHERE on PostgreSQL. `<key id>.<HMAC-SHA256>`, the
 * key derived from ENCRYPTION_KEY (crypto/secrets.ts#keyedHash). Expand-only: null on every existing row, filled
 * on first use (a token request that authenticated with the sealed secret writes it) and by every write of a
 * connection's secret; a null or stale value only means the slower path.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const connectionSecretMac = (_t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('connections').addColumn('client_secret_mac', 'varchar(100)').execute();
  },
});
