/**
 * Reading the SCIM inspector's log (docs/decisions/0027-scim-inspector.md), for every surface: the management API
 * (`GET /api/v1/dsync/:id/requests`), the portal and a Directory Sync setup link (its own directories only). The
 * caller is checked as for reading the directory (`dsync:read` on its tenant and product); reads are not audited.
 * Also the 7-day retention, run by the maintenance sweep.
 */
import * as z from 'zod';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import type { Caller } from '../../policy/caller.ts';
import { scimRequestsRepo, type ScimRequestRow } from '../../storage/repositories/scim-requests.ts';
import { directoryFor } from '../directories.ts';
import { detailContext, type ScimRequestDetail } from './recorder.ts';

export const RETENTION_MS = 7 * 24 * 3600 * 1000;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** One recorded request, as every surface answers it: a zod view for the OpenAPI document (decision 0032). */
export const ScimRequestView = z.object({
  id: z.string(),
  at: z.string().meta({ format: 'date-time' }),
  method: z.string(),
  path: z.string(),
  query: z.record(z.string(), z.string()).describe('Redacted.'),
  status: z.number().int(),
  outcome: z.enum(['accepted', 'refused', 'failed']),
  verdict: z.string().describe('The whole verdict in plain words: the summary, then each note.'),
  summary: z.string(),
  notes: z.array(z.object({ kind: z.string(), text: z.string() })),
  request: z.unknown().describe('The request body as received, redacted and bounded (null when there was none).'),
  response: z.unknown().describe('The answer sent, redacted and bounded.'),
}).meta({ title: 'ScimRequest' });
export type ScimRequestEntry = z.infer<typeof ScimRequestView>;

/** A page of the inspector, newest first; `nextCursor` continues it. */
export const ScimRequestPageView = z.object({ data: z.array(ScimRequestView), nextCursor: z.string().nullable() }).meta({ title: 'ScimRequestPage' });

const invalid = (field: string, detail: string): never => {
  throw new GatehouseError('API_VALIDATION', detail, { field });
};

/** `status`: `4xx`, `2xx`, `5xx`, one code (`409`) or a comma-separated list of those. */
function readStatus(v: string | undefined): { status?: number[]; outcome?: string } {
  if (!v) return {};
  const classes: Record<string, string> = { '2xx': 'accepted', '4xx': 'refused', '5xx': 'failed' };
  const parts = v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (parts.length === 1 && classes[parts[0]!]) return { outcome: classes[parts[0]!] };
  const codes = parts.map((p) => (/^[1-5]\d\d$/.test(p) ? Number(p) : invalid('status', '"status" is 2xx, 4xx, 5xx, or HTTP status codes separated by commas (e.g. 400,409).')));
  return { status: codes };
}

/** `since`: an ISO date or epoch milliseconds; never older than the 7 days kept. */
function readSince(v: string | undefined, now: number): number {
  const floor = now - RETENTION_MS;
  if (!v) return floor;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms)) return invalid('since', '"since" must be an ISO 8601 date or epoch milliseconds.');
  return Math.max(floor, ms);
}

function readCursor(v: string | undefined): [number, string] | undefined {
  if (!v) return undefined;
  const m = /^(\d+)\.([\w-]{1,64})$/.exec(v);
  return m ? [Number(m[1]), m[2]!] : invalid('cursor', '"cursor" is the nextCursor of a previous answer.');
}

function toEntry(ctx: Pick<AppContext, 'secrets'>, row: ScimRequestRow): ScimRequestEntry {
  const d = JSON.parse(ctx.secrets.decrypt(row.detail_enc, detailContext(row.directory_id))) as ScimRequestDetail;
  return {
    id: row.id, at: new Date(Number(row.at)).toISOString(), method: row.method, path: row.path, query: d.query, status: Number(row.status),
    outcome: row.outcome as ScimRequestEntry['outcome'], verdict: d.verdict, summary: d.summary, notes: d.notes, request: d.request, response: d.response,
  };
}

export interface ScimRequestsQuery {
  status?: string;
  method?: string;
  since?: string;
  limit?: string;
  cursor?: string;
}

/**
 * One page of a directory's SCIM requests, newest first, with the filters of the query (the screens show the
 * refusals first by asking with `status=4xx`, then everything).
 */
export async function listScimRequests(ctx: AppContext, caller: Caller, directoryId: string, q: ScimRequestsQuery): Promise<z.infer<typeof ScimRequestPageView>> {
  const dir = await directoryFor(ctx, caller, 'dsync:read', directoryId);
  const now = ctx.now();
  const method = q.method ? q.method.toUpperCase() : undefined;
  if (method && !METHODS.has(method)) invalid('method', '"method" is one of GET, POST, PUT, PATCH, DELETE.');
  const limit = q.limit ? Math.min(MAX_LIMIT, Math.max(1, Number.parseInt(q.limit, 10) || DEFAULT_LIMIT)) : DEFAULT_LIMIT;
  const rows = await scimRequestsRepo.list(ctx.db, { directoryId: dir.id, since: readSince(q.since, now), method, ...readStatus(q.status), limit: limit + 1, before: readCursor(q.cursor) });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => toEntry(ctx, r)),
    nextCursor: rows.length > limit && last ? `${Number(last.at)}.${last.id}` : null,
  };
}

/** The maintenance sweep: entries past the 7 days. */
export function pruneScimRequests(ctx: Pick<AppContext, 'db' | 'now'>): Promise<number> {
  return scimRequestsRepo.deleteOlderThan(ctx.db, ctx.now() - RETENTION_MS);
}
