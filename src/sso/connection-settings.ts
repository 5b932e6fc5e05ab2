/** What a connection stores in its `settings` JSON, by kind. */
import type { AttributeMapping } from './profile.ts';

export interface SamlSettings {
  rawMetadata: string;
  metadataUrl: string | null;
  ssoRedirectUrl: string | null;
  ssoPostUrl: string | null;
  /** The IdP's SingleLogoutService URLs (absent on connections saved before they were kept). */
  slo?: { redirectUrl?: string; postUrl?: string };
  /** Base64 DER bodies of every certificate trusted to sign (several during a rotation). */
  signingCertificates: string[];
  wantAuthnRequestsSigned: boolean;
  forceAuthn: boolean;
  /** rsa-sha1 signatures are refused unless this is on. */
  allowSha1: boolean;
  /** IdP-initiated (unsolicited) responses are refused unless this is on. */
  allowIdpInitiated: boolean;
  attributeMapping: AttributeMapping;
  /** Metadata lint warnings shown to admins. */
  warnings: string[];
  certificates: { notBefore: number; notAfter: number; subject: string; fingerprintSha256: string }[];
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
  /** Kept for a uniform view; IdP-initiated does not exist for OIDC. */
  allowIdpInitiated: false;
}

export type ConnectionSettings = SamlSettings | OidcSettings;

/** SAML settings of a SAML connection row. */
export const parseSettings = (json: string): SamlSettings => JSON.parse(json) as SamlSettings;
export const parseOidcSettings = (json: string): OidcSettings => JSON.parse(json) as OidcSettings;
