/**
 * Named queries for connection upkeep (docs/decisions/0019-metadata-refresh.md): the metadata-refresh schedule,
 * claimed under a lease by a conditional UPDATE (one instance per connection per period, on every dialect), and
 * the certificate-expiry notices, made once by their primary key.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { MetadataRefreshTable } from '../schema-connection-upkeep.ts';
import { isUniqueViolation } from '../dialect.ts';

export type MetadataRefreshRow = Selectable<MetadataRefreshTable>;

export const metadataRefreshRepo = {
  async find(db: Kysely<Database>, connectionId: string): Promise<MetadataRefreshRow | undefined> {
    return db.selectFrom('metadata_refresh').selectAll().where('connection_id', '=', connectionId).executeTakeFirst();
  },
  /** Sets (or makes) the schedule of a connection fetched from a URL; the lease is left as it is. */
  async schedule(db: Kysely<Database>, connectionId: string, s: { nextRefreshAt: number; etag: string | null; lastModified: string | null }): Promise<void> {
    const values = { next_refresh_at: s.nextRefreshAt, etag: s.etag, last_modified: s.lastModified };
    const r = await db.updateTable('metadata_refresh').set(values).where('connection_id', '=', connectionId).executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) return;
    try {
      await db.insertInto('metadata_refresh').values({ connection_id: connectionId, lease_until: 0, ...values }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await db.updateTable('metadata_refresh').set(values).where('connection_id', '=', connectionId).execute();
    }
  },
  /** Makes the schedule of a connection fetched from a URL when it has none (one saved before refreshes existed); keeps an existing one. */
  async ensure(db: Kysely<Database>, connectionId: string, nextRefreshAt: number): Promise<void> {
    if (await metadataRefreshRepo.find(db, connectionId)) return;
    try {
      await db.insertInto('metadata_refresh').values({ connection_id: connectionId, next_refresh_at: nextRefreshAt, lease_until: 0, etag: null, last_modified: null }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  },
  /** Connections due for a fetch and not held by another instance, soonest first. */
  async due(db: Kysely<Database>, now: number, limit: number): Promise<string[]> {
    const rows = await db.selectFrom('metadata_refresh').select('connection_id').where('next_refresh_at', '<=', now).where('lease_until', '<=', now).orderBy('next_refresh_at').limit(limit).execute();
    return rows.map((r) => r.connection_id);
  },
  /** Takes the refresh of one due connection until `leaseUntil`; false when another instance took it (or it is not due). */
  async claim(db: Kysely<Database>, connectionId: string, now: number, leaseUntil: number): Promise<boolean> {
    const r = await db.updateTable('metadata_refresh').set({ lease_until: leaseUntil })
      .where('connection_id', '=', connectionId).where('next_refresh_at', '<=', now).where('lease_until', '<=', now).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** Ends a claimed refresh: the next fetch time, the validators to send then, the lease released. */
  async settle(db: Kysely<Database>, connectionId: string, s: { nextRefreshAt: number; etag: string | null; lastModified: string | null }): Promise<void> {
    await db.updateTable('metadata_refresh').set({ next_refresh_at: s.nextRefreshAt, etag: s.etag, last_modified: s.lastModified, lease_until: 0 }).where('connection_id', '=', connectionId).execute();
  },
  async forget(db: Kysely<Database>, connectionId: string): Promise<void> {
    await db.deleteFrom('metadata_refresh').where('connection_id', '=', connectionId).execute();
  },
};

export const certificateNoticesRepo = {
  /** Records one notice; true only for the call that recorded it (every later or concurrent call gets false). */
  async recordOnce(db: Kysely<Database>, n: { connectionId: string; fingerprint: string; thresholdDays: number; now: number }): Promise<boolean> {
    try {
      await db.insertInto('certificate_notices').values({ connection_id: n.connectionId, fingerprint: n.fingerprint, threshold_days: n.thresholdDays, created_at: n.now }).execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  },
  async forget(db: Kysely<Database>, connectionId: string): Promise<void> {
    await db.deleteFrom('certificate_notices').where('connection_id', '=', connectionId).execute();
  },
};

/** Writes a connection's settings unless someone saved it since it was read (its updated_at moved): true when written. */
export async function updateConnectionSettingsIfUnchanged(db: Kysely<Database>, c: { id: string; readUpdatedAt: number; settings: string; updatedAt: number }): Promise<boolean> {
  const r = await db.updateTable('connections').set({ settings: c.settings, updated_at: c.updatedAt }).where('id', '=', c.id).where('updated_at', '=', c.readUpdatedAt).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
