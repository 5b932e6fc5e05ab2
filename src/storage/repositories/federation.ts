/** Named queries for Identity Federation apps and their pending sign-in requests. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { FederationAppsTable, FederationOidcAppsTable, FederationRequestsTable } from '../schema-federation.ts';
import { isUniqueViolation } from '../dialect.ts';

export type FederationAppRow = Selectable<FederationAppsTable>;
export type FederationRequestRow = Selectable<FederationRequestsTable>;
export type FederationOidcAppRow = Selectable<FederationOidcAppsTable>;

export const federationAppsRepo = {
  /** False when the id (one app per tenant+product) or the entity ID is taken: the constraints decide, not a read first. */
  async insert(db: Kysely<Database>, row: FederationAppRow): Promise<boolean> {
    try {
      await db.insertInto('federation_apps').values(row).execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  },
  findById: (db: Kysely<Database>, id: string) => db.selectFrom('federation_apps').selectAll().where('id', '=', id).executeTakeFirst(),
  findByEntityKey: (db: Kysely<Database>, entityKey: string) => db.selectFrom('federation_apps').selectAll().where('entity_key', '=', entityKey).executeTakeFirst(),
  /** One page, newest first; `product` narrows it. */
  page: (db: Kysely<Database>, q: { product?: string; offset: number; limit: number }) => {
    let s = db.selectFrom('federation_apps').selectAll();
    if (q.product) s = s.where('product', '=', q.product);
    return s.orderBy('created_at', 'desc').orderBy('id').offset(q.offset).limit(q.limit).execute();
  },
  /** False when no row has the id. The entity ID is not changed after creation. */
  async update(db: Kysely<Database>, id: string, patch: Partial<Omit<FederationAppRow, 'id' | 'tenant' | 'product' | 'entity_id' | 'entity_key' | 'created_at'>>): Promise<boolean> {
    const r = await db.updateTable('federation_apps').set(patch).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    const r = await db.deleteFrom('federation_apps').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  },
};

/** OIDC apps: one per tenant+product (the id), found by id when an app presents its client ID. */
export const federationOidcAppsRepo = {
  /** False when the tenant+product already has an OIDC app: the primary key decides. */
  async insert(db: Kysely<Database>, row: FederationOidcAppRow): Promise<boolean> {
    try {
      await db.insertInto('federation_oidc_apps').values(row).execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  },
  findById: (db: Kysely<Database>, id: string) => db.selectFrom('federation_oidc_apps').selectAll().where('id', '=', id).executeTakeFirst(),
  /** One page, newest first; `product` narrows it. */
  page: (db: Kysely<Database>, q: { product?: string; offset: number; limit: number }) => {
    let s = db.selectFrom('federation_oidc_apps').selectAll();
    if (q.product) s = s.where('product', '=', q.product);
    return s.orderBy('created_at', 'desc').orderBy('id').offset(q.offset).limit(q.limit).execute();
  },
  /** False when no row has the id. The client secret is not changed here. */
  async update(db: Kysely<Database>, id: string, patch: Partial<Pick<FederationOidcAppRow, 'name' | 'redirect_urls' | 'settings' | 'updated_at'>>): Promise<boolean> {
    const r = await db.updateTable('federation_oidc_apps').set(patch).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    const r = await db.deleteFrom('federation_oidc_apps').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  },
};

export const federationRequestsRepo = {
  insert: (db: Kysely<Database>, row: FederationRequestRow) => db.insertInto('federation_requests').values(row).execute(),
  /** A request still waiting for its sign-in (unused, unexpired), or undefined. */
  findOpen: (db: Kysely<Database>, id: string, now: number) =>
    db.selectFrom('federation_requests').selectAll().where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst(),
  /** Marks the request used; false when it was used already or has expired: one UPDATE decides, on any instance. */
  async use(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
    const r = await db.updateTable('federation_requests').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async deleteExpired(db: Kysely<Database>, now: number): Promise<number> {
    const r = await db.deleteFrom('federation_requests').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
