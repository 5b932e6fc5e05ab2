/** What a connection stores in its `settings` JSON, by kind. */
import type { AttributeMapping } from './profile.ts';

export interface SamlSettings {
  rawMetadata: string;
  metadataUrl: string | null;
  ssoRedirectUrl: string | null;
  ssoPostUrl: string | null;
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

export type ConnectionSettings = SamlSettings;

export const parseSettings = (json: string): ConnectionSettings => JSON.parse(json) as ConnectionSettings;
