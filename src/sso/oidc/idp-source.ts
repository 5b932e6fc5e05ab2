/** An OIDC connection's provider settings: discovery or inline metadata, client id, and the write-only client secret. */
import type { AppContext } from '../../context.ts';
import type { AttributeMapping } from '../profile.ts';
import type { OidcSettings } from '../connection-settings.ts';
import { loadOidcProvider } from './provider.ts';

export interface OidcSource { oidcDiscoveryUrl?: string; oidcMetadata?: unknown; oidcClientId?: string; oidcClientSecret?: string; oidcScopes?: string; attributeMapping?: AttributeMapping; label?: string }

export const hasOidcProvider = (src: OidcSource) => Boolean(src.oidcDiscoveryUrl || src.oidcMetadata);

/** The scopes asked of an upstream OIDC provider unless the connection names its own (shown on /.well-known/oidc-configuration). */
export const DEFAULT_OIDC_SCOPES = 'openid email profile';

export async function oidcSettingsFrom(ctx: AppContext, src: OidcSource, prev?: OidcSettings): Promise<{ settings: OidcSettings; field: string }> {
  const { metadata, discoveryUrl, field } = await loadOidcProvider(ctx, src);
  return {
    field,
    settings: {
      discoveryUrl,
      metadata,
      clientId: src.oidcClientId ?? prev?.clientId ?? '',
      clientSecretEnc: src.oidcClientSecret !== undefined ? (src.oidcClientSecret ? ctx.secrets.encrypt(src.oidcClientSecret) : null) : (prev?.clientSecretEnc ?? null),
      scopes: src.oidcScopes ?? prev?.scopes ?? DEFAULT_OIDC_SCOPES,
      attributeMapping: src.attributeMapping ?? prev?.attributeMapping ?? {},
      label: src.label !== undefined ? src.label || null : (prev?.label ?? null),
      allowIdpInitiated: false,
      metadataRefreshedAt: discoveryUrl ? ctx.now() : null,
      metadataRefreshError: null,
    },
  };
}

export const oidcSettingsWithOptions = (ctx: AppContext, prev: OidcSettings, src: OidcSource): OidcSettings => ({
  ...prev,
  clientId: src.oidcClientId ?? prev.clientId,
  clientSecretEnc: src.oidcClientSecret !== undefined ? (src.oidcClientSecret ? ctx.secrets.encrypt(src.oidcClientSecret) : null) : prev.clientSecretEnc,
  scopes: src.oidcScopes ?? prev.scopes,
  attributeMapping: src.attributeMapping ?? prev.attributeMapping,
  label: src.label !== undefined ? src.label || null : (prev.label ?? null),
});
