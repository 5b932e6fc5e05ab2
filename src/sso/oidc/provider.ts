/**
 * Reading an upstream OpenID Connect provider's settings when a connection is created: discovery
 * (through the outbound guard) or metadata given inline, checked so every endpoint we will call later is
 * an allowed URL.
 */
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { checkOutboundUrl, fetchText, outboundPolicyOf, type OutboundPolicy } from '../../net/outbound.ts';
import type { OidcProviderMetadata } from '../connection-settings.ts';

export const outboundPolicy = (ctx: AppContext): OutboundPolicy => outboundPolicyOf(ctx.config);

function asMetadata(value: unknown, field: string): OidcProviderMetadata {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new GatehouseError('OIDC_DISCOVERY_FAILED', `"${field}" is not JSON.`, { field });
    }
  }
  const m = v as Partial<OidcProviderMetadata> | null;
  for (const k of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    if (!m || typeof m[k] !== 'string' || !m[k]) throw new GatehouseError('OIDC_DISCOVERY_FAILED', `"${field}" has no "${k}".`, { field });
  }
  const md = m as OidcProviderMetadata;
  return {
    issuer: md.issuer, authorization_endpoint: md.authorization_endpoint, token_endpoint: md.token_endpoint, jwks_uri: md.jwks_uri,
    ...(md.userinfo_endpoint ? { userinfo_endpoint: md.userinfo_endpoint } : {}),
    ...(md.token_endpoint_auth_methods_supported ? { token_endpoint_auth_methods_supported: md.token_endpoint_auth_methods_supported } : {}),
    ...(md.id_token_signing_alg_values_supported ? { id_token_signing_alg_values_supported: md.id_token_signing_alg_values_supported } : {}),
    // RFC 9207: when advertised, an authorization response without `iss` is refused (openid-client checks it).
    ...(md.authorization_response_iss_parameter_supported === true ? { authorization_response_iss_parameter_supported: true } : {}),
  };
}

/** Discovery URL → provider metadata (issuer must match the discovery URL's issuer, as OIDC Discovery §4.3 requires). */
export async function loadOidcProvider(ctx: AppContext, src: { oidcDiscoveryUrl?: string; oidcMetadata?: unknown }): Promise<{ metadata: OidcProviderMetadata; discoveryUrl: string | null; field: string }> {
  const policy = outboundPolicy(ctx);
  let metadata: OidcProviderMetadata;
  let field: string;
  if (src.oidcDiscoveryUrl) {
    field = 'oidcDiscoveryUrl';
    const url = src.oidcDiscoveryUrl.includes('/.well-known/') ? src.oidcDiscoveryUrl : `${src.oidcDiscoveryUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    metadata = asMetadata(await fetchText(url, policy, field, 512 * 1024), field);
    const expectedIssuer = url.split('/.well-known/')[0]!;
    if (metadata.issuer.replace(/\/+$/, '') !== expectedIssuer.replace(/\/+$/, '')) {
      throw new GatehouseError('OIDC_DISCOVERY_FAILED', `The discovery document's issuer "${metadata.issuer}" does not match its URL.`, { field });
    }
  } else if (src.oidcMetadata) {
    field = 'oidcMetadata';
    metadata = asMetadata(src.oidcMetadata, field);
  } else {
    throw new GatehouseError('API_VALIDATION', 'One of "oidcDiscoveryUrl" or "oidcMetadata" is required for an OIDC connection.', { field: 'oidcDiscoveryUrl' });
  }
  for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint'] as const) {
    const u = metadata[k];
    if (u && k !== 'authorization_endpoint') await checkOutboundUrl(u, policy, `${field}.${k}`);
    if (u && k === 'authorization_endpoint' && !/^https?:\/\//.test(u)) throw new GatehouseError('OIDC_DISCOVERY_FAILED', `${k} is not an http(s) URL.`, { field });
  }
  return { metadata, discoveryUrl: src.oidcDiscoveryUrl ?? null, field };
}
