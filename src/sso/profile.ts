/**
 * The user profile Gatehouse hands to apps, and the attribute mapping that builds it from what an
 * IdP sent. Defaults cover plain names, OID names and claim URIs used by Okta, Entra ID, Google,
 * ADFS, OneLogin, JumpCloud, Keycloak and Ping; a connection can override each field.
 */
/** What the attribute mapping makes of one IdP answer, before Gatehouse adds what it knows itself. */
export interface MappedProfile {
  /** The IdP's NameID (or upstream OIDC `sub`), as sent: Jackson's `id`. */
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  groups: string[];
  roles: string[];
  raw: Record<string, string | string[]>;
  /** What a SAML IdP said of its own session (for Single Logout); never shown to the app. */
  upstreamSession?: UpstreamSession;
}

/** The IdP's session of a SAML sign-in, as a LogoutRequest must name it. */
export interface UpstreamSession {
  nameIdFormat: string | null;
  sessionIndex: string | null;
}

/**
 * The profile an app receives (userinfo; the id_token carries the same claims). Built once at the end of
 * a login (src/sso/app-profile.ts) and sealed in the code and the access token.
 */
export interface Profile extends MappedProfile {
  /** Opaque and stable per connection by default (src/sso/subjects.ts); never the same across tenants. */
  sub: string;
  /** The raw NameID again, under a name that says what it is. */
  nameid: string;
  /** True only when the email's domain is verified (DNS TXT) by the connection's tenant. */
  email_verified: boolean;
  tenant: string;
  product: string;
  requested: { tenant: string; product: string };
}

export type ProfileField = 'email' | 'firstName' | 'lastName' | 'groups' | 'roles';
export type AttributeMapping = Partial<Record<ProfileField, string | string[]>>;

export const DEFAULT_ATTRIBUTE_MAPPING: Record<ProfileField, string[]> = {
  email: [
    'email', 'mail', 'emailaddress', 'email_address', 'user.email', 'primaryemail',
    'urn:oid:0.9.2342.19200300.100.1.3', 'urn:oid:1.2.840.113549.1.9.1',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
    'http://schemas.xmlsoap.org/claims/emailaddress',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  ],
  firstName: [
    'firstname', 'givenname', 'given_name', 'first_name', 'user.firstname', 'urn:oid:2.5.4.42',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  ],
  lastName: [
    'lastname', 'sn', 'surname', 'family_name', 'last_name', 'familyname', 'user.lastname', 'urn:oid:2.5.4.4',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  ],
  groups: [
    'groups', 'group', 'memberof', 'member_of', 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1',
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', 'http://schemas.xmlsoap.org/claims/group',
  ],
  roles: ['roles', 'role', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'],
};

const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const looksLikeEmail = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);

/** Index attributes by lower-cased name once, so each field lookup is a map hit. */
function indexByName(attrs: Record<string, string[]>): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [k, v] of Object.entries(attrs)) if (!m.has(k.toLowerCase())) m.set(k.toLowerCase(), v);
  return m;
}

function pick(index: Map<string, string[]>, names: readonly string[]): string[] | undefined {
  for (const n of names) {
    const v = index.get(n.toLowerCase());
    if (v && v.length > 0) return v;
  }
  return undefined;
}

export type MapProfileResult = { ok: true; profile: MappedProfile } | { ok: false; code: 'SAML_EMAIL_MISSING' | 'SAML_SUBJECT_MISSING'; detail: string };

/**
 * Builds the profile from a subject and attributes. Overrides are tried before the defaults.
 * The email falls back to an email-format (or email-looking) subject; names are optional.
 */
export function mapProfile(input: { subject: string; subjectFormat: string | null; attributes: Record<string, string[]>; mapping?: AttributeMapping }): MapProfileResult {
  if (!input.subject) return { ok: false, code: 'SAML_SUBJECT_MISSING', detail: '' };
  const index = indexByName(input.attributes);
  const names = (f: ProfileField) => {
    const o = input.mapping?.[f];
    return [...(o === undefined ? [] : Array.isArray(o) ? o : [o]), ...DEFAULT_ATTRIBUTE_MAPPING[f]];
  };
  let email = pick(index, names('email'))?.[0]?.trim();
  if (!email && (input.subjectFormat === EMAIL_FORMAT || looksLikeEmail(input.subject))) email = input.subject;
  if (!email) {
    return { ok: false, code: 'SAML_EMAIL_MISSING', detail: `Attributes received: ${Object.keys(input.attributes).join(', ') || 'none'}; NameID format: ${input.subjectFormat ?? 'unspecified'}. Send an "email" attribute or an email-format NameID.` };
  }
  const raw: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(input.attributes)) raw[k] = v.length === 1 ? v[0]! : v;
  return {
    ok: true,
    profile: {
      id: input.subject,
      email,
      firstName: pick(index, names('firstName'))?.[0] ?? null,
      lastName: pick(index, names('lastName'))?.[0] ?? null,
      groups: pick(index, names('groups')) ?? [],
      roles: pick(index, names('roles')) ?? [],
      raw,
    },
  };
}
