/**
 * The vendor event stream's table: appended under a one-row lock (so `seq` order is commit order on every
 * dialect and a cursor never passes an event that commits later), read oldest first after a cursor.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import { forUpdate, type DialectName } from '../dialect.ts';
import type { VendorEventsTable } from '../schema-vendor-events.ts';

export type VendorEventRow = Selectable<VendorEventsTable>;
export type NewVendorEvent = Insertable<VendorEventsTable>;

export interface VendorEventQuery {
  tenant?: string;
  product?: string;
  types?: readonly string[];
  afterSeq?: number;
  limit: number;
}

export const vendorEventsRepo = {
  /**
   * Appends one event, and runs `alongside` (the webhook outbox's append) in the same transaction, so the
   * event is delivered if and only if it was recorded.
   */
  async append(db: Kysely<Database>, dialect: DialectName, row: NewVendorEvent, alongside?: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await forUpdate(trx.selectFrom('vendor_event_append_lock').select('id').where('id', '=', 1), dialect).execute();
      await trx.insertInto('vendor_events').values(row).execute();
      if (alongside) await alongside(trx);
    });
  },

  /** Oldest first, after `afterSeq`, optionally by tenant, product and types. */
  async list(db: Kysely<Database>, q: VendorEventQuery): Promise<VendorEventRow[]> {
    let s = db.selectFrom('vendor_events').selectAll();
    if (q.tenant !== undefined) s = s.where('tenant', '=', q.tenant);
    if (q.product !== undefined) s = s.where('product', '=', q.product);
    if (q.types?.length) s = s.where('type', 'in', q.types);
    if (q.afterSeq !== undefined) s = s.where('seq', '>', q.afterSeq);
    return s.orderBy('seq').limit(q.limit).execute();
  },

  /** Newest first, before `beforeSeq` (the portal's Events view). */
  async listNewest(db: Kysely<Database>, q: Omit<VendorEventQuery, 'afterSeq'> & { beforeSeq?: number }): Promise<VendorEventRow[]> {
    let s = db.selectFrom('vendor_events').selectAll();
    if (q.tenant !== undefined) s = s.where('tenant', '=', q.tenant);
    if (q.product !== undefined) s = s.where('product', '=', q.product);
    if (q.types?.length) s = s.where('type', 'in', q.types);
    if (q.beforeSeq !== undefined) s = s.where('seq', '<', q.beforeSeq);
    return s.orderBy('seq', 'desc').limit(q.limit).execute();
  },

  /** Events of `types` recorded since `since`, newest first (the portal's flags on connections). */
  async recentOfTypes(db: Kysely<Database>, types: readonly string[], since: number, limit: number): Promise<VendorEventRow[]> {
    return db.selectFrom('vendor_events').selectAll().where('type', 'in', types).where('created_at', '>=', since).orderBy('seq', 'desc').limit(limit).execute();
  },

  /** Removes events older than `before`, a bounded batch at a time. */
  async deleteOlderThan(db: Kysely<Database>, before: number): Promise<number> {
    const old = await db.selectFrom('vendor_events').select('seq').where('created_at', '<', before).orderBy('seq').limit(1000).execute();
    if (old.length === 0) return 0;
    const r = await db.deleteFrom('vendor_events').where('seq', 'in', old.map((o) => o.seq)).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
