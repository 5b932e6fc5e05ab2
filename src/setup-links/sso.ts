/**
 * What an IT admin can do with an SSO setup link: list, create, edit and delete the connections of the
 * link's tenant+product only. Tenant, product and redirect URLs come from the link; the same fields in a
 * request body are ignored. Answers never contain a connection's clientSecret or OIDC client secret.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, type SetupLinkRow } from '../storage/index.ts';
import { createConnection, deleteConnections, toApiConnection, updateConnection } from '../sso/connections.ts';
import { parseIdpMetadata } from '../sso/saml/idp-metadata.ts';
import type { SsoDefaults } from './service.ts';
import type { Caller } from '../policy/caller.ts';
import { vendorOnlyChecked } from './vendor-only.ts';
import { recordCreated } from './progress.ts';
import { renewalConnectionOf, requireFullLink } from './intent.ts';
import { healthOf } from '../vendor-events/connection-health.ts';

const IGNORED = ['tenant', 'product', 'redirectUrl', 'defaultRedirectUrl', 'clientSecret', 'allowIdpInitiated', 'sortOrder'] as const;

export function scrub(body: unknown): Record<string, unknown> {
  const b = { ...((body ?? {}) as Record<string, unknown>) };
  for (const k of IGNORED) delete b[k];
  return b;
}

const view = (ctx: AppContext, row: Parameters<typeof toApiConnection>[1]) => toApiConnection(ctx, row, { includeSecret: false });

/** A connection of the link's tenant+product (of a renewal link, only the one it renews). */
export async function ownConnection(ctx: AppContext, link: SetupLinkRow, clientID: string | undefined) {
  const only = renewalConnectionOf(link);
  const row = clientID && (!only || clientID === only) ? await connectionsRepo.findById(ctx.db, clientID) : undefined;
  if (!row || row.tenant !== link.tenant || row.product !== link.product) throw new GatehouseError('SETUP_LINK_FORBIDDEN', 'No such connection for this setup link.', { field: 'clientID' });
  return row;
}

/** Catches the classic mistake of pasting Gatehouse's own SP metadata instead of the IdP's. */
export function checkNotOurMetadata(ctx: AppContext, body: Record<string, unknown>) {
  const xml = typeof body.rawMetadata === 'string' ? body.rawMetadata : typeof body.encodedRawMetadata === 'string' ? Buffer.from(body.encodedRawMetadata, 'base64').toString('utf8') : null;
  if (!xml) return;
  if (xml.includes(ctx.config.acsUrl) && xml.includes('SPSSODescriptor')) {
    throw new GatehouseError('SAML_METADATA_INVALID', 'This is the service provider metadata shown on this page. Paste the metadata of your identity provider instead (from its SAML app settings).', { field: typeof body.rawMetadata === 'string' ? 'rawMetadata' : 'encodedRawMetadata' });
  }
  const md = parseIdpMetadata(xml);
  if (md.ok && md.metadata.entityId === ctx.config.SAML_SP_ENTITY_ID) {
    throw new GatehouseError('SAML_METADATA_INVALID', 'The metadata\'s entity ID is our own SP entity ID: paste your identity provider\'s metadata, not ours.', { field: 'rawMetadata' });
  }
}

export async function listLinkConnections(ctx: AppContext, link: SetupLinkRow) {
  const only = renewalConnectionOf(link);
  return (await connectionsRepo.listByTenantProduct(ctx.db, link.tenant, link.product)).filter((r) => !only || r.id === only).map((r) => view(ctx, r));
}

/** Health at a glance (decision 0022) of one of the link's own connections. */
export async function linkConnectionHealth(ctx: AppContext, link: SetupLinkRow, clientID: string) {
  return healthOf(ctx, await ownConnection(ctx, link, clientID));
}

export async function getLinkConnection(ctx: AppContext, link: SetupLinkRow, clientID: string) {
  return view(ctx, await ownConnection(ctx, link, clientID));
}

/** The connection service checks the link's caller, audits, and leaves the client secret out (mayReadSecrets). */
export async function createLinkConnection(ctx: AppContext, caller: Caller, link: SetupLinkRow, body: unknown) {
  requireFullLink(link);
  const b = vendorOnlyChecked(scrub(body));
  checkNotOurMetadata(ctx, b);
  const d = JSON.parse(link.defaults) as SsoDefaults;
  const made = await createConnection(ctx, caller, { ...b, tenant: link.tenant, product: link.product, defaultRedirectUrl: d.defaultRedirectUrl, redirectUrl: d.redirectUrl });
  if (made.created) await recordCreated(ctx, link);
  return made;
}

export async function updateLinkConnection(ctx: AppContext, caller: Caller, link: SetupLinkRow, body: unknown) {
  const b = scrub(body);
  checkNotOurMetadata(ctx, b);
  const row = await ownConnection(ctx, link, typeof b.clientID === 'string' ? b.clientID : undefined);
  return updateConnection(ctx, caller, { ...vendorOnlyChecked(b, row), clientID: row.id });
}

export async function deleteLinkConnection(ctx: AppContext, caller: Caller, link: SetupLinkRow, clientID: string | undefined) {
  requireFullLink(link);
  const row = await ownConnection(ctx, link, clientID);
  await deleteConnections(ctx, caller, { clientID: row.id });
  return view(ctx, row);
}
