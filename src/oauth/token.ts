/**
 * POST /api/oauth/token. The code grant as a pipeline: readTokenRequest → loadCode → authenticateGrantClient →
 * checkPkce → issueTokens (redeemOnce with the access token's insert). A code presented twice fails with invalid_grant and revokes what the
 * first redemption issued, refresh tokens included. The refresh grant is refresh-grant.ts.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, oauthCodesRepo, oauthTokensRepo, refreshTokensRepo, type OauthCodeRow, type OauthTokenRow } from '../storage/index.ts';
import { clientSecretMac, isCurrentMac } from '../sso/client-secret.ts';
import { redeemInOne } from './token-one-statement.ts';
import { constantTimeEqual, pkceChallenge, randomToken, tokenHash } from '../crypto/secrets.ts';
import { authenticateGrantClient, clientIdIs, readClientCredentials, str, type ClientAuth, type ClientCredentials } from './client-auth.ts';
import { hasScope, newAccessToken, newFamilyLifetimes, newRefreshToken, OFFLINE_ACCESS, signIdToken, withoutScope, type GrantFacts } from './token-issuance.ts';
import { refreshGrant } from './refresh-grant.ts';

export interface TokenRequest extends ClientCredentials {
  grantType?: string;
  code?: string;
  redirectUri?: string;
  codeVerifier?: string;
  refreshToken?: string;
  scope?: string;
}

export function readTokenRequest(body: Record<string, unknown>, authorization: string | undefined): TokenRequest {
  return {
    ...readClientCredentials(body, authorization),
    grantType: str(body.grant_type), code: str(body.code), redirectUri: str(body.redirect_uri), codeVerifier: str(body.code_verifier),
    refreshToken: str(body.refresh_token), scope: typeof body.scope === 'string' ? body.scope : undefined,
  };
}

const invalidGrant = (detail: string) => new GatehouseError('OAUTH_INVALID_GRANT', detail);

/** RFC 6749 §4.1.2: a code used twice revokes the tokens issued from it (access and refresh). */
async function revokeIssuedFrom(ctx: AppContext, codeHash: string): Promise<void> {
  await oauthTokensRepo.revokeByCode(ctx.db, codeHash, ctx.now());
  await refreshTokensRepo.revokeByCode(ctx.db, codeHash, ctx.now());
}

/** The code and its connection's sealed clientSecret and its keyed hash, in one read (decisions 0039, 0047). */
type LoadedCode = OauthCodeRow & { connection_secret_enc: string | null; connection_secret_mac: string | null };

async function loadCode(ctx: AppContext, req: TokenRequest): Promise<LoadedCode> {
  if (!req.code) throw new GatehouseError('OAUTH_INVALID_REQUEST', 'The "code" parameter is missing.', { field: 'code' });
  const hash = tokenHash(req.code);
  const row = await oauthCodesRepo.findWithClientSecret(ctx.db, hash);
  if (!row) throw invalidGrant('Unknown code.');
  if (row.redeemed_at !== null) {
    await revokeIssuedFrom(ctx, hash);
    throw invalidGrant('The code was already used; tokens issued from it are revoked.');
  }
  if (row.expires_at < ctx.now()) throw invalidGrant('The code has expired.');
  if (req.clientId !== undefined && !clientIdIs(req, row.client_id)) throw invalidGrant('The code was issued to another client.');
  if (req.redirectUri !== undefined && req.redirectUri !== row.redirect_uri) throw invalidGrant('redirect_uri differs from the one used in the authorization request.');
  return row;
}

/** The code's client: with a secret, or (when the authorization request used PKCE) as a public client (decision 0005). */
const checkClientAuth = (ctx: AppContext, req: TokenRequest, code: LoadedCode): Promise<ClientAuth> =>
  authenticateGrantClient(ctx, req, {
    clientId: code.client_id, connectionId: code.connection_id, publicAllowed: code.code_challenge !== null, connectionSecretEnc: code.connection_secret_enc,
    noSecretHint: 'The request sent no client_secret and its authorization request used no PKCE: send the client_secret, or start sign-in with a code_challenge.',
  });

function checkPkce(req: TokenRequest, code: OauthCodeRow): void {
  if (code.code_challenge === null) return;
  if (!req.codeVerifier) throw invalidGrant('code_verifier is missing.');
  // `plain` is stored only when JACKSON_COMPAT accepted it at authorize.
  const presented = code.code_challenge_method === 'plain' ? req.codeVerifier : pkceChallenge(req.codeVerifier);
  if (!constantTimeEqual(presented, code.code_challenge)) throw invalidGrant('code_verifier does not match the code_challenge.');
}

/** Marks the code redeemed and stores its access token, or neither (one statement on PostgreSQL, decision 0039). */
async function redeemOnce(ctx: AppContext, code: OauthCodeRow, access: OauthTokenRow, now: number): Promise<void> {
  if (!(await oauthCodesRepo.redeemWithToken(ctx.db, ctx.dialect, code.code_hash, now, access))) {
    await revokeIssuedFrom(ctx, code.code_hash);
    throw invalidGrant('The code was already used; tokens issued from it are revoked.');
  }
}

/**
 * A connection's secret authenticated from its sealed value while its keyed hash is missing or from an older key:
 * the hash is written (only if the sealed secret is still the one read), so the next redeem is one statement
 * (decision 0047). A failure is logged and changes nothing else.
 */
async function refreshSecretMac(ctx: AppContext, code: LoadedCode, clientAuth: ClientAuth): Promise<void> {
  const sealed = code.connection_secret_enc;
  if (clientAuth !== 'secret' || code.client_id !== code.connection_id || sealed === null || isCurrentMac(ctx, code.connection_secret_mac)) return;
  await connectionsRepo.setSecretMac(ctx.db, code.connection_id, sealed, clientSecretMac(ctx, ctx.secrets.decrypt(sealed)))
    .catch((err: unknown) => ctx.log.warn({ err, connectionId: code.connection_id }, 'storing the clientSecret\'s keyed hash failed'));
}

/** Redeems the code for an access token, an id_token (scope openid) and, for scope offline_access when the product allows it, a refresh token. */
async function issueTokens(ctx: AppContext, code: OauthCodeRow, clientAuth: ClientAuth) {
  const now = ctx.now();
  const offline = hasScope(code.scope, OFFLINE_ACCESS);
  const family = offline ? await newFamilyLifetimes(ctx, code.sid, now) : null;
  const g: GrantFacts = {
    codeHash: code.code_hash, connectionId: code.connection_id, clientId: code.client_id, profileEnc: code.profile_enc,
    scope: offline && !family ? withoutScope(code.scope, OFFLINE_ACCESS) : code.scope, sid: code.sid, nonce: code.nonce,
  };
  const access = newAccessToken(ctx, g, now);
  await redeemOnce(ctx, code, access.row, now);
  const out: Record<string, unknown> = { access_token: access.token, token_type: 'bearer', expires_in: ctx.config.ACCESS_TOKEN_TTL_SECONDS };
  if (family && g.sid) {
    const refresh = newRefreshToken({ ...g, sid: g.sid }, { family: randomToken(18), clientAuth, ...family }, now);
    await refreshTokensRepo.insert(ctx.db, refresh.row);
    out.refresh_token = refresh.token;
  }
  if (hasScope(g.scope, 'openid')) out.id_token = await signIdToken(ctx, g, now);
  // RFC 6749 §5.1: the granted scope, which differs from the one asked when offline_access was not granted.
  if (hasScope(g.scope, 'openid') || offline) out.scope = g.scope;
  return out;
}

/**
 * On PostgreSQL and SQLite a code is first redeemed by one statement that checks the request in its WHERE (decisions
 * 0047, 0061);
 * when that statement redeems nothing (any check failed, or the code is of a form it does not take), the request
 * goes through every check below, in order, which says exactly why, or redeems a code the one statement did not take.
 */
export async function exchangeCode(ctx: AppContext, req: TokenRequest) {
  const redeemed = await redeemInOne(ctx, req);
  if (redeemed) return redeemed;
  const code = await loadCode(ctx, req);
  const clientAuth = await checkClientAuth(ctx, req, code);
  checkPkce(req, code);
  await refreshSecretMac(ctx, code, clientAuth);
  return issueTokens(ctx, code, clientAuth);
}

/** The token endpoint: one grant per grant_type. */
export async function tokenEndpoint(ctx: AppContext, req: TokenRequest) {
  if (req.grantType === 'authorization_code') return exchangeCode(ctx, req);
  if (req.grantType === 'refresh_token') return refreshGrant(ctx, req);
  throw new GatehouseError('OAUTH_UNSUPPORTED_GRANT_TYPE');
}
