/**
 * What the code grant and the refresh grant both issue: an access token (stored by hash), an RS256 id_token, and a
 * refresh token (decision 0024) with its idle and absolute expiry. The scope and expiry rules are pure functions.
 */
import type { AppContext } from '../context.ts';
import { appSessionsRepo, type AppSessionRow, type OauthTokenRow, type RefreshTokenRow } from '../storage/index.ts';
import { randomToken, tokenHash } from '../crypto/secrets.ts';
import { signRs256 } from '../crypto/jwt-sign.ts';
import { openProfile } from '../sso/app-profile.ts';
import { sessionSettingsOf } from '../tenancy/session-settings.ts';
import type { ClientAuth } from './client-auth.ts';

/** What a grant hands on to the tokens issued from it. */
export interface GrantFacts {
  codeHash: string;
  connectionId: string;
  clientId: string;
  profileEnc: string;
  scope: string;
  sid: string | null;
  /** The authorization request's nonce: in the first id_token only, never in one issued on refresh. */
  nonce: string | null;
}

export const OFFLINE_ACCESS = 'offline_access';

export const scopesOf = (scope: string): string[] => scope.split(' ').filter((s) => s !== '');
export const hasScope = (scope: string, s: string): boolean => scopesOf(scope).includes(s);
export const withoutScope = (scope: string, s: string): string => scopesOf(scope).filter((x) => x !== s).join(' ');

/**
 * Pure: the scope of a refresh (RFC 6749 §6): the one the token carries when none is asked, else the one asked,
 * which must be within it (narrowed, never widened). null when it asks for more.
 */
export function narrowScope(granted: string, requested: string | undefined): string | null {
  if (requested === undefined) return granted;
  const have = new Set(scopesOf(granted));
  const want = [...new Set(scopesOf(requested))];
  return want.every((s) => have.has(s)) ? want.join(' ') : null;
}

/** Pure: when a refresh token issued at `now` expires: after the idle time, never after its family's end. */
export const refreshExpiry = (now: number, idleMs: number, familyExpiresAt: number): number => Math.min(now + idleMs, familyExpiresAt);

/** A product's refresh-token rules as they stand now (its own settings, else the deployment's). */
export async function refreshRules(ctx: AppContext, session: AppSessionRow): Promise<{ enabled: boolean; idleMs: number; absoluteMs: number }> {
  const s = await sessionSettingsOf(ctx, session.product);
  return {
    enabled: s.refreshTokens,
    idleMs: (s.refreshTokenIdleSeconds ?? ctx.config.REFRESH_TOKEN_IDLE_SECONDS) * 1000,
    absoluteMs: (s.refreshTokenAbsoluteSeconds ?? ctx.config.REFRESH_TOKEN_ABSOLUTE_SECONDS) * 1000,
  };
}

/**
 * The lifetimes of a new refresh token family, or null when none is issued: the sign-in has no open session, or its
 * product turned refresh tokens off (offline_access is then ignored, not an error).
 */
export async function newFamilyLifetimes(ctx: AppContext, sid: string | null, now: number): Promise<{ idleMs: number; familyExpiresAt: number } | null> {
  if (sid === null) return null;
  const session = await appSessionsRepo.find(ctx.db, sid);
  if (!session || session.ended_at !== null || session.expires_at <= now) return null;
  const rules = await refreshRules(ctx, session);
  return rules.enabled ? { idleMs: rules.idleMs, familyExpiresAt: Math.min(now + rules.absoluteMs, session.expires_at) } : null;
}

export function newAccessToken(ctx: AppContext, g: GrantFacts, now: number): { token: string; row: OauthTokenRow } {
  const token = randomToken(32);
  return {
    token,
    row: {
      token_hash: tokenHash(token), code_hash: g.codeHash, connection_id: g.connectionId, profile_enc: g.profileEnc,
      created_at: now, expires_at: now + ctx.config.ACCESS_TOKEN_TTL_SECONDS * 1000, revoked_at: null, sid: g.sid, scope: g.scope, client_id: g.clientId,
    },
  };
}

export function newRefreshToken(g: GrantFacts & { sid: string }, f: { family: string; clientAuth: ClientAuth; idleMs: number; familyExpiresAt: number }, now: number): { token: string; row: RefreshTokenRow } {
  const token = randomToken(32);
  return {
    token,
    row: {
      token_hash: tokenHash(token), family: f.family, code_hash: g.codeHash, sid: g.sid, client_id: g.clientId, client_auth: f.clientAuth,
      connection_id: g.connectionId, profile_enc: g.profileEnc, scope: g.scope, created_at: now,
      expires_at: refreshExpiry(now, f.idleMs, f.familyExpiresAt), family_expires_at: f.familyExpiresAt, used_at: null, revoked_at: null,
    },
  };
}

/** The id_token: the profile's claims, `sid`, and the nonce when the grant carries one (RS256, crypto/jwt-sign.ts). */
export async function signIdToken(ctx: AppContext, g: GrantFacts, now: number): Promise<string> {
  const profile = await openProfile(ctx, g.profileEnc, g.connectionId);
  const key = (await ctx.keys.jwt()).current;
  const iat = Math.floor(now / 1000);
  return signRs256({ kid: key.kid, typ: 'JWT' }, {
    ...(g.nonce ? { nonce: g.nonce } : {}),
    ...(g.sid ? { sid: g.sid } : {}),
    email: profile.email, email_verified: profile.email_verified, given_name: profile.firstName ?? undefined, family_name: profile.lastName ?? undefined,
    id: profile.id, nameid: profile.nameid, tenant: profile.tenant, product: profile.product,
    firstName: profile.firstName, lastName: profile.lastName, groups: profile.groups, roles: profile.roles, requested: profile.requested,
    iss: ctx.config.EXTERNAL_URL, sub: profile.sub, aud: g.clientId, iat, exp: iat + ctx.config.ACCESS_TOKEN_TTL_SECONDS,
  }, key.privateKey);
}
