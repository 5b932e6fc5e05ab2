/**
 * A connection's redirect-URL allow-list and the one way URLs are compared against it: exact match of
 * scheme, host, port, path and query (docs/decisions/0003-connections-and-redirects.md). Used by the
 * app-facing authorize (oauth/) and by the sign-ins that land without an app request (one-click links,
 * IdP-initiated SAML).
 */
import type { ConnectionRow } from '../storage/index.ts';

/** Normalises a URL for comparison: scheme and host lower-cased, default port dropped, fragment refused. */
export function normaliseRedirectUri(u: string): string | null {
  try {
    const url = new URL(u);
    if (url.hash) return null;
    return url.href;
  } catch {
    return null;
  }
}

/** Exact match (scheme, host, port, path and query) against an allow-list. */
export function isAllowedRedirect(redirectUri: string, allowed: readonly string[]): boolean {
  const n = normaliseRedirectUri(redirectUri);
  if (!n) return false;
  return allowed.some((a) => normaliseRedirectUri(a) === n);
}

export const allowedRedirects = (c: ConnectionRow): string[] => JSON.parse(c.redirect_urls) as string[];
