/**
 * openid-client configurations for upstream OIDC connections, cached by connection and version (a cache
 * only: parsed metadata is reused across logins, never flow state). Every call has a timeout and goes
 * through the outbound guard, pinned to the address it checked. The id_token's signature is checked
 * against the provider's JWKS in jwks.ts.
 */
import type * as OpenidClient from 'openid-client';
import type { AppContext } from '../../context.ts';
import type { ConnectionRow } from '../../storage/index.ts';
import { outboundFetch } from '../../net/outbound.ts';
import { parseOidcSettings, type OidcSettings } from '../connection-settings.ts';
import { outboundPolicy } from './provider.ts';

export interface LoadedOidcConnection {
  settings: OidcSettings;
  config: OpenidClient.Configuration;
  /** openid-client itself, loaded with the first OIDC connection used (most deployments have SAML only). */
  oidc: typeof OpenidClient;
}

let openidClient: typeof OpenidClient | undefined;

const cache = new Map<string, LoadedOidcConnection>();

export async function oidcClientFor(ctx: AppContext, row: ConnectionRow): Promise<LoadedOidcConnection> {
  const key = `${row.id}:${row.version}:${row.updated_at}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const oidc = (openidClient ??= await import('openid-client'));
  const settings = parseOidcSettings(row.settings);
  const secret = settings.clientSecretEnc ? ctx.secrets.decrypt(settings.clientSecretEnc) : undefined;
  const methods = settings.metadata.token_endpoint_auth_methods_supported;
  const auth = !secret ? oidc.None() : methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post') ? oidc.ClientSecretPost(secret) : oidc.ClientSecretBasic(secret);
  const config = new oidc.Configuration(settings.metadata as OpenidClient.ServerMetadata, settings.clientId, undefined, auth);
  const policy = outboundPolicy(ctx);
  // Token and userinfo calls: resolved once, checked, and connected to the checked address (no DNS rebinding).
  config[oidc.customFetch] = (url, options) => outboundFetch(url, { method: options.method, headers: options.headers, body: options.body as string | URLSearchParams | null, signal: options.signal }, policy, 'OIDC provider endpoint');
  const insecureAllowed = Object.values(settings.metadata).some((v) => typeof v === 'string' && v.startsWith('http://'));
  if (insecureAllowed) oidc.allowInsecureRequests(config); // only reachable for hosts in OUTBOUND_ALLOW_HOSTS: the guard refuses other plain-HTTP URLs
  const loaded = { settings, config, oidc };
  if (cache.size > 2000) cache.clear();
  cache.set(key, loaded);
  return loaded;
}
