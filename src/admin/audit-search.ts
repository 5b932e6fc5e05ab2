/** Searching and exporting the audit log (filters in docs/admin-api.md). */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { adminAuditRepo, type AuditEventRow, type AuditFilter } from '../storage/repositories/admin-audit.ts';
import { decodeCursor, isTimeIdKey, pageLimit, pageOf } from './paging.ts';

type Q = Record<string, string | undefined>;

export const toApiAuditEvent = (r: AuditEventRow) => ({
  id: r.id, at: new Date(r.at).toISOString(), actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label }, action: r.action,
  target: { type: r.target_type, id: r.target_id }, tenant: r.tenant, product: r.product, ip: r.ip, summary: JSON.parse(r.summary) as { before?: unknown; after?: unknown },
});

/** An ISO date/time or epoch milliseconds; 400 naming the field otherwise. */
function time(v: string | undefined, field: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(t)) throw new GatehouseError('API_VALIDATION', `"${field}" must be an ISO 8601 date/time or epoch milliseconds.`, { field });
  return t;
}

export function readAuditFilter(q: Q): AuditFilter {
  const f: AuditFilter = { q: q.q || undefined, actor: q.actor || undefined, action: q.action || undefined, tenant: q.tenant || undefined, targetType: q.targetType || undefined, targetId: q.targetId || undefined, from: time(q.from, 'from'), to: time(q.to, 'to') };
  if (f.from !== undefined && f.to !== undefined && f.from > f.to) throw new GatehouseError('API_VALIDATION', '"from" is after "to".', { field: 'from' });
  return f;
}

export async function searchAudit(ctx: AppContext, q: Q) {
  const limit = pageLimit(q.limit);
  const rows = await adminAuditRepo.search(ctx.db, readAuditFilter(q), limit + 1, decodeCursor(q.cursor, isTimeIdKey));
  return pageOf(rows, limit, toApiAuditEvent, (r) => [r.at, r.id]);
}

const EXPORT_MAX = 50_000;
const CSV_COLUMNS = ['id', 'at', 'actor_type', 'actor_id', 'actor_label', 'action', 'target_type', 'target_id', 'tenant', 'product', 'ip', 'summary'] as const;

/** RFC 4180 field; cells that a spreadsheet would run as a formula are prefixed with a quote. */
function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every matching event (newest first, at most 50 000) as CSV or JSON. */
export async function exportAudit(ctx: AppContext, q: Q): Promise<{ body: string; contentType: string; filename: string }> {
  const format = q.format ?? 'json';
  if (format !== 'csv' && format !== 'json') throw new GatehouseError('API_VALIDATION', '"format" must be csv or json.', { field: 'format' });
  const filter = readAuditFilter(q);
  const rows: AuditEventRow[] = [];
  let before: [number, string] | undefined;
  while (rows.length < EXPORT_MAX) {
    const page = await adminAuditRepo.search(ctx.db, filter, 1000, before);
    rows.push(...page);
    if (page.length < 1000) break;
    const last = page[page.length - 1]!;
    before = [last.at, last.id];
  }
  const stamp = new Date(ctx.now()).toISOString().slice(0, 10);
  if (format === 'json') return { body: JSON.stringify(rows.slice(0, EXPORT_MAX).map(toApiAuditEvent)), contentType: 'application/json; charset=utf-8', filename: `gatehouse-audit-${stamp}.json` };
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows.slice(0, EXPORT_MAX)) {
    const cells = { ...r, at: new Date(r.at).toISOString() } as Record<string, unknown>;
    lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c] === null || cells[c] === undefined ? '' : String(cells[c]))).join(','));
  }
  return { body: `${lines.join('\r\n')}\r\n`, contentType: 'text/csv; charset=utf-8', filename: `gatehouse-audit-${stamp}.csv` };
}
