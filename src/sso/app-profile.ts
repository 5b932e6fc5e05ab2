/**
 * What an app learns about a signed-in user: the mapped IdP profile plus what Gatehouse itself vouches
 * for — the per-connection `sub`, the `tenant` and `product` of the connection that signed the user in,
 * and `email_verified`, true only when that tenant verified the email's domain. Built once when a login
 * finishes, sealed in the code and the access token, and opened again by the token and userinfo endpoints.
 */
import type { AppContext } from '../context.ts';
import { roleMappingsRepo, type ConnectionRow, type TenantSignInFacts } from '../storage/index.ts';
import { combineRoles, mappedRoles, readProductRoles, type RoleMapping } from '../tenancy/product-roles.ts';
import { verifiableDomainOf } from '../tenancy/domains.ts';
import type { MappedProfile, Profile } from './profile.ts';
import { subjectFor, subjectModeOf } from './subjects.ts';

/** Gatehouse's own facts about a login, beside what the IdP sent. */
interface LoginFacts {
  sub: string;
  emailVerified: boolean;
  tenant: string;
  product: string;
}

/** Pure: the app's profile, in the order userinfo shows it. */
export function assembleProfile(mapped: MappedProfile, f: LoginFacts): Profile {
  return {
    sub: f.sub, id: mapped.id, nameid: mapped.id, email: mapped.email, email_verified: f.emailVerified,
    firstName: mapped.firstName, lastName: mapped.lastName, groups: mapped.groups, roles: mapped.roles,
    tenant: f.tenant, product: f.product, requested: { tenant: f.tenant, product: f.product }, raw: mapped.raw,
  };
}

async function subjectOf(ctx: AppContext, connectionId: string, nameId: string): Promise<string> {
  return subjectFor({ mode: subjectModeOf(ctx.config), key: await ctx.keys.subject(), connectionId, nameId });
}

/**
 * Whether the app may treat the email as the tenant's — its domain is verified (DNS TXT) by the tenant of the
 * connection that signed the user in, and the IdP did not itself say the address is unverified — and the roles the
 * app receives (decision 0028): those the IdP sent through attribute mapping, then those the tenant's group-to-role
 * mapping gives for the groups this sign-in carried. Both from one statement, sent only when either needs it
 * (decision 0039).
 */
async function emailAndRoles(ctx: AppContext, connection: ConnectionRow, mapped: MappedProfile, facts?: TenantSignInFacts): Promise<{ emailVerified: boolean; roles: string[] }> {
  const said = mapped.raw.email_verified;
  const domain = said !== undefined && String(said).toLowerCase() === 'false' ? null : verifiableDomainOf(mapped.email);
  const withRoles = mapped.groups.length > 0;
  if (domain === null && !withRoles) return { emailVerified: false, roles: mapped.roles };
  // Read with the flow's claim (the SAML ACS, decision 0042), or now.
  const found = facts
    ? { verified_tenant: domain !== null && facts.verifiedDomains.includes(domain) ? connection.tenant : null, roles: facts.roles, mappings: facts.mappings }
    : await roleMappingsRepo.signInLookups(ctx.db, { tenant: connection.tenant, product: connection.product, domain, withRoles });
  const roles = withRoles && found.mappings && found.roles
    ? combineRoles(mapped.roles, mappedRoles(mapped.groups, JSON.parse(found.mappings) as RoleMapping[], readProductRoles(found.roles)))
    : mapped.roles;
  return { emailVerified: domain !== null && found.verified_tenant === connection.tenant, roles };
}

/** `facts`: the tenant's lookups when they were read with the flow (sso/saml/acs.ts, decision 0042). */
export async function profileForApp(ctx: AppContext, connection: ConnectionRow, mapped: MappedProfile, facts?: TenantSignInFacts): Promise<Profile> {
  const [sub, { emailVerified, roles }] = await Promise.all([subjectOf(ctx, connection.id, mapped.id), emailAndRoles(ctx, connection, mapped, facts)]);
  return assembleProfile({ ...mapped, roles }, { sub, emailVerified, tenant: connection.tenant, product: connection.product });
}

/**
 * Opens a profile sealed in a code or an access token. One sealed by an instance of an older version
 * (during a rolling upgrade) has no `sub`: it gets the per-connection one, and `email_verified` false.
 */
export async function openProfile(ctx: AppContext, sealed: string, connectionId: string): Promise<Profile> {
  const p = JSON.parse(ctx.secrets.decrypt(sealed)) as MappedProfile & Partial<Profile> & Pick<Profile, 'requested'>;
  if (typeof p.sub === 'string') return p as Profile;
  return assembleProfile(p, { sub: await subjectOf(ctx, connectionId, p.id), emailVerified: false, tenant: p.requested.tenant, product: p.requested.product });
}
