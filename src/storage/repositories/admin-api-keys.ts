/** Named queries for personal and scoped API keys (stored by hash only). */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { AdminApiKeysTable } from '../schema-admin.ts';

export type AdminApiKeyRow = Selectable<AdminApiKeysTable>;

export const adminApiKeysRepo = {
  insert: async (db: Kysely<Database>, row: AdminApiKeyRow) => void (await db.insertInto('admin_api_keys').values(row).execute()),
  findById: (db: Kysely<Database>, id: string) => db.selectFrom('admin_api_keys').selectAll().where('id', '=', id).executeTakeFirst(),
  findByHash: (db: Kysely<Database>, hash: string) => db.selectFrom('admin_api_keys').selectAll().where('token_hash', '=', hash).executeTakeFirst(),
  /** Newest first; `owner` limits to one account's keys; `before` is the cursor [created_at, id]. */
  list: (db: Kysely<Database>, o: { owner?: string; limit: number; before?: [number, string] }) => {
    let q = db.selectFrom('admin_api_keys').selectAll().where('revoked_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(o.limit);
    if (o.owner) q = q.where('owner_id', '=', o.owner);
    if (o.before) {
      const [at, id] = o.before;
      q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]));
    }
    return q.execute();
  },
  /** Records use at most once a minute per key, so busy keys do not write on every call. */
  async touch(db: Kysely<Database>, id: string, now: number): Promise<void> {
    await db.updateTable('admin_api_keys').set({ last_used_at: now }).where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)])).execute();
  },
  async revoke(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
    const r = await db.updateTable('admin_api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
};
