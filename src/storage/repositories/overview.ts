/** The portal overview's numbers: a handful of counts over the whole deployment, and the setup links still waiting for the customer. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

type CountedTable = 'connections' | 'directories' | 'tenants' | 'products' | 'directory_users';

export interface AwaitingLinkRow { id: string; service: 'sso' | 'dsync'; tenant: string; product: string; name: string; expires_at: number; created_at: number }

const countOf = async (db: Kysely<Database>, table: CountedTable) =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

export const overviewRepo = {
  async counts(db: Kysely<Database>): Promise<Record<CountedTable | 'activeConnections', number>> {
    const [connections, directories, tenants, products, directory_users, active] = await Promise.all([
      countOf(db, 'connections'), countOf(db, 'directories'), countOf(db, 'tenants'), countOf(db, 'products'), countOf(db, 'directory_users'),
      db.selectFrom('connections').select((eb) => eb.fn.countAll<number>().as('n')).where('active', '=', 1).executeTakeFirstOrThrow(),
    ]);
    return { connections, directories, tenants, products, directory_users, activeConnections: Number(active.n) };
  },
  /** SSO sign-in failures recorded since `since`. */
  async ssoFailuresSince(db: Kysely<Database>, since: number): Promise<number> {
    return Number((await db.selectFrom('sso_traces').select((eb) => eb.fn.countAll<number>().as('n')).where('at', '>=', since).executeTakeFirstOrThrow()).n);
  },
  /**
   * Live setup links (not expired at `now`) whose tenant and product have nothing yet of the link's kind: an SSO
   * link without a connection, a Directory Sync link without a directory. Soonest to expire first.
   */
  async awaitingCustomer(db: Kysely<Database>, now: number, limit: number): Promise<AwaitingLinkRow[]> {
    return db
      .selectFrom('setup_links as l')
      .select(['l.id', 'l.service', 'l.tenant', 'l.product', 'l.name', 'l.expires_at', 'l.created_at'])
      .where('l.expires_at', '>', now)
      .where((eb) => eb.or([
        eb.and([eb('l.service', '=', 'sso'), eb.not(eb.exists(eb.selectFrom('connections as c').select('c.id').whereRef('c.tenant', '=', 'l.tenant').whereRef('c.product', '=', 'l.product')))]),
        eb.and([eb('l.service', '=', 'dsync'), eb.not(eb.exists(eb.selectFrom('directories as d').select('d.id').whereRef('d.tenant', '=', 'l.tenant').whereRef('d.product', '=', 'l.product')))]),
      ]))
      .orderBy('l.expires_at')
      .orderBy('l.id')
      .limit(limit)
      .execute();
  },
};
