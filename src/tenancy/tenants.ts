/**
 * Tenants: a customer organisation with a stable enterprise key for login links. A tenant needs no record:
 * its identifier is then its enterprise key. A record can give another key (the identifier then no longer
 * works as a key).
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, tenantsRepo, type TenantRow } from '../storage/index.ts';
import { parseInput } from '../input/parse-input.ts';
import { CreateTenantInput, UpdateTenantInput } from './input.ts';
import { authorize, type Caller, type Permission } from '../policy/caller.ts';
import { auditChange, type Change } from '../policy/audit.ts';

/** A tenant belongs to no product: a caller limited to products cannot manage tenants. */
const allowed = (caller: Caller, need: Permission, tenant?: unknown) => authorize(caller, need, { tenant });
const audit = (ctx: AppContext, caller: Caller, action: string, tenant: string, s: Pick<Change, 'before' | 'after'>) =>
  auditChange(ctx, caller, { action, target: { type: 'tenant', id: tenant }, tenant, ...s });

export const toApiTenant = (r: TenantRow) => ({ tenant: r.id, enterpriseKey: r.enterprise_key, name: r.name, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString() });

export async function createTenant(ctx: AppContext, caller: Caller, body: unknown) {
  allowed(caller, 'sso:write', (body as { tenant?: unknown } | null)?.tenant);
  const input = parseInput(CreateTenantInput, body);
  const now = ctx.now();
  const row: TenantRow = { id: input.tenant, enterprise_key: input.enterpriseKey ?? input.tenant, name: input.name ?? input.tenant, created_at: now, updated_at: now };
  const other = await tenantsRepo.findByEnterpriseKey(ctx.db, row.enterprise_key);
  if (other) throw new GatehouseError('API_CONFLICT', `Enterprise key "${row.enterprise_key}" is already used by another tenant.`, { field: 'enterpriseKey' });
  if (!(await tenantsRepo.insert(ctx.db, row))) throw new GatehouseError('API_CONFLICT', `Tenant "${input.tenant}" already exists (or its enterprise key is taken).`, { field: 'tenant' });
  const data = toApiTenant(row);
  await audit(ctx, caller, 'tenant.created', data.tenant, { after: data });
  return data;
}

export async function getTenant(ctx: AppContext, caller: Caller, id: string) {
  allowed(caller, 'sso:read', id);
  return tenantRow(ctx, id);
}

async function tenantRow(ctx: AppContext, id: string) {
  const row = await tenantsRepo.findById(ctx.db, id);
  if (!row) throw new GatehouseError('API_NOT_FOUND', `No tenant record "${id}".`, { field: 'tenant' });
  return row;
}

export async function updateTenant(ctx: AppContext, caller: Caller, id: string, body: unknown) {
  allowed(caller, 'sso:write', id);
  const input = parseInput(UpdateTenantInput, body);
  const row = await tenantRow(ctx, id);
  const patch = { enterprise_key: input.enterpriseKey ?? row.enterprise_key, name: input.name ?? row.name, updated_at: ctx.now() };
  const r = await tenantsRepo.update(ctx.db, id, patch);
  if (r === 'conflict') throw new GatehouseError('API_CONFLICT', `Enterprise key "${patch.enterprise_key}" is already used by another tenant.`, { field: 'enterpriseKey' });
  const data = toApiTenant({ ...row, ...patch });
  await audit(ctx, caller, 'tenant.updated', id, { before: toApiTenant(row), after: data });
  return data;
}

export async function listTenants(ctx: AppContext, caller: Caller, q: { limit?: string; after?: string }) {
  allowed(caller, 'sso:read');
  const limit = Math.min(Math.max(Number(q.limit ?? 50) || 50, 1), 200);
  const rows = await tenantsRepo.list(ctx.db, limit + 1, q.after);
  return { data: rows.slice(0, limit).map(toApiTenant), nextCursor: rows.length > limit ? rows[limit - 1]!.id : null };
}

export async function deleteTenant(ctx: AppContext, caller: Caller, id: string) {
  allowed(caller, 'sso:write', id);
  const before = toApiTenant(await tenantRow(ctx, id));
  if (!(await tenantsRepo.delete(ctx.db, id))) throw new GatehouseError('API_NOT_FOUND', `No tenant record "${id}".`, { field: 'tenant' });
  await audit(ctx, caller, 'tenant.deleted', id, { before });
}

export interface ResolvedTenant {
  id: string;
  enterpriseKey: string;
  name: string;
}

/** The tenant behind an enterprise key: a record with that key, or else a tenant named so on connections. */
export async function tenantByEnterpriseKey(ctx: AppContext, key: string): Promise<ResolvedTenant | null> {
  const rec = await tenantsRepo.findByEnterpriseKey(ctx.db, key);
  if (rec) return { id: rec.id, enterpriseKey: rec.enterprise_key, name: rec.name };
  const named = await tenantsRepo.findById(ctx.db, key);
  if (named) return null; // the record gives this tenant another key
  const products = await connectionsRepo.productsOfTenant(ctx.db, key);
  return products.length > 0 ? { id: key, enterpriseKey: key, name: key } : null;
}

/** The enterprise key of a tenant identifier (its record's, or the identifier itself). */
export async function enterpriseKeyOf(ctx: AppContext, tenant: string): Promise<string> {
  return (await tenantsRepo.findById(ctx.db, tenant))?.enterprise_key ?? tenant;
}
