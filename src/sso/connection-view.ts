/** The Jackson-shaped view of a connection, for SAML and OIDC alike. Never shows the OIDC client secret. */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import type { ConnectionRow } from '../storage/index.ts';
import { parseOidcSettings, parseSettings } from './connection-settings.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Hosts Jackson names in `friendlyProviderName` (matched anywhere in the provider host). */
const FRIENDLY_PROVIDER_NAMES: readonly [string, string][] = [
  ['okta.com', 'Okta'], ['sts.windows.net', 'Entra ID'], ['mocksaml.com', 'MockSAML'], ['onelogin.com', 'OneLogin'],
  ['keycloak.com', 'Keycloak'], ['jumpcloud.com', 'JumpCloud'], ['google.com', 'Google'], ['auth0.com', 'Auth0'], ['pingone.com', 'PingOne'],
];

/** Jackson's `provider`: the host of the IdP entity ID (of the SSO URL when the entity ID is a URN). */
function providerOf(entityId: string, ssoUrl: string | null): string {
  for (const candidate of [entityId, ssoUrl]) {
    try {
      const host = candidate ? new URL(candidate).hostname : '';
      if (host) return host;
    } catch { /* a URN: try the next */ }
  }
  return 'Unknown';
}

const friendlyNameOf = (provider: string) => FRIENDLY_PROVIDER_NAMES.find(([host]) => provider.includes(host))?.[1] ?? null;

/** How current a connection's metadata is (docs/decisions/0019-metadata-refresh.md): only for connections made from a URL. */
function metadataFreshness(ctx: AppContext, url: string | null, s: { metadataRefreshedAt?: number | null; metadataRefreshError?: string | null }) {
  if (!url) return {};
  return {
    metadataRefreshSeconds: ctx.config.METADATA_REFRESH_SECONDS,
    metadataRefreshedAt: s.metadataRefreshedAt ? iso(s.metadataRefreshedAt) : null,
    metadataRefreshError: s.metadataRefreshError ?? null,
  };
}

function samlView(ctx: AppContext, row: ConnectionRow) {
  const s = parseSettings(row.settings);
  const first = s.certificates[0];
  const provider = providerOf(row.idp_entity_id, s.ssoRedirectUrl ?? s.ssoPostUrl);
  return {
    forceAuthn: s.forceAuthn,
    allowIdpInitiated: s.allowIdpInitiated,
    allowSha1: s.allowSha1,
    wantAuthnRequestsSigned: s.wantAuthnRequestsSigned,
    attributeMapping: s.attributeMapping,
    metadataUrl: s.metadataUrl,
    ...metadataFreshness(ctx, s.metadataUrl, s),
    label: s.label ?? null,
    identifierFormat: s.identifierFormat ?? null,
    acsUrlOverride: s.acsUrlOverride ?? null,
    samlAudienceOverride: s.samlAudienceOverride ?? null,
    idpMetadata: {
      entityID: row.idp_entity_id,
      sso: { ...(s.ssoPostUrl ? { postUrl: s.ssoPostUrl } : {}), ...(s.ssoRedirectUrl ? { redirectUrl: s.ssoRedirectUrl } : {}) },
      slo: s.slo ?? {},
      provider,
      friendlyProviderName: friendlyNameOf(provider),
      /** Jackson's name for the IdP's signing certificate (base64 DER, no PEM armour); the first one during a rotation. */
      publicKey: s.signingCertificates[0] ?? null,
      thumbprint: first?.fingerprintSha256 ?? null,
      validTo: first ? iso(first.notAfter) : null,
      certificates: s.certificates.map((c) => ({ ...c, notBefore: iso(c.notBefore), notAfter: iso(c.notAfter) })),
      warnings: s.warnings,
      loginType: 'idp',
    },
  };
}

function oidcView(ctx: AppContext, row: ConnectionRow) {
  const s = parseOidcSettings(row.settings);
  return {
    allowIdpInitiated: false,
    attributeMapping: s.attributeMapping,
    label: s.label ?? null,
    ...metadataFreshness(ctx, s.discoveryUrl, s),
    oidcProvider: {
      provider: s.metadata.issuer,
      discoveryUrl: s.discoveryUrl,
      metadata: s.discoveryUrl ? undefined : s.metadata,
      clientId: s.clientId,
      clientSecretSet: s.clientSecretEnc !== null,
      scopes: s.scopes,
    },
  };
}

/** `clientSecret` (Gatehouse's secret for the app) only for the vendor's own management API. */
export function toApiConnection(ctx: AppContext, row: ConnectionRow, opts: { includeSecret: boolean }) {
  return {
    clientID: row.id,
    ...(opts.includeSecret ? { clientSecret: ctx.secrets.decrypt(row.client_secret_enc) } : {}),
    type: row.kind,
    tenant: row.tenant,
    product: row.product,
    name: row.name,
    description: row.description,
    defaultRedirectUrl: row.default_redirect_url,
    redirectUrl: JSON.parse(row.redirect_urls) as string[],
    deactivated: row.active === 0,
    sortOrder: row.sort_order,
    backchannelLogoutUri: row.backchannel_logout_uri ?? null,
    ...(row.kind === 'oidc' ? oidcView(ctx, row) : samlView(ctx, row)),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
export type ApiConnection = ReturnType<typeof toApiConnection>;

/**
 * `toApiConnection`'s answer as a zod schema, for the OpenAPI document (decision 0032) and the tests that validate
 * real answers. The fields every connection has are listed; the SAML fields (`idpMetadata`…) or the OIDC ones
 * (`oidcProvider`…) follow by type, so the object stays open.
 */
export const ConnectionView = z.looseObject({
  clientID: z.string(),
  clientSecret: z.string().optional().describe('Only in the vendor\'s management API answers; never `oidcClientSecret`.'),
  type: z.enum(['saml', 'oidc']),
  tenant: z.string(),
  product: z.string(),
  name: z.string(),
  description: z.string(),
  defaultRedirectUrl: z.string(),
  redirectUrl: z.array(z.string()),
  deactivated: z.boolean(),
  sortOrder: z.number().int(),
  backchannelLogoutUri: z.string().nullable(),
  allowIdpInitiated: z.boolean(),
  attributeMapping: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  label: z.string().nullable(),
  idpMetadata: z.looseObject({ entityID: z.string(), sso: z.object({ postUrl: z.string().optional(), redirectUrl: z.string().optional() }), certificates: z.array(z.looseObject({ notBefore: z.string(), notAfter: z.string(), fingerprintSha256: z.string() })) }).optional(),
  oidcProvider: z.looseObject({ provider: z.string(), discoveryUrl: z.string().nullable(), clientId: z.string(), clientSecretSet: z.boolean() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ title: 'Connection' });
