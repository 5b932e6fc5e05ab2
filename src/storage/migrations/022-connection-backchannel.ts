/**
 * 022 — a connection's own back-channel logout receiver (issue 15, decision 0025): the URL that wins over its
 * product's `backchannelLogoutUri` for sessions of this connection. A column, not a key of `settings`, because
 * `settings` is the IdP side that drafts and versions replace (decision 0020), and this is the app's side.
 * Expand-only: null on every existing row (the product's receiver, if any, is used).
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const connectionBackchannel = (_t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('connections').addColumn('backchannel_logout_uri', 'varchar(2048)').execute();
  },
});
