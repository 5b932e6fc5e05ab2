/**
 * Named queries for group-to-role mapping and reconciliation (issue 16 §3–4, decision 0028): the mapping document
 * of a tenant+product, what one sign-in reads (one query), and the directory and sign-in facts both features list.
 */
import { sql, type AliasedRawBuilder, type Expression, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { isUniqueViolation, traitsOf, type DialectName } from '../dialect.ts';
import { prepared } from '../prepared.ts';
import type { DirectoryUserRow } from './directory-users.ts';

/**
 * What a finishing sign-in looks up, read for a tenant+product before the IdP's answer is known (decision 0042): the
 * domains the tenant verified, the product's roles and the tenant's group-to-role mapping.
 */
export interface TenantSignInFacts {
  verifiedDomains: string[];
  roles: string | null;
  mappings: string | null;
}

/** `TenantSignInFacts` as three scalar subqueries of another SELECT, for the tenant and product its `tenant`/`product` columns name. */
export function tenantSignInFactColumns(dialect: DialectName, tenant: string, product: string): AliasedRawBuilder<unknown, string>[] {
  const t = sql.ref(tenant);
  const p = sql.ref(product);
  return [
    sql`(select ${traitsOf(dialect).json.arrayAgg(sql.ref('vd.domain'))} from verified_domains vd where vd.tenant = ${t})`.as('s__domains'),
    sql`(select pr.roles from products pr where pr.id = ${p})`.as('s__roles'),
    sql`(select rm.mappings from role_mappings rm where rm.tenant = ${t} and rm.product = ${p})`.as('s__mappings'),
  ];
}

/** Reads the columns `tenantSignInFactColumns` added (the JSON array as text, or as the driver parsed it). */
export function tenantSignInFactsOf(row: Record<string, unknown>): TenantSignInFacts {
  const domains = typeof row.s__domains === 'string' ? (JSON.parse(row.s__domains) as unknown) : row.s__domains;
  return {
    verifiedDomains: Array.isArray(domains) ? domains.filter((d): d is string => typeof d === 'string') : [],
    roles: (row.s__roles as string | null | undefined) ?? null,
    mappings: (row.s__mappings as string | null | undefined) ?? null,
  };
}

/** The product's roles and the tenant's mapping: read by every SCIM user create, so compiled once (decision 0049). */
const rolesForSignIn = prepared<{ tenant: string; product: string }, { roles: string | null; mappings: string | null }>(['tenant', 'product'], (db, v) =>
  db
    .selectFrom('products as p')
    .leftJoin('role_mappings as m', (j) => j.onRef('m.product', '=', 'p.id').on('m.tenant', '=', v.tenant))
    .select(['p.roles as roles', 'm.mappings as mappings'])
    .where('p.id', '=', v.product),
);

/** A group of one of the tenant+product's directories, and its members (user ids). */
export interface DirectoryGroupFacts {
  directory_id: string;
  id: string;
  display_name: string;
  external_id: string | null;
}

export interface MembershipFacts {
  user_id: string;
  display_name: string;
  external_id: string | null;
}

/** One sign-in as reconciliation and previews read it. */
export interface SignInFacts {
  connection_id: string;
  nameid: string;
  nameid_key: string;
  email: string | null;
  groups: string | null;
  created_at: number;
}

export const roleMappingsRepo = {
  async find(db: Kysely<Database>, tenant: string, product: string) {
    return db.selectFrom('role_mappings').selectAll().where('tenant', '=', tenant).where('product', '=', product).executeTakeFirst();
  },
  /**
   * `ifDeclared` when the product declares roles (its `roles` is not null, schema-tenancy.ts), else `otherwise`: an
   * expression for a statement that writes (decision 0045), so a choice that depends on nothing else reads nothing first.
   */
  byDeclaredRoles(db: Kysely<Database>, product: string, ifDeclared: string, otherwise: string): Expression<string> {
    const declared = db.selectFrom('products').select(sql`1`.as('one')).where('id', '=', product).where('roles', 'is not', null).where('roles', '<>', '[]');
    return sql<string>`case when exists (${declared}) then ${ifDeclared} else ${otherwise} end`;
  },
  /** What a sign-in needs, in one query: the product's declared roles and the tenant's mapping (each null when absent). */
  async forSignIn(db: Kysely<Database>, tenant: string, product: string): Promise<{ roles: string | null; mappings: string | null } | undefined> {
    return rolesForSignIn.first(db, { tenant, product });
  },
  /**
   * What a finishing sign-in needs, in one statement (decision 0039): the tenant that verified `domain` (when one is
   * given) and, when `withRoles`, the product's roles and the tenant's group-to-role mapping. Scalar subqueries with
   * no FROM, on every dialect.
   */
  async signInLookups(db: Kysely<Database>, q: { tenant: string; product: string; domain: string | null; withRoles: boolean }): Promise<{ verified_tenant: string | null; roles: string | null; mappings: string | null }> {
    const row = await db
      .selectNoFrom((eb) => [
        (q.domain === null ? eb.val<string | null>(null) : eb.selectFrom('verified_domains').select('tenant').where('domain', '=', q.domain)).as('verified_tenant'),
        (q.withRoles ? eb.selectFrom('products').select('roles').where('id', '=', q.product) : eb.val<string | null>(null)).as('roles'),
        (q.withRoles ? eb.selectFrom('role_mappings').select('mappings').where('tenant', '=', q.tenant).where('product', '=', q.product) : eb.val<string | null>(null)).as('mappings'),
      ])
      .executeTakeFirstOrThrow();
    return { verified_tenant: (row.verified_tenant as string | null) ?? null, roles: (row.roles as string | null) ?? null, mappings: (row.mappings as string | null) ?? null };
  },
  /** Insert or replace (portable upsert: update, else insert, else update again when another instance inserted first). */
  async put(db: Kysely<Database>, tenant: string, product: string, mappings: string, now: number): Promise<void> {
    const upd = async () => Number((await db.updateTable('role_mappings').set({ mappings, updated_at: now }).where('tenant', '=', tenant).where('product', '=', product).executeTakeFirst()).numUpdatedRows);
    if ((await upd()) > 0) return;
    try {
      await db.insertInto('role_mappings').values({ tenant, product, mappings, updated_at: now }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await upd();
    }
  },
  async directoryIds(db: Kysely<Database>, tenant: string, product: string): Promise<string[]> {
    return (await db.selectFrom('directories').select('id').where('tenant', '=', tenant).where('product', '=', product).orderBy('created_at').execute()).map((r) => r.id);
  },
  async groupsOf(db: Kysely<Database>, directoryIds: string[], limit: number): Promise<DirectoryGroupFacts[]> {
    if (directoryIds.length === 0) return [];
    return db.selectFrom('directory_groups').select(['directory_id', 'id', 'display_name', 'external_id']).where('directory_id', 'in', directoryIds).orderBy('display_name').limit(limit).execute();
  },
  /** Users of these directories, at most `limit`, oldest first. */
  async usersOf(db: Kysely<Database>, directoryIds: string[], limit: number): Promise<DirectoryUserRow[]> {
    if (directoryIds.length === 0) return [];
    return db.selectFrom('directory_users').selectAll().where('directory_id', 'in', directoryIds).orderBy('created_at').orderBy('id').limit(limit).execute();
  },
  /** The groups (name and externalId) of users of one directory (all of them, up to `limit` memberships, when no ids are given). */
  async membershipsOf(db: Kysely<Database>, directoryId: string, userIds?: string[], limit = 200_000): Promise<MembershipFacts[]> {
    if (userIds && userIds.length === 0) return [];
    let q = db
      .selectFrom('directory_group_members as m')
      .innerJoin('directory_groups as g', 'g.id', 'm.group_id')
      .select(['m.member_value as user_id', 'g.display_name as display_name', 'g.external_id as external_id'])
      .where('m.directory_id', '=', directoryId);
    if (userIds) q = q.where('m.member_value', 'in', userIds);
    return q.limit(limit).execute();
  },
  /** Sign-ins of a tenant+product since `since`, newest first, at most `limit`. */
  async signInsSince(db: Kysely<Database>, tenant: string, product: string, since: number, limit: number): Promise<SignInFacts[]> {
    return db
      .selectFrom('app_sessions')
      .select(['connection_id', 'nameid', 'nameid_key', 'email', 'groups', 'created_at'])
      .where('tenant', '=', tenant)
      .where('product', '=', product)
      .where('created_at', '>=', since)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  },
};
