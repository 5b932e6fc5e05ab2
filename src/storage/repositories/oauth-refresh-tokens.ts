/** Refresh tokens (decision 0024), stored by hash only. Rotation and revocation are conditional UPDATEs, so any instance may serve any token. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { OauthRefreshTokensTable } from '../schema-sessions.ts';

export type RefreshTokenRow = Selectable<OauthRefreshTokensTable>;

export const refreshTokensRepo = {
  async insert(db: Kysely<Database>, row: RefreshTokenRow): Promise<void> {
    await db.insertInto('oauth_refresh_tokens').values(row).execute();
  },
  async findByHash(db: Kysely<Database>, tokenHash: string): Promise<RefreshTokenRow | undefined> {
    return db.selectFrom('oauth_refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  },
  /** Marks the token used (rotated); false when it was used or revoked already: the caller lost a race or replayed it. */
  async markUsed(db: Kysely<Database>, tokenHash: string, now: number): Promise<boolean> {
    const r = await db.updateTable('oauth_refresh_tokens').set({ used_at: now }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** Revokes one token; false when it was revoked already. */
  async revoke(db: Kysely<Database>, tokenHash: string, now: number): Promise<boolean> {
    const r = await db.updateTable('oauth_refresh_tokens').set({ revoked_at: now }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async revokeFamily(db: Kysely<Database>, family: string, now: number): Promise<number> {
    const r = await db.updateTable('oauth_refresh_tokens').set({ revoked_at: now }).where('family', '=', family).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  /** Revokes the families a code began (the code was presented twice). */
  async revokeByCode(db: Kysely<Database>, codeHash: string, now: number): Promise<number> {
    const r = await db.updateTable('oauth_refresh_tokens').set({ revoked_at: now }).where('code_hash', '=', codeHash).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  /** Revokes every refresh token of the given app sessions (one UPDATE). */
  async revokeBySessions(db: Kysely<Database>, sids: string[], now: number): Promise<number> {
    if (sids.length === 0) return 0;
    const r = await db.updateTable('oauth_refresh_tokens').set({ revoked_at: now }).where('sid', 'in', sids).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  /** Rows of families past their absolute expiry. Used tokens stay until then, so reuse is detected for the family's whole life. */
  async deleteExpired(db: Kysely<Database>, now: number): Promise<number> {
    const r = await db.deleteFrom('oauth_refresh_tokens').where('family_expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
