/**
 * The code grant in one statement on PostgreSQL (decision 0047), and on SQLite in two (the same checked redeem as an
 * UPDATE … RETURNING, then the token's insert; decision 0061): the redeem's WHERE checks what token.ts checks one
 * by one — the code unused and unexpired, the client_id and redirect_uri sent, the connection's clientSecret by its
 * keyed hash (the stored hash and the presented one are HMACs under a key the caller never knows, so an equality in
 * SQL leaks nothing a timing could use) or, without a secret, PKCE — and stores the access token with it. It takes
 * only codes issued to a connection's own clientID, without offline_access; anything else, and any failed check,
 * redeems nothing and returns null, and token.ts then checks step by step and gives the exact error.
 */
import type { AppContext } from '../context.ts';
import { oauthCodesRepo, type RedeemCheck } from '../storage/index.ts';
import { pkceChallenge, randomToken, tokenHash } from '../crypto/secrets.ts';
import { clientSecretMac } from '../sso/client-secret.ts';
import { parseTenantProductClientId } from './client.ts';
import { isFederatedClientId } from './federated-clients.ts';
import { hasScope, signIdToken, type GrantFacts } from './token-issuance.ts';
import type { ClientCredentials } from './client-auth.ts';

/** What the redeem reads of a token request (token.ts's TokenRequest has these; token.ts imports this file). */
interface CodeGrantRequest extends ClientCredentials {
  code?: string;
  redirectUri?: string;
  codeVerifier?: string;
}

const defined = (values: (string | undefined)[]): string[] => [...new Set(values.filter((v): v is string => v !== undefined))];

/** The request as the redeem's WHERE checks it; null when the statement cannot take it (another client_id form). */
function redeemCheckOf(ctx: AppContext, req: CodeGrantRequest & { code: string }, now: number): RedeemCheck | null {
  const id = req.clientId;
  if (id !== undefined && (id === 'dummy' || isFederatedClientId(id) || parseTenantProductClientId(id))) return null;
  return {
    codeHash: tokenHash(req.code), now,
    clientIds: id === undefined ? null : defined([id, req.literalBasic?.clientId]),
    redirectUri: req.redirectUri ?? null,
    verifier: req.codeVerifier ? { s256: pkceChallenge(req.codeVerifier) } : null,
    secretMacs: req.clientSecret === undefined ? null : defined([req.clientSecret, req.literalBasic?.clientSecret]).map((s) => clientSecretMac(ctx, s)),
  };
}

/** The token answer when the one statement redeemed the code; null when it did not (nothing was written). */
export async function redeemInOne(ctx: AppContext, req: CodeGrantRequest): Promise<Record<string, unknown> | null> {
  if ((ctx.dialect !== 'postgres' && ctx.dialect !== 'sqlite') || !req.code) return null;
  const now = ctx.now();
  const check = redeemCheckOf(ctx, { ...req, code: req.code }, now);
  if (!check) return null;
  const token = randomToken(32);
  const code = await oauthCodesRepo.redeemChecked(ctx.db, ctx.dialect, check, { token_hash: tokenHash(token), created_at: now, expires_at: now + ctx.config.ACCESS_TOKEN_TTL_SECONDS * 1000 });
  if (!code) return null;
  const g: GrantFacts = { codeHash: code.code_hash, connectionId: code.connection_id, clientId: code.client_id, profileEnc: code.profile_enc, scope: code.scope, sid: code.sid, nonce: code.nonce };
  const out: Record<string, unknown> = { access_token: token, token_type: 'bearer', expires_in: ctx.config.ACCESS_TOKEN_TTL_SECONDS };
  if (hasScope(g.scope, 'openid')) {
    out.id_token = await signIdToken(ctx, g, now);
    out.scope = g.scope;
  }
  return out;
}
