/** A token an app presents to the revocation or introspection endpoint: a refresh token or an access token, looked up by hash. */
import type { AppContext } from '../context.ts';
import { appSessionsRepo, oauthTokensRepo, refreshTokensRepo, type OauthTokenRow, type RefreshTokenRow } from '../storage/index.ts';
import { tokenHash } from '../crypto/secrets.ts';

export type PresentedToken =
  | { kind: 'refresh_token'; row: RefreshTokenRow; clientId: string }
  /** clientId null: issued before app sessions (migration 019), with no record of its client. */
  | { kind: 'access_token'; row: OauthTokenRow; clientId: string | null };

/** RFC 7009 §2.1 / RFC 7662 §2.1: the hint only orders the search; an unknown hint is ignored. */
export async function findPresentedToken(ctx: AppContext, token: string, hint: string | undefined): Promise<PresentedToken | null> {
  const hash = tokenHash(token);
  const asRefresh = async (): Promise<PresentedToken | null> => {
    const row = await refreshTokensRepo.findByHash(ctx.db, hash);
    return row ? { kind: 'refresh_token', row, clientId: row.client_id } : null;
  };
  const asAccess = async (): Promise<PresentedToken | null> => {
    const row = await oauthTokensRepo.findByHash(ctx.db, hash);
    if (!row) return null;
    const clientId = row.client_id ?? (row.sid ? ((await appSessionsRepo.find(ctx.db, row.sid))?.client_id ?? null) : null);
    return { kind: 'access_token', row, clientId };
  };
  return hint === 'access_token' ? ((await asAccess()) ?? asRefresh()) : ((await asRefresh()) ?? asAccess());
}
