/**
 * GET /api/oauth/userinfo: the profile behind a bearer access token, in Jackson's shape (`id` is the NameID)
 * plus `sub` (per connection), `nameid`, `email_verified`, `tenant` and `product`.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { oauthTokensRepo } from '../storage/index.ts';
import { tokenHash } from '../crypto/secrets.ts';
import { openProfile } from '../sso/app-profile.ts';
import { isSessionRowOpen } from './sessions.ts';

export function readAccessToken(authorization: string | undefined, query: Record<string, unknown>): string | undefined {
  if (authorization?.toLowerCase().startsWith('bearer ')) return authorization.slice(7).trim() || undefined;
  return typeof query.access_token === 'string' && query.access_token ? query.access_token : undefined;
}

export async function userinfo(ctx: AppContext, token: string | undefined) {
  if (!token) throw new GatehouseError('OAUTH_INVALID_TOKEN', 'No access token was sent.');
  // The token and its session in one read (decision 0039).
  const row = await oauthTokensRepo.findWithSession(ctx.db, tokenHash(token));
  const now = ctx.now();
  if (!row || row.revoked_at !== null || row.expires_at < now) throw new GatehouseError('OAUTH_INVALID_TOKEN');
  if (!isSessionRowOpen(row.sid, row.session_found === null ? undefined : { ended_at: row.session_ended_at, expires_at: Number(row.session_expires_at) }, now)) {
    throw new GatehouseError('OAUTH_INVALID_TOKEN', 'The session this token belongs to has ended.');
  }
  return openProfile(ctx, row.profile_enc, row.connection_id);
}
