/**
 * Upstream id_token verification with the provider's JWKS, fetched through the outbound guard (resolved
 * once, checked, pinned) and kept in a per-instance cache by `jwks_uri`. A cache only: it holds public
 * keys any instance can fetch again, never login state. The set is fetched again when it is older than
 * MAX_AGE_MS, or when a token names a key the set does not have (a key rotation), but at most once per
 * COOLDOWN_MS per provider, so tokens with made-up `kid`s cannot make us hammer the provider.
 */
import type { JSONWebKeySet } from 'jose';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { fetchText } from '../../net/outbound.ts';
import type { OidcSettings } from '../connection-settings.ts';
import { outboundPolicy } from './provider.ts';
import { verifyIdToken } from './id-token.ts';

const MAX_AGE_MS = 10 * 60_000;
const COOLDOWN_MS = 30_000;
const MAX_BYTES = 512 * 1024;

interface CachedKeys {
  keys: JSONWebKeySet;
  fetchedAt: number;
}

const cache = new Map<string, CachedKeys>();
const inFlight = new Map<string, Promise<CachedKeys>>();

function parseKeySet(text: string): JSONWebKeySet {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new GatehouseError('OIDC_IDP_UNAVAILABLE', '(the provider\'s JWKS is not JSON)');
  }
  const keys = (v as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || !keys.every((k) => k && typeof k === 'object' && typeof (k as { kty?: unknown }).kty === 'string')) {
    throw new GatehouseError('OIDC_IDP_UNAVAILABLE', '(the provider\'s JWKS has no "keys" list)');
  }
  return { keys } as JSONWebKeySet;
}

function fetchKeys(ctx: AppContext, jwksUri: string): Promise<CachedKeys> {
  const pending = inFlight.get(jwksUri);
  if (pending) return pending;
  const p = (async () => {
    let text: string;
    try {
      text = await fetchText(jwksUri, outboundPolicy(ctx), 'jwks_uri', MAX_BYTES);
    } catch (err) {
      const detail = err instanceof GatehouseError ? err.detail : undefined;
      throw new GatehouseError('OIDC_IDP_UNAVAILABLE', `(the provider's JWKS could not be fetched${detail ? `: ${detail}` : ''})`);
    }
    const entry = { keys: parseKeySet(text), fetchedAt: ctx.now() };
    if (cache.size > 1000) cache.clear();
    cache.set(jwksUri, entry);
    return entry;
  })().finally(() => inFlight.delete(jwksUri));
  inFlight.set(jwksUri, p);
  return p;
}

async function currentKeys(ctx: AppContext, jwksUri: string): Promise<CachedKeys> {
  const hit = cache.get(jwksUri);
  return hit && ctx.now() - hit.fetchedAt < MAX_AGE_MS ? hit : fetchKeys(ctx, jwksUri);
}

/** Verifies an upstream id_token; returns its claims. Throws OIDC_TOKEN_INVALID with the reason. */
export async function verifyUpstreamIdToken(ctx: AppContext, settings: OidcSettings, idToken: string | undefined): Promise<Record<string, unknown>> {
  if (!idToken) throw new GatehouseError('OIDC_TOKEN_INVALID', '(the token endpoint returned no id_token)');
  const jwksUri = settings.metadata.jwks_uri;
  const check = (keys: JSONWebKeySet) => verifyIdToken({
    idToken, keys, issuer: settings.metadata.issuer, clientId: settings.clientId,
    algorithms: settings.metadata.id_token_signing_alg_values_supported, now: ctx.now(), skewSeconds: ctx.config.SAML_CLOCK_SKEW_SECONDS,
  });
  let keys = await currentKeys(ctx, jwksUri);
  let result = await check(keys.keys);
  if (!result.ok && result.unknownKey && ctx.now() - keys.fetchedAt >= COOLDOWN_MS) {
    keys = await fetchKeys(ctx, jwksUri); // the provider may have rotated its keys
    result = await check(keys.keys);
  }
  if (!result.ok) throw new GatehouseError('OIDC_TOKEN_INVALID', `(${result.reason})`);
  return { ...result.claims };
}
