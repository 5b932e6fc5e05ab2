/**
 * The token and userinfo steps' statements, compiled once (decision 0055, the idea of 0049's storage/prepared.ts).
 * Each is run once per login on every dialect (the code grant's step-by-step path: the read, the redeem, the access
 * token's insert; userinfo's read), and Kysely built, froze and compiled each of them on every call. The SQL text is
 * the one Kysely builds per call (test/storage/prepared-login-conformance.test.ts pins it on all three databases).
 *
 * The redeem is run with `changed` (the number of rows it updated).
 */
import type { Selectable } from 'kysely';
import type { Database, OauthCodesTable, OauthTokensTable } from './schema.ts';
import { prepared } from './prepared.ts';

type OauthCodeRow = Selectable<OauthCodesTable>;
type OauthTokenRow = Selectable<OauthTokensTable>;
export type CodeWithClientSecret = OauthCodeRow & { connection_secret_enc: string | null; connection_secret_mac: string | null };
export type TokenWithSession = OauthTokenRow & { session_found: string | null; session_ended_at: number | null; session_expires_at: number | null };

/** The columns of an access token's insert, in the order newAccessToken writes them. */
const TOKEN_COLUMNS = ['token_hash', 'code_hash', 'connection_id', 'profile_enc', 'created_at', 'expires_at', 'revoked_at', 'sid', 'scope', 'client_id'] as const satisfies readonly (keyof OauthTokensTable)[];
/** Every column of oauth_tokens is listed (a column added later must be bound here too, or this fails to compile). */
const allTokenColumnsListed: Exclude<keyof OauthTokensTable, (typeof TOKEN_COLUMNS)[number]> extends never ? true : never = true;
void allTokenColumnsListed;

export const loginStatements = {
  /** oauthCodesRepo.findWithClientSecret. */
  codeWithClientSecret: prepared<{ codeHash: string }, CodeWithClientSecret>(['codeHash'], (db, v) =>
    db.selectFrom('oauth_codes as k')
      .leftJoin('connections as c', 'c.id', 'k.connection_id')
      .selectAll('k')
      .select(['c.client_secret_enc as connection_secret_enc', 'c.client_secret_mac as connection_secret_mac'])
      .where('k.code_hash', '=', v.codeHash)),
  /** oauthCodesRepo.redeem: 1 when this call redeemed the code, 0 when someone did first. */
  redeemCode: prepared<{ codeHash: string; now: number }, never>(['codeHash', 'now'], (db, v) =>
    db.updateTable('oauth_codes').set({ redeemed_at: v.now }).where('code_hash', '=', v.codeHash).where('redeemed_at', 'is', null)),
  /** An access token's insert (every column bound, nulls included). */
  insertToken: prepared<OauthTokenRow, never>(TOKEN_COLUMNS, (db, v) =>
    db.insertInto('oauth_tokens').values(Object.fromEntries(TOKEN_COLUMNS.map((k) => [k, v[k]])) as OauthTokenRow)),
  /** oauthTokensRepo.findWithSession. */
  tokenWithSession: prepared<{ tokenHash: string }, TokenWithSession>(['tokenHash'], (db, v) =>
    db.selectFrom('oauth_tokens as t')
      .leftJoin('app_sessions as s', 's.sid', 't.sid')
      .selectAll('t')
      .select(['s.sid as session_found', 's.ended_at as session_ended_at', 's.expires_at as session_expires_at'])
      .where('t.token_hash', '=', v.tokenHash)),
};
