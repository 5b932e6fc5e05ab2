/** The audit log: appending events, and searching them with filters and a newest-first cursor over (at, id). */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { AuditEventsTable } from '../schema-audit.ts';

export type AuditEventRow = Selectable<AuditEventsTable>;

export interface AuditFilter {
  /** Free text: a substring of the actor label, action, target id, tenant or product. */
  q?: string;
  /** Actor id or label (exact). */
  actor?: string;
  /** An action, or a prefix ending in "." or "*" (e.g. `sso.connection.`). */
  action?: string;
  tenant?: string;
  product?: string;
  targetType?: string;
  targetId?: string;
  from?: number;
  to?: number;
}

/** LIKE with '!' as the escape character (the same on SQLite, PostgreSQL and MySQL). */
const likeEscape = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);
const like = (column: string, pattern: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '!'`;

export const adminAuditRepo = {
  /** Appends one event (in the caller's transaction when `db` is one). */
  insert: async (db: Kysely<Database>, row: AuditEventsTable) => void (await db.insertInto('audit_events').values(row).execute()),
  /** Rewrites the summary of an aggregated event (admin.sign_in.failed counts its window's failures in place). */
  updateSummary: async (db: Kysely<Database>, id: string, summary: string) => void (await db.updateTable('audit_events').set({ summary }).where('id', '=', id).execute()),
  search(db: Kysely<Database>, f: AuditFilter, limit: number, before?: [number, string]): Promise<AuditEventRow[]> {
    let q = db.selectFrom('audit_events').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit);
    if (f.actor) q = q.where((eb) => eb.or([eb('actor_id', '=', f.actor!), eb('actor_label', '=', f.actor!)]));
    if (f.action) {
      const prefix = f.action.endsWith('*') ? f.action.slice(0, -1) : f.action.endsWith('.') ? f.action : null;
      q = prefix !== null ? q.where(like('action', `${likeEscape(prefix.toLowerCase())}%`)) : q.where('action', '=', f.action);
    }
    if (f.tenant) q = q.where('tenant', '=', f.tenant);
    if (f.product) q = q.where('product', '=', f.product);
    if (f.targetType) q = q.where('target_type', '=', f.targetType);
    if (f.targetId) q = q.where('target_id', '=', f.targetId);
    if (f.from !== undefined) q = q.where('at', '>=', f.from);
    if (f.to !== undefined) q = q.where('at', '<=', f.to);
    if (f.q) {
      const pat = `%${likeEscape(f.q.toLowerCase())}%`;
      q = q.where((eb) => eb.or(['actor_label', 'action', 'target_id', 'tenant', 'product'].map((c) => like(c, pat))));
    }
    if (before) {
      const [at, id] = before;
      q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    return q.execute();
  },
};
