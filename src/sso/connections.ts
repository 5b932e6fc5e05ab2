/**
 * SSO connection service (SAML and OIDC): create, list, update and delete, for every surface (management API,
 * portal, setup links). Each call takes the Caller: the service checks it (src/policy/caller.ts), guards the
 * connections portal SSO trusts, writes, audits, and leaves `clientSecret` out of answers for callers that may
 * not read it. Jackson-compatible: the clientID is derived as Jackson derives it, from
 * tenant+product+IdP entity ID (SAML) or the upstream OIDC client id, so the same connection gets the same
 * clientID in both, and posting the same IdP again for one tenant+product updates that connection (keeping
 * its clientSecret) instead of creating a twin.
 */
import { createHash } from 'node:crypto';
import { clientSecretColumns } from './client-secret.ts';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, connectionVersionsRepo, isUniqueViolation, type ConnectionRow } from '../storage/index.ts';
import { constantTimeEqual, randomToken } from '../crypto/secrets.ts';
import { parseInput } from '../input/parse-input.ts';
import { CreateConnectionInput, UpdateConnectionInput } from './connection-input.ts';
import { parseOidcSettings, parseSettings } from './connection-settings.ts';
import { toApiConnection, type ApiConnection } from './connection-view.ts';
import { hasSamlMetadata, loadSamlMetadata, samlSettingsFrom, samlSettingsWithOptions } from './saml/idp-source.ts';
import { hasOidcProvider, oidcSettingsFrom, oidcSettingsWithOptions } from './oidc/idp-source.ts';
import { checkConnectionsChangeable } from './connection-guard.ts';
import { checkRedirectPatterns } from './redirect-urls.ts';
import { announceDeleted, announceSaved } from './connection-announcements.ts';
import { authorize, mayChangePortalTrusted, mayReadSecrets, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { portalTrustRepo } from '../storage/repositories/admin-trust.ts';
import type { TenantProductKey } from '../storage/repositories/keyset.ts';
import { hasCertificateChange, samlSettingsWithCertificates } from './saml/idp-certificates.ts';
import { connectionForgotten, connectionSaved } from './upkeep/upkeep.ts';
import { checkOutboundUrl, outboundPolicyOf } from '../net/outbound.ts';

export { toApiConnection, type ApiConnection };

export const idpKeyOf = (entityId: string) => createHash('sha256').update(entityId).digest('hex');
/**
 * SAML Jackson's clientID: `keyDigest(keyFromParts(tenant, product, key))`, i.e. RIPEMD-160 (hex) of the parts
 * joined with `:`, where `key` is the IdP entity ID (SAML) or the upstream OIDC client id (decision 0003).
 */
export const clientIdOf = (tenant: string, product: string, key: string) => createHash('ripemd160').update(`${tenant}:${product}:${key}`).digest('hex');
/** The derivation before issue 13: connections made then keep their clientID, and posting their IdP again still updates them. */
const earlierClientIdOf = (tenant: string, product: string, entityId: string) =>
  createHash('sha256').update(`${tenant}\u0000${product}\u0000${entityId}`).digest('hex').slice(0, 40);

const withDefault = (urls: string[], def: string) => (urls.includes(def) ? urls : [...urls, def]);
const secretMatches = (ctx: AppContext, row: ConnectionRow, secret: string | undefined) => secret === undefined || constantTimeEqual(ctx.secrets.decrypt(row.client_secret_enc), secret);

/**
 * The connection this tenant+product already has for an IdP: by Jackson's clientID, or by the earlier derivation;
 * with `byIdp` (SAML) also one that serves this IdP under another clientID, since a promoted draft (decision 0020).
 */
async function existingConnection(ctx: AppContext, input: CreateConnectionInput, clientKey: string, entityId: string, byIdp = false): Promise<ConnectionRow | undefined> {
  return (await connectionsRepo.findById(ctx.db, clientIdOf(input.tenant, input.product, clientKey)))
    ?? (await connectionsRepo.findById(ctx.db, earlierClientIdOf(input.tenant, input.product, entityId)))
    ?? (byIdp ? (await connectionsRepo.listByIdpKey(ctx.db, idpKeyOf(entityId))).find((r) => r.tenant === input.tenant && r.product === input.product) : undefined);
}

/** The IdP side of a new connection: its kind, entity ID, clientID and settings JSON (merged with what existed). */
async function describeIdp(ctx: AppContext, input: CreateConnectionInput) {
  if (hasOidcProvider(input)) {
    if (!input.oidcClientId) throw new GatehouseError('API_VALIDATION', '"oidcClientId" is required for an OIDC connection.', { field: 'oidcClientId' });
    const probe = await oidcSettingsFrom(ctx, input);
    const existing = await existingConnection(ctx, input, input.oidcClientId, probe.settings.metadata.issuer);
    const settings = existing?.kind === 'oidc' ? (await oidcSettingsFrom(ctx, input, parseOidcSettings(existing.settings))).settings : probe.settings;
    const id = existing?.id ?? clientIdOf(input.tenant, input.product, input.oidcClientId);
    return { kind: 'oidc' as const, id, entityId: settings.metadata.issuer, settings: JSON.stringify(settings), existing };
  }
  if (!hasSamlMetadata(input)) throw new GatehouseError('API_VALIDATION', 'Give the IdP metadata ("rawMetadata", "encodedRawMetadata" or "metadataUrl") for SAML, or "oidcDiscoveryUrl"/"oidcMetadata" for OIDC.', { field: 'rawMetadata' });
  const md = await loadSamlMetadata(ctx, input);
  const existing = await existingConnection(ctx, input, md.metadata.entityId, md.metadata.entityId, true);
  const prev = existing?.kind === 'saml' ? parseSettings(existing.settings) : undefined;
  const settings = samlSettingsFrom(md.xml, md.metadata, input.metadataUrl ?? null, input, ctx.now(), prev);
  const id = existing?.id ?? clientIdOf(input.tenant, input.product, md.metadata.entityId);
  return { kind: 'saml' as const, id, entityId: md.metadata.entityId, settings: JSON.stringify(settings), existing };
}

/** A connection's own back-channel logout receiver after an input (decision 0025): "" or null clears it; a URL passes the SSRF guard. */
async function backchannelUriOf(ctx: AppContext, sent: string | null | undefined, current: string | null): Promise<string | null> {
  if (sent === undefined) return current;
  if (!sent) return null;
  await checkOutboundUrl(sent, outboundPolicyOf(ctx.config), 'backchannelLogoutUri');
  return sent;
}

const rightsOf = (caller: Caller) => ({ portalTrusted: mayChangePortalTrusted(caller) });
const viewFor = (ctx: AppContext, caller: Caller, row: ConnectionRow) => toApiConnection(ctx, row, { includeSecret: mayReadSecrets(caller) });
const auditTarget = (row: ConnectionRow) => ({ target: { type: 'sso_connection', id: row.id }, tenant: row.tenant, product: row.product });

/** Creates a connection, or updates the one for the same IdP of this tenant+product (Jackson's upsert). */
export async function createConnection(ctx: AppContext, caller: Caller, body: unknown): Promise<{ created: boolean; connection: ApiConnection }> {
  authorize(caller, 'sso:write', (body ?? {}) as Record<string, unknown>);
  const input = parseInput(CreateConnectionInput, body);
  authorize(caller, 'sso:write', input);
  checkRedirectPatterns(ctx.config, [...input.redirectUrl, input.defaultRedirectUrl]);
  const idp = await describeIdp(ctx, input);
  const { existing } = idp;
  await checkConnectionsChangeable(ctx, [idp.id], rightsOf(caller));
  const now = ctx.now();
  const row: ConnectionRow = {
    id: idp.id,
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
    ...(existing ? { client_secret_enc: existing.client_secret_enc, client_secret_mac: existing.client_secret_mac } : clientSecretColumns(ctx, randomToken(32))),
    active: input.deactivated === undefined ? (existing?.active ?? 1) : input.deactivated ? 0 : 1,
    sort_order: input.sortOrder ?? existing?.sort_order ?? 0,
    created_at: existing?.created_at ?? now,
    updated_at: now,
    version: existing?.version ?? 1,
    backchannel_logout_uri: await backchannelUriOf(ctx, input.backchannelLogoutUri, existing?.backchannel_logout_uri ?? null),
  };
  if (existing) {
    const { id, created_at: _c, version: _v, ...patch } = row;
    await connectionsRepo.update(ctx.db, id, patch);
  } else {
    try {
      await connectionsRepo.insert(ctx.db, row);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new GatehouseError('API_CONFLICT', 'A connection for this IdP was created for this tenant and product at the same moment; retry to update it.');
    }
  }
  await connectionSaved(ctx, row, { fetched: true });
  await auditChange(ctx, caller, { action: existing ? 'sso.connection.updated' : 'sso.connection.created', ...auditTarget(row), after: toApiConnection(ctx, row, { includeSecret: true }) });
  await announceSaved(ctx, existing, row);
  return { created: !existing, connection: viewFor(ctx, caller, row) };
}

/** Selectors come from JSON bodies too: anything but a string (a number, an array, an object) is a 400 naming it, not a query on it. */
function checkSelectors(q: Record<string, unknown>): void {
  for (const field of ['clientID', 'clientSecret', 'tenant', 'product']) {
    if (q[field] !== undefined && q[field] !== null && typeof q[field] !== 'string') throw new GatehouseError('API_VALIDATION', `"${field}" must be a string.`, { field });
  }
}

/**
 * The connections of a tenant+product, or the one with `clientID` (none when unknown), newest first as Jackson
 * lists them; `sort: 'true'` orders by `sortOrder`, highest first, as Jackson's `sort` parameter does.
 */
export async function listConnections(ctx: AppContext, caller: Caller, q: { tenant?: string; product?: string; clientID?: string; sort?: string }): Promise<ApiConnection[]> {
  authorize(caller, 'sso:read', q.clientID ? undefined : q);
  const rows = (await connectionRowsOf(ctx, q)).sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? -1 : 1));
  if (q.sort === 'true') rows.sort((a, b) => b.sort_order - a.sort_order);
  return rows.map((r) => {
    authorize(caller, 'sso:read', r);
    return viewFor(ctx, caller, r);
  });
}

async function connectionRowsOf(ctx: AppContext, q: { tenant?: string; product?: string; clientID?: string }): Promise<ConnectionRow[]> {
  checkSelectors(q);
  if (q.clientID) {
    const row = await connectionsRepo.findById(ctx.db, q.clientID);
    return row ? [row] : [];
  }
  if (!q.tenant || !q.product) throw new GatehouseError('API_VALIDATION', 'Pass "tenant" and "product", or "clientID".', { field: q.tenant ? 'product' : 'tenant' });
  return connectionsRepo.listByTenantProduct(ctx.db, q.tenant, q.product);
}

/** A product's connections across tenants, newest first (Jackson's `/api/v1/sso/product`, `pageOffset`/`pageLimit`). */
export async function listConnectionsOfProduct(ctx: AppContext, caller: Caller, q: { product?: string; pageOffset?: string; pageLimit?: string }): Promise<ApiConnection[]> {
  if (!q.product) throw new GatehouseError('API_VALIDATION', '"product" is required.', { field: 'product' });
  authorize(caller, 'sso:read', { product: q.product });
  const offset = q.pageOffset ? Number(q.pageOffset) : 0;
  const limit = q.pageLimit ? Number(q.pageLimit) : 100;
  if (!Number.isInteger(offset) || offset < 0) throw new GatehouseError('API_VALIDATION', '"pageOffset" must be an integer of 0 or more.', { field: 'pageOffset' });
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new GatehouseError('API_VALIDATION', '"pageLimit" must be an integer from 1 to 500.', { field: 'pageLimit' });
  return (await connectionsRepo.pageByProduct(ctx.db, q.product, offset, limit)).map((r) => viewFor(ctx, caller, r));
}

/** A page of connections across tenants and products (the portal's list), optionally filtered, after `after`. */
export async function pageConnections(ctx: AppContext, caller: Caller, q: { tenant?: string; product?: string; limit: number; after?: TenantProductKey }) {
  authorize(caller, 'sso:read', q);
  return (await connectionsRepo.page(ctx.db, q)).map((row) => ({ row, view: viewFor(ctx, caller, row) }));
}

/** One connection by clientID, for a caller that may read it (404 when unknown). */
export async function getConnection(ctx: AppContext, caller: Caller, clientID: string): Promise<ConnectionRow> {
  authorize(caller, 'sso:read');
  const row = await connectionsRepo.findById(ctx.db, clientID);
  if (!row) throw new GatehouseError('API_NOT_FOUND', `No connection with clientID "${clientID}".`, { field: 'clientID' });
  authorize(caller, 'sso:read', row);
  return row;
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
  const settings = hasSamlMetadata(input) ? await samlSettingsFromNewMetadata(ctx, row, prev, input) : samlSettingsWithOptions(prev, input);
  return JSON.stringify(hasCertificateChange(input) ? samlSettingsWithCertificates(settings, row.idp_entity_id, input, ctx.now()) : settings);
}

async function samlSettingsFromNewMetadata(ctx: AppContext, row: ConnectionRow, prev: ReturnType<typeof parseSettings>, input: UpdateConnectionInput) {
  const md = await loadSamlMetadata(ctx, input);
  if (md.metadata.entityId !== row.idp_entity_id) {
    throw new GatehouseError('API_VALIDATION', `The new metadata is for IdP "${md.metadata.entityId}", not "${row.idp_entity_id}"; create a new connection for another IdP.`, { field: md.field });
  }
  // Pasted metadata replaces a metadata URL: the connection is then no longer refreshed from it.
  const metadataUrl = input.metadataUrl ?? (input.rawMetadata || input.encodedRawMetadata ? null : prev.metadataUrl);
  return samlSettingsFrom(md.xml, md.metadata, metadataUrl, input, ctx.now(), prev);
}

export async function updateConnection(ctx: AppContext, caller: Caller, body: unknown): Promise<ApiConnection> {
  authorize(caller, 'sso:write');
  const named = (body as { clientID?: unknown } | null)?.clientID;
  // A limited key learns nothing about connections outside its scope, not even whether they exist.
  authorize(caller, 'sso:write', (typeof named === 'string' ? await connectionsRepo.findById(ctx.db, named) : undefined) ?? {});
  const input = parseInput(UpdateConnectionInput, body);
  const row = await connectionsRepo.findById(ctx.db, input.clientID);
  if (!row) throw new GatehouseError('API_NOT_FOUND', `No connection with clientID "${input.clientID}".`, { field: 'clientID' });
  authorize(caller, 'sso:write', row);
  await checkConnectionsChangeable(ctx, [row.id], rightsOf(caller));
  if (!secretMatches(ctx, row, input.clientSecret)) throw new GatehouseError('API_VALIDATION', '"clientSecret" does not match this connection.', { field: 'clientSecret' });
  if ((input.tenant && input.tenant !== row.tenant) || (input.product && input.product !== row.product)) {
    throw new GatehouseError('API_VALIDATION', 'A connection cannot move to another tenant or product; create a new one.', { field: input.tenant && input.tenant !== row.tenant ? 'tenant' : 'product' });
  }
  const defaultRedirectUrl = input.defaultRedirectUrl ?? row.default_redirect_url;
  checkRedirectPatterns(ctx.config, [...(input.redirectUrl ?? []), ...(input.defaultRedirectUrl ? [input.defaultRedirectUrl] : [])]);
  const patch = {
    name: input.name ?? row.name,
    description: input.description ?? row.description,
    redirect_urls: JSON.stringify(withDefault(input.redirectUrl ?? (JSON.parse(row.redirect_urls) as string[]), defaultRedirectUrl)),
    default_redirect_url: defaultRedirectUrl,
    settings: await updatedSettings(ctx, row, input),
    active: input.deactivated === undefined ? row.active : input.deactivated ? 0 : 1,
    sort_order: input.sortOrder ?? row.sort_order,
    backchannel_logout_uri: await backchannelUriOf(ctx, input.backchannelLogoutUri, row.backchannel_logout_uri),
    updated_at: Math.max(ctx.now(), row.updated_at + 1),
  };
  await connectionsRepo.update(ctx.db, row.id, patch);
  const after = { ...row, ...patch };
  await connectionSaved(ctx, after, { fetched: hasSamlMetadata(input) || hasOidcProvider(input) });
  await auditChange(ctx, caller, { action: 'sso.connection.updated', ...auditTarget(row), before: toApiConnection(ctx, row, { includeSecret: false }), after: toApiConnection(ctx, after, { includeSecret: true }) });
  await announceSaved(ctx, row, after);
  return viewFor(ctx, caller, after);
}

/** Deletes the connection `clientID`, or every connection of a tenant+product; 404 when none matched. */
export async function deleteConnections(ctx: AppContext, caller: Caller, q: { clientID?: string; clientSecret?: string; tenant?: string; product?: string }): Promise<ConnectionRow[]> {
  authorize(caller, 'sso:write', q.clientID ? undefined : q);
  const found = q.clientID || (q.tenant && q.product) ? await connectionRowsOf(ctx, q) : [];
  for (const row of found) authorize(caller, 'sso:write', row);
  const gone = await deleteRows(ctx, caller, q);
  if (gone.length === 0) throw new GatehouseError('API_NOT_FOUND', 'No connection matched.');
  for (const row of gone) {
    await portalTrustRepo.forget(ctx.db, row.id);
    await connectionVersionsRepo.deleteOf(ctx.db, row.id);
    await connectionForgotten(ctx, row.id);
    await auditChange(ctx, caller, { action: 'sso.connection.deleted', ...auditTarget(row), before: toApiConnection(ctx, row, { includeSecret: false }) });
    await announceDeleted(ctx, row);
  }
  return gone;
}

async function deleteRows(ctx: AppContext, caller: Caller, q: { clientID?: string; clientSecret?: string; tenant?: string; product?: string }): Promise<ConnectionRow[]> {
  checkSelectors(q);
  if (q.clientID) {
    const row = await connectionsRepo.findById(ctx.db, q.clientID);
    if (!row) throw new GatehouseError('API_NOT_FOUND', `No connection with clientID "${q.clientID}".`, { field: 'clientID' });
    if (!secretMatches(ctx, row, q.clientSecret)) throw new GatehouseError('API_VALIDATION', '"clientSecret" does not match this connection.', { field: 'clientSecret' });
    await checkConnectionsChangeable(ctx, [row.id], rightsOf(caller));
    return (await connectionsRepo.delete(ctx.db, row.id)) ? [row] : [];
  }
  if (!q.tenant || !q.product) throw new GatehouseError('API_VALIDATION', 'Pass "clientID", or "tenant" and "product".', { field: 'clientID' });
  const rows = await connectionsRepo.listByTenantProduct(ctx.db, q.tenant, q.product);
  await checkConnectionsChangeable(ctx, rows.map((r) => r.id), rightsOf(caller));
  // Exactly the rows that were checked: one created (or chosen for the portal) meanwhile is not swept along unchecked.
  const deleted: ConnectionRow[] = [];
  for (const row of rows) if (await connectionsRepo.delete(ctx.db, row.id)) deleted.push(row);
  return deleted;
}
