/**
 * Named queries for connection versions (decision 0020). Promote and roll back run in one transaction that
 * locks the connection row first (`lockConnection`), so two instances acting at once are serialised and the
 * login path, which reads only `connections`, sees the old version or the new one, never a mix.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { ConnectionVersionsTable } from '../schema-versions.ts';
import { forUpdate, type DialectName } from '../dialect.ts';
import type { ConnectionRow } from './connections.ts';

export type ConnectionVersionRow = Selectable<ConnectionVersionsTable>;
/** The IdP side of a connection: what a version holds and what promote copies into the serving row. */
export type IdpSide = Pick<ConnectionRow, 'kind' | 'idp_entity_id' | 'idp_key' | 'settings'>;

export const idpSideOf = (r: IdpSide): IdpSide => ({ kind: r.kind, idp_entity_id: r.idp_entity_id, idp_key: r.idp_key, settings: r.settings });

export const connectionVersionsRepo = {
  find: (db: Kysely<Database>, connectionId: string, version: number) =>
    db.selectFrom('connection_versions').selectAll().where('connection_id', '=', connectionId).where('version', '=', version).executeTakeFirst(),
  draftOf: (db: Kysely<Database>, connectionId: string) =>
    db.selectFrom('connection_versions').selectAll().where('draft_of', '=', connectionId).executeTakeFirst(),
  /** Every version of a connection, newest first. */
  list: (db: Kysely<Database>, connectionId: string) =>
    db.selectFrom('connection_versions').selectAll().where('connection_id', '=', connectionId).orderBy('version', 'desc').execute(),
  /** The highest version number recorded for a connection (0 when none). */
  async maxVersion(db: Kysely<Database>, connectionId: string): Promise<number> {
    const r = await db.selectFrom('connection_versions').select((eb) => eb.fn.max('version').as('v')).where('connection_id', '=', connectionId).executeTakeFirst();
    return Number(r?.v ?? 0);
  },
  /** The serving row, locked until the transaction ends (where the dialect has row locks; SQLite has one writer). */
  lockConnection: (trx: Kysely<Database>, dialect: DialectName, id: string) =>
    forUpdate(trx.selectFrom('connections').selectAll().where('id', '=', id), dialect).executeTakeFirst(),
  async insert(db: Kysely<Database>, row: Insertable<ConnectionVersionsTable>): Promise<void> {
    await db.insertInto('connection_versions').values(row).execute();
  },
  async update(db: Kysely<Database>, connectionId: string, version: number, patch: Partial<Omit<ConnectionVersionRow, 'connection_id' | 'version'>>): Promise<boolean> {
    const r = await db.updateTable('connection_versions').set(patch).where('connection_id', '=', connectionId).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  /** Another connection of the same tenant+product that already has this IdP (the rule createConnection keeps). */
  async otherWithIdp(db: Kysely<Database>, row: Pick<ConnectionRow, 'id' | 'tenant' | 'product'>, idpKey: string): Promise<string | undefined> {
    const r = await db.selectFrom('connections').select('id').where('tenant', '=', row.tenant).where('product', '=', row.product).where('idp_key', '=', idpKey).where('id', '!=', row.id).executeTakeFirst();
    return r?.id;
  },
  /** Records what `conn` serves now as its version `conn.version`, no longer live (created when versions began after it). */
  async retireServing(db: Kysely<Database>, conn: ConnectionRow, now: number): Promise<void> {
    const side = { ...idpSideOf(conn), updated_at: conn.updated_at, status: 'retired' as const, draft_of: null, retired_at: now };
    if (await connectionVersionsRepo.update(db, conn.id, conn.version, side)) return;
    await connectionVersionsRepo.insert(db, { connection_id: conn.id, version: conn.version, replaces_version: null, created_by: '', created_at: conn.created_at, promoted_at: null, ...side });
  },
  /** Every version of a deleted connection. */
  async deleteOf(db: Kysely<Database>, connectionId: string): Promise<void> {
    await db.deleteFrom('connection_versions').where('connection_id', '=', connectionId).execute();
  },
};
