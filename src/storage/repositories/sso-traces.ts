/** Traces of failed sign-ins (kept 7 days, within the budgets of ./sso-trace-budgets.ts), for the diagnosis screens. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';
import type { SsoTracesTable } from '../schema-admin.ts';

export type SsoTraceRow = Selectable<SsoTracesTable>;

export const ssoTracesRepo = {
  insert: async (db: Kysely<Database>, row: SsoTraceRow) => void (await db.insertInto('sso_traces').values(row).execute()),
  findById: (db: Kysely<Database>, id: string) => db.selectFrom('sso_traces').selectAll().where('id', '=', id).executeTakeFirst(),
  /** Newest first, since `since`; `before` is the cursor [at, id]. */
  list: (db: Kysely<Database>, o: { since: number; tenant?: string; product?: string; connectionId?: string; limit: number; offset?: number; before?: [number, string] }) => {
    let q = db.selectFrom('sso_traces').selectAll().where('at', '>=', o.since).orderBy('at', 'desc').orderBy('id', 'desc').limit(o.limit).offset(o.offset ?? 0);
    if (o.tenant) q = q.where('tenant', '=', o.tenant);
    if (o.product) q = q.where('product', '=', o.product);
    if (o.connectionId) q = q.where('connection_id', '=', o.connectionId);
    if (o.before) {
      const [at, id] = o.before;
      q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    return q.execute();
  },
  async countByProduct(db: Kysely<Database>, product: string, since: number): Promise<number> {
    const r = await db.selectFrom('sso_traces').select((eb) => eb.fn.countAll<number>().as('n')).where('product', '=', product).where('at', '>=', since).executeTakeFirst();
    return Number(r?.n ?? 0);
  },
  async deleteByProduct(db: Kysely<Database>, product: string): Promise<number> {
    const r = await db.deleteFrom('sso_traces').where('product', '=', product).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
  async deleteOlderThan(db: Kysely<Database>, cutoff: number): Promise<number> {
    const r = await db.deleteFrom('sso_traces').where('at', '<', cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
