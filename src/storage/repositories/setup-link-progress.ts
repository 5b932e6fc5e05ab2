/**
 * A setup link's progress (migration 023). Each milestone is one conditional UPDATE (`… IS NULL`), so the
 * first writer wins on every dialect without reading first, and a repeat changes nothing. Small writes run in
 * a transaction of their own on SQLite (group commit, decision 0009).
 */
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import { traitsOf, type DialectName } from '../dialect.ts';
import type { SetupLinksTable } from '../schema-setup-links.ts';

type Db = Kysely<Database>;
const write = <T>(db: Db, dialect: DialectName, fn: (db: Db) => Promise<T>): Promise<T> => (traitsOf(dialect).groupCommit && !db.isTransaction ? db.transaction().execute(fn) : fn(db));
const changed = (r: { numUpdatedRows: bigint }[]) => r.reduce((n, x) => n + Number(x.numUpdatedRows), 0);

export type ProgressColumn = 'opened_at' | 'created_resource_at' | 'last_test_at' | 'first_scim_request_at' | 'completed_at';
/** A milestone as a condition on the row: its column is set (and, with `lastTestNotFailed`, the last test did not fail). */
export interface MilestoneCondition {
  set: ProgressColumn;
  lastTestNotFailed?: boolean;
}
/** Rows that reached `reached` (none: any) and none of `notReached`. */
export interface ProgressFilter {
  reached?: MilestoneCondition;
  notReached: MilestoneCondition[];
}

function reachedExpr(eb: ExpressionBuilder<Database, 'setup_links'>, c: MilestoneCondition) {
  const set = eb(c.set, 'is not', null);
  return c.lastTestNotFailed ? eb.and([set, eb.or([eb('last_test_ok', 'is', null), eb('last_test_ok', '=', 1)])]) : set;
}

/** The WHERE of a progress filter, for the list and count queries of setup-links.ts. */
export function progressWhere(eb: ExpressionBuilder<Database, 'setup_links'>, f: ProgressFilter) {
  const parts = f.notReached.map((c) => eb.not(reachedExpr(eb, c)));
  if (f.reached) parts.unshift(reachedExpr(eb, f.reached));
  return eb.and(parts);
}

export const setupLinkProgressRepo = {
  /** Sets `column` to `at` on the link if it is not set yet; true when this call set it. */
  async markOnce(db: Db, dialect: DialectName, linkId: string, column: 'opened_at' | 'created_resource_at', at: number): Promise<boolean> {
    const r = await write(db, dialect, (d) => d.updateTable('setup_links').set({ [column]: at }).where('id', '=', linkId).where(column, 'is', null).execute());
    return changed(r) > 0;
  },

  /** A finished test sign-in: the latest result replaces an older one; the first success also completes the setup. */
  async recordTest(db: Db, dialect: DialectName, linkId: string, at: number, ok: boolean, reason: string | null): Promise<void> {
    await write(db, dialect, async (d) => {
      await d.updateTable('setup_links').set({ last_test_at: at, last_test_ok: ok ? 1 : 0, last_test_reason: reason })
        .where('id', '=', linkId).where((eb) => eb.or([eb('last_test_at', 'is', null), eb('last_test_at', '<=', at)])).execute();
      if (ok) await d.updateTable('setup_links').set({ completed_at: at }).where('id', '=', linkId).where('completed_at', 'is', null).execute();
    });
  },

  /**
   * A SCIM request reached a directory of `tenant`+`product`: the Directory Sync link of that scope (if any)
   * records its first request and, for a successful push, its completion. Returns how many rows changed.
   */
  async scimRequest(db: Db, dialect: DialectName, scope: { tenant: string; product: string }, at: number, pushed: boolean): Promise<number> {
    const link = (d: Db) => d.updateTable('setup_links').where('service', '=', 'dsync').where('tenant', '=', scope.tenant).where('product', '=', scope.product);
    return write(db, dialect, async (d) => {
      const first = await link(d).set({ first_scim_request_at: at }).where('first_scim_request_at', 'is', null).execute();
      const done = pushed ? await link(d).set({ completed_at: at }).where('completed_at', 'is', null).execute() : [];
      return changed(first) + changed(done);
    });
  },
};

/**
 * Whether a directory's changes are failing to reach the vendor's app: its latest event was given up on, or is
 * waiting for a retry after a failed attempt. One probe of `directory_events_list` (directory, seq).
 */
export async function latestDeliveryFailing(db: Db, directoryId: string): Promise<boolean> {
  const e = await db.selectFrom('directory_events').select(['status', 'attempts']).where('directory_id', '=', directoryId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return e !== undefined && (e.status === 'failed' || (e.status === 'pending' && e.attempts > 0));
}

export type SetupLinkProgressFields = Pick<Selectable<SetupLinksTable>, ProgressColumn | 'last_test_ok' | 'last_test_reason'>;
/** A new link's progress: nothing yet. */
export const NO_PROGRESS: SetupLinkProgressFields = { opened_at: null, created_resource_at: null, last_test_at: null, last_test_ok: null, last_test_reason: null, first_scim_request_at: null, completed_at: null };
