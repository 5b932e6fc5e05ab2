/** App sessions (issue 15): opened when a sign-in issues a code, ended once (a conditional UPDATE), swept when expired. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { AppSessionsTable } from '../schema-sessions.ts';
import { prepared, type Prepared } from '../prepared.ts';

export type AppSessionRow = Selectable<AppSessionsTable>;

/** Which open sessions a logout concerns. */
export type AppSessionSelector =
  | { sid: string }
  | { connectionId: string; nameidKey?: string; sessionIndex?: string }
  | { tenant: string; product: string; emails: string[]; nameidKeys: string[] };

/** The most sessions one `findOpen` returns: a full page means look again. */
export const MAX_OPEN_SESSIONS_FOUND = 1000;

/** Up to this many emails and this many NameID keys, a directory user's lookup is compiled (the usual user has 1–2 of each). */
const MAX_COMPILED = 4;
type UserSelector = Extract<AppSessionSelector, { emails: string[] }>;
const userLookups = new Map<number, Prepared<Record<string, unknown>, AppSessionRow>>();

/**
 * A directory user's lookup (a SCIM deactivation's), compiled once per count of emails and keys (decision 0062): the
 * SQL `findOpenBuilt` builds, without Kysely building and compiling it per call, and on SQLite run on the driver when
 * the connection is free. Null for other selectors and for users with more values.
 */
function compiledUserLookup(s: AppSessionSelector): Prepared<Record<string, unknown>, AppSessionRow> | null {
  if (!('emails' in s) || s.emails.length === 0 || s.nameidKeys.length === 0 || s.emails.length > MAX_COMPILED || s.nameidKeys.length > MAX_COMPILED) return null;
  const shape = s.emails.length * (MAX_COMPILED + 1) + s.nameidKeys.length;
  let q = userLookups.get(shape);
  if (!q) {
    const e = s.emails.map((_, i) => `e${i}`);
    const k = s.nameidKeys.map((_, i) => `k${i}`);
    q = prepared<Record<string, unknown>, AppSessionRow>(['now', 'tenant', 'product', ...e, ...k], (d, v) =>
      d.selectFrom('app_sessions').selectAll().where('ended_at', 'is', null).where('expires_at', '>', v.now as number)
        .where('tenant', '=', v.tenant as string).where('product', '=', v.product as string)
        .where((eb) => eb.or([eb('email', 'in', e.map((n) => v[n] as string)), eb('nameid_key', 'in', k.map((n) => v[n] as string))]))
        .orderBy('created_at').limit(MAX_OPEN_SESSIONS_FOUND));
    userLookups.set(shape, q);
  }
  return q;
}

function userLookupValues(s: UserSelector, now: number): Record<string, unknown> {
  const v: Record<string, unknown> = { now, tenant: s.tenant, product: s.product };
  for (let i = 0; i < s.emails.length; i++) v[`e${i}`] = s.emails[i];
  for (let i = 0; i < s.nameidKeys.length; i++) v[`k${i}`] = s.nameidKeys[i];
  return v;
}

export const appSessionsRepo = {
  async insert(db: Kysely<Database>, row: AppSessionRow): Promise<void> {
    await db.insertInto('app_sessions').values(row).execute();
  },
  async find(db: Kysely<Database>, sid: string): Promise<AppSessionRow | undefined> {
    return db.selectFrom('app_sessions').selectAll().where('sid', '=', sid).executeTakeFirst();
  },
  /** Open (not ended, not expired) sessions the selector names, oldest first, at most 1,000 per call. */
  async findOpen(db: Kysely<Database>, s: AppSessionSelector, now: number): Promise<AppSessionRow[]> {
    const compiled = compiledUserLookup(s);
    return compiled ? compiled.rows(db, userLookupValues(s as UserSelector, now)) : appSessionsRepo.findOpenBuilt(db, s, now);
  },
  /** `findOpen` built by Kysely on every call: every selector; the reference the compiled lookups are held to. */
  async findOpenBuilt(db: Kysely<Database>, s: AppSessionSelector, now: number): Promise<AppSessionRow[]> {
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
    return q.orderBy('created_at').limit(MAX_OPEN_SESSIONS_FOUND).execute();
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
