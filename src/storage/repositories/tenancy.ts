/** Named queries for tenants, their email domains, and products. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { ProductsTable, TenantDomainsTable, TenantsTable } from '../schema-tenancy.ts';
import { isUniqueViolation } from '../dialect.ts';

export type TenantRow = Selectable<TenantsTable>;
export type TenantDomainRow = Selectable<TenantDomainsTable>;
export type ProductRow = Selectable<ProductsTable>;

/** Inserts; false when a unique key (id, enterprise key, domain) is taken. */
async function insertUnique(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

export const tenantsRepo = {
  insert: (db: Kysely<Database>, row: TenantRow) => insertUnique(() => db.insertInto('tenants').values(row).execute()),
  findById: (db: Kysely<Database>, id: string) => db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst(),
  findByEnterpriseKey: (db: Kysely<Database>, key: string) => db.selectFrom('tenants').selectAll().where('enterprise_key', '=', key).executeTakeFirst(),
  list: (db: Kysely<Database>, limit: number, after?: string) => {
    let q = db.selectFrom('tenants').selectAll().orderBy('id').limit(limit);
    if (after) q = q.where('id', '>', after);
    return q.execute();
  },
  async update(db: Kysely<Database>, id: string, patch: Partial<Omit<TenantRow, 'id' | 'created_at'>>): Promise<'ok' | 'missing' | 'conflict'> {
    try {
      const r = await db.updateTable('tenants').set(patch).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0 ? 'ok' : 'missing';
    } catch (err) {
      if (isUniqueViolation(err)) return 'conflict';
      throw err;
    }
  },
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    return db.transaction().execute(async (tx) => {
      await tx.deleteFrom('verified_domains').where('tenant', '=', id).execute();
      await tx.deleteFrom('tenant_domains').where('tenant', '=', id).execute();
      const r = await tx.deleteFrom('tenants').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  },
};

export const tenantDomainsRepo = {
  insert: (db: Kysely<Database>, row: TenantDomainRow) => insertUnique(() => db.insertInto('tenant_domains').values(row).execute()),
  find: (db: Kysely<Database>, tenant: string, domain: string) => db.selectFrom('tenant_domains').selectAll().where('tenant', '=', tenant).where('domain', '=', domain).executeTakeFirst(),
  listByTenant: (db: Kysely<Database>, tenant: string) => db.selectFrom('tenant_domains').selectAll().where('tenant', '=', tenant).orderBy('domain').execute(),
  /** Marks a domain verified for a tenant; false when another tenant verified it first (the primary key decides). */
  async markVerified(db: Kysely<Database>, tenant: string, domain: string, now: number): Promise<boolean> {
    return db.transaction().execute(async (tx) => {
      const existing = await tx.selectFrom('verified_domains').selectAll().where('domain', '=', domain).executeTakeFirst();
      if (existing && existing.tenant !== tenant) return false;
      if (!existing) {
        const ok = await insertUnique(() => tx.insertInto('verified_domains').values({ domain, tenant, verified_at: now }).execute());
        if (!ok) return false;
      }
      await tx.updateTable('tenant_domains').set({ verified_at: now, last_checked_at: now }).where('tenant', '=', tenant).where('domain', '=', domain).execute();
      return true;
    });
  },
  markChecked: (db: Kysely<Database>, tenant: string, domain: string, now: number) =>
    db.updateTable('tenant_domains').set({ last_checked_at: now }).where('tenant', '=', tenant).where('domain', '=', domain).execute(),
  async delete(db: Kysely<Database>, tenant: string, domain: string): Promise<boolean> {
    return db.transaction().execute(async (tx) => {
      await tx.deleteFrom('verified_domains').where('domain', '=', domain).where('tenant', '=', tenant).execute();
      const r = await tx.deleteFrom('tenant_domains').where('tenant', '=', tenant).where('domain', '=', domain).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  },
  /** The tenant that verified this email domain, if any. */
  verifiedTenantOf: async (db: Kysely<Database>, domain: string) => (await db.selectFrom('verified_domains').select('tenant').where('domain', '=', domain).executeTakeFirst())?.tenant,
};

export const productsRepo = {
  insert: (db: Kysely<Database>, row: Insertable<ProductsTable>) => insertUnique(() => db.insertInto('products').values(row).execute()),
  findById: (db: Kysely<Database>, id: string) => db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst(),
  list: (db: Kysely<Database>, limit: number, after?: string) => {
    let q = db.selectFrom('products').selectAll().orderBy('id').limit(limit);
    if (after) q = q.where('id', '>', after);
    return q.execute();
  },
  async update(db: Kysely<Database>, id: string, patch: Partial<Omit<ProductRow, 'id' | 'created_at'>>): Promise<boolean> {
    const r = await db.updateTable('products').set(patch).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    const r = await db.deleteFrom('products').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
};
