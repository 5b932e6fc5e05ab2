/**
 * grant_type=refresh_token (decision 0024) as a pipeline: loadRefreshToken → checkClient → checkUnused (reuse
 * revokes the family) → checkLive (expiry, the app session, the product's setting) → narrowScope → rotate (one
 * transaction: the conditional UPDATE that marks the token used, the new refresh and access tokens) → answer.
 * Two instances racing on one token: one UPDATE wins; the other is reuse and revokes the family, the winner's new
 * token included.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { retryOnDeadlock } from '../storage/dialect.ts';
import { appSessionsRepo, oauthTokensRepo, refreshTokensRepo, type AppSessionRow, type RefreshTokenRow } from '../storage/index.ts';
import { tokenHash } from '../crypto/secrets.ts';
import { authenticateGrantClient, clientIdIs, type ClientCredentials } from './client-auth.ts';
import { hasScope, narrowScope, newAccessToken, newRefreshToken, refreshRules, signIdToken, type GrantFacts } from './token-issuance.ts';

export interface RefreshRequest extends ClientCredentials {
  refreshToken?: string;
  scope?: string;
}

const invalidGrant = (detail: string) => new GatehouseError('OAUTH_INVALID_GRANT', detail);

async function loadRefreshToken(ctx: AppContext, req: RefreshRequest): Promise<RefreshTokenRow> {
  if (!req.refreshToken) throw new GatehouseError('OAUTH_INVALID_REQUEST', 'The "refresh_token" parameter is missing.', { field: 'refresh_token' });
  const row = await refreshTokensRepo.findByHash(ctx.db, tokenHash(req.refreshToken));
  if (!row) throw invalidGrant('Unknown refresh token.');
  return row;
}

/**
 * The client the token was issued to, authenticated as it was when the family began: with its secret, or by
 * client_id alone when it was a public (PKCE) client. Another client's token is refused and left as it is.
 */
async function checkClient(ctx: AppContext, req: RefreshRequest, row: RefreshTokenRow): Promise<void> {
  if (req.clientId === undefined) throw new GatehouseError('OAUTH_INVALID_CLIENT', 'No client_id was sent (in the body or with HTTP Basic).');
  if (!clientIdIs(req, row.client_id)) throw invalidGrant('The refresh token was issued to another client.');
  await authenticateGrantClient(ctx, req, {
    clientId: row.client_id, connectionId: row.connection_id, publicAllowed: row.client_auth === 'none',
    noSecretHint: 'This refresh token was issued to a client that authenticated with its client_secret: send it again.',
  });
}

/** Revokes a family: its refresh tokens and every access token issued from it (they share the code's hash). */
export async function revokeFamily(ctx: AppContext, row: Pick<RefreshTokenRow, 'family' | 'code_hash'>): Promise<void> {
  const now = ctx.now();
  await refreshTokensRepo.revokeFamily(ctx.db, row.family, now);
  await oauthTokensRepo.revokeByCode(ctx.db, row.code_hash, now);
}

const reused = async (ctx: AppContext, row: RefreshTokenRow): Promise<never> => {
  await revokeFamily(ctx, row);
  throw invalidGrant('The refresh token was already used; every token of its family is revoked.');
};

async function checkUnused(ctx: AppContext, row: RefreshTokenRow): Promise<void> {
  if (row.revoked_at !== null) throw invalidGrant('The refresh token has been revoked.');
  if (row.used_at !== null) await reused(ctx, row);
}

async function checkLive(ctx: AppContext, row: RefreshTokenRow): Promise<{ session: AppSessionRow; idleMs: number }> {
  const now = ctx.now();
  if (row.expires_at <= now || row.family_expires_at <= now) throw invalidGrant('The refresh token has expired.');
  const session = await appSessionsRepo.find(ctx.db, row.sid);
  if (!session || session.ended_at !== null || session.expires_at <= now) throw invalidGrant('The session this refresh token belongs to has ended.');
  const rules = await refreshRules(ctx, session);
  if (!rules.enabled) throw invalidGrant('Refresh tokens are turned off for this product.');
  return { session, idleMs: rules.idleMs };
}

function checkScope(row: RefreshTokenRow, req: RefreshRequest): string {
  const scope = narrowScope(row.scope, req.scope);
  if (scope === null) throw new GatehouseError('OAUTH_INVALID_SCOPE', `The scope may be narrowed on refresh, never widened beyond "${row.scope}".`, { field: 'scope' });
  return scope;
}

export async function refreshGrant(ctx: AppContext, req: RefreshRequest) {
  const row = await loadRefreshToken(ctx, req);
  await checkClient(ctx, req, row);
  await checkUnused(ctx, row);
  const { idleMs } = await checkLive(ctx, row);
  const scope = checkScope(row, req);
  const now = ctx.now();
  const g: GrantFacts = { codeHash: row.code_hash, connectionId: row.connection_id, clientId: row.client_id, profileEnc: row.profile_enc, scope, sid: row.sid, nonce: null };
  const access = newAccessToken(ctx, g, now);
  const refresh = newRefreshToken({ ...g, sid: row.sid }, { family: row.family, clientAuth: row.client_auth, idleMs, familyExpiresAt: row.family_expires_at }, now);
  const rotated = await retryOnDeadlock(
    () => ctx.db.transaction().execute(async (trx) => {
      if (!(await refreshTokensRepo.markUsed(trx, row.token_hash, now))) return false;
      await refreshTokensRepo.insert(trx, refresh.row);
      await oauthTokensRepo.insert(trx, access.row);
      return true;
    }),
    { attempts: 4, backoffMs: (attempt) => attempt * 5 * Math.random() },
  );
  if (!rotated) await reused(ctx, row);
  const out: Record<string, unknown> = { access_token: access.token, token_type: 'bearer', expires_in: ctx.config.ACCESS_TOKEN_TTL_SECONDS, refresh_token: refresh.token, scope };
  if (hasScope(scope, 'openid')) out.id_token = await signIdToken(ctx, g, now);
  return out;
}
