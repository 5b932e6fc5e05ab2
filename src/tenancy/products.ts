/**
 * Products: one app of the SaaS vendor, with a display name, a default redirect URL and an optional
 * initiate_login_uri. Every call takes the Caller, checked and audited here for every surface. A product belongs
 * to no tenant: a caller limited to tenants cannot use these.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { productsRepo, type ProductRow } from '../storage/index.ts';
import { parseInput } from '../input/parse-input.ts';
import { CreateProductInput, UpdateProductInput } from './input.ts';
import { applySessionSettings, readSessionSettings, storedSessionSettings, type SessionSettingsInput } from './session-settings.ts';
import { readProductRoles, storedProductRoles } from './product-roles.ts';
import { readPortalSettings, storedPortalSettings, type PortalSettingsInput } from './portal-settings.ts';
import { authorize, type Caller, type Permission } from '../policy/caller.ts';
import { auditChange, type Change } from '../policy/audit.ts';
import { checkOutboundUrl, outboundPolicyOf } from '../net/outbound.ts';

const allowed = (caller: Caller, need: Permission, product?: unknown) => authorize(caller, need, { product });
const audit = (ctx: AppContext, caller: Caller, action: string, product: string, s: Pick<Change, 'before' | 'after'>) =>
  auditChange(ctx, caller, { action, target: { type: 'product', id: product }, product, ...s });

export const toApiProduct = (r: Omit<ProductRow, 'portal_settings'> & { portal_settings?: string | null }) => ({
  product: r.id, name: r.name, defaultRedirectUrl: r.default_redirect_url, initiateLoginUri: r.initiate_login_uri,
  roles: readProductRoles(r.roles), ...readSessionSettings(r.session_settings), ...readPortalSettings(r.portal_settings),
  createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
});

const portalFields = (i: PortalSettingsInput): PortalSettingsInput => ({ portalReturnUrls: i.portalReturnUrls, portalFrameAncestors: i.portalFrameAncestors });
const sessionFields = (i: SessionSettingsInput): SessionSettingsInput => ({
  refreshTokens: i.refreshTokens, refreshTokenIdleSeconds: i.refreshTokenIdleSeconds, refreshTokenAbsoluteSeconds: i.refreshTokenAbsoluteSeconds,
  postLogoutRedirectUris: i.postLogoutRedirectUris, backchannelLogoutUri: i.backchannelLogoutUri, backchannelLogoutSessionRequired: i.backchannelLogoutSessionRequired,
});

/** The back-channel logout receiver passes the SSRF guard when saved, as webhook URLs do (decision 0025); again at every POST. */
async function checkReceiver(ctx: AppContext, i: SessionSettingsInput): Promise<void> {
  if (i.backchannelLogoutUri) await checkOutboundUrl(i.backchannelLogoutUri, outboundPolicyOf(ctx.config), 'backchannelLogoutUri');
}

export async function createProduct(ctx: AppContext, caller: Caller, body: unknown) {
  allowed(caller, 'sso:write', (body as { product?: unknown } | null)?.product);
  const input = parseInput(CreateProductInput, body);
  await checkReceiver(ctx, input);
  const now = ctx.now();
  const row: ProductRow = {
    id: input.product, name: input.name ?? input.product, default_redirect_url: input.defaultRedirectUrl ?? null, initiate_login_uri: input.initiateLoginUri ?? null,
    session_settings: storedSessionSettings(applySessionSettings(readSessionSettings(null), sessionFields(input))), roles: storedProductRoles(input.roles ?? []), portal_settings: storedPortalSettings(null, portalFields(input)), created_at: now, updated_at: now,
  };
  if (!(await productsRepo.insert(ctx.db, row))) throw new GatehouseError('API_CONFLICT', `Product "${input.product}" already exists.`, { field: 'product' });
  const data = toApiProduct(row);
  await audit(ctx, caller, 'product.created', data.product, { after: data });
  return data;
}

export async function getProduct(ctx: AppContext, caller: Caller, id: string) {
  allowed(caller, 'sso:read', id);
  return productRow(ctx, id);
}

async function productRow(ctx: AppContext, id: string) {
  const row = await productsRepo.findById(ctx.db, id);
  if (!row) throw new GatehouseError('API_NOT_FOUND', `No product "${id}".`, { field: 'product' });
  return row;
}

export async function updateProduct(ctx: AppContext, caller: Caller, id: string, body: unknown) {
  allowed(caller, 'sso:write', id);
  const input = parseInput(UpdateProductInput, body);
  const row = await productRow(ctx, id);
  await checkReceiver(ctx, input);
  const patch = {
    name: input.name ?? row.name,
    default_redirect_url: input.defaultRedirectUrl === undefined ? row.default_redirect_url : input.defaultRedirectUrl,
    initiate_login_uri: input.initiateLoginUri === undefined ? row.initiate_login_uri : input.initiateLoginUri,
    session_settings: storedSessionSettings(applySessionSettings(readSessionSettings(row.session_settings), sessionFields(input))),
    roles: input.roles === undefined ? row.roles : storedProductRoles(input.roles),
    portal_settings: storedPortalSettings(row.portal_settings, portalFields(input)),
    updated_at: ctx.now(),
  };
  await productsRepo.update(ctx.db, id, patch);
  const data = toApiProduct({ ...row, ...patch });
  await audit(ctx, caller, 'product.updated', id, { before: toApiProduct(row), after: data });
  return data;
}

export async function listProducts(ctx: AppContext, caller: Caller, q: { limit?: string; after?: string }) {
  allowed(caller, 'sso:read');
  const limit = Math.min(Math.max(Number(q.limit ?? 50) || 50, 1), 200);
  const rows = await productsRepo.list(ctx.db, limit + 1, q.after);
  return { data: rows.slice(0, limit).map(toApiProduct), nextCursor: rows.length > limit ? rows[limit - 1]!.id : null };
}

export async function deleteProduct(ctx: AppContext, caller: Caller, id: string) {
  allowed(caller, 'sso:write', id);
  const before = toApiProduct(await productRow(ctx, id));
  if (!(await productsRepo.delete(ctx.db, id))) throw new GatehouseError('API_NOT_FOUND', `No product "${id}".`, { field: 'product' });
  await audit(ctx, caller, 'product.deleted', id, { before });
}
