/**
 * The one error catalog. Every failure Gatehouse reports has a stable code, an HTTP status and a
 * plain-language message for the person who sees it. Each protocol turns these into its own
 * format in one serializer (src/http/serializers.ts).
 */
export const ERRORS = {
  // SAML response validation (sso/saml/validate-response.ts)
  SAML_MALFORMED: { status: 400, message: 'The identity provider sent a SAML response that is not well-formed XML.' },
  SAML_DOCTYPE_FORBIDDEN: { status: 400, message: 'The SAML response contains a DOCTYPE, which is never allowed.' },
  SAML_NOT_A_RESPONSE: { status: 400, message: 'The message posted to the sign-in endpoint is not a SAML Response.' },
  SAML_STATUS_NOT_SUCCESS: { status: 400, message: 'The identity provider reported that sign-in did not succeed.' },
  SAML_ASSERTION_COUNT: { status: 400, message: 'The SAML response must contain exactly one assertion.' },
  SAML_SIGNATURE_MISSING: { status: 400, message: 'Neither the SAML response nor its assertion is signed by the identity provider\'s certificate.' },
  SAML_SIGNATURE_INVALID: { status: 400, message: 'A signature in the SAML response does not verify with the identity provider\'s certificate.' },
  SAML_SIGNATURE_ALGORITHM: { status: 400, message: 'The SAML response is signed with an algorithm that is not allowed (SHA-1 is refused unless the connection allows it).' },
  SAML_ISSUER_MISMATCH: { status: 400, message: 'The SAML response was issued by a different identity provider than the one configured for this connection.' },
  SAML_AUDIENCE_MISMATCH: { status: 400, message: 'The assertion is meant for a different service provider (its Audience is not our SP entity ID).' },
  SAML_DESTINATION_MISMATCH: { status: 400, message: 'The SAML response was addressed to a different URL (its Destination is not our ACS URL).' },
  SAML_RECIPIENT_MISMATCH: { status: 400, message: 'The assertion\'s Recipient is not our ACS URL.' },
  SAML_NOT_YET_VALID: { status: 400, message: 'The assertion is not valid yet; the identity provider\'s clock may be ahead.' },
  SAML_EXPIRED: { status: 400, message: 'The assertion has expired; sign in again (or check the identity provider\'s clock).' },
  SAML_IN_RESPONSE_TO_MISMATCH: { status: 400, message: 'The SAML response does not answer a sign-in request made by this service.' },
  SAML_UNSOLICITED: { status: 400, message: 'IdP-initiated sign-in is turned off for this connection; start sign-in from the application.' },
  SAML_DECRYPTION_FAILED: { status: 400, message: 'The encrypted assertion could not be decrypted with the service provider key.' },
  SAML_SUBJECT_MISSING: { status: 400, message: 'The assertion has no NameID and no email attribute to identify the user.' },
  SAML_EMAIL_MISSING: { status: 400, message: 'The assertion carries no email address (neither an email attribute nor an email-format NameID).' },
  SAML_REPLAYED: { status: 400, message: 'This assertion was already used to sign in; sign in again.' },
  SAML_TOO_LARGE: { status: 413, message: 'The SAML response is larger than 2 MiB.' },
  SAML_CONNECTION_UNKNOWN: { status: 400, message: 'No SSO connection matches this SAML response.' },
  SAML_FLOW_EXPIRED: { status: 400, message: 'This sign-in attempt has expired or was already completed; start again from the application.' },
  SAML_METADATA_INVALID: { status: 400, message: 'The identity provider metadata is not valid.' },
  // SAML Single Logout (sso/saml/logout-*.ts; decision 0030)
  SAML_NOT_A_LOGOUT_MESSAGE: { status: 400, message: 'The message sent to the single logout endpoint is not a SAML LogoutRequest or LogoutResponse.' },
  SAML_LOGOUT_DESTINATION_MISMATCH: { status: 400, message: 'The logout message was addressed to a different URL (its Destination is not our single logout URL).' },
  SAML_LOGOUT_EXPIRED: { status: 400, message: 'The logout request has expired or is not valid yet; check the identity provider\'s clock.' },
  SAML_LOGOUT_REPLAYED: { status: 400, message: 'This logout request was already processed.' },
  SAML_LOGOUT_UNKNOWN_REQUEST: { status: 400, message: 'The logout response does not answer a logout request this service sent, or it was already answered or has expired.' },
  SAML_LOGOUT_FAILED: { status: 400, message: 'You are signed out of the application, but the identity provider reported that it could not end your session there.' },

  // Upstream OIDC (sso/oidc/)
  OIDC_DISCOVERY_FAILED: { status: 400, message: 'The OpenID Connect discovery document could not be read.' },
  OIDC_IDP_ERROR: { status: 400, message: 'The OpenID Connect provider refused the sign-in.' },
  OIDC_IDP_UNAVAILABLE: { status: 503, message: 'The OpenID Connect provider did not answer in time or answered with something that is not valid.' },
  OIDC_TOKEN_INVALID: { status: 400, message: 'The ID token from the OpenID Connect provider did not pass validation (issuer, audience, signature, nonce or expiry).' },
  OIDC_EMAIL_MISSING: { status: 400, message: 'The OpenID Connect provider sent no email claim for this user.' },
  OIDC_STATE_UNKNOWN: { status: 400, message: 'This sign-in answer does not match a sign-in started here, or it has expired; start again from the application.' },

  // Login links, picker and home-realm discovery
  LOGIN_UNKNOWN_ENTERPRISE_KEY: { status: 404, message: 'No organisation uses this sign-in link.' },
  LOGIN_UNKNOWN_PRODUCT: { status: 404, message: 'This application does not exist.' },
  LOGIN_NO_ACTIVE_CONNECTION: { status: 404, message: 'Single sign-on is not set up (or is turned off) for this organisation.' },
  LOGIN_PRODUCT_AMBIGUOUS: { status: 400, message: 'This organisation signs in to several applications; the link must name one.' },
  LOGIN_DOMAIN_UNKNOWN: { status: 404, message: 'No organisation has set up single sign-on for this email domain.' },

  // Setup links (setup-links/)
  SETUP_LINK_UNKNOWN: { status: 404, message: 'This setup link does not exist (it may have been regenerated or deleted). Ask your vendor contact for a new link.' },
  SETUP_LINK_EXPIRED: { status: 410, message: 'This setup link has expired. Ask your vendor contact for a new link.' },
  SETUP_LINK_WRONG_SERVICE: { status: 403, message: 'This setup link is for another service.' },
  SETUP_LINK_FORBIDDEN: { status: 404, message: 'Not found for this setup link.' },
  SETUP_LINK_WEBHOOK_REFUSED: { status: 409, message: 'This directory cannot be created: the address your vendor set up to receive its changes is not accepted by the server. Contact the vendor who sent you this link; they need to correct it and send you a new link.' },
  SETUP_LINK_VENDOR_ONLY: { status: 403, message: 'Only the vendor can change this setting; ask your vendor contact.' },
  SETUP_LINK_RENEWAL_ONLY: { status: 403, message: 'This setup link only renews the certificate or metadata of one connection; ask your vendor contact for a full setup link.' },
  // Embeddable portal (decision 0033)
  PORTAL_LINK_UNKNOWN: { status: 404, message: 'This portal link does not exist. Go back to the application that sent you here and open the page again.' },
  PORTAL_LINK_USED: { status: 410, message: 'This portal link was already used. Portal links open once; go back to the application that sent you here and open the page again for a new link.' },
  PORTAL_LINK_EXPIRED: { status: 410, message: 'This portal link has expired. Portal links last a few minutes; go back to the application that sent you here and open the page again for a new link.' },
  PORTAL_SESSION_REQUIRED: { status: 401, message: 'Your portal session has ended. Go back to the application that sent you here and open the page again.' },
  PORTAL_CSRF: { status: 403, message: 'The request did not carry this portal session\'s x-csrf-token header.' },
  PORTAL_WRONG_INTENT: { status: 403, message: 'This portal session is for another task.' },

  // Identity Federation (federation/): Gatehouse as the SAML IdP of an app
  FEDERATION_APP_NOT_FOUND: { status: 404, message: 'No identity federation app matches.' },
  FEDERATION_REQUEST_INVALID: { status: 400, message: 'The application sent a sign-in request that is not a valid SAML AuthnRequest.' },
  FEDERATION_ACS_MISMATCH: { status: 400, message: 'The sign-in request asks for the answer at an ACS URL that is not the one registered for this application.' },
  FEDERATION_REQUEST_EXPIRED: { status: 400, message: 'This sign-in request from the application has expired or was already answered; start again from the application.' },

  // OAuth 2.0 (oauth/)
  OAUTH_INVALID_REQUEST: { status: 400, message: 'The sign-in request from the application is missing or has a malformed parameter.' },
  OAUTH_INVALID_CLIENT: { status: 401, message: 'The application could not be authenticated.' },
  OAUTH_INVALID_GRANT: { status: 400, message: 'The authorization code or refresh token is invalid, expired, already used, revoked, or does not match the code verifier or client.' },
  OAUTH_UNSUPPORTED_GRANT_TYPE: { status: 400, message: 'Only the authorization_code and refresh_token grants are supported.' },
  OAUTH_INVALID_SCOPE: { status: 400, message: 'The requested scope is not within the scope originally granted.' },
  OAUTH_UNSUPPORTED_RESPONSE_TYPE: { status: 400, message: 'Only response_type=code is supported.' },
  OAUTH_INVALID_REDIRECT_URI: { status: 400, message: 'The redirect URI is not on the allow-list of this connection.' },
  OAUTH_INVALID_TOKEN: { status: 401, message: 'The access token is invalid or expired.' },
  OAUTH_NO_CONNECTION: { status: 404, message: 'No SSO connection is configured for this tenant and product.' },
  OAUTH_ACCESS_DENIED: { status: 403, message: 'Sign-in failed at the identity provider.' },
  // RP-initiated logout (oauth/end-session.ts; decision 0030)
  OAUTH_INVALID_POST_LOGOUT_REDIRECT_URI: { status: 400, message: 'The post_logout_redirect_uri is not registered for this application, so you were not signed out and are not sent there.' },
  OAUTH_INVALID_ID_TOKEN_HINT: { status: 400, message: 'The id_token_hint was not issued by this service to this application.' },

  // SCIM 2.0 (directory-sync/scim/): serialized as urn:ietf:params:scim:api:messages:2.0:Error with a scimType
  SCIM_UNAUTHORIZED: { status: 401, message: 'A valid SCIM bearer token for this directory is required.' },
  SCIM_NOT_FOUND: { status: 404, message: 'The resource does not exist in this directory.' },
  SCIM_INVALID_SYNTAX: { status: 400, message: 'The request body is not valid JSON or not a valid SCIM message.' },
  SCIM_INVALID_VALUE: { status: 400, message: 'An attribute value is missing or not valid.' },
  SCIM_INVALID_FILTER: { status: 400, message: 'The filter is not valid.' },
  SCIM_INVALID_PATH: { status: 400, message: 'The PATCH path is not valid.' },
  SCIM_NO_TARGET: { status: 400, message: 'The PATCH path matches nothing.' },
  SCIM_UNIQUENESS: { status: 409, message: 'User already exists in the database.' },
  SCIM_TOO_MANY: { status: 400, message: 'The request asks for too many results.' },
  SCIM_NOT_SUPPORTED: { status: 501, message: 'This SCIM operation is not supported.' },
  SCIM_DIRECTORY_DEACTIVATED: { status: 403, message: 'This directory is deactivated.' },

  // Directory Sync management (directory-sync/)
  DSYNC_DIRECTORY_NOT_FOUND: { status: 404, message: 'No directory with this id.' },
  DSYNC_EVENT_NOT_FOUND: { status: 404, message: 'No webhook event with this id.' },

  // Management API and generic
  API_UNAUTHORIZED: { status: 401, message: 'A valid management API key is required (header Authorization: Api-Key <key>).' },
  API_VALIDATION: { status: 400, message: 'The request is not valid.' },
  API_NOT_FOUND: { status: 404, message: 'Not found.' },
  API_CONFLICT: { status: 409, message: 'This conflicts with something that already exists.' },
  API_JSON_TOO_DEEP: { status: 400, message: 'The JSON body is nested too deeply.' },
  // gatehouse import-jackson (jackson-import/): the CLI prints the message; the status is never served
  IMPORT_WRONG_KEY: { status: 400, message: 'The encryption key does not decrypt this Jackson store: give Jackson\'s DB_ENCRYPTION_KEY as --encryption-key.' },
  IMPORT_SOURCE_UNREADABLE: { status: 400, message: 'The Jackson database could not be read (check --from: Jackson\'s DATABASE_URL).' },
  IMPORT_SP_KEY_CONFLICT: { status: 409, message: 'Gatehouse already signs for its own SAML connections with another SP key.' },
  // Admin portal (admin/)
  ADMIN_UNAUTHENTICATED: { status: 401, message: 'Sign in to the admin portal first (the session is missing or has expired).' },
  ADMIN_BAD_CREDENTIALS: { status: 401, message: 'The email or password is wrong.' },
  ADMIN_TOTP_REQUIRED: { status: 401, message: 'Enter the 6-digit code from your authenticator app.' },
  ADMIN_TOTP_INVALID: { status: 400, message: 'The authenticator code is wrong or was already used.' },
  ADMIN_CSRF: { status: 403, message: 'The request did not carry this session\'s x-csrf-token header.' },
  ADMIN_FORBIDDEN: { status: 403, message: 'Your role does not allow this.' },
  ADMIN_LOCKOUT_GUARD: { status: 409, message: 'This would leave the portal without an owner who can sign in without SSO.' },
  ADMIN_SSO_REQUIRED: { status: 403, message: 'This portal requires single sign-on; use "Sign in with SSO".' },
  ADMIN_SSO_FAILED: { status: 400, message: 'Single sign-on to the admin portal did not complete.' },
  ADMIN_SSO_NO_ACCOUNT: { status: 403, message: 'Your SSO account has no role in the admin portal; ask an owner to add you or to map one of your groups to a role.' },
  ADMIN_RATE_LIMITED: { status: 429, message: 'Too many attempts; wait a minute and try again.' },
  ADMIN_API_KEY_SCOPE: { status: 403, message: 'This API key is not allowed to do this (its tenants, products or permissions do not cover it).' },
  // Trust boundaries of the portal (issue 11)
  ADMIN_ACCOUNT_THROTTLED: { status: 429, message: 'Too many wrong passwords or codes for this account; wait before trying again.' },
  ADMIN_SSO_NOT_LINKED: { status: 403, message: 'This account has a password or an authenticator app, and no owner has linked it to SSO yet; sign in with the password, or ask an owner to link the account to SSO.' },
  ADMIN_REAUTH_REQUIRED: { status: 403, message: 'Confirm it is you: sign in again through SSO, then retry within 10 minutes.' },
  CONNECTION_PORTAL_TRUSTED: { status: 403, message: 'This connection signs admins in to the admin portal: only an owner can change, deactivate or delete it, in the portal (Settings → Portal SSO).' },
  OUTBOUND_URL_REFUSED: { status: 400, message: 'The URL is not allowed: it must use HTTPS and a public host.' },
  OUTBOUND_FETCH_FAILED: { status: 400, message: 'The URL could not be fetched.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A failure with a stable code. `detail` adds specifics (never secrets); `field` names the input at fault. */
export class GatehouseError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail?: string;
  readonly field?: string;
  /** What the person can do next, shown as a link on error pages. */
  readonly action?: { href: string; label: string };
  constructor(code: ErrorCode, detail?: string, opts: { field?: string; status?: number; action?: { href: string; label: string } } = {}) {
    super(detail ? `${ERRORS[code].message} ${detail}` : ERRORS[code].message);
    this.name = 'GatehouseError';
    this.code = code;
    this.status = opts.status ?? ERRORS[code].status;
    this.detail = detail;
    this.field = opts.field;
    this.action = opts.action;
  }
}

export const fail = (code: ErrorCode, detail?: string, opts?: { field?: string; status?: number; action?: { href: string; label: string } }): never => {
  throw new GatehouseError(code, detail, opts);
};
