/** Named queries for SSO connections. Every lookup a request makes is scoped by tenant+product or by clientID. */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { ConnectionsTable, Database } from '../schema.ts';
import { pageByTenantProduct, type TenantProductPage } from './keyset.ts';

export type ConnectionRow = Selectable<ConnectionsTable>;

/** Every column of a connection, for joins that must name them (login-flows.ts#claimWithConnection). */
export const CONNECTION_COLUMNS = [
  'id', 'tenant', 'product', 'kind', 'name', 'description', 'idp_entity_id', 'idp_key', 'redirect_urls', 'default_redirect_url', 'settings',
  'client_secret_enc', 'client_secret_mac', 'active', 'sort_order', 'created_at', 'updated_at', 'version', 'backchannel_logout_uri',
] as const satisfies readonly (keyof ConnectionsTable)[];
/** The connection's columns read beside a claimed flow (alias `c`), each as `c__<column>`: split again by the login-flow repository. */
export const CLAIMED_CONNECTION_COLUMNS = CONNECTION_COLUMNS.map((k) => sql.ref(`c.${k}`).as(`c__${k}`));
// A column added to the table and not to the list fails to compile here.
const allColumnsListed: Exclude<keyof ConnectionsTable, (typeof CONNECTION_COLUMNS)[number]> extends never ? true : never = true;
void allColumnsListed;

export const connectionsRepo = {
  /** The portal's list: every connection, optionally filtered, one keyset page at a time. */
  page: (db: Kysely<Database>, o: TenantProductPage): Promise<ConnectionRow[]> => pageByTenantProduct(db, 'connections', o),
  async insert(db: Kysely<Database>, row: Insertable<ConnectionsTable>): Promise<void> {
    await db.insertInto('connections').values(row).execute();
  },
  async findById(db: Kysely<Database>, id: string): Promise<ConnectionRow | undefined> {
    return db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async listByTenantProduct(db: Kysely<Database>, tenant: string, product: string): Promise<ConnectionRow[]> {
    return db.selectFrom('connections').selectAll().where('tenant', '=', tenant).where('product', '=', product).orderBy('sort_order').orderBy('created_at').execute();
  },
  /** A product's connections across tenants, newest first, by offset (Jackson's `/api/v1/sso/product`). */
  async pageByProduct(db: Kysely<Database>, product: string, offset: number, limit: number): Promise<ConnectionRow[]> {
    return db.selectFrom('connections').selectAll().where('product', '=', product).orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
  },
  /** Distinct products a tenant has connections for (a product may exist only on connections). */
  async productsOfTenant(db: Kysely<Database>, tenant: string): Promise<string[]> {
    const rows = await db.selectFrom('connections').select('product').distinct().where('tenant', '=', tenant).orderBy('product').execute();
    return rows.map((r) => r.product);
  },
  async listByIdpKey(db: Kysely<Database>, idpKey: string): Promise<ConnectionRow[]> {
    return db.selectFrom('connections').selectAll().where('idp_key', '=', idpKey).execute();
  },
  /** The clientIDs of every connection of one kind (the import's check for SAML connections of Gatehouse's own). */
  async idsOfKind(db: Kysely<Database>, kind: ConnectionRow['kind']): Promise<string[]> {
    return (await db.selectFrom('connections').select('id').where('kind', '=', kind).execute()).map((r) => r.id);
  },
  /** A patch that writes the sealed clientSecret without its keyed hash clears the hash, so a stale one can never match (decision 0047). */
  async update(db: Kysely<Database>, id: string, patch: Partial<Omit<ConnectionRow, 'id' | 'created_at'>>): Promise<boolean> {
    const set = patch.client_secret_enc !== undefined && patch.client_secret_mac === undefined ? { ...patch, client_secret_mac: null } : patch;
    const r = await db.updateTable('connections').set(set).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  /**
   * Writes the keyed hash of the clientSecret sealed as `sealed`, only if that is still the connection's sealed
   * secret (a secret written meanwhile keeps its own hash, or none).
   */
  async setSecretMac(db: Kysely<Database>, id: string, sealed: string, mac: string): Promise<void> {
    await db.updateTable('connections').set({ client_secret_mac: mac }).where('id', '=', id).where('client_secret_enc', '=', sealed).execute();
  },
  async delete(db: Kysely<Database>, id: string): Promise<boolean> {
    const r = await db.deleteFrom('connections').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
  async deleteByTenantProduct(db: Kysely<Database>, tenant: string, product: string): Promise<number> {
    const r = await db.deleteFrom('connections').where('tenant', '=', tenant).where('product', '=', product).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
