/**
 * The portal signs admins in through Gatehouse itself (dogfooding): it is an OAuth client of its own
 * /api/oauth/authorize with the `tenant=…&product=…` client_id form and PKCE. The state and verifier travel
 * in a short-lived cookie sealed with the secret box (no server memory, so any instance can finish). The
 * callback redeems the code in-process with the token and userinfo services.
 * Pipeline: readStartCookie → checkState → redeemCode → checkAudience → checkChosenConnection → accountFor
 * (linked accounts only; JIT + group roles). Only connections an owner chose sign admins in, so a group that
 * maps to `owner` is always read from an IdP an owner trusts. TOTP, when on, is asked next (sso-second-factor.ts).
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { constantTimeEqual, pkceChallenge, randomToken, tokenHash } from '../crypto/secrets.ts';
import { exchangeCode } from '../oauth/token.ts';
import { userinfo } from '../oauth/userinfo.ts';
import type { Profile } from '../sso/profile.ts';
import { oauthTokensRepo } from '../storage/index.ts';
import { adminUsersRepo, type AdminUserRow } from '../storage/repositories/admin-accounts.ts';
import { recordAudit } from '../policy/audit.ts';
import { chosenConnections, getPortalSso, portalCallbackUrl, type PortalSso } from './portal-sso-settings.ts';
import { recordSignInFailure } from './sign-in-throttle.ts';
import { highestRole, type AdminRole } from '../policy/roles.ts';

export const SSO_COOKIE = 'gh_admin_sso';
const FLOW_TTL_MS = 10 * 60_000;

interface StartCookie {
  state: string;
  verifier: string;
  exp: number;
}

const clientIdOf = (s: PortalSso) => new URLSearchParams({ tenant: s.tenant, product: s.product }).toString();

/**
 * Where to send the browser, and the sealed cookie that remembers the state and verifier. The request names
 * one chosen connection (`idp_hint`; `wanted` when it is one of them, else the first), so the IdP picker
 * never offers a connection the portal does not trust.
 */
export async function startPortalSso(ctx: AppContext, wanted?: string): Promise<{ url: string; cookie: string }> {
  const settings = await getPortalSso(ctx);
  const chosen = (await chosenConnections(ctx, settings)).filter((c) => c.active === 1);
  if (chosen.length === 0) throw failed('No connection is chosen for portal SSO; an owner chooses one under Settings → Portal SSO.');
  const hint = chosen.find((c) => c.id === wanted) ?? chosen[0]!;
  const start: StartCookie = { state: randomToken(24), verifier: randomToken(48), exp: ctx.now() + FLOW_TTL_MS };
  const qs = new URLSearchParams({
    response_type: 'code', client_id: clientIdOf(settings), redirect_uri: portalCallbackUrl(ctx), state: start.state,
    code_challenge: pkceChallenge(start.verifier), code_challenge_method: 'S256', scope: 'openid', idp_hint: hint.id,
  });
  return { url: `${ctx.config.EXTERNAL_URL}/api/oauth/authorize?${qs}`, cookie: ctx.secrets.encrypt(JSON.stringify(start)) };
}

const failed = (detail: string, code: 'ADMIN_SSO_FAILED' | 'ADMIN_SSO_NO_ACCOUNT' = 'ADMIN_SSO_FAILED') => new GatehouseError(code, detail);

function readStartCookie(ctx: AppContext, sealed: string | undefined): StartCookie {
  if (!sealed) throw failed('The sign-in was not started from this browser, or its cookie was blocked.');
  let start: StartCookie;
  try {
    start = JSON.parse(ctx.secrets.decrypt(sealed)) as StartCookie;
  } catch {
    throw failed('The sign-in cookie is not valid.');
  }
  if (start.exp < ctx.now()) throw failed('The sign-in took longer than 10 minutes; start again.');
  return start;
}

function checkState(start: StartCookie, q: Record<string, string | undefined>): string {
  if (!q.state || !constantTimeEqual(q.state, start.state)) throw failed('The answer does not belong to the sign-in started in this browser.');
  if (q.error) throw failed(`The identity provider refused the sign-in (${q.error_code ?? q.error}${q.error_description ? `: ${q.error_description}` : ''}).`);
  if (!q.code) throw failed('The answer carries no code.');
  return q.code;
}

/** The profile, and the connection it came through (from the access token's record). */
async function redeemCode(ctx: AppContext, settings: PortalSso, start: StartCookie, code: string): Promise<{ profile: Profile; connectionId: string | undefined }> {
  try {
    const tokens = await exchangeCode(ctx, { grantType: 'authorization_code', code, redirectUri: portalCallbackUrl(ctx), clientId: clientIdOf(settings), codeVerifier: start.verifier });
    const accessToken = tokens.access_token as string;
    const profile = (await userinfo(ctx, accessToken)) as Profile;
    return { profile, connectionId: (await oauthTokensRepo.findByHash(ctx.db, tokenHash(accessToken)))?.connection_id };
  } catch (err) {
    throw err instanceof GatehouseError ? failed(`The code could not be redeemed (${err.code}).`) : err;
  }
}

function checkAudience(settings: PortalSso, profile: Profile): void {
  if (profile.requested.tenant !== settings.tenant || profile.requested.product !== settings.product) throw failed('The sign-in went through a connection that is not the portal\'s.');
}

/** Only a connection an owner chose for the portal (and that was not replaced since) signs admins in. */
async function checkChosenConnection(ctx: AppContext, settings: PortalSso, connectionId: string | undefined): Promise<void> {
  const chosen = await chosenConnections(ctx, settings);
  if (!connectionId || !chosen.some((c) => c.id === connectionId)) throw failed('The sign-in went through a connection that no owner chose for the portal.');
}

/** The role IdP groups give (exact, case-sensitive names; the highest wins), or null. */
export const roleFromGroups = (groups: string[], map: Record<string, AdminRole>): AdminRole | null =>
  highestRole(groups.filter((g) => Object.hasOwn(map, g)).map((g) => map[g]!));

/**
 * The account an SSO sign-in lands in. Unknown emails get an account just in time when a group maps to a role.
 * SSO-only accounts take their role from groups at every sign-in; accounts with a password keep the role an
 * owner gave them (so groups can never demote a break-glass owner).
 */
async function accountFor(ctx: AppContext, settings: PortalSso, profile: Profile, ip: string | null): Promise<AdminUserRow> {
  const email = profile.email.toLowerCase();
  const mapped = roleFromGroups(profile.groups ?? [], settings.groupRoles);
  const actor = { type: 'system' as const, id: 'system' as const, label: 'Portal SSO (group mapping)' };
  const now = ctx.now();
  let user = await adminUsersRepo.findByEmail(ctx.db, email);
  if (!user) {
    if (!mapped) throw failed(`No account exists for ${email} and none of the groups sent by the identity provider maps to a role.`, 'ADMIN_SSO_NO_ACCOUNT');
    const name = [profile.firstName, profile.lastName].filter(Boolean).join(' ');
    const row: AdminUserRow = { id: `adm_${randomToken(12)}`, email, name, role: mapped, role_source: 'groups', password_hash: null, totp_secret_enc: null, totp_enabled: 0, totp_last_step: null, created_at: now, updated_at: now, last_login_at: null, sso_linked: 1 };
    if (await adminUsersRepo.insert(ctx.db, row)) {
      await recordAudit(ctx, { actor, action: 'admin.account.created', target: { type: 'admin', id: row.id }, after: { email, role: mapped, via: 'sso', groups: profile.groups } });
      return row;
    }
    user = await adminUsersRepo.findByEmail(ctx.db, email);
    if (!user) throw failed('The account could not be created.');
  }
  if (user.sso_linked !== 1) {
    await recordSignInFailure(ctx, { email, user, ip, method: 'sso', reason: 'ADMIN_SSO_NOT_LINKED', guess: false });
    throw new GatehouseError('ADMIN_SSO_NOT_LINKED');
  }
  if (user.password_hash !== null) return user;
  if (mapped && (mapped !== user.role || user.role_source !== 'groups')) {
    await adminUsersRepo.update(ctx.db, user.id, { role: mapped, role_source: 'groups', updated_at: now });
    await recordAudit(ctx, { actor, action: 'admin.account.role_refreshed', target: { type: 'admin', id: user.id }, before: { role: user.role }, after: { role: mapped, groups: profile.groups } });
    return { ...user, role: mapped, role_source: 'groups' };
  }
  if (!mapped && user.role_source === 'groups') {
    await recordSignInFailure(ctx, { email, user, ip, method: 'sso', reason: 'ADMIN_SSO_NO_ACCOUNT', guess: false });
    throw failed(`None of ${email}'s groups maps to a role any more.`, 'ADMIN_SSO_NO_ACCOUNT');
  }
  return user;
}

export async function finishPortalSso(ctx: AppContext, q: Record<string, string | undefined>, sealedCookie: string | undefined, ip: string | null = null): Promise<AdminUserRow> {
  const start = readStartCookie(ctx, sealedCookie);
  const code = checkState(start, q);
  const settings = await getPortalSso(ctx);
  const { profile, connectionId } = await redeemCode(ctx, settings, start, code);
  checkAudience(settings, profile);
  await checkChosenConnection(ctx, settings, connectionId);
  return accountFor(ctx, settings, profile, ip);
}
