/** Login flows: what the app asked for, kept in the database between authorize and the IdP's answer. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, LoginFlowsTable, OauthCodesTable } from '../schema.ts';
import type { AppSessionsTable } from '../schema-sessions.ts';
import { isUniqueViolation, retryOnDeadlock, type DialectName } from '../dialect.ts';
import type { AppSessionRow } from './app-sessions.ts';
import type { OauthCodeRow } from './oauth.ts';
import { loginMinuteOf } from './connection-login-health.ts';
import { CLAIMED_CONNECTION_COLUMNS, type ConnectionRow } from './connections.ts';
import { tenantSignInFactColumns, tenantSignInFactsOf, type TenantSignInFacts } from './role-mappings.ts';
import { loginStatements } from '../prepared-login.ts';

export type LoginFlowRow = Selectable<LoginFlowsTable>;

/**
 * A claimed flow with its connection's serving row (undefined when the connection was deleted) and what its sign-in
 * will look up for the connection's tenant and product (role-mappings.ts#TenantSignInFacts).
 */
export interface ClaimedFlow {
  flow: LoginFlowRow;
  connection: ConnectionRow | undefined;
  facts: TenantSignInFacts;
}

/** A claimed flow's row split again: the flow's columns, the connection's (`c__<column>`) and the sign-in's lookups. */
function splitClaimed(row: Record<string, unknown>): ClaimedFlow {
  const flow: Record<string, unknown> = {};
  const connection: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k.startsWith('c__')) connection[k.slice(3)] = v;
    else if (!k.startsWith('s__')) flow[k] = v;
  }
  return { flow: flow as unknown as LoginFlowRow, connection: connection.id == null ? undefined : (connection as unknown as ConnectionRow), facts: tenantSignInFactsOf(row) };
}

/**
 * A sign-in the ACS settled before any statement, from a connection and tenant lookups it remembered
 * (`claimAndIssue`, decision 0052). The session and the code lack what only the flow's params hold (client_id,
 * redirect_uri, PKCE, nonce, scope): the statement takes them from the flow it claims.
 */
export interface SettledSignIn {
  flowId: string;
  now: number;
  /** The connection row and lookups the sign-in was validated and mapped with: the statement proves them current. */
  connection: ConnectionRow;
  facts: TenantSignInFacts;
  session: Omit<AppSessionRow, 'client_id'>;
  code: Omit<OauthCodeRow, 'client_id' | 'redirect_uri' | 'code_challenge' | 'code_challenge_method' | 'nonce' | 'scope'>;
  replay: { key: string; keepUntil: number };
}

/** The verified domains as the statement aggregates them: sorted by code point, comma-joined (null: none). */
const domainsProofOf = (domains: readonly string[]): string | null => (domains.length ? [...domains].sort().join(',') : null);

/**
 * Where each column of the session and the code `claimAndIssue` inserts comes from: the caller's row (cast to text or
 * bigint: a SELECT list's parameters have no type of their own) or the claimed flow's params. One entry per column of
 * the table, checked at compile time, so a column added later cannot be left out of the one statement silently.
 */
type ColumnSource = 'text' | 'bigint' | { flow: 'clientId' | 'redirectUri' | 'codeChallenge' | 'codeChallengeMethod' | 'nonce' | 'scope' };
const SESSION_SOURCES: { [K in keyof AppSessionsTable]-?: ColumnSource } = {
  sid: 'text', connection_id: 'text', tenant: 'text', product: 'text', client_id: { flow: 'clientId' }, sub: 'text', nameid: 'text', nameid_key: 'text',
  nameid_format: 'text', session_index: 'text', email: 'text', groups: 'text', created_at: 'bigint', expires_at: 'bigint', ended_at: 'bigint', end_reason: 'text',
};
const CODE_SOURCES: { [K in keyof OauthCodesTable]-?: ColumnSource } = {
  code_hash: 'text', flow_id: 'text', connection_id: 'text', client_id: { flow: 'clientId' }, redirect_uri: { flow: 'redirectUri' },
  code_challenge: { flow: 'codeChallenge' }, code_challenge_method: { flow: 'codeChallengeMethod' }, nonce: { flow: 'nonce' }, scope: { flow: 'scope' },
  profile_enc: 'text', created_at: 'bigint', expires_at: 'bigint', redeemed_at: 'bigint', sid: 'text',
};

/** `insert into <table> (<columns>) select <values> from p`, each value as `sources` says (the flow's params are `p.j`). */
function insertFromFlow(table: string, sources: Record<string, ColumnSource>, row: Record<string, unknown>) {
  const columns = Object.keys(sources);
  const values = columns.map((column) => {
    const from = sources[column]!;
    if (typeof from === 'object') return sql`p.j ->> ${sql.lit(from.flow)}`;
    return from === 'bigint' ? sql`cast(${row[column] as number | null} as bigint)` : sql`cast(${row[column] as string | null} as text)`;
  });
  return sql`insert into ${sql.raw(table)} (${sql.raw(columns.join(', '))}) select ${sql.join(values)} from p`;
}

export const loginFlowsRepo = {
  /** `connection_version` left out: a flow from before versions (null). */
  async insert(db: Kysely<Database>, row: Omit<LoginFlowRow, 'connection_version'> & { connection_version?: number | null }): Promise<void> {
    await loginStatements.insertFlow.rows(db, { ...row, connection_version: row.connection_version ?? null });
  },
  /**
   * A connection read by its clientID, and on PostgreSQL the SAML flow the authorize request will start on it stored
   * in the same statement (decision 0042): the flow's insert is a data-modifying CTE that takes the connection's
   * tenant, product and version, and runs only for an active SAML connection whose redirect URLs list one of
   * `redirectUris` exactly (the request's, as sent and normalised: decision 0047), so a request refused for its
   * redirect URI writes nothing. `started` says whether it ran. Elsewhere only the read, and the caller stores the
   * flow as before.
   */
  async readConnectionStartingFlow(db: Kysely<Database>, dialect: DialectName, connectionId: string, flow: Omit<LoginFlowRow, 'connection_id' | 'tenant' | 'product' | 'connection_version'>, redirectUris: readonly string[]): Promise<{ connection: ConnectionRow | undefined; started: boolean }> {
    if (dialect !== 'postgres') return { connection: await loginStatements.connectionById.first(db, { id: connectionId }), started: false };
    // Parameters in a SELECT list have no type of their own: each is cast to its column's.
    const big = (v: number | null) => sql<number>`cast(${v} as bigint)`;
    const txt = (v: string) => sql<string>`cast(${v} as text)`;
    const row = await db
      .with('c', (d) => d.selectFrom('connections').selectAll().where('id', '=', connectionId))
      .with('started', (d) => d.insertInto('login_flows')
        .columns(['id', 'connection_id', 'tenant', 'product', 'params', 'created_at', 'expires_at', 'completed_at', 'connection_version'])
        .expression((eb) => eb.selectFrom('c').select([
          txt(flow.id).as('id'), 'c.id as connection_id', 'c.tenant', 'c.product', txt(flow.params).as('params'),
          big(flow.created_at).as('created_at'), big(flow.expires_at).as('expires_at'), big(flow.completed_at).as('completed_at'), 'c.version as connection_version',
        ]).where('c.active', '=', 1).where('c.kind', '=', 'saml')
          .where((eb) => eb.or(redirectUris.map((u) => sql<boolean>`cast(c.redirect_urls as jsonb) @> jsonb_build_array(cast(${u} as text))`))))
        .returning('id'))
      .selectFrom('c')
      .selectAll('c')
      .select((eb) => eb.selectFrom('started').select(eb.fn.countAll<number>().as('n')).as('flow_started'))
      .executeTakeFirst();
    if (!row) return { connection: undefined, started: false };
    const { flow_started, ...connection } = row;
    return { connection: connection as ConnectionRow, started: Number(flow_started) === 1 };
  },
  async delete(db: Kysely<Database>, id: string): Promise<void> {
    await db.deleteFrom('login_flows').where('id', '=', id).execute();
  },
  async findById(db: Kysely<Database>, id: string): Promise<LoginFlowRow | undefined> {
    return db.selectFrom('login_flows').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /**
   * Completes an open, unexpired flow (the single-use mark of an IdP's answer) and answers it as it now is
   * (completed_at = now), with the flow's connection (its serving row) and its sign-in's lookups read with it: one
   * statement on PostgreSQL (the claim is a data-modifying CTE the join reads), the conditional UPDATE and then the
   * join elsewhere (decisions 0039, 0042). Undefined when no such flow is open.
   */
  async claimWithConnection(db: Kysely<Database>, dialect: DialectName, id: string, now: number): Promise<ClaimedFlow | undefined> {
    if (dialect === 'postgres') {
      const update = db.updateTable('login_flows').set({ completed_at: now }).where('id', '=', id).where('completed_at', 'is', null).where('expires_at', '>=', now);
      const row = await db
        .with('claimed', () => update.returningAll())
        .selectFrom('claimed')
        .leftJoin('connections as c', 'c.id', 'claimed.connection_id')
        .selectAll('claimed')
        .select(CLAIMED_CONNECTION_COLUMNS)
        .select(tenantSignInFactColumns(dialect, 'c.tenant', 'c.product'))
        .executeTakeFirst();
      return row === undefined ? undefined : splitClaimed(row as Record<string, unknown>);
    }
    if ((await loginStatements.claimFlow.changed(db, { id, now })) !== 1) return undefined;
    const row = await loginStatements.claimedFlow[dialect].first(db, { id });
    return row === undefined ? undefined : splitClaimed(row);
  },
  /**
   * PostgreSQL, one statement (decision 0052): claims the flow and stores the sign-in's replay key, app session, code
   * and success count, only if every input the caller used is still the database's — the flow open, unexpired, on
   * this connection and version, for an app (no setup-link test, no federation request); the connection's serving row
   * unchanged (version, updated_at, settings, IdP entity ID, tenant, product, active SAML); the tenant's verified
   * domains, the product's roles and the tenant's role mapping as read — or writes nothing. The claimed flow, or
   * undefined on a miss (a replayed assertion key included): the caller then takes the step-by-step path, which gives
   * every refusal its own error.
   */
  async claimAndIssue(db: Kysely<Database>, dialect: DialectName, a: SettledSignIn): Promise<LoginFlowRow | undefined> {
    if (dialect !== 'postgres') throw new Error('claimAndIssue is PostgreSQL SQL (data-modifying WITH); other dialects take the step-by-step path');
    const c = a.connection;
    const big = (v: number | null) => sql`cast(${v} as bigint)`;
    const txt = (v: string | null) => sql`cast(${v} as text)`;
    const { session: s, code: k, replay: r } = a;
    const query = sql<LoginFlowRow>`with claimed as (
  update login_flows f set completed_at = ${big(a.now)}
  where f.id = ${txt(a.flowId)} and f.completed_at is null and f.expires_at >= ${big(a.now)}
    and f.connection_id = ${txt(c.id)} and f.connection_version = ${big(c.version)}
    and jsonb_typeof(cast(f.params as jsonb) -> 'clientId') = 'string' and jsonb_typeof(cast(f.params as jsonb) -> 'redirectUri') = 'string'
    and cast(f.params as jsonb) -> 'setupTestId' is null and cast(f.params as jsonb) -> 'federationRequestId' is null
    and exists (select 1 from connections c where c.id = ${txt(c.id)} and c.version = ${big(c.version)} and c.updated_at = ${big(c.updated_at)}
      and c.active = 1 and c.kind = 'saml' and c.tenant = ${txt(c.tenant)} and c.product = ${txt(c.product)}
      and c.settings = ${txt(c.settings)} and c.idp_entity_id is not distinct from ${txt(c.idp_entity_id)})
    and (select string_agg(vd.domain, ',' order by vd.domain collate "C") from verified_domains vd where vd.tenant = ${txt(c.tenant)}) is not distinct from ${txt(domainsProofOf(a.facts.verifiedDomains))}
    and (select pr.roles from products pr where pr.id = ${txt(c.product)}) is not distinct from ${txt(a.facts.roles)}
    and (select rm.mappings from role_mappings rm where rm.tenant = ${txt(c.tenant)} and rm.product = ${txt(c.product)}) is not distinct from ${txt(a.facts.mappings)}
  returning f.id, f.connection_id, f.tenant, f.product, f.params, f.created_at, f.expires_at, f.completed_at, f.connection_version
), p as (select cast(claimed.params as jsonb) as j from claimed),
replayed as (insert into assertion_replays (assertion_key, expires_at) select ${txt(r.key)}, ${big(r.keepUntil)} from claimed returning assertion_key),
opened as (${insertFromFlow('app_sessions', SESSION_SOURCES, s)} returning sid),
issued as (${insertFromFlow('oauth_codes', CODE_SOURCES, k)} returning code_hash),
counted as (insert into connection_login_counts (connection_id, minute, outcome, n) select ${txt(c.id)}, ${big(loginMinuteOf(a.now))}, 'ok', 1 from claimed
  on conflict (connection_id, minute, outcome) do update set n = connection_login_counts.n + 1 returning n),
health as (insert into connection_login_health (connection_id, last_success_at, failures_since_success, failing_since) select ${txt(c.id)}, ${big(a.now)}, 0, ${big(null)} from claimed
  on conflict (connection_id) do update set last_success_at = excluded.last_success_at, failures_since_success = 0, failing_since = null returning connection_id)
select * from claimed`;
    try {
      const { rows } = await retryOnDeadlock(() => query.execute(db), { attempts: 3, backoffMs: (n) => n * 5 });
      return rows[0];
    } catch (err) {
      // The assertion was accepted before: nothing was written; the step-by-step path refuses it as SAML_REPLAYED.
      if (isUniqueViolation(err) && (err as { table?: string }).table === 'assertion_replays') return undefined;
      throw err;
    }
  },
  /**
   * Gives back a claim that answered nothing (the ACS's worker path handing over to the main thread, decision 0042):
   * the flow is open again only if it is still as this claim left it.
   */
  async releaseClaim(db: Kysely<Database>, id: string, claimedAt: number): Promise<void> {
    await db.updateTable('login_flows').set({ completed_at: null }).where('id', '=', id).where('completed_at', '=', claimedAt).execute();
  },
  /**
   * The finishers' single-use mark: a flow the protocol layer already claimed (`claimWithConnection`, completed_at set) is this
   * request's; an open one is completed here. False when another answer completed it first.
   */
  async completeUnlessClaimed(db: Kysely<Database>, flow: LoginFlowRow, now: number): Promise<boolean> {
    return flow.completed_at !== null || loginFlowsRepo.complete(db, flow.id, now);
  },
  /** Marks the flow completed; false when it was already completed (a second IdP answer for one request). */
  async complete(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
    const r = await db.updateTable('login_flows').set({ completed_at: now }).where('id', '=', id).where('completed_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async deleteExpired(db: Kysely<Database>, now: number): Promise<number> {
    const r = await db.deleteFrom('login_flows').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
