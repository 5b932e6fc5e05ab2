/**
 * When to fetch a metadata (or discovery) URL again: pure, clock as an argument (docs/decisions/0019-metadata-refresh.md).
 *
 * The period (METADATA_REFRESH_SECONDS) is the longest wait: it is the operator's promise that a certificate
 * rollover is followed within it, so a longer `Cache-Control: max-age`, `cacheDuration` or `validUntil` never
 * delays a fetch. A shorter one brings it forward, but never below the floor (the period or 5 minutes, whichever
 * is shorter), so an IdP answering `max-age=0` is not fetched in a loop. A failed fetch is retried after the floor.
 * `no-store` forbids keeping the answer's validators, so the next fetch is unconditional.
 */
const FLOOR_MS = 5 * 60_000;

export interface RefreshTimingInput {
  now: number;
  periodMs: number;
  /** The answer's Cache-Control header, if any. */
  cacheControl: string | null;
  /** SAML metadata's earliest validUntil and shortest cacheDuration (null for OIDC discovery). */
  validUntil: number | null;
  cacheDurationMs: number | null;
}

export const refreshFloorMs = (periodMs: number) => Math.min(periodMs, FLOOR_MS);

/** The next fetch time after a successful fetch, and whether the answer's validators may be kept. */
export function nextRefreshAfterSuccess(i: RefreshTimingInput): { nextRefreshAt: number; keepValidators: boolean } {
  const directives = parseCacheControl(i.cacheControl);
  let delay = i.periodMs;
  const maxAge = directives.get('max-age');
  if (maxAge && /^\d+$/.test(maxAge)) delay = Math.min(delay, Number(maxAge) * 1000);
  if (i.cacheDurationMs !== null) delay = Math.min(delay, i.cacheDurationMs);
  if (i.validUntil !== null) delay = Math.min(delay, i.validUntil - i.now);
  delay = Math.max(delay, refreshFloorMs(i.periodMs));
  return { nextRefreshAt: i.now + delay, keepValidators: !directives.has('no-store') };
}

/** The next fetch time after a failed one. */
export const nextRefreshAfterFailure = (now: number, periodMs: number) => now + refreshFloorMs(periodMs);

/** Cache-Control directives, lower-cased, with their values (quotes removed). */
function parseCacheControl(header: string | null): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...rest] = part.trim().split('=');
    if (!name) continue;
    out.set(name.toLowerCase(), rest.length ? rest.join('=').replace(/^"|"$/g, '') : null);
  }
  return out;
}
