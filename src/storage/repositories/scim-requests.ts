/**
 * Named queries of the SCIM inspector's log (docs/decisions/0027-scim-inspector.md): one insert per request,
 * a directory's page (refusals first when asked), the amortised trim to the count and byte caps, and retention.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { DialectName } from '../dialect.ts';
import type { ScimRequestsTable } from '../schema-scim-requests.ts';

export type ScimRequestRow = Selectable<ScimRequestsTable>;

export interface ScimRequestQuery {
  directoryId: string;
  since: number;
  status?: number[];
  method?: string;
  outcome?: string;
  limit: number;
  /** The cursor: rows strictly older than [at, id]. */
  before?: [number, string];
}

export const scimRequestsRepo = {
  /**
   * One insert, of one row or a batch (the recorder's). On SQLite it runs as a transaction so it joins the group commit (decision 0009): a statement
   * outside a transaction would commit the pending group first, slowing every SCIM write around it.
   */
  async insert(db: Kysely<Database>, dialect: DialectName, row: ScimRequestRow | ScimRequestRow[]): Promise<void> {
    const rows = Array.isArray(row) ? row : [row];
    if (dialect === 'sqlite') await db.transaction().execute((trx) => scimRequestsRepo.insertRows(trx, rows));
    else await scimRequestsRepo.insertRows(db, rows);
  },

  /** The insert alone, on `db` as given (a transaction the caller holds: the recorder's insert-and-trim on SQLite). */
  async insertRows(db: Kysely<Database>, rows: ScimRequestRow[]): Promise<void> {
    if (rows.length) await db.insertInto('scim_requests').values(rows).execute();
  },

  /** Newest first (one directory, since `since`), filtered by status, method or outcome. */
  list(db: Kysely<Database>, q: ScimRequestQuery): Promise<ScimRequestRow[]> {
    let s = db.selectFrom('scim_requests').selectAll().where('directory_id', '=', q.directoryId).where('at', '>=', q.since);
    if (q.status?.length) s = s.where('status', 'in', q.status);
    if (q.method) s = s.where('method', '=', q.method);
    if (q.outcome) s = s.where('outcome', '=', q.outcome);
    if (q.before) {
      const [at, id] = q.before;
      s = s.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    return s.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  },

  /**
   * What the trim needs in the common case, without a row per entry (decision 0053): the total size of a directory's
   * newest `n` entries, and the entry just past them (the count cap's cut), both read from `scim_requests_directory` alone.
   */
  async newestSummary(db: Kysely<Database>, directoryId: string, n: number): Promise<{ bytes: number; beyond: { at: number; id: string } | null }> {
    const newest = (q: Kysely<Database>) => q.selectFrom('scim_requests').where('directory_id', '=', directoryId).orderBy('at', 'desc').orderBy('id', 'desc');
    const [sum, beyond] = await Promise.all([
      db.selectFrom(newest(db).select('bytes').limit(n).as('newest')).select((eb) => eb.fn.sum<number | string | null>('newest.bytes').as('total')).executeTakeFirst(),
      newest(db).select(['at', 'id']).limit(1).offset(n).executeTakeFirst(),
    ]);
    return { bytes: Number(sum?.total ?? 0), beyond: beyond ? { at: Number(beyond.at), id: beyond.id } : null };
  },

  /** Sizes of a directory's newest `limit` entries, newest first (index-only on `scim_requests_directory`). */
  sizesNewestFirst(db: Kysely<Database>, directoryId: string, limit: number) {
    return db.selectFrom('scim_requests').select(['at', 'id', 'bytes']).where('directory_id', '=', directoryId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  },

  /** Deletes a directory's entries at or older than [at, id]. */
  async deleteFrom(db: Kysely<Database>, directoryId: string, at: number, id: string): Promise<number> {
    const r = await db.deleteFrom('scim_requests').where('directory_id', '=', directoryId)
      .where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<=', id)])]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  async deleteOlderThan(db: Kysely<Database>, cutoff: number): Promise<number> {
    const r = await db.deleteFrom('scim_requests').where('at', '<', cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  async deleteByDirectory(db: Kysely<Database>, directoryId: string): Promise<number> {
    const r = await db.deleteFrom('scim_requests').where('directory_id', '=', directoryId).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
