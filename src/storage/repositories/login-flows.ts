/** Login flows: what the app asked for, kept in the database between authorize and the IdP's answer. */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database, LoginFlowsTable } from '../schema.ts';
import type { DialectName } from '../dialect.ts';
import { CONNECTION_COLUMNS, type ConnectionRow } from './connections.ts';
import { tenantSignInFactColumns, tenantSignInFactsOf, type TenantSignInFacts } from './role-mappings.ts';

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

/** The connection's columns beside the flow's, each as `c__<column>` (the two tables share column names). */
const connectionColumns = CONNECTION_COLUMNS.map((k) => sql.ref(`c.${k}`).as(`c__${k}`));

function splitClaimed(row: Record<string, unknown>): ClaimedFlow {
  const flow: Record<string, unknown> = {};
  const connection: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k.startsWith('c__')) connection[k.slice(3)] = v;
    else if (!k.startsWith('s__')) flow[k] = v;
  }
  return { flow: flow as unknown as LoginFlowRow, connection: connection.id == null ? undefined : (connection as unknown as ConnectionRow), facts: tenantSignInFactsOf(row) };
}

export const loginFlowsRepo = {
  async insert(db: Kysely<Database>, row: Insertable<LoginFlowsTable>): Promise<void> {
    await db.insertInto('login_flows').values(row).execute();
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
    if (dialect !== 'postgres') return { connection: await db.selectFrom('connections').selectAll().where('id', '=', connectionId).executeTakeFirst(), started: false };
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
    const update = db.updateTable('login_flows').set({ completed_at: now }).where('id', '=', id).where('completed_at', 'is', null).where('expires_at', '>=', now);
    if (dialect === 'postgres') {
      const row = await db
        .with('claimed', () => update.returningAll())
        .selectFrom('claimed')
        .leftJoin('connections as c', 'c.id', 'claimed.connection_id')
        .selectAll('claimed')
        .select(connectionColumns)
        .select(tenantSignInFactColumns(dialect, 'c.tenant', 'c.product'))
        .executeTakeFirst();
      return row === undefined ? undefined : splitClaimed(row as Record<string, unknown>);
    }
    const r = await update.executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    const row = await db.selectFrom('login_flows as f').leftJoin('connections as c', 'c.id', 'f.connection_id').selectAll('f').select(connectionColumns).select(tenantSignInFactColumns(dialect, 'c.tenant', 'c.product')).where('f.id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : splitClaimed(row as Record<string, unknown>);
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
