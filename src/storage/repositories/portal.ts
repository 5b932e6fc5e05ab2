/** Named queries for portal links and portal sessions (decision 0033). Both are found by a hash only. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { PortalLinksTable, PortalSessionsTable } from '../schema-portal.ts';

export type PortalLinkRow = Selectable<PortalLinksTable>;
export type PortalSessionRow = Selectable<PortalSessionsTable>;

export const portalRepo = {
  insertLink: (db: Kysely<Database>, row: PortalLinkRow) => db.insertInto('portal_links').values(row).execute(),
  findLinkByTokenHash: (db: Kysely<Database>, hash: string) => db.selectFrom('portal_links').selectAll().where('token_hash', '=', hash).executeTakeFirst(),
  /**
   * Consumes a live, unused link: one conditional UPDATE, so of two opens racing on any instances exactly one
   * wins (the database decides, not a read followed by a write). True for the winner.
   */
  async consumeLink(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
    const r = await db.updateTable('portal_links').set({ consumed_at: now }).where('id', '=', id).where('consumed_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  insertSession: (db: Kysely<Database>, row: PortalSessionRow) => db.insertInto('portal_sessions').values(row).execute(),
  findSessionById: (db: Kysely<Database>, id: string) => db.selectFrom('portal_sessions').selectAll().where('id', '=', id).executeTakeFirst(),
  findSessionBySecretHash: (db: Kysely<Database>, hash: string) => db.selectFrom('portal_sessions').selectAll().where('secret_hash', '=', hash).executeTakeFirst(),
  /** Slides the idle window; written at most once a minute per session by the caller. */
  touchSession: (db: Kysely<Database>, id: string, now: number) => db.updateTable('portal_sessions').set({ last_seen_at: now }).where('id', '=', id).execute(),
  async endSession(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
    const r = await db.updateTable('portal_sessions').set({ ended_at: now }).where('id', '=', id).where('ended_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /**
   * The maintenance sweep: sessions past their absolute end, and links a week past theirs (until then a used or
   * expired link still answers 410 with its explanation rather than 404).
   */
  async deleteExpired(db: Kysely<Database>, now: number): Promise<number> {
    const sessions = await db.deleteFrom('portal_sessions').where('expires_at', '<', now).executeTakeFirst();
    const links = await db.deleteFrom('portal_links').where('expires_at', '<', now - 7 * 86_400_000).executeTakeFirst();
    return Number(sessions.numDeletedRows) + Number(links.numDeletedRows);
  },
};
