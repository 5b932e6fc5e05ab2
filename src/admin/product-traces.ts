/**
 * SSO traces through the management API, in Jackson's shapes (`/api/v1/sso-traces`): one trace by id, a
 * product's traces newest first (offset paging with `pageOffset`/`pageLimit`, or the `pageToken` cursor), their
 * count, and deleting them. The caller needs `sso:read` on the product (`sso:write` to delete, audited as
 * `sso.traces.deleted`); a key limited to tenants reads only traces of its tenants, by id.
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { ssoTracesRepo, type SsoTraceRow } from '../storage/repositories/sso-traces.ts';
import { decodeCursor, encodeCursor, isTimeIdKey } from './paging.ts';
import { SsoTraceView, toApiTrace, TRACE_RETENTION_MS } from './traces.ts';

/** `toJacksonTrace` as a zod view, for the OpenAPI document (decision 0032). */
export const JacksonTraceView = SsoTraceView.extend({
  traceId: z.string(),
  timestamp: z.number().int().describe('Unix milliseconds.'),
  error: z.string(),
  context: z.object({ tenant: z.string().nullable(), product: z.string().nullable(), clientID: z.string().nullable(), isSAMLFailure: z.literal(true).optional(), isOIDCFailure: z.literal(true).optional() }),
}).meta({ title: 'JacksonSsoTrace' });

/** A page of a product's traces; `pageToken` continues it (absent on the last page). */
export const JacksonTracePageView = z.object({ data: z.array(JacksonTraceView), pageToken: z.string().optional() });

/** Gatehouse's trace, plus the fields Jackson's clients read (`traceId`, `timestamp`, `error`, `context`). */
const toJacksonTrace = (r: SsoTraceRow): z.infer<typeof JacksonTraceView> => ({
  ...toApiTrace(r),
  traceId: r.id,
  timestamp: r.at,
  error: r.message,
  context: { tenant: r.tenant, product: r.product, clientID: r.connection_id, ...(r.kind === 'saml' ? { isSAMLFailure: true } : { isOIDCFailure: true }) },
});

function requireProduct(product: string | undefined): string {
  if (!product) throw new GatehouseError('API_VALIDATION', '"product" is required.', { field: 'product' });
  return product;
}

function pageParams(q: { pageOffset?: string; pageLimit?: string }): { offset: number; limit: number } {
  const offset = q.pageOffset ? Number(q.pageOffset) : 0;
  const limit = q.pageLimit ? Number(q.pageLimit) : 50;
  if (!Number.isInteger(offset) || offset < 0) throw new GatehouseError('API_VALIDATION', '"pageOffset" must be an integer of 0 or more.', { field: 'pageOffset' });
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new GatehouseError('API_VALIDATION', '"pageLimit" must be an integer from 1 to 500.', { field: 'pageLimit' });
  return { offset, limit };
}

export async function getTraceFor(ctx: AppContext, caller: Caller, id: string | undefined) {
  authorize(caller, 'sso:read');
  const row = id ? await ssoTracesRepo.findById(ctx.db, id) : undefined;
  if (!row) throw new GatehouseError('API_NOT_FOUND', `No trace "${id ?? ''}".`, { field: 'id' });
  authorize(caller, 'sso:read', { tenant: row.tenant ?? undefined, product: row.product ?? undefined });
  return toJacksonTrace(row);
}

export async function listProductTraces(ctx: AppContext, caller: Caller, q: { product?: string; pageOffset?: string; pageLimit?: string; pageToken?: string }) {
  const product = requireProduct(q.product);
  authorize(caller, 'sso:read', { product });
  const { offset, limit } = pageParams(q);
  const before = decodeCursor(q.pageToken, isTimeIdKey);
  const rows = await ssoTracesRepo.list(ctx.db, { since: ctx.now() - TRACE_RETENTION_MS, product, limit: limit + 1, offset: before ? 0 : offset, before });
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return { data: shown.map(toJacksonTrace), ...(rows.length > limit && last ? { pageToken: encodeCursor([last.at, last.id]) } : {}) };
}

export async function countProductTraces(ctx: AppContext, caller: Caller, product: string | undefined): Promise<number> {
  authorize(caller, 'sso:read', { product: requireProduct(product) });
  return ssoTracesRepo.countByProduct(ctx.db, product!, ctx.now() - TRACE_RETENTION_MS);
}

export async function deleteProductTraces(ctx: AppContext, caller: Caller, product: string | undefined): Promise<number> {
  authorize(caller, 'sso:write', { product: requireProduct(product) });
  const deleted = await ssoTracesRepo.deleteByProduct(ctx.db, product!);
  await auditChange(ctx, caller, { action: 'sso.traces.deleted', target: { type: 'product', id: product! }, product, after: { deleted } });
  return deleted;
}
