/** 001 — the SSO backbone: connections, login flows, assertion replay guard, codes, tokens, signing keys. */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const ssoBackbone = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('connections')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('product', t.key, (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('idp_entity_id', t.text, (c) => c.notNull())
      .addColumn('idp_key', 'varchar(64)', (c) => c.notNull())
      .addColumn('redirect_urls', t.text, (c) => c.notNull())
      .addColumn('default_redirect_url', t.text, (c) => c.notNull())
      .addColumn('settings', t.text, (c) => c.notNull())
      .addColumn('client_secret_enc', t.text, (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('connections_tenant_product').on('connections').columns(['tenant', 'product']).execute();
    await db.schema.createIndex('connections_idp_key').on('connections').columns(['idp_key']).execute();

    await db.schema
      .createTable('login_flows')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('connection_id', t.key, (c) => c.notNull())
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('product', t.key, (c) => c.notNull())
      .addColumn('params', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .execute();
    await db.schema.createIndex('login_flows_expires').on('login_flows').column('expires_at').execute();

    await db.schema
      .createTable('assertion_replays')
      .addColumn('assertion_key', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('assertion_replays_expires').on('assertion_replays').column('expires_at').execute();

    await db.schema
      .createTable('oauth_codes')
      .addColumn('code_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('flow_id', t.key, (c) => c.notNull())
      .addColumn('connection_id', t.key, (c) => c.notNull())
      .addColumn('client_id', t.text, (c) => c.notNull())
      .addColumn('redirect_uri', t.text, (c) => c.notNull())
      .addColumn('code_challenge', 'varchar(128)')
      .addColumn('code_challenge_method', 'varchar(16)')
      .addColumn('nonce', t.text)
      .addColumn('scope', t.text, (c) => c.notNull())
      .addColumn('profile_enc', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('redeemed_at', 'bigint')
      .execute();
    await db.schema.createIndex('oauth_codes_expires').on('oauth_codes').column('expires_at').execute();

    await db.schema
      .createTable('oauth_tokens')
      .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('connection_id', t.key, (c) => c.notNull())
      .addColumn('profile_enc', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('oauth_tokens_code').on('oauth_tokens').column('code_hash').execute();
    await db.schema.createIndex('oauth_tokens_expires').on('oauth_tokens').column('expires_at').execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('id', t.key, (c) => c.primaryKey())
      .addColumn('use', 'varchar(16)', (c) => c.notNull())
      .addColumn('private_key_enc', t.text, (c) => c.notNull())
      .addColumn('public_pem', t.text, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('retired_at', 'bigint')
      .execute();
  },
});
