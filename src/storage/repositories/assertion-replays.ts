/** SAML assertion IDs seen once: the replay guard, enforced by the primary key so it holds across instances. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { isUniqueViolation } from '../dialect.ts';
import { loginStatements } from '../prepared-login.ts';

/** Assertion IDs accepted once, enforced by the primary key so it holds across instances. */
export const assertionReplaysRepo = {
  /** Records the assertion; false when it was already recorded (a replay). */
  async recordOnce(db: Kysely<Database>, assertionKey: string, expiresAt: number): Promise<boolean> {
    try {
      await loginStatements.insertReplay.rows(db, { key: assertionKey, expiresAt });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  },
  async deleteExpired(db: Kysely<Database>, now: number): Promise<number> {
    const r = await db.deleteFrom('assertion_replays').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
