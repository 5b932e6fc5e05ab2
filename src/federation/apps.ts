/**
 * The Identity Federation app service for every surface: create, read, list, update, delete. Each call
 * takes the Caller, which is checked (`sso:read` / `sso:write`, for the app's tenants and product) before
 * an app outside its scope is revealed, and every change is audited (`federation.app.created|updated|deleted`).
 * One app per tenant+product (Jackson's id) and one app per entity ID: the database constraints decide.
 */
import { createHash } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { parseInput } from '../input/parse-input.ts';
import { federationAppsRepo, type FederationAppRow } from '../storage/index.ts';
import { authorize, type Caller, type Permission } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { CreateAppInput, UpdateAppInput, settingsOf, toApiApp, withOwnTenantFirst, type ApiFederationApp, type AppSettings } from './app-input.ts';

/** Jackson's app id: RIPEMD-160 (hex) of "tenant:product". */
export const federationAppIdOf = (tenant: string, product: string) => createHash('ripemd160').update(`${tenant}:${product}`).digest('hex');
export const entityKeyOf = (entityId: string) => createHash('sha256').update(entityId).digest('hex');

/** Which app a request names: `id`, or `tenant` and `product`. */
export interface AppRef {
  id?: unknown;
  tenant?: unknown;
  product?: unknown;
}

const PAGE_LIMIT_MAX = 100;

function idOf(ref: AppRef): string {
  if (typeof ref.id === 'string' && ref.id) return ref.id;
  if (typeof ref.tenant === 'string' && ref.tenant && typeof ref.product === 'string' && ref.product) return federationAppIdOf(ref.tenant, ref.product);
  throw new GatehouseError('API_VALIDATION', 'Provide either the `id` or `tenant` and `product` of the app.', { field: 'id' });
}

/** Every tenant the app reaches must be inside a limited caller's scope. */
function authorizeApp(caller: Caller, need: Permission, app: { tenant: string; product: string; tenants?: string[] }): void {
  for (const tenant of app.tenants?.length ? app.tenants : [app.tenant]) authorize(caller, need, { tenant, product: app.product });
}

/** The check before a read or change of one app; a limited caller learns nothing of apps outside its scope. */
async function appFor(ctx: AppContext, caller: Caller, need: Permission, ref: AppRef): Promise<FederationAppRow> {
  authorize(caller, need);
  const row = await federationAppsRepo.findById(ctx.db, idOf(ref));
  if (row) authorizeApp(caller, need, { tenant: row.tenant, product: row.product, tenants: settingsOf(row).tenants });
  else authorize(caller, need, ref.id === undefined ? ref : {});
  if (!row) throw new GatehouseError('FEDERATION_APP_NOT_FOUND', 'Identity Federation app not found.');
  return row;
}

const refuseOidc = (type: string | undefined) => {
  if (type === 'oidc') throw new GatehouseError('API_VALIDATION', 'OIDC federation apps are not supported yet; create a SAML app (type "saml").', { field: 'type' });
};

const entityTaken = (entityId: string) => new GatehouseError('API_CONFLICT', `An app already exists with the Entity ID "${entityId}". Provide a unique Entity ID and try again.`, { field: 'entityId' });

export async function createFederationApp(ctx: AppContext, caller: Caller, body: unknown): Promise<ApiFederationApp> {
  const b = (body ?? {}) as Record<string, unknown>;
  authorize(caller, 'sso:write', { tenant: b.tenant, product: b.product });
  const input = parseInput(CreateAppInput, body);
  refuseOidc(input.type);
  const settings: AppSettings = {
    logoUrl: input.logoUrl ?? null, faviconUrl: input.faviconUrl ?? null, primaryColor: input.primaryColor ?? null,
    tenants: withOwnTenantFirst(input.tenant, input.tenants), mappings: input.mappings ?? [],
    samlAudienceOverride: input.samlAudienceOverride ?? null, ttlInMinutes: input.ttlInMinutes ?? null,
  };
  authorizeApp(caller, 'sso:write', { tenant: input.tenant, product: input.product, tenants: settings.tenants });
  const now = ctx.now();
  const row: FederationAppRow = {
    id: federationAppIdOf(input.tenant, input.product), tenant: input.tenant, product: input.product, name: input.name,
    entity_id: input.entityId, entity_key: entityKeyOf(input.entityId), acs_url: input.acsUrl, settings: JSON.stringify(settings), created_at: now, updated_at: now,
  };
  if (!(await federationAppsRepo.insert(ctx.db, row))) {
    if (await federationAppsRepo.findById(ctx.db, row.id)) throw new GatehouseError('API_CONFLICT', 'Cannot create another app for the same tenant and product. An app already exists.', { field: 'tenant' });
    throw entityTaken(input.entityId);
  }
  const app = toApiApp(row);
  await auditChange(ctx, caller, { action: 'federation.app.created', target: { type: 'federation_app', id: row.id }, tenant: row.tenant, product: row.product, after: app });
  return app;
}

export async function getFederationApp(ctx: AppContext, caller: Caller, ref: AppRef): Promise<ApiFederationApp> {
  return toApiApp(await appFor(ctx, caller, 'sso:read', ref));
}

/** One page of a product's apps (Jackson's pageOffset and pageLimit). */
export async function listFederationApps(ctx: AppContext, caller: Caller, q: { product?: string; tenant?: string; pageOffset?: string; pageLimit?: string }): Promise<ApiFederationApp[]> {
  if (!q.product) throw new GatehouseError('API_VALIDATION', 'Please provide a `product`.', { field: 'product' });
  authorize(caller, 'sso:read', { product: q.product, tenant: q.tenant });
  const offset = Math.max(0, Number.parseInt(q.pageOffset ?? '0', 10) || 0);
  const limit = Math.min(PAGE_LIMIT_MAX, Math.max(1, Number.parseInt(q.pageLimit ?? '', 10) || PAGE_LIMIT_MAX));
  const rows = await federationAppsRepo.page(ctx.db, { product: q.product, offset, limit });
  return rows.filter((r) => (!q.tenant || settingsOf(r).tenants.includes(q.tenant)) && mayAccess(caller, r)).map(toApiApp);
}

/** A limited caller sees only apps whose every tenant it covers (an app of another tenant may list one of its tenants). */
function mayAccess(caller: Caller, row: FederationAppRow): boolean {
  try {
    authorizeApp(caller, 'sso:read', { tenant: row.tenant, product: row.product, tenants: settingsOf(row).tenants });
    return true;
  } catch {
    return false;
  }
}

export async function updateFederationApp(ctx: AppContext, caller: Caller, body: unknown): Promise<ApiFederationApp> {
  const input = parseInput(UpdateAppInput, body);
  const row = await appFor(ctx, caller, 'sso:write', input);
  if (input.entityId !== undefined && input.entityId !== row.entity_id) {
    throw new GatehouseError('API_VALIDATION', 'The Entity ID of an app cannot be changed (apps are found by it); delete the app and create it again.', { field: 'entityId' });
  }
  const before = toApiApp(row);
  const s = settingsOf(row);
  const settings: AppSettings = {
    logoUrl: input.logoUrl !== undefined ? input.logoUrl : s.logoUrl,
    faviconUrl: input.faviconUrl !== undefined ? input.faviconUrl : s.faviconUrl,
    primaryColor: input.primaryColor !== undefined ? input.primaryColor : s.primaryColor,
    tenants: input.tenants !== undefined ? withOwnTenantFirst(row.tenant, input.tenants) : s.tenants,
    mappings: input.mappings ?? s.mappings,
    samlAudienceOverride: input.samlAudienceOverride !== undefined ? input.samlAudienceOverride : s.samlAudienceOverride,
    ttlInMinutes: input.ttlInMinutes !== undefined ? input.ttlInMinutes : s.ttlInMinutes,
  };
  const patch = { name: input.name ?? row.name, acs_url: input.acsUrl ?? row.acs_url, settings: JSON.stringify(settings), updated_at: ctx.now() };
  if (patch.name === row.name && patch.acs_url === row.acs_url && patch.settings === row.settings) {
    const changed = ['name', 'acsUrl', 'logoUrl', 'faviconUrl', 'primaryColor', 'tenants', 'mappings', 'samlAudienceOverride', 'ttlInMinutes'].some((k) => k in (body as object));
    if (!changed) throw new GatehouseError('API_VALIDATION', 'Provide at least one of: name, acsUrl, logoUrl, faviconUrl, primaryColor, tenants, mappings, samlAudienceOverride, ttlInMinutes.');
  }
  authorizeApp(caller, 'sso:write', { tenant: row.tenant, product: row.product, tenants: settings.tenants });
  if (!(await federationAppsRepo.update(ctx.db, row.id, patch))) throw new GatehouseError('FEDERATION_APP_NOT_FOUND', 'Identity Federation app not found.');
  const app = toApiApp({ ...row, ...patch });
  await auditChange(ctx, caller, { action: 'federation.app.updated', target: { type: 'federation_app', id: row.id }, tenant: row.tenant, product: row.product, before, after: app });
  return app;
}

export async function deleteFederationApp(ctx: AppContext, caller: Caller, ref: AppRef): Promise<void> {
  const row = await appFor(ctx, caller, 'sso:write', ref);
  if (!(await federationAppsRepo.delete(ctx.db, row.id))) throw new GatehouseError('FEDERATION_APP_NOT_FOUND', 'Identity Federation app not found.');
  await auditChange(ctx, caller, { action: 'federation.app.deleted', target: { type: 'federation_app', id: row.id }, tenant: row.tenant, product: row.product, before: toApiApp(row) });
}
