/**
 * The Identity Federation app service for every surface: create, read, list, update, delete, for SAML apps and
 * OIDC apps (`type: "oidc"`, whose id starts `oidc_`). Each call takes the Caller, which is checked (`sso:read` /
 * `sso:write`, for the app's tenants and product) before an app outside its scope is revealed, and every change
 * is audited (`federation.app.created|updated|deleted`, never with a client secret). One app of each type per
 * tenant+product (Jackson's ids) and one SAML app per entity ID: the database constraints decide.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { parseInput } from '../input/parse-input.ts';
import { federationAppsRepo, federationOidcAppsRepo, type FederationAppRow, type FederationOidcAppRow } from '../storage/index.ts';
import { authorize, mayReadSecrets, type Caller, type Permission } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { checkRedirectPatterns } from '../sso/redirect-urls.ts';
import { OIDC_APP_ID_PREFIX, openClientSecret, sealClientSecret } from '../oauth/federated-clients.ts';
import {
  CreateAppInput, CreateOidcAppInput, UpdateAppInput, UpdateOidcAppInput, mergedSettings, newSettings, settingsOf, toApiApp, toApiOidcApp,
  type ApiFederationApp, type ApiFederationOidcApp,
} from './app-input.ts';

/** Jackson's app id: RIPEMD-160 (hex) of "tenant:product". */
export const federationAppIdOf = (tenant: string, product: string) => createHash('ripemd160').update(`${tenant}:${product}`).digest('hex');
export const entityKeyOf = (entityId: string) => createHash('sha256').update(entityId).digest('hex');

/** Jackson's OIDC app id: `oidc_` + the same hash; its client ID is `fed_` + this id. */
export const oidcFederationAppIdOf = (tenant: string, product: string) => `${OIDC_APP_ID_PREFIX}${federationAppIdOf(tenant, product)}`;

/** Which app a request names: `id`, or `tenant` and `product` (and `type: "oidc"` for the OIDC app, as in Jackson). */
export interface AppRef {
  id?: unknown;
  tenant?: unknown;
  product?: unknown;
  type?: unknown;
}

type StoredApp = { type: 'saml'; row: FederationAppRow } | { type: 'oidc'; row: FederationOidcAppRow };
export type AnyApiApp = ApiFederationApp | ApiFederationOidcApp;

const PAGE_LIMIT_MAX = 100;

function idOf(ref: AppRef): string {
  if (typeof ref.id === 'string' && ref.id) return ref.id;
  if (typeof ref.tenant === 'string' && ref.tenant && typeof ref.product === 'string' && ref.product) {
    return ref.type === 'oidc' ? oidcFederationAppIdOf(ref.tenant, ref.product) : federationAppIdOf(ref.tenant, ref.product);
  }
  throw new GatehouseError('API_VALIDATION', 'Provide either the `id` or `tenant` and `product` of the app.', { field: 'id' });
}

async function findStored(ctx: AppContext, id: string): Promise<StoredApp | undefined> {
  if (id.startsWith(OIDC_APP_ID_PREFIX)) {
    const row = await federationOidcAppsRepo.findById(ctx.db, id);
    return row && { type: 'oidc', row };
  }
  const row = await federationAppsRepo.findById(ctx.db, id);
  return row && { type: 'saml', row };
}

/** The app as `caller` may see it: an OIDC app's clientSecret only for callers that may read the vendor's secrets. */
function viewFor(ctx: AppContext, caller: Caller | null, app: StoredApp): AnyApiApp {
  if (app.type === 'saml') return toApiApp(app.row);
  return toApiOidcApp(app.row, caller && mayReadSecrets(caller) ? secretOf(ctx, app.row) : undefined);
}

/** The app's client secret, or undefined (and a warning) when it cannot be opened (a key dropped from ENCRYPTION_KEYS_PREVIOUS). */
function secretOf(ctx: AppContext, row: FederationOidcAppRow): string | undefined {
  try {
    return openClientSecret(ctx, row);
  } catch (err) {
    ctx.log.warn({ appId: row.id, reason: (err as Error).message }, 'the sealed client secret of an identity federation app could not be opened; it is left out of the answer');
    return undefined;
  }
}

/** Every tenant the app reaches must be inside a limited caller's scope. */
function authorizeApp(caller: Caller, need: Permission, app: { tenant: string; product: string; tenants?: string[] }): void {
  for (const tenant of app.tenants?.length ? app.tenants : [app.tenant]) authorize(caller, need, { tenant, product: app.product });
}

/** The check before a read or change of one app; a limited caller learns nothing of apps outside its scope. */
async function appFor(ctx: AppContext, caller: Caller, need: Permission, ref: AppRef): Promise<StoredApp> {
  authorize(caller, need);
  const app = await findStored(ctx, idOf(ref));
  if (app) authorizeApp(caller, need, { tenant: app.row.tenant, product: app.row.product, tenants: settingsOf(app.row).tenants });
  else authorize(caller, need, ref.id === undefined ? { tenant: ref.tenant, product: ref.product } : {});
  if (!app) throw new GatehouseError('FEDERATION_APP_NOT_FOUND', 'Identity Federation app not found.');
  return app;
}

const entityTaken = (entityId: string) => new GatehouseError('API_CONFLICT', `An app already exists with the Entity ID "${entityId}". Provide a unique Entity ID and try again.`, { field: 'entityId' });

export async function createFederationApp(ctx: AppContext, caller: Caller, body: unknown): Promise<AnyApiApp> {
  const b = (body ?? {}) as Record<string, unknown>;
  authorize(caller, 'sso:write', { tenant: b.tenant, product: b.product });
  if (b.type === 'oidc') return createOidcApp(ctx, caller, body);
  const input = parseInput(CreateAppInput, body);
  const settings = newSettings(input);
  authorizeApp(caller, 'sso:write', { tenant: input.tenant, product: input.product, tenants: settings.tenants });
  const now = ctx.now();
  const row: FederationAppRow = {
    id: federationAppIdOf(input.tenant, input.product), tenant: input.tenant, product: input.product, name: input.name,
    entity_id: input.entityId, entity_key: entityKeyOf(input.entityId), acs_url: input.acsUrl, settings: JSON.stringify(settings), created_at: now, updated_at: now,
  };
  if (!(await federationAppsRepo.insert(ctx.db, row))) {
    if (await federationAppsRepo.findById(ctx.db, row.id)) throw appTaken();
    throw entityTaken(input.entityId);
  }
  const app = toApiApp(row);
  await auditChange(ctx, caller, { action: 'federation.app.created', target: { type: 'federation_app', id: row.id }, tenant: row.tenant, product: row.product, after: app });
  return app;
}

const appTaken = () => new GatehouseError('API_CONFLICT', 'Cannot create another app for the same tenant and product. An app already exists.', { field: 'tenant' });

/** An OIDC app: a client ID (Jackson's `fed_oidc_…`) and a new random client secret (Jackson's 24 bytes, hex), sealed. */
async function createOidcApp(ctx: AppContext, caller: Caller, body: unknown): Promise<AnyApiApp> {
  const input = parseInput(CreateOidcAppInput, body);
  checkRedirectPatterns(ctx.config, input.redirectUrl);
  const settings = newSettings(input);
  authorizeApp(caller, 'sso:write', { tenant: input.tenant, product: input.product, tenants: settings.tenants });
  const now = ctx.now();
  const id = oidcFederationAppIdOf(input.tenant, input.product);
  const clientSecret = randomBytes(24).toString('hex');
  const row: FederationOidcAppRow = {
    id, tenant: input.tenant, product: input.product, name: input.name, redirect_urls: JSON.stringify(input.redirectUrl),
    client_secret_sealed: sealClientSecret(ctx, id, clientSecret), settings: JSON.stringify(settings), created_at: now, updated_at: now,
  };
  if (!(await federationOidcAppsRepo.insert(ctx.db, row))) throw appTaken();
  await auditChange(ctx, caller, { action: 'federation.app.created', target: { type: 'federation_app', id }, tenant: row.tenant, product: row.product, after: toApiOidcApp(row) });
  return toApiOidcApp(row, mayReadSecrets(caller) ? clientSecret : undefined);
}

export async function getFederationApp(ctx: AppContext, caller: Caller, ref: AppRef): Promise<AnyApiApp> {
  return viewFor(ctx, caller, await appFor(ctx, caller, 'sso:read', ref));
}

/** One page of a product's apps (Jackson's pageOffset and pageLimit). */
export async function listFederationApps(ctx: AppContext, caller: Caller, q: { product?: string; tenant?: string; pageOffset?: string; pageLimit?: string }): Promise<AnyApiApp[]> {
  if (!q.product) throw new GatehouseError('API_VALIDATION', 'Please provide a `product`.', { field: 'product' });
  authorize(caller, 'sso:read', { product: q.product, tenant: q.tenant });
  const offset = Math.max(0, Number.parseInt(q.pageOffset ?? '0', 10) || 0);
  const limit = Math.min(PAGE_LIMIT_MAX, Math.max(1, Number.parseInt(q.pageLimit ?? '', 10) || PAGE_LIMIT_MAX));
  const page = await bothTypesPage(ctx, q.product, offset, limit);
  return page.filter((a) => (!q.tenant || settingsOf(a.row).tenants.includes(q.tenant)) && mayAccess(caller, a.row)).map((a) => viewFor(ctx, caller, a));
}

/** One page over both kinds of app, newest first: the first offset+limit of each, merged in the same order. */
async function bothTypesPage(ctx: AppContext, product: string, offset: number, limit: number): Promise<StoredApp[]> {
  const head = { product, offset: 0, limit: offset + limit };
  const [saml, oidc] = await Promise.all([federationAppsRepo.page(ctx.db, head), federationOidcAppsRepo.page(ctx.db, head)]);
  const all: StoredApp[] = [...saml.map((row) => ({ type: 'saml' as const, row })), ...oidc.map((row) => ({ type: 'oidc' as const, row }))];
  all.sort((a, b) => b.row.created_at - a.row.created_at || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
  return all.slice(offset, offset + limit);
}

/** A limited caller sees only apps whose every tenant it covers (an app of another tenant may list one of its tenants). */
function mayAccess(caller: Caller, row: FederationAppRow | FederationOidcAppRow): boolean {
  try {
    authorizeApp(caller, 'sso:read', { tenant: row.tenant, product: row.product, tenants: settingsOf(row).tenants });
    return true;
  } catch {
    return false;
  }
}

const SAML_FIELDS = ['name', 'acsUrl', 'logoUrl', 'faviconUrl', 'primaryColor', 'tenants', 'mappings', 'samlAudienceOverride', 'ttlInMinutes'];
const OIDC_FIELDS = ['name', 'redirectUrl', 'logoUrl', 'faviconUrl', 'primaryColor', 'tenants', 'mappings', 'samlAudienceOverride', 'ttlInMinutes'];
const nothingToChange = (fields: string[]) => new GatehouseError('API_VALIDATION', `Provide at least one of: ${fields.join(', ')}.`);

export async function updateFederationApp(ctx: AppContext, caller: Caller, body: unknown): Promise<AnyApiApp> {
  const ref = (body ?? {}) as AppRef;
  const app = await appFor(ctx, caller, 'sso:write', ref);
  return app.type === 'oidc' ? updateOidcApp(ctx, caller, app.row, body) : updateSamlApp(ctx, caller, app.row, body);
}

async function updateSamlApp(ctx: AppContext, caller: Caller, row: FederationAppRow, body: unknown): Promise<ApiFederationApp> {
  const input = parseInput(UpdateAppInput, body);
  if (input.entityId !== undefined && input.entityId !== row.entity_id) {
    throw new GatehouseError('API_VALIDATION', 'The Entity ID of an app cannot be changed (apps are found by it); delete the app and create it again.', { field: 'entityId' });
  }
  const before = toApiApp(row);
  const settings = mergedSettings(settingsOf(row), input, row.tenant);
  const patch = { name: input.name ?? row.name, acs_url: input.acsUrl ?? row.acs_url, settings: JSON.stringify(settings), updated_at: ctx.now() };
  if (patch.name === row.name && patch.acs_url === row.acs_url && patch.settings === row.settings && !SAML_FIELDS.some((k) => k in (body as object))) throw nothingToChange(SAML_FIELDS);
  authorizeApp(caller, 'sso:write', { tenant: row.tenant, product: row.product, tenants: settings.tenants });
  if (!(await federationAppsRepo.update(ctx.db, row.id, patch))) throw new GatehouseError('FEDERATION_APP_NOT_FOUND', 'Identity Federation app not found.');
  const app = toApiApp({ ...row, ...patch });
  await auditChange(ctx, caller, { action: 'federation.app.updated', target: { type: 'federation_app', id: row.id }, tenant: row.tenant, product: row.product, before, after: app });
  return app;
}

/** An OIDC app's name, redirect URLs and settings; its client ID and secret stay as created. */
async function updateOidcApp(ctx: AppContext, caller: Caller, row: FederationOidcAppRow, body: unknown): Promise<AnyApiApp> {
  const input = parseInput(UpdateOidcAppInput, body);
  if (input.redirectUrl) checkRedirectPatterns(ctx.config, input.redirectUrl);
  const settings = mergedSettings(settingsOf(row), input, row.tenant);
  const patch = { name: input.name ?? row.name, redirect_urls: input.redirectUrl ? JSON.stringify(input.redirectUrl) : row.redirect_urls, settings: JSON.stringify(settings), updated_at: ctx.now() };
  const same = patch.name === row.name && patch.redirect_urls === row.redirect_urls && patch.settings === row.settings;
  if (same && !OIDC_FIELDS.some((k) => k in (body as object))) throw nothingToChange(OIDC_FIELDS);
  authorizeApp(caller, 'sso:write', { tenant: row.tenant, product: row.product, tenants: settings.tenants });
  if (!(await federationOidcAppsRepo.update(ctx.db, row.id, patch))) throw new GatehouseError('FEDERATION_APP_NOT_FOUND', 'Identity Federation app not found.');
  const updated = { ...row, ...patch };
  await auditChange(ctx, caller, { action: 'federation.app.updated', target: { type: 'federation_app', id: row.id }, tenant: row.tenant, product: row.product, before: toApiOidcApp(row), after: toApiOidcApp(updated) });
  return viewFor(ctx, caller, { type: 'oidc', row: updated });
}

export async function deleteFederationApp(ctx: AppContext, caller: Caller, ref: AppRef): Promise<void> {
  const app = await appFor(ctx, caller, 'sso:write', ref);
  const deleted = app.type === 'oidc' ? await federationOidcAppsRepo.delete(ctx.db, app.row.id) : await federationAppsRepo.delete(ctx.db, app.row.id);
  if (!deleted) throw new GatehouseError('FEDERATION_APP_NOT_FOUND', 'Identity Federation app not found.');
  await auditChange(ctx, caller, { action: 'federation.app.deleted', target: { type: 'federation_app', id: app.row.id }, tenant: app.row.tenant, product: app.row.product, before: viewFor(ctx, null, app) });
}
