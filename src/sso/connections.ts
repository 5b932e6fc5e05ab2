/**
 * SSO connection service (SAML and OIDC): create, list, update and delete, shared by the management API
 * (and later the admin portal and setup links). Jackson-compatible: the clientID is derived from
 * tenant+product+IdP entity ID (SAML) or issuer (OIDC), so posting the same IdP again for one
 * tenant+product updates that connection (keeping its clientSecret) instead of creating a twin.
 */
import { createHash } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, isUniqueViolation, type ConnectionRow } from '../storage/index.ts';
import { constantTimeEqual, randomToken } from '../crypto/secrets.ts';
import { parseInput } from '../input/parse-input.ts';
import { CreateConnectionInput, UpdateConnectionInput } from './connection-input.ts';
import { parseOidcSettings, parseSettings } from './connection-settings.ts';
import { toApiConnection, type ApiConnection } from './connection-view.ts';
import { hasSamlMetadata, loadSamlMetadata, samlSettingsFrom, samlSettingsWithOptions } from './saml/idp-source.ts';
import { hasOidcProvider, oidcSettingsFrom, oidcSettingsWithOptions } from './oidc/idp-source.ts';
import { checkConnectionsChangeable, type ConnectionChangeRights } from './connection-guard.ts';

export { toApiConnection, type ApiConnection };

export const idpKeyOf = (entityId: string) => createHash('sha256').update(entityId).digest('hex');
export const clientIdOf = (tenant: string, product: string, entityId: string) =>
  createHash('sha256').update(`${tenant}\u0000${product}\u0000${entityId}`).digest('hex').slice(0, 40);

const withDefault = (urls: string[], def: string) => (urls.includes(def) ? urls : [...urls, def]);
const secretMatches = (ctx: AppContext, row: ConnectionRow, secret: string | undefined) => secret === undefined || constantTimeEqual(ctx.secrets.decrypt(row.client_secret_enc), secret);

/** The IdP side of a new connection: its kind, entity ID and settings JSON (merged with what existed). */
async function describeIdp(ctx: AppContext, input: CreateConnectionInput, existingOf: (entityId: string) => Promise<ConnectionRow | undefined>) {
  if (hasOidcProvider(input)) {
    if (!input.oidcClientId) throw new GatehouseError('API_VALIDATION', '"oidcClientId" is required for an OIDC connection.', { field: 'oidcClientId' });
    const probe = await oidcSettingsFrom(ctx, input);
    const existing = await existingOf(probe.settings.metadata.issuer);
    const settings = existing?.kind === 'oidc' ? (await oidcSettingsFrom(ctx, input, parseOidcSettings(existing.settings))).settings : probe.settings;
    return { kind: 'oidc' as const, entityId: settings.metadata.issuer, settings: JSON.stringify(settings), existing };
  }
  if (!hasSamlMetadata(input)) throw new GatehouseError('API_VALIDATION', 'Give the IdP metadata ("rawMetadata", "encodedRawMetadata" or "metadataUrl") for SAML, or "oidcDiscoveryUrl"/"oidcMetadata" for OIDC.', { field: 'rawMetadata' });
  const md = await loadSamlMetadata(ctx, input);
  const existing = await existingOf(md.metadata.entityId);
  const prev = existing?.kind === 'saml' ? parseSettings(existing.settings) : undefined;
  const settings = samlSettingsFrom(md.xml, md.metadata, input.metadataUrl ?? null, input, ctx.now(), prev);
  return { kind: 'saml' as const, entityId: md.metadata.entityId, settings: JSON.stringify(settings), existing };
}

export async function createConnection(ctx: AppContext, body: unknown, rights: ConnectionChangeRights = {}): Promise<{ created: boolean; connection: ApiConnection }> {
  const input = parseInput(CreateConnectionInput, body);
  const idp = await describeIdp(ctx, input, (entityId) => connectionsRepo.findById(ctx.db, clientIdOf(input.tenant, input.product, entityId)));
  const { existing } = idp;
  await checkConnectionsChangeable(ctx, [clientIdOf(input.tenant, input.product, idp.entityId)], rights);
  const now = ctx.now();
  const row: ConnectionRow = {
    id: clientIdOf(input.tenant, input.product, idp.entityId),
    tenant: input.tenant,
    product: input.product,
    kind: idp.kind,
    name: input.name ?? existing?.name ?? '',
    description: input.description ?? existing?.description ?? '',
    idp_entity_id: idp.entityId,
    idp_key: idpKeyOf(idp.entityId),
    redirect_urls: JSON.stringify(withDefault(input.redirectUrl, input.defaultRedirectUrl)),
    default_redirect_url: input.defaultRedirectUrl,
    settings: idp.settings,
    client_secret_enc: existing?.client_secret_enc ?? ctx.secrets.encrypt(randomToken(32)),
    active: input.deactivated === undefined ? (existing?.active ?? 1) : input.deactivated ? 0 : 1,
    sort_order: input.sortOrder ?? existing?.sort_order ?? 0,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  if (existing) {
    const { id, created_at: _c, ...patch } = row;
    await connectionsRepo.update(ctx.db, id, patch);
  } else {
    try {
      await connectionsRepo.insert(ctx.db, row);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new GatehouseError('API_CONFLICT', 'A connection for this IdP was created for this tenant and product at the same moment; retry to update it.');
    }
  }
  return { created: !existing, connection: toApiConnection(ctx, row, { includeSecret: true }) };
}

/** Selectors come from JSON bodies too: anything but a string (a number, an array, an object) is a 400 naming it, not a query on it. */
function checkSelectors(q: Record<string, unknown>): void {
  for (const field of ['clientID', 'clientSecret', 'tenant', 'product']) {
    if (q[field] !== undefined && q[field] !== null && typeof q[field] !== 'string') throw new GatehouseError('API_VALIDATION', `"${field}" must be a string.`, { field });
  }
}

export async function listConnections(ctx: AppContext, q: { tenant?: string; product?: string; clientID?: string }): Promise<ApiConnection[]> {
  checkSelectors(q);
  if (q.clientID) {
    const row = await connectionsRepo.findById(ctx.db, q.clientID);
    return row ? [toApiConnection(ctx, row, { includeSecret: true })] : [];
  }
  if (!q.tenant || !q.product) throw new GatehouseError('API_VALIDATION', 'Pass "tenant" and "product", or "clientID".', { field: q.tenant ? 'product' : 'tenant' });
  const rows = await connectionsRepo.listByTenantProduct(ctx.db, q.tenant, q.product);
  return rows.map((r) => toApiConnection(ctx, r, { includeSecret: true }));
}

/** New settings JSON for an update: re-read metadata when a source is given (same IdP only), else apply options. */
async function updatedSettings(ctx: AppContext, row: ConnectionRow, input: UpdateConnectionInput): Promise<string> {
  if (row.kind === 'oidc') {
    const prev = parseOidcSettings(row.settings);
    if (!hasOidcProvider(input)) return JSON.stringify(oidcSettingsWithOptions(ctx, prev, input));
    const { settings, field } = await oidcSettingsFrom(ctx, input, prev);
    if (settings.metadata.issuer !== row.idp_entity_id) throw new GatehouseError('API_VALIDATION', `The provider's issuer is "${settings.metadata.issuer}", not "${row.idp_entity_id}"; create a new connection for another provider.`, { field });
    return JSON.stringify(settings);
  }
  const prev = parseSettings(row.settings);
  if (!hasSamlMetadata(input)) return JSON.stringify(samlSettingsWithOptions(prev, input));
  const md = await loadSamlMetadata(ctx, input);
  if (md.metadata.entityId !== row.idp_entity_id) {
    throw new GatehouseError('API_VALIDATION', `The new metadata is for IdP "${md.metadata.entityId}", not "${row.idp_entity_id}"; create a new connection for another IdP.`, { field: md.field });
  }
  return JSON.stringify(samlSettingsFrom(md.xml, md.metadata, input.metadataUrl ?? prev.metadataUrl, input, ctx.now(), prev));
}

export async function updateConnection(ctx: AppContext, body: unknown, rights: ConnectionChangeRights = {}): Promise<ApiConnection> {
  const input = parseInput(UpdateConnectionInput, body);
  const row = await connectionsRepo.findById(ctx.db, input.clientID);
  if (!row) throw new GatehouseError('API_NOT_FOUND', `No connection with clientID "${input.clientID}".`, { field: 'clientID' });
  await checkConnectionsChangeable(ctx, [row.id], rights);
  if (!secretMatches(ctx, row, input.clientSecret)) throw new GatehouseError('API_VALIDATION', '"clientSecret" does not match this connection.', { field: 'clientSecret' });
  if ((input.tenant && input.tenant !== row.tenant) || (input.product && input.product !== row.product)) {
    throw new GatehouseError('API_VALIDATION', 'A connection cannot move to another tenant or product; create a new one.', { field: input.tenant && input.tenant !== row.tenant ? 'tenant' : 'product' });
  }
  const defaultRedirectUrl = input.defaultRedirectUrl ?? row.default_redirect_url;
  const patch = {
    name: input.name ?? row.name,
    description: input.description ?? row.description,
    redirect_urls: JSON.stringify(withDefault(input.redirectUrl ?? (JSON.parse(row.redirect_urls) as string[]), defaultRedirectUrl)),
    default_redirect_url: defaultRedirectUrl,
    settings: await updatedSettings(ctx, row, input),
    active: input.deactivated === undefined ? row.active : input.deactivated ? 0 : 1,
    sort_order: input.sortOrder ?? row.sort_order,
    updated_at: Math.max(ctx.now(), row.updated_at + 1),
  };
  await connectionsRepo.update(ctx.db, row.id, patch);
  return toApiConnection(ctx, { ...row, ...patch }, { includeSecret: true });
}

export async function deleteConnections(ctx: AppContext, q: { clientID?: string; clientSecret?: string; tenant?: string; product?: string }, rights: ConnectionChangeRights = {}): Promise<number> {
  checkSelectors(q);
  if (q.clientID) {
    const row = await connectionsRepo.findById(ctx.db, q.clientID);
    if (!row) throw new GatehouseError('API_NOT_FOUND', `No connection with clientID "${q.clientID}".`, { field: 'clientID' });
    if (!secretMatches(ctx, row, q.clientSecret)) throw new GatehouseError('API_VALIDATION', '"clientSecret" does not match this connection.', { field: 'clientSecret' });
    await checkConnectionsChangeable(ctx, [row.id], rights);
    return (await connectionsRepo.delete(ctx.db, row.id)) ? 1 : 0;
  }
  if (!q.tenant || !q.product) throw new GatehouseError('API_VALIDATION', 'Pass "clientID", or "tenant" and "product".', { field: 'clientID' });
  await checkConnectionsChangeable(ctx, (await connectionsRepo.listByTenantProduct(ctx.db, q.tenant, q.product)).map((r) => r.id), rights);
  return connectionsRepo.deleteByTenantProduct(ctx.db, q.tenant, q.product);
}
