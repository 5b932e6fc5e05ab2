/**
 * POST /api/oauth/revoke (RFC 7009, decision 0024): authenticateCaller → findPresentedToken → checkOwner → revoke.
 * A refresh token takes its family and the access tokens issued from it along; an access token goes alone. The
 * app session stays open: ending it (and the IdP's and the back-channel logouts) is the end_session endpoint's job.
 * An unknown token, or another client's, answers 200 with nothing done (§2.2).
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { oauthTokensRepo, refreshTokensRepo } from '../storage/index.ts';
import { authenticateCaller, readClientCredentials, str, type ClientCredentials } from './client-auth.ts';
import { revokeFamily } from './refresh-grant.ts';
import { findPresentedToken } from './token-lookup.ts';

export interface PresentedTokenRequest extends ClientCredentials {
  token?: string;
  tokenTypeHint?: string;
}

export const readPresentedTokenRequest = (body: Record<string, unknown>, authorization: string | undefined): PresentedTokenRequest => ({
  ...readClientCredentials(body, authorization), token: str(body.token), tokenTypeHint: str(body.token_type_hint),
});

export async function revokeToken(ctx: AppContext, req: PresentedTokenRequest): Promise<void> {
  const caller = await authenticateCaller(ctx, req);
  if (!req.token) throw new GatehouseError('OAUTH_INVALID_REQUEST', 'The "token" parameter is missing.', { field: 'token' });
  const found = await findPresentedToken(ctx, req.token, req.tokenTypeHint);
  if (!found || found.clientId !== caller.clientId) return;
  if (found.kind === 'access_token') {
    await oauthTokensRepo.revoke(ctx.db, found.row.token_hash, ctx.now());
    return;
  }
  // A client that received the family with its secret revokes with it too.
  if (found.row.client_auth === 'secret' && caller.auth !== 'secret') throw new GatehouseError('OAUTH_INVALID_CLIENT', 'This refresh token was issued to a client that authenticated with its client_secret: send it.');
  // The token's own row first: a rotation racing this waits on it, so the family UPDATE after it sees the new token.
  await refreshTokensRepo.revoke(ctx.db, found.row.token_hash, ctx.now());
  await revokeFamily(ctx, found.row);
}
