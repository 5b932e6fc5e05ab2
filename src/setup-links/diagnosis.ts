/**
 * Plain-language diagnosis of a failed test sign-in: what went wrong and what to change in the IdP.
 */
import type { AppContext } from '../context.ts';
import { ERRORS, type ErrorCode } from '../errors.ts';

export interface Diagnosis {
  code: string;
  message: string;
  detail: string | null;
  fix: string;
}

export function diagnose(ctx: AppContext, code: ErrorCode, detail: string | undefined): Diagnosis {
  const sp = ctx.config.SAML_SP_ENTITY_ID;
  const acs = ctx.config.acsUrl;
  const fixes: Partial<Record<ErrorCode, string>> = {
    SAML_AUDIENCE_MISMATCH: `In your identity provider, set the Audience URI / SP Entity ID / Identifier to exactly "${sp}".`,
    SAML_DESTINATION_MISMATCH: `In your identity provider, set the Single sign-on URL / Reply URL / ACS URL to exactly "${acs}".`,
    SAML_RECIPIENT_MISMATCH: `In your identity provider, set the Recipient / Reply URL / ACS URL to exactly "${acs}".`,
    SAML_SIGNATURE_MISSING: 'Turn on signing of the SAML response or assertion in your identity provider (sign with SHA-256).',
    SAML_SIGNATURE_INVALID: 'The signing certificate changed or the metadata is outdated: upload your identity provider\'s current metadata again.',
    SAML_SIGNATURE_ALGORITHM: 'Your identity provider signs with SHA-1. Switch the signature algorithm to RSA-SHA256 in its settings.',
    SAML_ISSUER_MISMATCH: 'The response came from another identity provider (or app) than the metadata you uploaded: upload the metadata of the app you are testing.',
    SAML_EMAIL_MISSING: 'Add an attribute named "email" with the user\'s email address, or set the NameID format to EmailAddress.',
    SAML_SUBJECT_MISSING: 'Configure a NameID (Name ID format EmailAddress or Persistent) in your identity provider.',
    SAML_EXPIRED: 'The identity provider\'s clock may be wrong, or the sign-in took too long. Try again; if it repeats, check the IdP server\'s time.',
    SAML_NOT_YET_VALID: 'The identity provider\'s clock is ahead. Check the IdP server\'s time.',
    SAML_STATUS_NOT_SUCCESS: 'The identity provider refused the sign-in: check that your test user is assigned to the application.',
    SAML_DECRYPTION_FAILED: 'Assertion encryption is on but uses another certificate: download the SP metadata again and upload its encryption certificate to your IdP, or turn encryption off.',
    SAML_UNSOLICITED: 'Start the test from this page (not from the IdP\'s app dashboard).',
    OIDC_IDP_ERROR: 'Check that the client ID and secret are right, the redirect URI is registered, and your test user is assigned to the application.',
    OIDC_TOKEN_INVALID: 'The ID token did not validate: check the issuer / discovery URL and the client ID.',
    OIDC_EMAIL_MISSING: 'Add the "email" scope/claim for this application in your identity provider.',
    OIDC_IDP_UNAVAILABLE: 'Your identity provider did not answer in time. Check the discovery URL and try again.',
  };
  return { code, message: ERRORS[code].message, detail: detail ?? null, fix: fixes[code] ?? 'Check the connection settings against the values shown on this page, then test again.' };
}
