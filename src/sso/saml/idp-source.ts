/**
 * Where a SAML connection's IdP settings come from: metadata pasted (raw or base64) or fetched from a
 * URL through the outbound guard, parsed and linted, merged with the connection's options.
 */
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { fetchText, outboundPolicyOf } from '../../net/outbound.ts';
import { parseIdpMetadata, lintIdpMetadata, type IdpMetadata } from './idp-metadata.ts';
import type { SamlSettings } from '../connection-settings.ts';

export interface MetadataSource { rawMetadata?: string; encodedRawMetadata?: string; metadataUrl?: string }

export const hasSamlMetadata = (src: MetadataSource) => Boolean(src.rawMetadata || src.encodedRawMetadata || src.metadataUrl);

/** Reads IdP metadata from whichever source was given, and parses it. Throws a 400 naming the field. */
export async function loadSamlMetadata(ctx: AppContext, src: MetadataSource): Promise<{ xml: string; metadata: IdpMetadata; field: string }> {
  let xml: string;
  let field: string;
  if (src.rawMetadata) {
    xml = src.rawMetadata;
    field = 'rawMetadata';
  } else if (src.encodedRawMetadata) {
    xml = Buffer.from(src.encodedRawMetadata, 'base64').toString('utf8');
    field = 'encodedRawMetadata';
  } else if (src.metadataUrl) {
    field = 'metadataUrl';
    xml = await fetchText(src.metadataUrl, outboundPolicyOf(ctx.config), 'metadataUrl');
  } else {
    throw new GatehouseError('API_VALIDATION', 'One of "rawMetadata", "encodedRawMetadata" or "metadataUrl" is required.', { field: 'rawMetadata' });
  }
  const parsed = parseIdpMetadata(xml);
  if (!parsed.ok) {
    const webPage = parsed.problem.field === 'html' && field === 'metadataUrl';
    throw new GatehouseError('SAML_METADATA_INVALID', webPage ? 'This URL returned a web page, not SAML metadata. Copy the metadata URL from your identity provider\'s SAML app settings.' : parsed.problem.message, { field });
  }
  return { xml, metadata: parsed.metadata, field };
}

type JacksonFields = 'label' | 'identifierFormat' | 'acsUrlOverride' | 'samlAudienceOverride';
export type SamlOptions = Partial<Pick<SamlSettings, 'wantAuthnRequestsSigned' | 'forceAuthn' | 'allowSha1' | 'allowIdpInitiated' | 'attributeMapping'>> & { [K in JacksonFields]?: string };

/** Jackson's fields: a value sent wins ("" clears it), else the previous one. */
const jacksonFields = (opts: SamlOptions, prev?: SamlSettings): Pick<SamlSettings, JacksonFields> => {
  const pick = (k: JacksonFields) => (opts[k] !== undefined ? opts[k] || null : (prev?.[k] ?? null));
  return { label: pick('label'), identifierFormat: pick('identifierFormat'), acsUrlOverride: pick('acsUrlOverride'), samlAudienceOverride: pick('samlAudienceOverride') };
};

/** Settings from freshly read metadata: options given now win, then the previous settings, then defaults. */
export function samlSettingsFrom(xml: string, m: IdpMetadata, metadataUrl: string | null, opts: SamlOptions, now: number, prev?: SamlSettings): SamlSettings {
  return {
    rawMetadata: xml,
    metadataUrl,
    ssoRedirectUrl: m.ssoRedirectUrl,
    ssoPostUrl: m.ssoPostUrl,
    slo: m.slo,
    sloResponse: m.sloResponse,
    signingCertificates: m.signingCertificates,
    wantAuthnRequestsSigned: opts.wantAuthnRequestsSigned ?? prev?.wantAuthnRequestsSigned ?? m.wantAuthnRequestsSigned,
    forceAuthn: opts.forceAuthn ?? prev?.forceAuthn ?? false,
    allowSha1: opts.allowSha1 ?? prev?.allowSha1 ?? false,
    allowIdpInitiated: opts.allowIdpInitiated ?? prev?.allowIdpInitiated ?? false,
    attributeMapping: opts.attributeMapping ?? prev?.attributeMapping ?? {},
    warnings: lintIdpMetadata(m, now),
    certificates: m.certificates,
    ...jacksonFields(opts, prev),
    metadataRefreshedAt: metadataUrl ? now : null,
    metadataRefreshError: null,
  };
}

/** Settings with only options changed (no new metadata). */
export const samlSettingsWithOptions = (prev: SamlSettings, opts: SamlOptions): SamlSettings => ({
  ...prev,
  forceAuthn: opts.forceAuthn ?? prev.forceAuthn,
  allowSha1: opts.allowSha1 ?? prev.allowSha1,
  allowIdpInitiated: opts.allowIdpInitiated ?? prev.allowIdpInitiated,
  wantAuthnRequestsSigned: opts.wantAuthnRequestsSigned ?? prev.wantAuthnRequestsSigned,
  attributeMapping: opts.attributeMapping ?? prev.attributeMapping,
  ...jacksonFields(opts, prev),
});
