/**
 * 021 — refresh tokens (issue 15, decision 0024): stored by hash only, one `family` per code redemption (every
 * rotation stays in it; reuse revokes it whole), the app session they belong to (`sid`), their client and how it
 * authenticated, the sealed profile, the scope, and two expiries (idle, and the family's absolute one). Access
 * tokens gain their `scope` and `client_id` for introspection. Expand-only: rows issued before have neither and
 * introspect with the session's client id.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const refreshTokens = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('oauth_refresh_tokens')
      .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('family', t.key, (c) => c.notNull())
      .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('sid', t.key, (c) => c.notNull())
      .addColumn('client_id', t.text, (c) => c.notNull())
      .addColumn('client_auth', 'varchar(16)', (c) => c.notNull())
      .addColumn('connection_id', t.key, (c) => c.notNull())
      .addColumn('profile_enc', t.text, (c) => c.notNull())
      .addColumn('scope', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('family_expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('oauth_refresh_tokens_family').on('oauth_refresh_tokens').column('family').execute();
    await db.schema.createIndex('oauth_refresh_tokens_sid').on('oauth_refresh_tokens').column('sid').execute();
    await db.schema.createIndex('oauth_refresh_tokens_code').on('oauth_refresh_tokens').column('code_hash').execute();
    await db.schema.createIndex('oauth_refresh_tokens_expires').on('oauth_refresh_tokens').column('family_expires_at').execute();
    await db.schema.alterTable('oauth_tokens').addColumn('scope', t.text).execute();
    await db.schema.alterTable('oauth_tokens').addColumn('client_id', t.text).execute();
  },
});
