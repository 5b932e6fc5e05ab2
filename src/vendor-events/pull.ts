/**
 * The vendor event stream's pull API (`GET /api/v1/events`, and the portal's Events view): events oldest first
 * ("newest last") after an opaque cursor, optionally by tenant, product and types. A key limited to tenants or
 * products must name them, as for connections; reading needs `sso:read`, since every event is a connection's.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { CONNECTION_EVENT_TYPES } from '../sso/connection-events.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { vendorEventsRepo } from '../storage/repositories/vendor-events.ts';
import { toApiVendorEvent, type ApiVendorEvent } from './record.ts';

export interface EventsQuery {
  tenant?: string;
  product?: string;
  types?: string;
  after?: string;
  limit?: string;
}

const CURSOR_PREFIX = 'ev1.';
const KNOWN = new Set<string>(CONNECTION_EVENT_TYPES);
const invalid = (field: string, detail: string) => new GatehouseError('API_VALIDATION', detail, { field });

/** The opaque cursor of the event with `seq`. */
export const cursorOf = (seq: number) => Buffer.from(`${CURSOR_PREFIX}${seq}`).toString('base64url');

function seqOf(cursor: string, field: string): number {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const seq = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(seq) || seq < 0) throw invalid(field, `"${field}" is not a cursor this API gave (use "nextCursor" of an earlier answer).`);
  return seq;
}

function typesOf(types: string | undefined): string[] | undefined {
  if (types === undefined || types === '') return undefined;
  const list = types.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = list.filter((t) => !KNOWN.has(t));
  if (unknown.length || list.length === 0) throw invalid('types', `"types" must list event types separated by commas; unknown: ${unknown.join(', ') || '(none given)'}. Known: ${CONNECTION_EVENT_TYPES.join(', ')}.`);
  return list;
}

function limitOf(limit: string | undefined): number {
  if (limit === undefined || limit === '') return 100;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw invalid('limit', '"limit" must be an integer from 1 to 500.');
  return n;
}

function stringParam(q: Record<string, unknown>, field: string): string | undefined {
  const v = q[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(field, `"${field}" must be given once, as a string.`);
  return v;
}

function readQuery(caller: Caller, raw: Record<string, unknown>, cursorField: 'after' | 'before') {
  const q: EventsQuery & { before?: string } = Object.fromEntries(['tenant', 'product', 'types', cursorField, 'limit'].map((f) => [f, stringParam(raw, f)]));
  const tenant = q.tenant || undefined;
  const product = q.product || undefined;
  authorize(caller, 'sso:read', { tenant, product });
  const cursor = q[cursorField];
  return { tenant, product, types: typesOf(q.types), limit: limitOf(q.limit), cursor, seq: cursor ? seqOf(cursor, cursorField) : undefined };
}

/** A page of events, oldest first; `nextCursor` continues after the last one (or stays where it was when there is none yet). */
export async function listVendorEvents(ctx: AppContext, caller: Caller, raw: Record<string, unknown>): Promise<{ data: ApiVendorEvent[]; nextCursor: string | null }> {
  const { seq, cursor, ...q } = readQuery(caller, raw, 'after');
  const rows = await vendorEventsRepo.list(ctx.db, { ...q, afterSeq: seq });
  const last = rows.at(-1);
  return { data: rows.map(toApiVendorEvent), nextCursor: last ? cursorOf(Number(last.seq)) : (cursor ?? null) };
}

/** The portal's Events view: newest first, `before` a cursor; `nextCursor` null at the oldest. */
export async function listRecentVendorEvents(ctx: AppContext, caller: Caller, raw: Record<string, unknown>): Promise<{ data: ApiVendorEvent[]; nextCursor: string | null }> {
  const { seq, cursor: _c, ...q } = readQuery(caller, raw, 'before');
  const rows = await vendorEventsRepo.listNewest(ctx.db, { ...q, beforeSeq: seq });
  return { data: rows.map(toApiVendorEvent), nextCursor: rows.length === q.limit ? cursorOf(Number(rows.at(-1)!.seq)) : null };
}
