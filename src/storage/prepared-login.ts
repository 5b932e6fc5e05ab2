/**
 * A login's statements, compiled once (the idea of 0049's storage/prepared.ts): the token and userinfo steps' (decision
 * 0055) and, outside PostgreSQL's one-statement paths, the authorize and ACS steps' (decision 0059). Each is run once
 * per login, and Kysely built, froze and compiled each of them on every call. The SQL text is the one Kysely builds
 * per call for the same query (an insert: with every column, in the order listed here);
 * test/storage/prepared-login-conformance.test.ts pins it on all three databases.
 *
 * The redeem and the claim are run with `changed` (the number of rows they updated).
 */
import { sql, type Selectable } from 'kysely';
import type { Database, LoginFlowsTable, OauthCodesTable, OauthTokensTable } from './schema.ts';
import type { AppSessionsTable } from './schema-sessions.ts';
import type { DialectName } from './dialect.ts';
import { prepared } from './prepared.ts';
import { CLAIMED_CONNECTION_COLUMNS } from './repositories/connections.ts';
import { tenantSignInFactColumns } from './repositories/role-mappings.ts';

type OauthCodeRow = Selectable<OauthCodesTable>;
type OauthTokenRow = Selectable<OauthTokensTable>;
export type CodeWithClientSecret = OauthCodeRow & { connection_secret_enc: string | null; connection_secret_mac: string | null };
export type TokenWithSession = OauthTokenRow & { session_found: string | null; session_ended_at: number | null; session_expires_at: number | null };

/** `true` only when `Listed` names every column of `Table`: a column added later must be bound too, or this fails to compile. */
type EveryColumn<Table, Listed extends keyof Table> = Exclude<keyof Table, Listed> extends never ? true : never;

/** The columns of an access token's insert, in the order newAccessToken writes them. */
const TOKEN_COLUMNS = ['token_hash', 'code_hash', 'connection_id', 'profile_enc', 'created_at', 'expires_at', 'revoked_at', 'sid', 'scope', 'client_id'] as const satisfies readonly (keyof OauthTokensTable)[];
/** A login flow's, an app session's and a code's, in the order their writers build them. */
const FLOW_COLUMNS = ['id', 'connection_id', 'tenant', 'product', 'params', 'created_at', 'expires_at', 'completed_at', 'connection_version'] as const satisfies readonly (keyof LoginFlowsTable)[];
const SESSION_COLUMNS = [
  'sid', 'connection_id', 'tenant', 'product', 'client_id', 'sub', 'nameid', 'nameid_key', 'nameid_format', 'session_index', 'email', 'groups', 'created_at', 'expires_at', 'ended_at', 'end_reason',
] as const satisfies readonly (keyof AppSessionsTable)[];
const CODE_COLUMNS = [
  'code_hash', 'flow_id', 'connection_id', 'profile_enc', 'created_at', 'expires_at', 'redeemed_at', 'sid', 'client_id', 'redirect_uri', 'code_challenge', 'code_challenge_method', 'nonce', 'scope',
] as const satisfies readonly (keyof OauthCodesTable)[];
const everyColumnListed: [EveryColumn<OauthTokensTable, (typeof TOKEN_COLUMNS)[number]>, EveryColumn<LoginFlowsTable, (typeof FLOW_COLUMNS)[number]>, EveryColumn<AppSessionsTable, (typeof SESSION_COLUMNS)[number]>, EveryColumn<OauthCodesTable, (typeof CODE_COLUMNS)[number]>] = [true, true, true, true];
void everyColumnListed;

/** An insert of one row binding every column of `columns`, nulls included, in that order. */
const insertEvery = <T extends keyof Database & string, Row extends Record<string, unknown>>(table: T, columns: readonly (keyof Row & string)[]) =>
  prepared<Row, never>(columns, (db, v) => db.insertInto(table).values(Object.fromEntries(columns.map((k) => [k, v[k]])) as never));

/** The claimed flow with its connection's columns (`c__<column>`) and its sign-in's lookups (`s__…`), in one read: per dialect (the lookups' JSON aggregate). */
const claimedFlowRead = (dialect: DialectName) => prepared<{ id: string }, Record<string, unknown>>(['id'], (db, v) =>
  db.selectFrom('login_flows as f').leftJoin('connections as c', 'c.id', 'f.connection_id').selectAll('f')
    .select(CLAIMED_CONNECTION_COLUMNS)
    .select(tenantSignInFactColumns(dialect, 'c.tenant', 'c.product'))
    .where('f.id', '=', v.id) as never);

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
  insertToken: insertEvery<'oauth_tokens', OauthTokenRow>('oauth_tokens', TOKEN_COLUMNS),
  /** oauthTokensRepo.findWithSession. */
  tokenWithSession: prepared<{ tokenHash: string }, TokenWithSession>(['tokenHash'], (db, v) =>
    db.selectFrom('oauth_tokens as t')
      .leftJoin('app_sessions as s', 's.sid', 't.sid')
      .selectAll('t')
      .select(['s.sid as session_found', 's.ended_at as session_ended_at', 's.expires_at as session_expires_at'])
      .where('t.token_hash', '=', v.tokenHash)),

  /** Authorize, outside PostgreSQL's one statement (login-flows.ts#readConnectionStartingFlow): the connection by its id. */
  connectionById: prepared<{ id: string }, Selectable<Database['connections']>>(['id'], (db, v) => db.selectFrom('connections').selectAll().where('id', '=', v.id)),
  /** Authorize's flow (loginFlowsRepo.insert). */
  insertFlow: insertEvery<'login_flows', Selectable<LoginFlowsTable>>('login_flows', FLOW_COLUMNS),
  /** The ACS's claim (login-flows.ts#claimWithConnection): 1 when this call completed the flow. */
  claimFlow: prepared<{ id: string; now: number }, never>(['id', 'now'], (db, v) =>
    db.updateTable('login_flows').set({ completed_at: v.now }).where('id', '=', v.id).where('completed_at', 'is', null).where('expires_at', '>=', v.now)),
  /** The claimed flow's read, outside PostgreSQL (where the claim and the read are one statement). */
  claimedFlow: { sqlite: claimedFlowRead('sqlite'), mysql: claimedFlowRead('mysql'), postgres: claimedFlowRead('postgres') },
  /** A SAML assertion's single use (assertionReplaysRepo.recordOnce); a replay fails it with a unique violation. */
  insertReplay: prepared<{ key: string; expiresAt: number }, never>(['key', 'expiresAt'], (db, v) =>
    db.insertInto('assertion_replays').values({ assertion_key: v.key, expires_at: v.expiresAt })),
  /** A sign-in's app session and its code (oauthCodesRepo.insertWithSession outside PostgreSQL). */
  insertSession: insertEvery<'app_sessions', Selectable<AppSessionsTable>>('app_sessions', SESSION_COLUMNS),
  insertCode: insertEvery<'oauth_codes', OauthCodeRow>('oauth_codes', CODE_COLUMNS),

  /**
   * SQLite's redeem with the token request's checks in its WHERE (oauthCodesRepo.redeemChecked; PostgreSQL's is a
   * data-modifying CTE that also stores the token, decision 0047): the code's row when it redeemed it. One fixed shape
   * for every request: a check the request does not make is a null value (`clientIdA`, `redirectUri`, `s256`,
   * `macA`); a list of two holds its one value twice when only one was sent.
   */
  redeemCheckedSqlite: prepared<RedeemCheckedValues, OauthCodeRow>(
    ['now', 'codeHash', 'clientIdA', 'clientIdB', 'redirectUri', 's256', 'macA', 'macB'],
    (db, v) => {
      const q = sql<OauthCodeRow>`update "oauth_codes" as "k" set "redeemed_at" = ${v.now}
where "k"."code_hash" = ${v.codeHash} and "k"."redeemed_at" is null and "k"."expires_at" >= ${v.now}
  and "k"."client_id" = "k"."connection_id" and instr(' ' || "k"."scope" || ' ', ' offline_access ') = 0
  and (${v.clientIdA} is null or "k"."client_id" in (${v.clientIdA}, ${v.clientIdB}))
  and (${v.redirectUri} is null or "k"."redirect_uri" = ${v.redirectUri})
  and ((${v.s256} is null and "k"."code_challenge" is null)
    or (${v.s256} is not null and ("k"."code_challenge" is null or ("k"."code_challenge_method" is not 'plain' and "k"."code_challenge" = ${v.s256}))))
  and ((${v.macA} is null and "k"."code_challenge" is not null)
    or (${v.macA} is not null and exists (select 1 from "connections" as "c" where "c"."id" = "k"."connection_id" and "c"."client_secret_mac" in (${v.macA}, ${v.macB}))))
returning *`;
      return { compile: () => q.compile(db) };
    },
  ),
};

/** The values of `redeemCheckedSqlite`: null for a check the request does not make. */
export interface RedeemCheckedValues extends Record<string, unknown> {
  now: number;
  codeHash: string;
  clientIdA: string | null;
  clientIdB: string | null;
  redirectUri: string | null;
  s256: string | null;
  macA: string | null;
  macB: string | null;
}
