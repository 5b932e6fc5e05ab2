/**
 * A connection's redirect-URL allow-list and the one way URLs are compared against it. Strict (the default):
 * exact match of scheme, host, port, path and query (docs/decisions/0003-connections-and-redirects.md).
 * `JACKSON_COMPAT=true`: SAML Jackson's matching, where a registered bare origin or `origin/*` allows any
 * path on that origin and `https://*.example.com` allows its subdomains (docs/migrating-from-jackson.md).
 * Used by the app-facing authorize (oauth/) and by the sign-ins that land without an app request
 * (one-click links, IdP-initiated SAML).
 */
import type { Config } from '../config.ts';
import { GatehouseError } from '../errors.ts';
import type { ConnectionRow } from '../storage/index.ts';

export type RedirectMatching = 'exact' | 'jackson';

export const redirectMatchingOf = (config: Pick<Config, 'JACKSON_COMPAT'>): RedirectMatching => (config.JACKSON_COMPAT ? 'jackson' : 'exact');

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

/** A registered entry that exact matching can never satisfy: a `*` anywhere (host wildcard, trailing `/*`). */
export const isWildcardPattern = (registered: string): boolean => registered.includes('*');

/**
 * Jackson's rule for one registered entry. Scheme and port always match exactly; a `*.` host allows
 * subdomains only (not the apex); a bare origin (path `/`, no query) or a trailing `/*` allows any path.
 */
function jacksonMatches(target: URL, registered: string): boolean {
  const anyPath = registered.endsWith('/*');
  const base = anyPath ? registered.slice(0, -2) : registered;
  const hostWildcard = /^[a-z][a-z0-9+.-]*:\/\/\*\./i.test(base);
  let pattern: URL;
  try {
    pattern = new URL(hostWildcard ? base.replace('://*.', '://') : base);
  } catch {
    return false;
  }
  if (pattern.protocol !== target.protocol || pattern.port !== target.port) return false;
  const hostOk = hostWildcard ? target.hostname.endsWith(`.${pattern.hostname}`) : target.hostname === pattern.hostname;
  if (!hostOk) return false;
  if (anyPath || (pattern.pathname === '/' && !pattern.search)) return true;
  return pattern.pathname === target.pathname && pattern.search === target.search;
}

/** Whether `redirectUri` is on the allow-list, exactly (the default) or as Jackson matches it. */
export function isAllowedRedirect(redirectUri: string, allowed: readonly string[], matching: RedirectMatching = 'exact'): boolean {
  const n = normaliseRedirectUri(redirectUri);
  if (!n) return false;
  if (allowed.some((a) => normaliseRedirectUri(a) === n)) return true;
  if (matching !== 'jackson') return false;
  const target = new URL(n);
  return allowed.some((a) => jacksonMatches(target, a));
}

/**
 * Without JACKSON_COMPAT a wildcard entry would be stored and then fail every login, so it is refused
 * when the connection is written, with a 400 naming `redirectUrl`.
 */
export function checkRedirectPatterns(config: Pick<Config, 'JACKSON_COMPAT'>, urls: readonly string[]): void {
  if (config.JACKSON_COMPAT) return;
  const bad = urls.find(isWildcardPattern);
  if (bad !== undefined) {
    throw new GatehouseError('API_VALIDATION', `"${bad}" contains a wildcard; redirect URLs must be listed exactly (scheme, host, port and path). Wildcards and origin-wide entries are accepted only with JACKSON_COMPAT=true.`, { field: 'redirectUrl' });
  }
}

export const allowedRedirects = (c: ConnectionRow): string[] => JSON.parse(c.redirect_urls) as string[];
