/**
 * Applies an import plan through Gatehouse's storage and its own parsers, as the `import` system caller, auditing
 * each connection, product, directory, setup link and the SP key with the same actions as the other surfaces.
 * Secrets are stored as Gatehouse stores its own: client secrets, upstream OIDC secrets, webhook secrets and
 * link tokens sealed, the SCIM bearer secret hashed. Users, groups and memberships are written without webhook
 * events: the app already has them. Each item is written on its own, so a failed item is reported and a rerun
 * picks up where this one stopped.
 */
import { createPrivateKey } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { clientSecretColumns } from '../sso/client-secret.ts';
import { connectionsRepo, directoriesRepo, directoryGroupsRepo, directoryUsersRepo, NO_PROGRESS, productsRepo, setupLinksRepo, signingKeysRepo, type ConnectionRow } from '../storage/index.ts';
import { tokenHash } from '../crypto/secrets.ts';
import type { Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { idpKeyOf, toApiConnection } from '../sso/connections.ts';
import { loadSamlMetadata, samlSettingsFrom } from '../sso/saml/idp-source.ts';
import { oidcSettingsFrom } from '../sso/oidc/idp-source.ts';
import { checkRedirectPatterns } from '../sso/redirect-urls.ts';
import { toApiProduct } from '../tenancy/products.ts';
import { DIRECTORY_TYPES, toApiDirectory } from '../directory-sync/directories.ts';
import { scimSecretColumns } from '../directory-sync/directory-secrets.ts';
import { readGroupBody, readUserBody } from '../directory-sync/scim/resources.ts';
import { toApiSetupLink } from '../setup-links/service.ts';
import type { ImportPlan } from './plan.ts';
import type { JacksonConnection, JacksonDirectory, JacksonSetupLink } from './records.ts';
import { describeStep, failureKind, type Failure, type ImportSummary } from './report.ts';
import { idpMetadataXmlOf } from './idp-metadata-xml.ts';

/** The actor of everything the import writes. */
export const IMPORT_CALLER: Caller = { type: 'system', id: 'system', label: 'import' };

const withDefault = (urls: string[], def: string) => (urls.includes(def) ? urls : [...urls, def]);

async function connectionSettings(ctx: AppContext, c: JacksonConnection, audienceOverride: string | null): Promise<{ entityId: string; settings: string }> {
  if (c.kind === 'oidc') {
    const { settings } = await oidcSettingsFrom(ctx, {
      oidcDiscoveryUrl: c.oidc.metadata ? undefined : (c.oidc.discoveryUrl ?? undefined), oidcMetadata: c.oidc.metadata ?? undefined,
      oidcClientId: c.oidc.clientId, oidcClientSecret: c.oidc.clientSecret ?? undefined, label: c.label ?? undefined,
    });
    return { entityId: settings.metadata.issuer, settings: JSON.stringify(settings) };
  }
  const md = await loadSamlMetadata(ctx, { rawMetadata: idpMetadataXmlOf(c) });
  // Jackson signs every AuthnRequest with its SP key: IdPs set up for it may require that, so imported connections do too.
  const settings = samlSettingsFrom(md.xml, md.metadata, c.metadataUrl, {
    forceAuthn: c.forceAuthn, wantAuthnRequestsSigned: true, label: c.label ?? undefined, identifierFormat: c.identifierFormat ?? undefined,
    acsUrlOverride: c.acsUrlOverride ?? undefined, samlAudienceOverride: c.samlAudienceOverride ?? audienceOverride ?? undefined,
  }, ctx.now());
  return { entityId: md.metadata.entityId, settings: JSON.stringify(settings) };
}

async function writeConnection(ctx: AppContext, c: JacksonConnection, audienceOverride: string | null): Promise<void> {
  const def = c.defaultRedirectUrl || c.redirectUrl[0];
  if (!def) throw new GatehouseError('API_VALIDATION', 'The connection has no redirect URL.', { field: 'defaultRedirectUrl' });
  const redirectUrls = withDefault(c.redirectUrl, def);
  checkRedirectPatterns(ctx.config, redirectUrls);
  const { entityId, settings } = await connectionSettings(ctx, c, audienceOverride);
  const now = ctx.now();
  const row: ConnectionRow = {
    id: c.clientID, tenant: c.tenant, product: c.product, kind: c.kind, name: c.name, description: c.description,
    idp_entity_id: entityId, idp_key: idpKeyOf(entityId), redirect_urls: JSON.stringify(redirectUrls), default_redirect_url: def, settings,
    ...clientSecretColumns(ctx, c.clientSecret), active: c.deactivated ? 0 : 1, sort_order: c.sortOrder ?? 0, version: 1,
    created_at: c.createdAt ?? now, updated_at: now, backchannel_logout_uri: null,
  };
  await connectionsRepo.insert(ctx.db, row);
  await auditChange(ctx, IMPORT_CALLER, { action: 'sso.connection.created', target: { type: 'sso_connection', id: row.id }, tenant: row.tenant, product: row.product, after: toApiConnection(ctx, row, { includeSecret: true }) });
}

async function writeDirectory(ctx: AppContext, d: JacksonDirectory): Promise<void> {
  const now = ctx.now();
  const type = (DIRECTORY_TYPES as readonly string[]).includes(d.type) ? d.type : 'generic-scim-v2';
  const row = {
    id: d.id, tenant: d.tenant, product: d.product, name: d.name || `scim-${d.tenant}-${d.product}`, type,
    webhook_url: d.webhookUrl && d.webhookSecret ? d.webhookUrl : '', webhook_secret_enc: d.webhookUrl && d.webhookSecret ? ctx.secrets.encrypt(d.webhookSecret) : '',
    ...scimSecretColumns(ctx, d.id, d.scimSecret), log_webhook_events: 1, deactivated: d.deactivated ? 1 : 0,
    created_at: d.createdAt ?? now, updated_at: now,
  };
  await directoriesRepo.insert(ctx.db, row);
  await auditChange(ctx, IMPORT_CALLER, { action: 'dsync.directory.created', target: { type: 'directory', id: row.id }, tenant: row.tenant, product: row.product, after: toApiDirectory(ctx, row, d.scimSecret) });
}

async function writeSetupLink(ctx: AppContext, l: JacksonSetupLink): Promise<void> {
  const now = ctx.now();
  const def = l.defaultRedirectUrl ?? l.redirectUrl[0] ?? '';
  const defaults = l.service === 'sso'
    ? { defaultRedirectUrl: def, redirectUrl: withDefault(l.redirectUrl, def) }
    : { webhookUrl: l.webhookUrl, webhookSecretEnc: l.webhookSecret ? ctx.secrets.encrypt(l.webhookSecret) : null };
  if (l.service === 'sso') checkRedirectPatterns(ctx.config, (defaults as { redirectUrl: string[] }).redirectUrl);
  const row = {
    id: l.setupID, service: l.service, tenant: l.tenant, product: l.product, name: l.name, description: l.description,
    token_hash: tokenHash(l.token), token_enc: ctx.secrets.encrypt(l.token), defaults: JSON.stringify(defaults),
    expires_at: l.validTill, created_by: IMPORT_CALLER.label, created_at: now, updated_at: now, ...NO_PROGRESS,
  };
  await setupLinksRepo.replace(ctx.db, row);
  await auditChange(ctx, IMPORT_CALLER, { action: `setup_link.${l.service}.created`, target: { type: 'setup_link', id: row.id }, tenant: row.tenant, product: row.product, after: { ...toApiSetupLink(ctx, row), url: '[redacted]' } });
}

async function writeSpKey(ctx: AppContext, key: { certPem: string; privateKeyPem: string }): Promise<void> {
  const now = ctx.now();
  const id = `saml-sp-jackson-${now}`;
  try {
    createPrivateKey(key.privateKeyPem);
  } catch {
    throw new GatehouseError('API_VALIDATION', 'Jackson\'s SP private key is not a readable PEM key.');
  }
  const previous = await signingKeysRepo.listActive(ctx.db, 'saml_sp');
  await signingKeysRepo.insertIfAbsent(ctx.db, { id, use: 'saml_sp', private_key_enc: ctx.secrets.encrypt(key.privateKeyPem), public_pem: key.certPem, created_at: now, retired_at: null });
  for (const k of previous) await signingKeysRepo.retire(ctx.db, k.id, now);
  await auditChange(ctx, IMPORT_CALLER, { action: 'saml.sp_key.imported', target: { type: 'signing_key', id }, after: { id, retired: previous.map((k) => k.id) } });
}

/** Runs `write` for every step to create; failures are collected (by the id the report lists) rather than thrown. */
async function each<T>(plan: ImportPlan, kind: keyof ImportSummary, steps: { record: T; action: string }[], failures: Failure[], write: (r: T) => Promise<void>): Promise<void> {
  for (const s of steps) {
    if (s.action !== 'create') continue;
    try {
      await write(s.record);
    } catch (err) {
      const message = err instanceof GatehouseError ? `${err.message}${err.field ? ` (${err.field})` : ''}` : (err as Error).message;
      failures.push({ kind: failureKind(kind), id: describeStep(plan, kind, s.record), message });
    }
  }
}

/** Writes what the plan creates, in dependency order; returns what failed. */
export async function applyPlan(ctx: AppContext, plan: ImportPlan): Promise<Failure[]> {
  const failures: Failure[] = [];
  await each(plan, 'spKey', plan.spKey ? [plan.spKey] : [], failures, (k) => writeSpKey(ctx, k));
  await each(plan, 'products', plan.products, failures, async (p) => {
    const now = ctx.now();
    const row = { id: p.id, name: p.name ?? p.id, default_redirect_url: null, initiate_login_uri: null, session_settings: null, roles: null, created_at: now, updated_at: now };
    if (!(await productsRepo.insert(ctx.db, row))) throw new GatehouseError('API_CONFLICT', `Product "${p.id}" already exists.`);
    await auditChange(ctx, IMPORT_CALLER, { action: 'product.created', target: { type: 'product', id: p.id }, product: p.id, after: toApiProduct(row) });
  });
  await each(plan, 'connections', plan.connections, failures, (c) => writeConnection(ctx, c, plan.audienceOverride));
  await each(plan, 'directories', plan.directories, failures, (d) => writeDirectory(ctx, d));
  await each(plan, 'users', plan.users, failures, async (u) => {
    const v = readUserBody(u.raw);
    const now = ctx.now();
    await directoryUsersRepo.insert(ctx.db, { id: u.id, directory_id: u.directoryId, user_name: v.userName, user_name_key: v.userNameKey, external_id: v.externalId, display_name: v.displayName, active: v.active ? 1 : 0, raw: JSON.stringify(v.attrs), created_at: now, updated_at: now, version: 1 });
  });
  await each(plan, 'groups', plan.groups, failures, async (g) => {
    const { members: _members, ...attrs } = g.raw;
    const v = readGroupBody({ displayName: g.name, ...attrs });
    const now = ctx.now();
    await directoryGroupsRepo.insert(ctx.db, { id: g.id, directory_id: g.directoryId, display_name: v.displayName, external_id: v.externalId, raw: JSON.stringify(v.attrs), created_at: now, updated_at: now, version: 1 });
  });
  await each(plan, 'memberships', plan.memberships, failures, (m) =>
    directoryGroupsRepo.addMembers(ctx.db, [{ group_id: m.groupId, directory_id: m.directoryId, member_value: m.userId, display: null, created_at: ctx.now() }]));
  await each(plan, 'setupLinks', plan.setupLinks, failures, (l) => writeSetupLink(ctx, l));
  return failures;
}
