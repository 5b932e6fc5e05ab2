/** What a connection stores in its `settings` JSON, by kind. */
import type { AttributeMapping } from './profile.ts';

export interface SamlSettings {
  rawMetadata: string;
  metadataUrl: string | null;
  ssoRedirectUrl: string | null;
  ssoPostUrl: string | null;
  /** The IdP's SingleLogoutService URLs (absent on connections saved before they were kept). */
  slo?: { redirectUrl?: string; postUrl?: string };
  /** Their ResponseLocations, where the metadata gives one (LogoutResponses go there, else to the Location; decision 0030). */
  sloResponse?: { redirectUrl?: string; postUrl?: string };
  /** Base64 DER bodies of every certificate trusted to sign (several during a rotation). */
  signingCertificates: string[];
  wantAuthnRequestsSigned: boolean;
  forceAuthn: boolean;
  /** rsa-sha1 signatures are refused unless this is on. */
  allowSha1: boolean;
  /** IdP-initiated (unsolicited) responses are refused unless this is on. */
  allowIdpInitiated: boolean;
  attributeMapping: AttributeMapping;
  /** Jackson's per-connection fields (absent on connections saved before they were kept; null = not set). */
  label?: string | null;
  /** The NameIDPolicy Format the AuthnRequest asks for (unspecified when not set). */
  identifierFormat?: string | null;
  /** The ACS URL this connection's IdP posts to (a proxy in front of Gatehouse): AuthnRequest and Destination/Recipient checks. */
  acsUrlOverride?: string | null;
  /** The SP entity ID this connection's IdP knows: AuthnRequest Issuer and the expected Audience. */
  samlAudienceOverride?: string | null;
  /** Metadata lint warnings shown to admins. */
  warnings: string[];
  certificates: { notBefore: number; notAfter: number; subject: string; fingerprintSha256: string }[];
  /** Connections made from a metadata URL: the last successful fetch (epoch ms) and the last failure since (null after a success). */
  metadataRefreshedAt?: number | null;
  metadataRefreshError?: string | null;
}

/** What an upstream OIDC provider told us in discovery (only the fields we use). */
export interface OidcProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  token_endpoint_auth_methods_supported?: string[];
  id_token_signing_alg_values_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
}

export interface OidcSettings {
  discoveryUrl: string | null;
  metadata: OidcProviderMetadata;
  clientId: string;
  /** Sealed with the secret box; write-only through every API. */
  clientSecretEnc: string | null;
  scopes: string;
  attributeMapping: AttributeMapping;
  label?: string | null;
  /** Kept for a uniform view; IdP-initiated does not exist for OIDC. */
  allowIdpInitiated: false;
  /** Connections made from a discovery URL: the last successful fetch (epoch ms) and the last failure since (null after a success). */
  metadataRefreshedAt?: number | null;
  metadataRefreshError?: string | null;
}

export type ConnectionSettings = SamlSettings | OidcSettings;

/** The SP entity ID (Audience, AuthnRequest Issuer) and ACS URL one SAML connection uses: its overrides, else the global ones. */
export const spIdentityOf = (s: SamlSettings, global: { spEntityId: string; acsUrl: string }) => ({
  spEntityId: s.samlAudienceOverride || global.spEntityId,
  acsUrl: s.acsUrlOverride || global.acsUrl,
});

/** SAML settings of a SAML connection row. */
export const parseSettings = (json: string): SamlSettings => JSON.parse(json) as SamlSettings;
export const parseOidcSettings = (json: string): OidcSettings => JSON.parse(json) as OidcSettings;
