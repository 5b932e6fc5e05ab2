/** Named queries for the portal's trusted SSO connections and for per-account sign-in failures. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { AdminSignInFailuresTable, PortalSsoConnectionsTable } from '../schema-admin.ts';
import { isUniqueViolation } from '../dialect.ts';

export type PortalSsoConnectionRow = Selectable<PortalSsoConnectionsTable>;
export type SignInFailureRow = Selectable<AdminSignInFailuresTable>;

export const portalTrustRepo = {
  list: (db: Kysely<Database>) => db.selectFrom('portal_sso_connections').selectAll().orderBy('chosen_at').orderBy('connection_id').execute(),
  find: (db: Kysely<Database>, connectionId: string) => db.selectFrom('portal_sso_connections').selectAll().where('connection_id', '=', connectionId).executeTakeFirst(),
  /** The first of `ids` that the portal trusts, or undefined. */
  async firstTrusted(db: Kysely<Database>, ids: string[]): Promise<string | undefined> {
    if (ids.length === 0) return undefined;
    return (await db.selectFrom('portal_sso_connections').select('connection_id').where('connection_id', 'in', ids).limit(1).executeTakeFirst())?.connection_id;
  },
  /** Replaces the whole choice in one transaction. */
  replace: (db: Kysely<Database>, rows: PortalSsoConnectionRow[]) =>
    db.transaction().execute(async (tx) => {
      await tx.deleteFrom('portal_sso_connections').execute();
      if (rows.length) await tx.insertInto('portal_sso_connections').values(rows).execute();
    }),
  forget: async (db: Kysely<Database>, connectionId: string) => void (await db.deleteFrom('portal_sso_connections').where('connection_id', '=', connectionId).execute()),
};

export const signInFailuresRepo = {
  find: (db: Kysely<Database>, key: string) => db.selectFrom('admin_sign_in_failures').selectAll().where('key', '=', key).executeTakeFirst(),
  /**
   * Counts one failure atomically (a streak older than `streakStart` starts again at 1) and returns the row
   * as it is now. The row is made first (outside any transaction: a unique violation there would abort it on
   * PostgreSQL); the update and the read back then share one transaction, whose row lock keeps a concurrent
   * failure from counting between them, so each caller sees its own count and exactly one crosses the threshold.
   */
  async countFailure(db: Kysely<Database>, key: string, userId: string | null, now: number, streakStart: number): Promise<SignInFailureRow> {
    await insertIfMissing(db, key, userId, now);
    return db.transaction().execute((tx) => countFailureIn(tx, key, userId, now, streakStart));
  },
  /** Makes sure a row exists without counting a guess (failures that are not guesses are only audited). */
  async ensure(db: Kysely<Database>, key: string, userId: string | null, now: number): Promise<SignInFailureRow> {
    await insertIfMissing(db, key, userId, now);
    return (await signInFailuresRepo.find(db, key))!;
  },
  /** Raises the wait (never lowers it: a slower instance cannot shorten another's). */
  block: async (db: Kysely<Database>, key: string, until: number) =>
    void (await db.updateTable('admin_sign_in_failures').set({ blocked_until: until }).where('key', '=', key).where('blocked_until', '<', until).execute()),
  /** Claims the audit window: true for the one caller that replaced `previous` (null or an older event id). */
  async claimAuditWindow(db: Kysely<Database>, key: string, previous: string | null, auditId: string, now: number): Promise<boolean> {
    let q = db.updateTable('admin_sign_in_failures').set({ audit_id: auditId, audit_at: now, audit_count: 1 }).where('key', '=', key);
    q = previous === null ? q.where('audit_id', 'is', null) : q.where('audit_id', '=', previous);
    return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
  },
  /** Adds one failure to the current audit window and returns the new count (update and read in one transaction, as above). */
  countInAuditWindow: (db: Kysely<Database>, key: string): Promise<number> =>
    db.transaction().execute(async (tx) => {
      await tx.updateTable('admin_sign_in_failures').set((eb) => ({ audit_count: eb('audit_count', '+', 1) })).where('key', '=', key).execute();
      return (await tx.selectFrom('admin_sign_in_failures').select('audit_count').where('key', '=', key).executeTakeFirst())?.audit_count ?? 0;
    }),
  /** A successful sign-in ends the streak (the audit window stays, so later failures join its event). */
  reset: async (db: Kysely<Database>, key: string) => void (await db.updateTable('admin_sign_in_failures').set({ failures: 0, blocked_until: 0 }).where('key', '=', key).execute()),
  async deleteOlderThan(db: Kysely<Database>, cutoff: number): Promise<number> {
    const r = await db.deleteFrom('admin_sign_in_failures').where('last_failed_at', '<', cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};

/** One failure counted on an existing row, read back in the caller's transaction. */
async function countFailureIn(db: Kysely<Database>, key: string, userId: string | null, now: number, streakStart: number): Promise<SignInFailureRow> {
  await db.updateTable('admin_sign_in_failures').where('key', '=', key)
    .set((eb) => ({
      failures: eb.case().when('last_failed_at', '<', streakStart).then(1).else(eb('failures', '+', 1)).end(),
      first_failed_at: eb.case().when('last_failed_at', '<', streakStart).then(now).else(eb.ref('first_failed_at')).end(),
      blocked_until: eb.case().when('last_failed_at', '<', streakStart).then(0).else(eb.ref('blocked_until')).end(),
      last_failed_at: now,
      user_id: userId,
    }))
    .execute();
  return (await signInFailuresRepo.find(db, key))!;
}

/** A row with no failures yet; an existing one (another instance's, or a race) is left as it is. */
async function insertIfMissing(db: Kysely<Database>, key: string, userId: string | null, now: number): Promise<void> {
  try {
    await db.insertInto('admin_sign_in_failures').values({ key, user_id: userId, failures: 0, first_failed_at: now, last_failed_at: now, blocked_until: 0, audit_id: null, audit_at: null, audit_count: 0 }).execute();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
}
