/**
 * The management API's connection input (Jackson v1 field names), accepted as JSON or form fields.
 * Lenient where Jackson-era apps rely on it (redirectUrl as an array, a JSON-array string or one URL;
 * booleans as "true"), strict about everything else.
 */
import * as z from 'zod';
import { isAbsoluteHttpUrl } from '../input/http-url.ts';

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1')]);

/** A redirect-URL allow-list: an array, a JSON-array string or one URL (Identity Federation OIDC apps take it too). */
export const redirectUrls = z.union([z.array(z.string()), z.string()]).transform((v, ctx) => {
  let list: unknown = v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s.startsWith('[')) {
      try {
        list = JSON.parse(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not a valid JSON array of URLs' });
        return z.NEVER;
      }
    } else list = s ? [s] : [];
  }
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
    ctx.addIssue({ code: 'custom', message: 'must be an array of URLs' });
    return z.NEVER;
  }
  for (const u of list) {
    if (!isAbsoluteHttpUrl(u)) {
      ctx.addIssue({ code: 'custom', message: `"${u}" is not an absolute http(s) URL` });
      return z.NEVER;
    }
  }
  return list as string[];
});

const url = z.string().refine(isAbsoluteHttpUrl, 'must be an absolute http(s) URL');
/** Jackson's forms send "" for an override left empty: that clears it. */
const optionalUrl = z.string().refine((v) => v === '' || isAbsoluteHttpUrl(v), 'must be an absolute http(s) URL (or empty)');
const mapping = z.partialRecord(z.enum(['email', 'firstName', 'lastName', 'groups', 'roles']), z.union([z.string(), z.array(z.string())]));
const mappingInput = z.union([mapping, z.string().transform((s, ctx) => {
  try {
    return mapping.parse(JSON.parse(s));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"email":"mail"}' });
    return z.NEVER;
  }
})]);

export const SamlConnectionOptions = {
  name: z.string().max(256).optional(),
  description: z.string().max(2048).optional(),
  forceAuthn: bool.optional(),
  allowSha1: bool.optional(),
  allowIdpInitiated: bool.optional(),
  wantAuthnRequestsSigned: bool.optional(),
  attributeMapping: mappingInput.optional(),
  sortOrder: z.coerce.number().int().optional(),
  /** Jackson's connection fields: a display label; the NameIDPolicy Format to ask for; an ACS URL and an
   * SP entity ID (Audience) for this connection instead of the global ones. "" clears each. */
  label: z.string().max(256).optional(),
  identifierFormat: z.string().max(256).optional(),
  acsUrlOverride: optionalUrl.optional(),
  samlAudienceOverride: z.string().max(1024).optional(),
  deactivated: bool.optional(),
  /** This connection's own back-channel logout receiver, over its product's (decision 0025); "" or null clears it. */
  backchannelLogoutUri: z.string().max(2048).refine((v) => v === '' || isAbsoluteHttpUrl(v), 'must be an absolute http(s) URL (or empty)').nullable().optional(),
  oidcDiscoveryUrl: z.string().optional(),
  oidcMetadata: z.unknown().optional(),
  oidcClientId: z.string().max(512).optional(),
  oidcClientSecret: z.string().max(2048).optional(),
  oidcScopes: z.string().max(512).optional(),
};

export const CreateConnectionInput = z.object({
  tenant: z.string().min(1, 'is required').max(191),
  product: z.string().min(1, 'is required').max(191),
  defaultRedirectUrl: url,
  redirectUrl: redirectUrls,
  rawMetadata: z.string().optional(),
  encodedRawMetadata: z.string().optional(),
  metadataUrl: z.string().optional(),
  ...SamlConnectionOptions,
});
export type CreateConnectionInput = z.output<typeof CreateConnectionInput>;

export const UpdateConnectionInput = z.object({
  clientID: z.string().min(1, 'is required'),
  clientSecret: z.string().optional(),
  tenant: z.string().optional(),
  product: z.string().optional(),
  defaultRedirectUrl: url.optional(),
  redirectUrl: redirectUrls.optional(),
  rawMetadata: z.string().optional(),
  encodedRawMetadata: z.string().optional(),
  metadataUrl: z.string().optional(),
  /** Several certificates by hand (SAML connections from pasted metadata): trust one more (PEM), or stop trusting one (SHA-256 fingerprint). */
  addIdpCertificate: z.string().max(20_000).optional(),
  removeIdpCertificate: z.string().max(200).optional(),
  ...SamlConnectionOptions,
});
export type UpdateConnectionInput = z.output<typeof UpdateConnectionInput>;
