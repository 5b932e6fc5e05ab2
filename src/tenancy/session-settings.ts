/**
 * A product's session settings (issue 15, decision 0023): whether its apps get refresh tokens and for how long,
 * where its apps may be sent after logout (exact URIs), and its back-channel logout receiver. Stored as JSON on the
 * product; a product without a row or without settings gets the defaults.
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { productsRepo } from '../storage/index.ts';
import { isAbsoluteHttpUrl } from '../input/http-url.ts';

const url = z.string().max(2048).refine(isAbsoluteHttpUrl, 'must be an absolute http(s) URL');
const seconds = z.number().int().min(60).max(31_536_000);

/** The fields as the management API and the portal take them (PATCH: each optional; null resets to the default). */
export const SessionSettingsInput = z.object({
  refreshTokens: z.boolean().optional(),
  refreshTokenIdleSeconds: seconds.nullable().optional(),
  refreshTokenAbsoluteSeconds: seconds.nullable().optional(),
  postLogoutRedirectUris: z.array(url).max(50).optional(),
  backchannelLogoutUri: url.nullable().optional(),
  backchannelLogoutSessionRequired: z.boolean().optional(),
});
export type SessionSettingsInput = z.infer<typeof SessionSettingsInput>;

export interface ProductSessionSettings {
  /** Scope offline_access returns a refresh token (default true). */
  refreshTokens: boolean;
  /** null: REFRESH_TOKEN_IDLE_SECONDS / REFRESH_TOKEN_ABSOLUTE_SECONDS. */
  refreshTokenIdleSeconds: number | null;
  refreshTokenAbsoluteSeconds: number | null;
  /** Where RP-initiated logout may send the browser: matched exactly. */
  postLogoutRedirectUris: string[];
  /** OpenID Connect Back-Channel Logout receiver (null: none). */
  backchannelLogoutUri: string | null;
  backchannelLogoutSessionRequired: boolean;
}

export const DEFAULT_SESSION_SETTINGS: ProductSessionSettings = {
  refreshTokens: true, refreshTokenIdleSeconds: null, refreshTokenAbsoluteSeconds: null, postLogoutRedirectUris: [], backchannelLogoutUri: null, backchannelLogoutSessionRequired: false,
};

/** Pure: the stored JSON (or null) read with defaults for what it lacks. */
export function readSessionSettings(stored: string | null): ProductSessionSettings {
  if (!stored) return { ...DEFAULT_SESSION_SETTINGS };
  return { ...DEFAULT_SESSION_SETTINGS, ...(JSON.parse(stored) as Partial<ProductSessionSettings>) };
}

/** Pure: the settings after a create/PATCH input; undefined fields keep theirs, null resets to the default. */
export function applySessionSettings(current: ProductSessionSettings, input: SessionSettingsInput): ProductSessionSettings {
  const next = { ...current };
  for (const [k, v] of Object.entries(input) as [keyof ProductSessionSettings, unknown][]) {
    if (v === undefined) continue;
    (next as Record<string, unknown>)[k] = v === null ? DEFAULT_SESSION_SETTINGS[k] : v;
  }
  return next;
}

/** Stored form: null when everything is the default, so untouched products stay as they were. */
export function storedSessionSettings(s: ProductSessionSettings): string | null {
  const differs = (Object.keys(DEFAULT_SESSION_SETTINGS) as (keyof ProductSessionSettings)[]).some((k) => JSON.stringify(s[k]) !== JSON.stringify(DEFAULT_SESSION_SETTINGS[k]));
  return differs ? JSON.stringify(s) : null;
}

/** A product's session settings, with the defaults when the product has no row (connections may name any product). */
export async function sessionSettingsOf(ctx: AppContext, product: string): Promise<ProductSessionSettings> {
  const row = await productsRepo.findById(ctx.db, product);
  return readSessionSettings(row?.session_settings ?? null);
}
