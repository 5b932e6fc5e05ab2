/**
 * The management API's answers for products, tenants and domains, as zod schemas: the OpenAPI document describes
 * them (decision 0032) and the tests validate real answers against them. `toApiProduct`, `toApiTenant` and
 * `toApiDomain` build these shapes.
 */
import * as z from 'zod';

const isoTime = z.string().meta({ format: 'date-time' });

export const ProductView = z.object({
  product: z.string(),
  name: z.string(),
  defaultRedirectUrl: z.string().nullable(),
  initiateLoginUri: z.string().nullable(),
  roles: z.array(z.object({ key: z.string(), name: z.string().optional() })),
  refreshTokens: z.boolean(),
  refreshTokenIdleSeconds: z.number().int().nullable(),
  refreshTokenAbsoluteSeconds: z.number().int().nullable(),
  postLogoutRedirectUris: z.array(z.string()),
  backchannelLogoutUri: z.string().nullable(),
  backchannelLogoutSessionRequired: z.boolean(),
  portalReturnUrls: z.array(z.string()),
  portalFrameAncestors: z.array(z.string()),
  createdAt: isoTime,
  updatedAt: isoTime,
}).meta({ title: 'Product' });

export const TenantView = z.object({
  tenant: z.string(),
  enterpriseKey: z.string(),
  name: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
}).meta({ title: 'Tenant' });

export const DomainView = z.object({
  domain: z.string(),
  verified: z.boolean(),
  verifiedAt: isoTime.nullable(),
  txtRecord: z.object({ name: z.string(), type: z.literal('TXT'), value: z.string() }),
  lastCheckedAt: isoTime.nullable(),
}).meta({ title: 'Domain' });

/** A role a product declares (decision 0028): `name` is the key when none was given. */
export const ProductRoleView = z.object({ key: z.string(), name: z.string() }).meta({ title: 'ProductRole' });

/** One group-to-role mapping: the IdP group (name or id, matched trimmed and case-insensitively) and the role key. */
export const RoleMappingView = z.object({ group: z.string(), role: z.string() }).meta({ title: 'RoleMapping' });
