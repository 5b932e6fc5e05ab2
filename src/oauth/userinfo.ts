/**
 * GET /api/oauth/userinfo: the profile behind a bearer access token, in Jackson's shape (`id` is the NameID)
 * plus `sub` (per connection), `nameid`, `email_verified`, `tenant` and `product`.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { oauthTokensRepo } from '../storage/index.ts';
import { tokenHash } from '../crypto/secrets.ts';
import { openProfile } from '../sso/app-profile.ts';
import { isSessionOpen } from './sessions.ts';

export function readAccessToken(authorization: string | undefined, query: Record<string, unknown>): string | undefined {
  if (authorization?.toLowerCase().startsWith('bearer ')) return authorization.slice(7).trim() || undefined;
  return typeof query.access_token === 'string' && query.access_token ? query.access_token : undefined;
}

export async function userinfo(ctx: AppContext, token: string | undefined) {
  if (!token) throw new GatehouseError('OAUTH_INVALID_TOKEN', 'No access token was sent.');
  const row = await oauthTokensRepo.findByHash(ctx.db, tokenHash(token));
  if (!row || row.revoked_at !== null || row.expires_at < ctx.now()) throw new GatehouseError('OAUTH_INVALID_TOKEN');
  if (!(await isSessionOpen(ctx, row.sid))) throw new GatehouseError('OAUTH_INVALID_TOKEN', 'The session this token belongs to has ended.');
  return openProfile(ctx, row.profile_enc, row.connection_id);
}
