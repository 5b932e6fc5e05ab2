/**
 * SSO connection service: create, list, update and delete, shared by the management API (and later
 * the admin portal and setup links). Jackson-compatible: the clientID is derived from
 * tenant+product+IdP entity ID, so posting the same IdP again for one tenant+product updates that
 * connection (keeping its clientSecret) instead of creating a twin.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, isUniqueViolation, type ConnectionRow } from '../storage/index.ts';
import { constantTimeEqual, randomToken } from '../crypto/secrets.ts';
import { fetchText } from '../http/outbound.ts';
import { parseIdpMetadata, lintIdpMetadata } from './saml/idp-metadata.ts';
import { CreateConnectionInput, UpdateConnectionInput } from './connection-input.ts';
import { parseSettings, type SamlSettings } from './connection-settings.ts';

/** Turns a zod failure into a 400 that names the field. */
export function parseInput<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.join('.') || 'body';
    throw new GatehouseError('API_VALIDATION', `"${field}" ${issue.message === 'Required' || issue.code === 'invalid_type' ? 'is required or has the wrong type' : issue.message}.`, { field });
  }
  return r.data;
}

const idpKeyOf = (entityId: string) => createHash('sha256').update(entityId).digest('hex');
export const clientIdOf = (tenant: string, product: string, entityId: string) =>
  createHash('sha256').update(`${tenant}\u0000${product}\u0000${entityId}`).digest('hex').slice(0, 40);

interface MetadataSource { rawMetadata?: string; encodedRawMetadata?: string; metadataUrl?: string }

/** Reads IdP metadata from whichever source was given, and parses it. Throws a 400 naming the field. */
async function loadMetadata(ctx: AppContext, src: MetadataSource) {
  let xml: string;
  let field: string;
  if (src.rawMetadata) {
    xml = src.rawMetadata;
    field = 'rawMetadata';
  } else if (src.encodedRawMetadata) {
    xml = Buffer.from(src.encodedRawMetadata, 'base64').toString('utf8');
    field = 'encodedRawMetadata';
  } else if (src.metadataUrl) {
    field = 'metadataUrl';
    xml = await fetchText(src.metadataUrl, { allowHosts: ctx.config.OUTBOUND_ALLOW_HOSTS, timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS }, 'metadataUrl');
  } else {
    throw new GatehouseError('API_VALIDATION', 'One of "rawMetadata", "encodedRawMetadata" or "metadataUrl" is required.', { field: 'rawMetadata' });
  }
  const parsed = parseIdpMetadata(xml);
  if (!parsed.ok) throw new GatehouseError('SAML_METADATA_INVALID', parsed.problem.message, { field });
  return { xml, metadata: parsed.metadata, field };
}

function samlSettings(xml: string, md: ReturnType<typeof parseIdpMetadata> & { ok: true }, metadataUrl: string | null, opts: Partial<SamlSettings>, now: number, prev?: SamlSettings): SamlSettings {
  const m = md.metadata;
  return {
    rawMetadata: xml,
    metadataUrl,
    ssoRedirectUrl: m.ssoRedirectUrl,
    ssoPostUrl: m.ssoPostUrl,
    signingCertificates: m.signingCertificates,
    wantAuthnRequestsSigned: opts.wantAuthnRequestsSigned ?? prev?.wantAuthnRequestsSigned ?? m.wantAuthnRequestsSigned,
    forceAuthn: opts.forceAuthn ?? prev?.forceAuthn ?? false,
    allowSha1: opts.allowSha1 ?? prev?.allowSha1 ?? false,
    allowIdpInitiated: opts.allowIdpInitiated ?? prev?.allowIdpInitiated ?? false,
    attributeMapping: opts.attributeMapping ?? prev?.attributeMapping ?? {},
    warnings: lintIdpMetadata(m, now),
    certificates: m.certificates,
  };
}

/** The Jackson-shaped view of a connection. `clientSecret` only for the vendor's management API. */
export function toApiConnection(ctx: AppContext, row: ConnectionRow, opts: { includeSecret: boolean }) {
  const s = parseSettings(row.settings);
  const first = s.certificates[0];
  return {
    clientID: row.id,
    ...(opts.includeSecret ? { clientSecret: ctx.secrets.decrypt(row.client_secret_enc) } : {}),
    tenant: row.tenant,
    product: row.product,
    name: row.name,
    description: row.description,
    defaultRedirectUrl: row.default_redirect_url,
    redirectUrl: JSON.parse(row.redirect_urls) as string[],
    forceAuthn: s.forceAuthn,
    allowIdpInitiated: s.allowIdpInitiated,
    allowSha1: s.allowSha1,
    wantAuthnRequestsSigned: s.wantAuthnRequestsSigned,
    attributeMapping: s.attributeMapping,
    metadataUrl: s.metadataUrl,
    deactivated: row.active === 0,
    sortOrder: row.sort_order,
    idpMetadata: {
      entityID: row.idp_entity_id,
      sso: { ...(s.ssoPostUrl ? { postUrl: s.ssoPostUrl } : {}), ...(s.ssoRedirectUrl ? { redirectUrl: s.ssoRedirectUrl } : {}) },
      thumbprint: first?.fingerprintSha256 ?? null,
      validTo: first ? new Date(first.notAfter).toISOString() : null,
      certificates: s.certificates.map((c) => ({ ...c, notBefore: new Date(c.notBefore).toISOString(), notAfter: new Date(c.notAfter).toISOString() })),
      warnings: s.warnings,
      loginType: 'idp',
    },
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
export type ApiConnection = ReturnType<typeof toApiConnection>;

export async function createConnection(ctx: AppContext, body: unknown): Promise<{ created: boolean; connection: ApiConnection }> {
  const input = parseInput(CreateConnectionInput, body);
  const redirectUrls = input.redirectUrl.includes(input.defaultRedirectUrl) ? input.redirectUrl : [...input.redirectUrl, input.defaultRedirectUrl];
  const md = await loadMetadata(ctx, input);
  const now = ctx.now();
  const id = clientIdOf(input.tenant, input.product, md.metadata.entityId);
  const existing = await connectionsRepo.findById(ctx.db, id);
  const settings = samlSettings(md.xml, { ok: true, metadata: md.metadata }, input.metadataUrl ?? null, input, now, existing ? parseSettings(existing.settings) : undefined);
  const row: ConnectionRow = {
    id,
    tenant: input.tenant,
    product: input.product,
    kind: 'saml',
    name: input.name ?? existing?.name ?? '',
    description: input.description ?? existing?.description ?? '',
    idp_entity_id: md.metadata.entityId,
    idp_key: idpKeyOf(md.metadata.entityId),
    redirect_urls: JSON.stringify(redirectUrls),
    default_redirect_url: input.defaultRedirectUrl,
    settings: JSON.stringify(settings),
    client_secret_enc: existing?.client_secret_enc ?? ctx.secrets.encrypt(randomToken(32)),
    active: input.deactivated === undefined ? (existing?.active ?? 1) : input.deactivated ? 0 : 1,
    sort_order: input.sortOrder ?? existing?.sort_order ?? 0,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  if (existing) {
    const { id: _id, created_at: _c, ...patch } = row;
    await connectionsRepo.update(ctx.db, id, patch);
  } else {
    try {
      await connectionsRepo.insert(ctx.db, row);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new GatehouseError('API_CONFLICT', 'A connection for this IdP entity ID was created for this tenant and product at the same moment; retry to update it.');
    }
  }
  return { created: !existing, connection: toApiConnection(ctx, row, { includeSecret: true }) };
}

export async function listConnections(ctx: AppContext, q: { tenant?: string; product?: string; clientID?: string }): Promise<ApiConnection[]> {
  if (q.clientID) {
    const row = await connectionsRepo.findById(ctx.db, q.clientID);
    return row ? [toApiConnection(ctx, row, { includeSecret: true })] : [];
  }
  if (!q.tenant || !q.product) throw new GatehouseError('API_VALIDATION', 'Pass "tenant" and "product", or "clientID".', { field: q.tenant ? 'product' : 'tenant' });
  const rows = await connectionsRepo.listByTenantProduct(ctx.db, q.tenant, q.product);
  return rows.map((r) => toApiConnection(ctx, r, { includeSecret: true }));
}

export async function updateConnection(ctx: AppContext, body: unknown): Promise<ApiConnection> {
  const input = parseInput(UpdateConnectionInput, body);
  const row = await connectionsRepo.findById(ctx.db, input.clientID);
  if (!row) throw new GatehouseError('API_NOT_FOUND', `No connection with clientID "${input.clientID}".`, { field: 'clientID' });
  if (input.clientSecret !== undefined && !constantTimeEqual(ctx.secrets.decrypt(row.client_secret_enc), input.clientSecret)) {
    throw new GatehouseError('API_VALIDATION', '"clientSecret" does not match this connection.', { field: 'clientSecret' });
  }
  if ((input.tenant && input.tenant !== row.tenant) || (input.product && input.product !== row.product)) {
    throw new GatehouseError('API_VALIDATION', 'A connection cannot move to another tenant or product; create a new one.', { field: input.tenant && input.tenant !== row.tenant ? 'tenant' : 'product' });
  }
  const now = ctx.now();
  const prev = parseSettings(row.settings);
  let settings: SamlSettings;
  let entityId = row.idp_entity_id;
  if (input.rawMetadata || input.encodedRawMetadata || input.metadataUrl) {
    const md = await loadMetadata(ctx, input);
    if (md.metadata.entityId !== row.idp_entity_id) {
      throw new GatehouseError('API_VALIDATION', `The new metadata is for IdP "${md.metadata.entityId}", not "${row.idp_entity_id}"; create a new connection for another IdP.`, { field: md.field });
    }
    settings = samlSettings(md.xml, { ok: true, metadata: md.metadata }, input.metadataUrl ?? prev.metadataUrl, input, now, prev);
    entityId = md.metadata.entityId;
  } else {
    settings = {
      ...prev,
      forceAuthn: input.forceAuthn ?? prev.forceAuthn,
      allowSha1: input.allowSha1 ?? prev.allowSha1,
      allowIdpInitiated: input.allowIdpInitiated ?? prev.allowIdpInitiated,
      wantAuthnRequestsSigned: input.wantAuthnRequestsSigned ?? prev.wantAuthnRequestsSigned,
      attributeMapping: input.attributeMapping ?? prev.attributeMapping,
    };
  }
  const defaultRedirectUrl = input.defaultRedirectUrl ?? row.default_redirect_url;
  let redirectUrls = input.redirectUrl ?? (JSON.parse(row.redirect_urls) as string[]);
  if (!redirectUrls.includes(defaultRedirectUrl)) redirectUrls = [...redirectUrls, defaultRedirectUrl];
  const patch = {
    name: input.name ?? row.name,
    description: input.description ?? row.description,
    idp_entity_id: entityId,
    redirect_urls: JSON.stringify(redirectUrls),
    default_redirect_url: defaultRedirectUrl,
    settings: JSON.stringify(settings),
    active: input.deactivated === undefined ? row.active : input.deactivated ? 0 : 1,
    sort_order: input.sortOrder ?? row.sort_order,
    updated_at: now,
  };
  await connectionsRepo.update(ctx.db, row.id, patch);
  return toApiConnection(ctx, { ...row, ...patch }, { includeSecret: true });
}

export async function deleteConnections(ctx: AppContext, q: { clientID?: string; clientSecret?: string; tenant?: string; product?: string }): Promise<number> {
  if (q.clientID) {
    const row = await connectionsRepo.findById(ctx.db, q.clientID);
    if (!row) throw new GatehouseError('API_NOT_FOUND', `No connection with clientID "${q.clientID}".`, { field: 'clientID' });
    if (q.clientSecret !== undefined && !constantTimeEqual(ctx.secrets.decrypt(row.client_secret_enc), q.clientSecret)) {
      throw new GatehouseError('API_VALIDATION', '"clientSecret" does not match this connection.', { field: 'clientSecret' });
    }
    return (await connectionsRepo.delete(ctx.db, row.id)) ? 1 : 0;
  }
  if (!q.tenant || !q.product) throw new GatehouseError('API_VALIDATION', 'Pass "clientID", or "tenant" and "product".', { field: 'clientID' });
  return connectionsRepo.deleteByTenantProduct(ctx.db, q.tenant, q.product);
}

