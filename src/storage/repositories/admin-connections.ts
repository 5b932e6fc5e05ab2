/** The portal's connection and directory lists: every row, optionally filtered by tenant and/or product, one page at a time. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { ConnectionRow } from './connections.ts';

export type ConnectionKey = [string, string, string]; // tenant, product, id

/** Connections. */
export const adminConnectionsRepo = {
  page(db: Kysely<Database>, o: { tenant?: string; product?: string; limit: number; after?: ConnectionKey }): Promise<ConnectionRow[]> {
    let q = db.selectFrom('connections').selectAll().orderBy('tenant').orderBy('product').orderBy('id').limit(o.limit);
    if (o.tenant) q = q.where('tenant', '=', o.tenant);
    if (o.product) q = q.where('product', '=', o.product);
    if (o.after) {
      const [t, p, id] = o.after;
      q = q.where((eb) => eb.or([eb('tenant', '>', t), eb.and([eb('tenant', '=', t), eb('product', '>', p)]), eb.and([eb('tenant', '=', t), eb('product', '=', p), eb('id', '>', id)])]));
    }
    return q.execute();
  },
};

/** The portal's directory list: every directory, optionally filtered, one page at a time. */
export const adminDirectoriesRepo = {
  page(db: Kysely<Database>, o: { tenant?: string; product?: string; limit: number; after?: ConnectionKey }) {
    let q = db.selectFrom('directories').selectAll().orderBy('tenant').orderBy('product').orderBy('id').limit(o.limit);
    if (o.tenant) q = q.where('tenant', '=', o.tenant);
    if (o.product) q = q.where('product', '=', o.product);
    if (o.after) {
      const [t, p, id] = o.after;
      q = q.where((eb) => eb.or([eb('tenant', '>', t), eb.and([eb('tenant', '=', t), eb('product', '>', p)]), eb.and([eb('tenant', '=', t), eb('product', '=', p), eb('id', '>', id)])]));
    }
    return q.execute();
  },
};
