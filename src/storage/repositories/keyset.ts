/**
 * The portal's lists of connections and directories: every row, optionally filtered by tenant and/or
 * product, one page at a time in (tenant, product, id) order, the cursor being the last row's key.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';

/** tenant, product, id */
export type TenantProductKey = [string, string, string];

export const isTenantProductKey = (x: unknown): x is TenantProductKey => Array.isArray(x) && x.length === 3 && x.every((v) => typeof v === 'string');

export interface TenantProductPage {
  tenant?: string;
  product?: string;
  limit: number;
  after?: TenantProductKey;
}

/** A table whose rows are keyed by tenant, product and id. */
type Keyed = 'connections' | 'directories';

export function pageByTenantProduct<T extends Keyed>(db: Kysely<Database>, table: T, o: TenantProductPage): Promise<Selectable<Database[T]>[]> {
  // Written once for both tables: seen through the three columns they share.
  const shared = db as unknown as Kysely<Record<Keyed, { tenant: string; product: string; id: string }>>;
  let q = shared.selectFrom(table as Keyed).selectAll().orderBy('tenant').orderBy('product').orderBy('id').limit(o.limit);
  if (o.tenant) q = q.where('tenant', '=', o.tenant);
  if (o.product) q = q.where('product', '=', o.product);
  if (o.after) {
    const [t, p, id] = o.after;
    q = q.where((eb) => eb.or([eb('tenant', '>', t), eb.and([eb('tenant', '=', t), eb('product', '>', p)]), eb.and([eb('tenant', '=', t), eb('product', '=', p), eb('id', '>', id)])]));
  }
  return q.execute() as Promise<Selectable<Database[T]>[]>;
}
