/** Named queries for directories (one SCIM endpoint per tenant+product, with its webhook settings). */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { DirectoriesTable } from '../schema-directory.ts';
import { pageByTenantProduct, type TenantProductPage } from './keyset.ts';

export type DirectoryRow = Selectable<DirectoriesTable>;

export const directoriesRepo = {
  async insert(db: Kysely<Database>, row: DirectoryRow): Promise<void> {
    await db.insertInto('directories').values(row).execute();
  },
  async findById(db: Kysely<Database>, id: string): Promise<DirectoryRow | undefined> {
    return db.selectFrom('directories').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async findByIds(db: Kysely<Database>, ids: string[]): Promise<DirectoryRow[]> {
    if (ids.length === 0) return [];
    return db.selectFrom('directories').selectAll().where('id', 'in', ids).execute();
  },
  async listByTenantProduct(db: Kysely<Database>, tenant: string, product: string): Promise<DirectoryRow[]> {
    return db.selectFrom('directories').selectAll().where('tenant', '=', tenant).where('product', '=', product).orderBy('created_at').orderBy('id').execute();
  },
  /** The portal's list: every directory, optionally filtered, one keyset page at a time. */
  page: (db: Kysely<Database>, o: TenantProductPage): Promise<DirectoryRow[]> => pageByTenantProduct(db, 'directories', o),
  async listByProduct(db: Kysely<Database>, product: string): Promise<DirectoryRow[]> {
    return db.selectFrom('directories').selectAll().where('product', '=', product).orderBy('created_at').orderBy('id').execute();
  },
  async update(db: Kysely<Database>, id: string, patch: Partial<Omit<DirectoryRow, 'id' | 'created_at'>>): Promise<boolean> {
    const r = await db.updateTable('directories').set(patch).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  /** How many users and groups the directory holds, and when either last changed (epoch ms; null before any). */
  async activity(db: Kysely<Database>, id: string): Promise<{ users: number; groups: number; lastChangeAt: number | null }> {
    const users = await db.selectFrom('directory_users').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('last')]).where('directory_id', '=', id).executeTakeFirstOrThrow();
    const groups = await db.selectFrom('directory_groups').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('last')]).where('directory_id', '=', id).executeTakeFirstOrThrow();
    const last = Math.max(Number(users.last ?? 0), Number(groups.last ?? 0));
    return { users: Number(users.n), groups: Number(groups.n), lastChangeAt: last || null };
  },
  /** Deletes the directory and everything it holds, in one transaction. */
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      await trx.deleteFrom('directory_event_attempts').where('directory_id', '=', id).execute();
      await trx.deleteFrom('directory_events').where('directory_id', '=', id).execute();
      await trx.deleteFrom('directory_group_members').where('directory_id', '=', id).execute();
      await trx.deleteFrom('directory_groups').where('directory_id', '=', id).execute();
      await trx.deleteFrom('directory_users').where('directory_id', '=', id).execute();
      await trx.deleteFrom('scim_requests').where('directory_id', '=', id).execute();
      const r = await trx.deleteFrom('directories').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  },
};
