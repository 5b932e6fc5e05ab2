/**
 * An Identity Federation app, SAML or OIDC, as the management API reads and writes it (Jackson's field names),
 * and its stored form. Lenient where Jackson-era clients rely on it ("" clears an optional field, `tenants` and
 * `mappings` as JSON strings from forms), strict about the two values the security of the flow rests on:
 * the ACS URL (HTTPS, or plain HTTP to this machine only) and the entity ID, both matched exactly.
 */
import * as z from 'zod';
import { isLocalHost } from '../config.ts';
import { isAbsoluteHttpUrl } from '../input/http-url.ts';
import type { FederationAppRow, FederationOidcAppRow } from '../storage/index.ts';
import { redirectUrls } from '../sso/connection-input.ts';
import { appRedirectUrls, clientIdOfApp } from '../oauth/federated-clients.ts';

/** Where a signed assertion may be posted: HTTPS, or plain HTTP to this machine (development, tests); no fragment. */
export function isAcceptableAcsUrl(value: string): boolean {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  if (u.hash || value.includes('#')) return false;
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLocalHost(u.hostname));
}

const acsUrl = z.string().trim().max(2048).refine(isAcceptableAcsUrl, 'must be an absolute https URL (plain http only for localhost or 127.0.0.1), without a fragment');
const entityId = z.string().trim().min(1).max(1024);
/** "" or null clears an optional field, as in Jackson. */
const cleared = <T extends z.ZodType>(s: T) => z.union([z.literal(''), z.null(), s]).transform((v) => (v === '' || v === null ? null : (v as z.output<T>)));
const optionalUrl = cleared(z.string().max(2048).refine(isAbsoluteHttpUrl, 'must be an absolute http(s) URL'));
const color = cleared(z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'must be a hex colour such as #25c2a0'));
/** Forms send arrays as JSON strings. */
const jsonArray = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    if (v.trim() === '') return [];
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, z.array(item).max(100));
const mappings = jsonArray(z.object({ key: z.string().trim().min(1).max(256), value: z.string().trim().min(1).max(256) }));
const tenants = jsonArray(z.string().trim().min(1).max(191));
const ttlInMinutes = cleared(z.coerce.number().int().min(1).max(60));

const shared = {
  name: z.string().trim().min(1).max(200),
  logoUrl: optionalUrl.optional(),
  faviconUrl: optionalUrl.optional(),
  primaryColor: color.optional(),
  tenants: tenants.optional(),
  mappings: mappings.optional(),
  samlAudienceOverride: cleared(entityId).optional(),
  ttlInMinutes: ttlInMinutes.optional(),
};
const fields = { ...shared, acsUrl };
const redirectUrl = redirectUrls.refine((list) => list.length > 0 && list.length <= 100, 'must list between 1 and 100 URLs');
const owner = { tenant: z.string().trim().min(1).max(191), product: z.string().trim().min(1).max(191) };

export const CreateAppInput = z.object({ ...owner, type: z.literal('saml').default('saml'), entityId, ...fields });

/** An OIDC app: redirect URLs instead of an ACS URL and entity ID (which are not stored if sent, as they do not apply). */
export const CreateOidcAppInput = z.object({ ...owner, type: z.literal('oidc'), redirectUrl, ...shared });

const optionalAll = <T extends Record<string, z.ZodType>>(o: T) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.optional()])) as { [K in keyof T]: z.ZodOptional<T[K]> };

export const UpdateOidcAppInput = z.object({ redirectUrl: redirectUrl.optional(), ...optionalAll(shared) });

export const UpdateAppInput = z.object({
  id: z.string().optional(),
  tenant: z.string().optional(),
  product: z.string().optional(),
  type: z.enum(['saml', 'oidc']).optional(),
  entityId: entityId.optional(),
  ...optionalAll(fields),
});

/** The settings an update leaves: each field sent replaces the stored one ("" or null clears it). */
export function mergedSettings(s: AppSettings, input: Partial<{ [K in keyof AppSettings]: AppSettings[K] | undefined }>, ownTenant: string): AppSettings {
  const pick = <K extends keyof AppSettings>(k: K): AppSettings[K] => (input[k] !== undefined ? (input[k] as AppSettings[K]) : s[k]);
  return {
    logoUrl: pick('logoUrl'), faviconUrl: pick('faviconUrl'), primaryColor: pick('primaryColor'),
    tenants: input.tenants !== undefined ? withOwnTenantFirst(ownTenant, input.tenants) : s.tenants,
    mappings: input.mappings ?? s.mappings, samlAudienceOverride: pick('samlAudienceOverride'), ttlInMinutes: pick('ttlInMinutes'),
  };
}

/** The settings of a new app. */
export function newSettings(input: Partial<{ [K in keyof AppSettings]: AppSettings[K] | undefined }> & { tenant: string }): AppSettings {
  return {
    logoUrl: input.logoUrl ?? null, faviconUrl: input.faviconUrl ?? null, primaryColor: input.primaryColor ?? null,
    tenants: withOwnTenantFirst(input.tenant, input.tenants), mappings: input.mappings ?? [],
    samlAudienceOverride: input.samlAudienceOverride ?? null, ttlInMinutes: input.ttlInMinutes ?? null,
  };
}

/** What `settings` holds. */
export interface AppSettings {
  logoUrl: string | null;
  faviconUrl: string | null;
  primaryColor: string | null;
  /** Tenants whose connections may sign users in to the app; the app's own tenant first. */
  tenants: string[];
  /** Renames of upstream attributes: `value` (as the IdP sent it) is sent as `key`. */
  mappings: { key: string; value: string }[];
  /** The IdP entity ID this app sees instead of the deployment's. */
  samlAudienceOverride: string | null;
  /** How long the assertion may be used (minutes); null: the default. */
  ttlInMinutes: number | null;
}

export const settingsOf = (row: Pick<FederationAppRow, 'settings'>): AppSettings => JSON.parse(row.settings) as AppSettings;

/** Jackson's rule: the app's own tenant first, each tenant once. */
export const withOwnTenantFirst = (own: string, list: string[] | undefined): string[] => [own, ...new Set((list ?? []).filter((t) => t !== own))];

/** The app in Jackson's shape. */
/** The settings both kinds of app answer with, in Jackson's order. */
function settingsView(row: Pick<FederationAppRow, 'settings'>) {
  const s = settingsOf(row);
  return { logoUrl: s.logoUrl, faviconUrl: s.faviconUrl, primaryColor: s.primaryColor, tenants: s.tenants, mappings: s.mappings, samlAudienceOverride: s.samlAudienceOverride, ttlInMinutes: s.ttlInMinutes };
}

const SettingsView = {
  logoUrl: z.string().nullable(), faviconUrl: z.string().nullable(), primaryColor: z.string().nullable(),
  tenants: z.array(z.string()).describe('Tenants whose connections may sign users in; the app\'s own first.'),
  mappings: z.array(z.object({ key: z.string(), value: z.string() })).describe('Renames of upstream attributes: `value` (as the IdP sent it) is sent as `key`.'),
  samlAudienceOverride: z.string().nullable(), ttlInMinutes: z.number().int().nullable(),
};
const AppBase = { id: z.string(), name: z.string(), tenant: z.string(), product: z.string() };
/** `toApiApp` and `toApiOidcApp` as zod views, for the OpenAPI document (decision 0032). */
export const FederationSamlAppView = z.object({ ...AppBase, type: z.literal('saml'), acsUrl: z.string(), entityId: z.string(), ...SettingsView }).meta({ title: 'FederationSamlApp' });
export const FederationOidcAppView = z.object({
  ...AppBase, type: z.literal('oidc'), redirectUrl: z.array(z.string()), ...SettingsView, clientID: z.string(),
  clientSecret: z.string().optional().describe('Only for callers that may read the vendor\'s secrets.'),
}).meta({ title: 'FederationOidcApp' });

export function toApiApp(row: FederationAppRow): z.infer<typeof FederationSamlAppView> {
  return {
    id: row.id,
    type: 'saml' as const,
    name: row.name,
    tenant: row.tenant,
    product: row.product,
    acsUrl: row.acs_url,
    entityId: row.entity_id,
    ...settingsView(row),
  };
}
export type ApiFederationApp = ReturnType<typeof toApiApp>;

/**
 * An OIDC app in Jackson's shape: its `clientID` always, its `clientSecret` only when given (callers that may
 * read the vendor's secrets; never in the audit trail).
 */
export function toApiOidcApp(row: FederationOidcAppRow, clientSecret?: string): z.infer<typeof FederationOidcAppView> {
  return {
    id: row.id,
    type: 'oidc' as const,
    name: row.name,
    tenant: row.tenant,
    product: row.product,
    redirectUrl: appRedirectUrls(row),
    ...settingsView(row),
    clientID: clientIdOfApp(row.id),
    ...(clientSecret !== undefined ? { clientSecret } : {}),
  };
}
export type ApiFederationOidcApp = ReturnType<typeof toApiOidcApp>;
