/**
 * 028 — group-to-role mapping and reconciliation (issue 16 §3–4, decision 0028): the roles a product declares
 * (one JSON column on products, null: none), one mapping document per tenant+product (read with one query per
 * sign-in), and the groups each sign-in carried (a JSON column on its app session, for the mapping's dry run and
 * the list of groups the tenant's IdP sends). Expand-only.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

export const rolesAndReconciliation = (t: DialectTraits): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('products').addColumn('roles', t.text).execute();
    await db.schema
      .createTable('role_mappings')
      .addColumn('tenant', t.key, (c) => c.notNull())
      .addColumn('product', t.key, (c) => c.notNull())
      .addColumn('mappings', t.text, (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('role_mappings_pk', ['tenant', 'product'])
      .execute();
    await db.schema.alterTable('app_sessions').addColumn('groups', t.text).execute();
    // Reconciliation reads a tenant+product's recent sign-ins in time order.
    await db.schema.createIndex('app_sessions_tenant_created').on('app_sessions').columns(['tenant', 'product', 'created_at']).execute();
  },
});
