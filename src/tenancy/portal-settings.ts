/**
 * A product's embeddable-portal settings (issue 17 §3, decision 0033): the exact URLs a portal session may end on
 * (`portalReturnUrls`) and the origins that may frame the portal (`portalFrameAncestors`, sent as CSP
 * `frame-ancestors` on the portal pages only). Stored as JSON on the product (migration 029); null: none.
 */
import * as z from 'zod';
import { isAbsoluteHttpUrl } from '../input/http-url.ts';
import { isOrigin } from '../config.ts';

const url = z.string().max(2048).refine(isAbsoluteHttpUrl, 'must be an absolute http(s) URL');
// Origins only: CSP would read a path as a prefix and a `*` as a wildcard.
const origin = z.string().max(512).refine(isOrigin, 'must be an origin such as https://app.example.com (scheme, host, optional port; no path, no wildcard)');

/** As the management API and the portal take them (PATCH: each optional; null empties it). */
export const PortalSettingsInput = z.object({
  portalReturnUrls: z.array(url).max(50).nullable().optional(),
  portalFrameAncestors: z.array(origin).max(50).nullable().optional(),
});
export type PortalSettingsInput = z.infer<typeof PortalSettingsInput>;

export interface ProductPortalSettings { portalReturnUrls: string[]; portalFrameAncestors: string[] }

/** Pure: the stored JSON (or null) with defaults for what it lacks. */
export function readPortalSettings(stored: string | null | undefined): ProductPortalSettings {
  const s = stored ? (JSON.parse(stored) as Partial<ProductPortalSettings>) : {};
  return { portalReturnUrls: s.portalReturnUrls ?? [], portalFrameAncestors: s.portalFrameAncestors ?? [] };
}

/** Pure: the stored form after an input (undefined keeps, null empties); null when both are empty. */
export function storedPortalSettings(stored: string | null | undefined, input: PortalSettingsInput): string | null {
  const cur = readPortalSettings(stored);
  const next: ProductPortalSettings = {
    portalReturnUrls: input.portalReturnUrls === undefined ? cur.portalReturnUrls : input.portalReturnUrls ?? [],
    portalFrameAncestors: input.portalFrameAncestors === undefined ? cur.portalFrameAncestors : (input.portalFrameAncestors ?? []).map((o) => o.toLowerCase()),
  };
  return next.portalReturnUrls.length || next.portalFrameAncestors.length ? JSON.stringify(next) : null;
}
