/** App sessions (issue 15): opened when a sign-in issues a code, ended once (a conditional UPDATE), swept when expired. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { AppSessionsTable } from '../schema-sessions.ts';

export type AppSessionRow = Selectable<AppSessionsTable>;

/** Which open sessions a logout concerns. */
export type AppSessionSelector =
  | { sid: string }
  | { connectionId: string; nameidKey?: string; sessionIndex?: string }
  | { tenant: string; product: string; emails: string[]; nameidKeys: string[] };

const MAX_FOUND = 1000;

export const appSessionsRepo = {
  async insert(db: Kysely<Database>, row: AppSessionRow): Promise<void> {
    await db.insertInto('app_sessions').values(row).execute();
  },
  async find(db: Kysely<Database>, sid: string): Promise<AppSessionRow | undefined> {
    return db.selectFrom('app_sessions').selectAll().where('sid', '=', sid).executeTakeFirst();
  },
  /** Open (not ended, not expired) sessions the selector names, oldest first, at most 1,000 per call. */
  async findOpen(db: Kysely<Database>, s: AppSessionSelector, now: number): Promise<AppSessionRow[]> {
    let q = db.selectFrom('app_sessions').selectAll().where('ended_at', 'is', null).where('expires_at', '>', now);
    if ('sid' in s) q = q.where('sid', '=', s.sid);
    else if ('connectionId' in s) {
      q = q.where('connection_id', '=', s.connectionId);
      if (s.nameidKey !== undefined) q = q.where('nameid_key', '=', s.nameidKey);
      if (s.sessionIndex !== undefined) q = q.where('session_index', '=', s.sessionIndex);
    } else {
      if (s.emails.length === 0 && s.nameidKeys.length === 0) return [];
      q = q.where('tenant', '=', s.tenant).where('product', '=', s.product).where((eb) =>
        eb.or([...(s.emails.length ? [eb('email', 'in', s.emails)] : []), ...(s.nameidKeys.length ? [eb('nameid_key', 'in', s.nameidKeys)] : [])]),
      );
    }
    return q.orderBy('created_at').limit(MAX_FOUND).execute();
  },
  /**
   * A page of open sessions of a tenant+product (optionally of one email or connection), oldest first, after the
   * keyset `after` (created_at, sid). Served by the (tenant, product, email) index.
   */
  async pageOpen(db: Kysely<Database>, q: { tenant: string; product: string; email?: string; connectionId?: string; sub?: string; now: number; limit: number; after?: { createdAt: number; sid: string } }): Promise<AppSessionRow[]> {
    let s = db.selectFrom('app_sessions').selectAll().where('tenant', '=', q.tenant).where('product', '=', q.product).where('ended_at', 'is', null).where('expires_at', '>', q.now);
    if (q.email !== undefined) s = s.where('email', '=', q.email);
    if (q.connectionId !== undefined) s = s.where('connection_id', '=', q.connectionId);
    if (q.sub !== undefined) s = s.where('sub', '=', q.sub);
    const after = q.after;
    if (after) s = s.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('sid', '>', after.sid)])]));
    return s.orderBy('created_at').orderBy('sid').limit(q.limit).execute();
  },
  /** Ends one session; false when it had already ended (another instance or request got there first). */
  async end(db: Kysely<Database>, sid: string, now: number, reason: string): Promise<boolean> {
    const r = await db.updateTable('app_sessions').set({ ended_at: now, end_reason: reason }).where('sid', '=', sid).where('ended_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** Sessions ended or expired before `before` (kept a while after ending, for the record and for late logouts). */
  async deleteExpired(db: Kysely<Database>, before: number): Promise<number> {
    const r = await db.deleteFrom('app_sessions').where('expires_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
