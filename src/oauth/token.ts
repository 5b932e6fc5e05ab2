/**
 * POST /api/oauth/token as a pipeline: readTokenRequest → loadCode → checkClientAuth → checkPkce →
 * redeemOnce → issueTokens. A code presented twice fails with invalid_grant and revokes what the
 * first redemption issued.
 */
import { SignJWT } from 'jose';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, oauthCodesRepo, oauthTokensRepo, type OauthCodeRow } from '../storage/index.ts';
import { constantTimeEqual, pkceChallenge, randomToken, tokenHash } from '../crypto/secrets.ts';
import { openProfile } from '../sso/app-profile.ts';
import { findFederatedClient, isAppClientSecret, isFederatedClientId } from './federated-clients.ts';

export interface TokenRequest {
  grantType?: string;
  code?: string;
  redirectUri?: string;
  clientId?: string;
  clientSecret?: string;
  codeVerifier?: string;
  /**
   * HTTP Basic credentials read literally, without form-decoding, as SAML Jackson reads them; set only when that
   * reading differs (a "+" or "%" in them). Apps written for Jackson may send a secret such as a base64
   * CLIENT_SECRET_VERIFIER unencoded, "+" included.
   */
  literalBasic?: { clientId: string; clientSecret: string | undefined };
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * RFC 6749 §2.3.1: Basic credentials are form-encoded (application/x-www-form-urlencoded, so "+" is a space, as
 * Auth.js, oauth4webapi and openid-client send them) before Base64; a broken `%` escape is the client's error.
 */
function basicCredential(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new GatehouseError('OAUTH_INVALID_CLIENT', 'The Basic credentials are not validly form-encoded (a "%" is not followed by two hex digits).');
  }
}

export function readTokenRequest(body: Record<string, unknown>, authorization: string | undefined): TokenRequest {
  let clientId = str(body.client_id);
  let clientSecret = str(body.client_secret);
  let literalBasic: TokenRequest['literalBasic'];
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      const [id, secret] = [decoded.slice(0, i), decoded.slice(i + 1)];
      clientId = basicCredential(id);
      clientSecret = basicCredential(secret) || undefined;
      if (id !== clientId || (secret || undefined) !== clientSecret) literalBasic = { clientId: id, clientSecret: secret || undefined };
    }
  }
  return { grantType: str(body.grant_type), code: str(body.code), redirectUri: str(body.redirect_uri), clientId, clientSecret, codeVerifier: str(body.code_verifier), literalBasic };
}

/** The client id as form-decoded (RFC 6749) or, for Basic credentials, as sent literally (SAML Jackson's reading). */
const clientIdIs = (req: TokenRequest, expected: string) => req.clientId === expected || req.literalBasic?.clientId === expected;

/** The same two readings for the secret, each compared in constant time. */
const secretIs = (req: TokenRequest, expected: string) =>
  constantTimeEqual(expected, req.clientSecret!) || (req.literalBasic?.clientSecret !== undefined && constantTimeEqual(expected, req.literalBasic.clientSecret));

const invalidGrant = (detail: string) => new GatehouseError('OAUTH_INVALID_GRANT', detail);

async function loadCode(ctx: AppContext, req: TokenRequest): Promise<OauthCodeRow> {
  if (req.grantType !== 'authorization_code') throw new GatehouseError('OAUTH_UNSUPPORTED_GRANT_TYPE');
  if (!req.code) throw new GatehouseError('OAUTH_INVALID_REQUEST', 'The "code" parameter is missing.', { field: 'code' });
  const hash = tokenHash(req.code);
  const row = await oauthCodesRepo.findByHash(ctx.db, hash);
  if (!row) throw invalidGrant('Unknown code.');
  if (row.redeemed_at !== null) {
    await oauthTokensRepo.revokeByCode(ctx.db, hash, ctx.now());
    throw invalidGrant('The code was already used; tokens issued from it are revoked.');
  }
  if (row.expires_at < ctx.now()) throw invalidGrant('The code has expired.');
  if (req.clientId !== undefined && !clientIdIs(req, row.client_id)) throw invalidGrant('The code was issued to another client.');
  if (req.redirectUri !== undefined && req.redirectUri !== row.redirect_uri) throw invalidGrant('redirect_uri differs from the one used in the authorization request.');
  return row;
}

/**
 * A connection's clientID authenticates with its clientSecret; the tenant/product and `dummy` forms
 * with CLIENT_SECRET_VERIFIER when it is set (`dummy` under JACKSON_COMPAT). Either may instead be a
 * public client proving itself with PKCE. A secret that is sent must be right, and the error says which
 * of these was missing or wrong (decision 0005).
 */
async function checkClientAuth(ctx: AppContext, req: TokenRequest, code: OauthCodeRow): Promise<void> {
  const hasPkce = code.code_challenge !== null;
  if (isFederatedClientId(code.client_id)) return checkFederatedAppAuth(ctx, req, code);
  if (code.client_id === code.connection_id) {
    if (req.clientSecret !== undefined) {
      const row = await connectionsRepo.findById(ctx.db, code.connection_id);
      if (!row || !secretIs(req, ctx.secrets.decrypt(row.client_secret_enc))) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'client_secret is not this connection\'s clientSecret.');
      return;
    }
  } else if (req.clientSecret !== undefined) {
    const verifier = ctx.config.CLIENT_SECRET_VERIFIER;
    if (verifier === undefined) {
      if (hasPkce) return; // a public client's stray secret: PKCE authenticates it, as before
      throw new GatehouseError('OAUTH_INVALID_CLIENT', 'A client_secret was sent, but the tenant/product and dummy client_id forms have no secret here (CLIENT_SECRET_VERIFIER is not set): use PKCE, or a connection\'s clientID and clientSecret.');
    }
    if (!secretIs(req, verifier)) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'client_secret does not match CLIENT_SECRET_VERIFIER.');
    return;
  }
  if (!hasPkce) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'The request sent no client_secret and its authorization request used no PKCE: send the client_secret, or start sign-in with a code_challenge.');
}

/**
 * An Identity Federation OIDC app: its clientSecret, or PKCE alone (a public client), as a connection's clientID.
 * The app must still exist: deleting it ends the codes issued to it.
 */
async function checkFederatedAppAuth(ctx: AppContext, req: TokenRequest, code: OauthCodeRow): Promise<void> {
  const app = await findFederatedClient(ctx, code.client_id);
  if (!app) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'The application this code was issued to no longer exists.');
  if (req.clientSecret !== undefined) {
    const presented = [req.clientSecret, req.literalBasic?.clientSecret].filter((v): v is string => v !== undefined);
    if (!presented.some((secret) => isAppClientSecret(ctx, app, secret))) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'client_secret is not this application\'s clientSecret.');
    return;
  }
  if (code.code_challenge === null) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'The request sent no client_secret and its authorization request used no PKCE: send the application\'s clientSecret, or start sign-in with a code_challenge.');
}

function checkPkce(req: TokenRequest, code: OauthCodeRow): void {
  if (code.code_challenge === null) return;
  if (!req.codeVerifier) throw invalidGrant('code_verifier is missing.');
  // `plain` is stored only when JACKSON_COMPAT accepted it at authorize.
  const presented = code.code_challenge_method === 'plain' ? req.codeVerifier : pkceChallenge(req.codeVerifier);
  if (!constantTimeEqual(presented, code.code_challenge)) throw invalidGrant('code_verifier does not match the code_challenge.');
}

async function redeemOnce(ctx: AppContext, code: OauthCodeRow): Promise<void> {
  if (!(await oauthCodesRepo.redeem(ctx.db, code.code_hash, ctx.now()))) {
    await oauthTokensRepo.revokeByCode(ctx.db, code.code_hash, ctx.now());
    throw invalidGrant('The code was already used; tokens issued from it are revoked.');
  }
}

async function issueTokens(ctx: AppContext, code: OauthCodeRow) {
  const now = ctx.now();
  const profile = await openProfile(ctx, code.profile_enc, code.connection_id);
  const accessToken = randomToken(32);
  const ttl = ctx.config.ACCESS_TOKEN_TTL_SECONDS;
  await oauthTokensRepo.insert(ctx.db, {
    token_hash: tokenHash(accessToken), code_hash: code.code_hash, connection_id: code.connection_id,
    profile_enc: code.profile_enc, created_at: now, expires_at: now + ttl * 1000, revoked_at: null, sid: code.sid,
  });
  const out: Record<string, unknown> = { access_token: accessToken, token_type: 'bearer', expires_in: ttl };
  if (code.scope.split(' ').includes('openid')) {
    const key = (await ctx.keys.jwt()).current;
    const iat = Math.floor(now / 1000);
    out.id_token = await new SignJWT({
      ...(code.nonce ? { nonce: code.nonce } : {}),
      ...(code.sid ? { sid: code.sid } : {}),
      email: profile.email, email_verified: profile.email_verified, given_name: profile.firstName ?? undefined, family_name: profile.lastName ?? undefined,
      id: profile.id, nameid: profile.nameid, tenant: profile.tenant, product: profile.product,
      firstName: profile.firstName, lastName: profile.lastName, groups: profile.groups, roles: profile.roles, requested: profile.requested,
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(ctx.config.EXTERNAL_URL)
      .setSubject(profile.sub)
      .setAudience(code.client_id)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .sign(key.privateKey);
    out.scope = code.scope;
  }
  return out;
}

export async function exchangeCode(ctx: AppContext, req: TokenRequest) {
  const code = await loadCode(ctx, req);
  await checkClientAuth(ctx, req, code);
  checkPkce(req, code);
  await redeemOnce(ctx, code);
  return issueTokens(ctx, code);
}
