/** Named queries for portal settings (one JSON value per key). */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { isUniqueViolation } from '../dialect.ts';

export const adminSettingsRepo = {
  async get(db: Kysely<Database>, key: string): Promise<unknown | undefined> {
    const row = await db.selectFrom('admin_settings').select('value').where('key', '=', key).executeTakeFirst();
    return row ? JSON.parse(row.value) : undefined;
  },
  /** Insert or replace (portable upsert: update, else insert, else update again when another instance inserted first). */
  async put(db: Kysely<Database>, key: string, value: unknown, now: number): Promise<void> {
    const json = JSON.stringify(value);
    const upd = async () => Number((await db.updateTable('admin_settings').set({ value: json, updated_at: now }).where('key', '=', key).executeTakeFirst()).numUpdatedRows);
    if ((await upd()) > 0) return;
    try {
      await db.insertInto('admin_settings').values({ key, value: json, updated_at: now }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await upd();
    }
  },
};
