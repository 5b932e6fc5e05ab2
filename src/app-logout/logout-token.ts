/**
 * The logout token of OpenID Connect Back-Channel Logout 1.0 (§2.4), built from an ended app session. Pure: the
 * clock, the issuer and the `jti` are inputs. Signed with the id_token keys (RS256), header `typ: logout+jwt`
 * (§2.4, to keep a logout token from being taken for an id_token), never a `nonce` (§2.4: its absence is what
 * tells a logout token from an id_token to receivers that check no `typ`). Decision 0025.
 */
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** How long a logout token is valid: long enough for a slow receiver and clock skew, short enough to be useless later. */
export const LOGOUT_TOKEN_TTL_SECONDS = 120;

export interface LogoutTokenInput {
  issuer: string;
  /** The client id the app used to sign in: the id_token's `aud`. */
  clientId: string;
  /** The `sub` the id_token carried. */
  sub: string;
  sid: string;
  jti: string;
  /** Epoch milliseconds. */
  now: number;
}

export interface LogoutTokenClaims {
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  sub: string;
  sid: string;
  events: { [BACKCHANNEL_LOGOUT_EVENT]: Record<string, never> };
}

/** The claims of one logout token. `sid` is always there: we always know it (decision 0025). */
export function logoutTokenClaims(i: LogoutTokenInput): LogoutTokenClaims {
  const iat = Math.floor(i.now / 1000);
  return { iss: i.issuer, aud: i.clientId, iat, exp: iat + LOGOUT_TOKEN_TTL_SECONDS, jti: i.jti, sub: i.sub, sid: i.sid, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } };
}

/** Signs the claims as a logout token with one of the id_token keys. */
export function signLogoutToken(claims: LogoutTokenClaims, key: { kid: string; privateKey: KeyObject }): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'logout+jwt' }).sign(key.privateKey);
}
