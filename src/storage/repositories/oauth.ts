/** Authorization codes and access tokens, stored by hash only. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, OauthCodesTable, OauthTokensTable, SigningKeysTable } from '../schema.ts';
import { isUniqueViolation, traitsOf, type DialectName } from '../dialect.ts';
import type { AppSessionRow } from './app-sessions.ts';
import { assertionReplaysRepo } from './assertion-replays.ts';
import { connectionLoginHealthRepo, loginMinuteOf } from './connection-login-health.ts';
import { retryOnDeadlock } from '../dialect.ts';
import { loginStatements, type CodeWithClientSecret, type TokenWithSession } from '../prepared-login.ts';

/** What a sign-in records with its code (`insertWithSession`). */
export interface SignInRecords {
  /** A SAML assertion's replay key, recorded once. */
  replay?: { key: string; keepUntil: number };
  /** A successful sign-in of the connection, counted (connection-login-health.ts). */
  success?: { connectionId: string; now: number };
}

export type OauthCodeRow = Selectable<OauthCodesTable>;

/**
 * What a token request presents, for a redeem that checks it in its own WHERE (`redeemChecked`, decision 0047).
 * Each list holds every reading of one credential (form-decoded and, for HTTP Basic, literal).
 */
export interface RedeemCheck {
  codeHash: string;
  now: number;
  /** The client_id sent, null when none was. */
  clientIds: string[] | null;
  redirectUri: string | null;
  /**
   * The S256 challenge of the code_verifier sent, null when none was. A code with a `plain` challenge (only under
   * JACKSON_COMPAT) never redeems here: its verifier is compared in constant time on the step-by-step path.
   */
  verifier: { s256: string } | null;
  /** Keyed hashes of the client_secret sent (connection.client_secret_mac), null when none was: the code must then have PKCE. */
  secretMacs: string[] | null;
}
export type OauthTokenRow = Selectable<OauthTokensTable>;
export type SigningKeyRow = Selectable<SigningKeysTable>;

/**
 * SQLite: the checked redeem (one UPDATE … RETURNING, compiled once), then the access token's insert, as the
 * step-by-step path does after its redeem (SQLite has no data-modifying CTE; decision 0061).
 */
async function redeemCheckedSqlite(db: Kysely<Database>, c: RedeemCheck, token: Pick<OauthTokenRow, 'token_hash' | 'created_at' | 'expires_at'>): Promise<OauthCodeRow | undefined> {
  // A list the request sent is one or two values (form-decoded and literal HTTP Basic); null means no such check. An
  // empty list matches nothing, as PostgreSQL's `in ()` would: nothing is redeemed and token.ts checks step by step.
  const pair = (xs: string[] | null): [string | null, string | null] | null =>
    xs === null ? [null, null] : xs.length === 0 || xs.length > 2 ? null : [xs[0]!, xs[1] ?? xs[0]!];
  const ids = pair(c.clientIds);
  const macs = pair(c.secretMacs);
  if (!ids || !macs) return undefined;
  const [clientIdA, clientIdB] = ids;
  const [macA, macB] = macs;
  const code = await loginStatements.redeemCheckedSqlite.first(db, {
    now: c.now, codeHash: c.codeHash, clientIdA, clientIdB, redirectUri: c.redirectUri, s256: c.verifier?.s256 ?? null, macA, macB,
  });
  if (!code) return undefined;
  await loginStatements.insertToken.rows(db, {
    token_hash: token.token_hash, code_hash: code.code_hash, connection_id: code.connection_id, profile_enc: code.profile_enc,
    created_at: token.created_at, expires_at: token.expires_at, revoked_at: null, sid: code.sid, scope: code.scope, client_id: code.client_id,
  });
  return code;
}

export const oauthCodesRepo = {
  async insert(db: Kysely<Database>, row: OauthCodeRow): Promise<void> {
    await db.insertInto('oauth_codes').values(row).execute();
  },
  /**
   * A sign-in's app session and its code, stored together (decisions 0039, 0042), with what the sign-in also records:
   * its SAML assertion's single use (`replay`: nothing is stored, and the answer is false, when the key was recorded
   * before) and its success for `connection.login_failures` (`success`, connection-login-health.ts#recordSuccess).
   * One statement on PostgreSQL (each write a data-modifying CTE of the code's insert: a replay's unique violation
   * fails the whole statement); one group-commit transaction on SQLite; one statement each on MySQL/MariaDB, replay
   * key first, session before code, so a code never names a session that is not there (a failure in between leaves
   * an unused session, which expires).
   */
  async insertWithSession(db: Kysely<Database>, dialect: DialectName, session: AppSessionRow, row: OauthCodeRow, also: SignInRecords = {}): Promise<boolean> {
    const { replay, success } = also;
    if (dialect === 'postgres') {
      const run = () => {
        let q = db.with('opened', (d) => d.insertInto('app_sessions').values(session).returning('sid'));
        if (replay) q = q.with('replayed', (d) => d.insertInto('assertion_replays').values({ assertion_key: replay.key, expires_at: replay.keepUntil }).returning('assertion_key')) as unknown as typeof q;
        if (success) q = connectionLoginHealthRepo.withSuccess(q, success);
        return q.insertInto('oauth_codes').values(row).execute();
      };
      try {
        await retryOnDeadlock(run, { attempts: 3, backoffMs: (n) => n * 5 });
      } catch (err) {
        if (replay && isUniqueViolation(err) && (err as { table?: string }).table === 'assertion_replays') return false;
        throw err;
      }
      return true;
    }
    const all = async (d: Kysely<Database>) => {
      if (replay && !(await assertionReplaysRepo.recordOnce(d, replay.key, replay.keepUntil))) return false;
      await loginStatements.insertSession.rows(d, session);
      await loginStatements.insertCode.rows(d, row);
      // The count is the connection's health, not the sign-in: the code is stored, so a failure to count (an InnoDB
      // deadlock between two sign-ins' upserts of one minute's row, say) must not turn the answer into an error.
      if (success) await connectionLoginHealthRepo.recordSuccess(d, dialect, success.connectionId, loginMinuteOf(success.now), success.now).catch(() => undefined);
      return true;
    };
    return traitsOf(dialect).groupCommit && !db.isTransaction ? db.transaction().execute(all) : all(db);
  },
  async findByHash(db: Kysely<Database>, codeHash: string): Promise<OauthCodeRow | undefined> {
    return db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
  },
  /** The code with its connection's sealed clientSecret (null when the connection is gone) in one read (the token endpoint, decision 0039). */
  async findWithClientSecret(db: Kysely<Database>, codeHash: string): Promise<CodeWithClientSecret | undefined> {
    return loginStatements.codeWithClientSecret.first(db, { codeHash });
  },
  /**
   * Marks the code redeemed and stores the access token it buys, or neither; false when someone redeemed it first.
   * One statement on PostgreSQL (the redeem is a data-modifying CTE the insert selects from); the conditional
   * UPDATE, then the insert, elsewhere (decision 0039; one SQLite transaction for both measured more CPU, 0055).
   */
  async redeemWithToken(db: Kysely<Database>, dialect: DialectName, codeHash: string, now: number, token: OauthTokenRow): Promise<boolean> {
    if (dialect !== 'postgres') {
      if (!(await oauthCodesRepo.redeem(db, codeHash, now))) return false;
      await loginStatements.insertToken.rows(db, token);
      return true;
    }
    // Parameters in a SELECT list have no type of their own: each is cast to its column's.
    const big = (v: number | null) => sql<number>`cast(${v} as bigint)`;
    const txt = (v: string | null) => sql<string>`cast(${v} as text)`;
    const r = await db
      .with('redeemed', (d) => d.updateTable('oauth_codes').set({ redeemed_at: now }).where('code_hash', '=', codeHash).where('redeemed_at', 'is', null).returning('code_hash'))
      .insertInto('oauth_tokens')
      .columns(['token_hash', 'code_hash', 'connection_id', 'profile_enc', 'created_at', 'expires_at', 'revoked_at', 'sid', 'scope', 'client_id'])
      .expression((eb) => eb.selectFrom('redeemed').select([
        txt(token.token_hash).as('token_hash'), 'redeemed.code_hash', txt(token.connection_id).as('connection_id'), txt(token.profile_enc).as('profile_enc'),
        big(token.created_at).as('created_at'), big(token.expires_at).as('expires_at'), big(token.revoked_at).as('revoked_at'),
        txt(token.sid).as('sid'), txt(token.scope).as('scope'), txt(token.client_id).as('client_id'),
      ]))
      .returning('token_hash')
      .executeTakeFirst();
    return r !== undefined;
  },
  /**
   * PostgreSQL, one statement: redeems a code issued to a connection's own clientID (no offline_access) only if the
   * request passes every check the token endpoint makes — unused, unexpired, the client_id and redirect_uri sent,
   * the client's secret (by its keyed hash) or, without one, PKCE, and the code_verifier — and stores the access
   * token with it. The code's row when it did; undefined when anything failed, and nothing was written (the caller
   * then reads again to say why, decision 0047). SQLite: the same checks in an UPDATE … RETURNING, then the token's
   * insert (two statements, as its step-by-step redeem; decision 0061).
   */
  async redeemChecked(db: Kysely<Database>, dialect: DialectName, c: RedeemCheck, token: Pick<OauthTokenRow, 'token_hash' | 'created_at' | 'expires_at'>): Promise<OauthCodeRow | undefined> {
    if (dialect === 'sqlite') return redeemCheckedSqlite(db, c, token);
    if (dialect !== 'postgres') throw new Error('redeemChecked is PostgreSQL and SQLite SQL (RETURNING); MySQL/MariaDB take the step-by-step path');
    const big = (v: number | null) => sql<number>`cast(${v} as bigint)`;
    return db
      .with('redeemed', (d) => {
        let q = d.updateTable('oauth_codes as k').set({ redeemed_at: c.now })
          .where('k.code_hash', '=', c.codeHash).where('k.redeemed_at', 'is', null).where('k.expires_at', '>=', c.now)
          .whereRef('k.client_id', '=', 'k.connection_id')
          .where(sql<boolean>`position(' offline_access ' in ' ' || k.scope || ' ') = 0`);
        if (c.clientIds) q = q.where('k.client_id', 'in', c.clientIds);
        if (c.redirectUri !== null) q = q.where('k.redirect_uri', '=', c.redirectUri);
        const v = c.verifier;
        q = v
          ? q.where((eb) => eb.or([
            eb('k.code_challenge', 'is', null),
            eb.and([sql<boolean>`k.code_challenge_method is distinct from 'plain'`, eb('k.code_challenge', '=', v.s256)]),
          ]))
          : q.where('k.code_challenge', 'is', null);
        const macs = c.secretMacs;
        q = macs
          ? q.where((eb) => eb.exists(eb.selectFrom('connections as c').select(sql`1`.as('one')).whereRef('c.id', '=', 'k.connection_id').where('c.client_secret_mac', 'in', macs)))
          : q.where('k.code_challenge', 'is not', null);
        return q.returningAll('k');
      })
      .with('issued', (d) => d.insertInto('oauth_tokens')
        .columns(['token_hash', 'code_hash', 'connection_id', 'profile_enc', 'created_at', 'expires_at', 'revoked_at', 'sid', 'scope', 'client_id'])
        .expression((eb) => eb.selectFrom('redeemed').select([
          sql<string>`cast(${token.token_hash} as text)`.as('token_hash'), 'redeemed.code_hash', 'redeemed.connection_id', 'redeemed.profile_enc',
          big(token.created_at).as('created_at'), big(token.expires_at).as('expires_at'), big(null).as('revoked_at'), 'redeemed.sid', 'redeemed.scope', 'redeemed.client_id',
        ]))
        .returning('token_hash'))
      .selectFrom('redeemed').selectAll()
      .executeTakeFirst();
  },
  /** Atomically marks the code redeemed; false when someone redeemed it first. */
  async redeem(db: Kysely<Database>, codeHash: string, now: number): Promise<boolean> {
    return (await loginStatements.redeemCode.changed(db, { codeHash, now })) === 1;
  },
  async deleteExpired(db: Kysely<Database>, now: number): Promise<number> {
    const r = await db.deleteFrom('oauth_codes').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};

export const oauthTokensRepo = {
  /** scope and client_id may be left out (null), as tokens issued before migration 021 have them. */
  async insert(db: Kysely<Database>, row: Omit<OauthTokenRow, 'scope' | 'client_id'> & Partial<Pick<OauthTokenRow, 'scope' | 'client_id'>>): Promise<void> {
    await db.insertInto('oauth_tokens').values(row).execute();
  },
  async findByHash(db: Kysely<Database>, tokenHash: string): Promise<OauthTokenRow | undefined> {
    return db.selectFrom('oauth_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  },
  /**
   * The token with its app session's end and expiry in one read (userinfo, decision 0039); the session columns are
   * null when the token has no session (issued before migration 019) or the session row is gone.
   */
  async findWithSession(db: Kysely<Database>, tokenHash: string): Promise<TokenWithSession | undefined> {
    return loginStatements.tokenWithSession.first(db, { tokenHash });
  },
  /** Revokes one token; false when it was revoked already. */
  async revoke(db: Kysely<Database>, tokenHash: string, now: number): Promise<boolean> {
    const r = await db.updateTable('oauth_tokens').set({ revoked_at: now }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** Revokes every token issued from a code: the code presented a second time, or its refresh family revoked (refreshed access tokens carry the family's code_hash). */
  async revokeByCode(db: Kysely<Database>, codeHash: string, now: number): Promise<number> {
    const r = await db.updateTable('oauth_tokens').set({ revoked_at: now }).where('code_hash', '=', codeHash).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  /** Revokes every access token of the given app sessions. */
  async revokeBySessions(db: Kysely<Database>, sids: string[], now: number): Promise<number> {
    if (sids.length === 0) return 0;
    const r = await db.updateTable('oauth_tokens').set({ revoked_at: now }).where('sid', 'in', sids).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  async deleteExpired(db: Kysely<Database>, now: number): Promise<number> {
    const r = await db.deleteFrom('oauth_tokens').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};

export const signingKeysRepo = {
  async listActive(db: Kysely<Database>, use: SigningKeyRow['use']): Promise<SigningKeyRow[]> {
    return db.selectFrom('signing_keys').selectAll().where('use', '=', use).where('retired_at', 'is', null).orderBy('created_at', 'desc').execute();
  },
  async listAll(db: Kysely<Database>, use: SigningKeyRow['use']): Promise<SigningKeyRow[]> {
    return db.selectFrom('signing_keys').selectAll().where('use', '=', use).orderBy('created_at', 'desc').execute();
  },
  /** Retires an active key (it stays for the record; listActive no longer returns it). */
  async retire(db: Kysely<Database>, id: string, now: number): Promise<void> {
    await db.updateTable('signing_keys').set({ retired_at: now }).where('id', '=', id).where('retired_at', 'is', null).execute();
  },
  /** Inserts unless a key with that id exists (two instances booting at once agree on one key). */
  async insertIfAbsent(db: Kysely<Database>, row: SigningKeyRow): Promise<boolean> {
    try {
      await db.insertInto('signing_keys').values(row).execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  },
};
