/**
 * The roles a directory user holds through the tenant's group-to-role mapping (decision 0028), for user events:
 * the groups they belong to after the change (displayName or externalId) mapped to the product's declared roles.
 * Two queries per SCIM change that emits user events: the mapping (with the product's roles), and the memberships
 * of the users concerned, skipped when the product declares no roles.
 */
import type { Expression, Kysely } from 'kysely';
import type { Database } from '../../storage/schema.ts';
import { roleMappingsRepo, type DirectoryRow } from '../../storage/index.ts';
import type { RoleSettings } from '../../storage/repositories/directory-users.ts';
import { mappedRoles, readProductRoles, type RoleMapping } from '../../tenancy/product-roles.ts';

/** user id → roles; null when the product declares no roles (events then carry no `roles`). */
export async function rolesOfUsers(db: Kysely<Database>, dir: Pick<DirectoryRow, 'id' | 'tenant' | 'product'>, userIds: string[], known?: RoleSettings): Promise<Map<string, string[]> | null> {
  if (userIds.length === 0) return null;
  // `known`: read with the change's row lock (decision 0045).
  const row = known ?? (await roleMappingsRepo.forSignIn(db, dir.tenant, dir.product));
  const declared = readProductRoles(row?.roles ?? null);
  if (declared.length === 0) return null;
  const mappings = row?.mappings ? (JSON.parse(row.mappings) as RoleMapping[]) : [];
  const groups = new Map<string, string[]>();
  if (mappings.length) {
    for (const m of await roleMappingsRepo.membershipsOf(db, dir.id, [...new Set(userIds)])) {
      const list = groups.get(m.user_id) ?? groups.set(m.user_id, []).get(m.user_id)!;
      list.push(m.display_name, ...(m.external_id ? [m.external_id] : []));
    }
  }
  return new Map([...new Set(userIds)].map((id) => [id, mappedRoles(groups.get(id) ?? [], mappings, declared)]));
}

/**
 * The payloads of an event about a user in no group (just created): such a user holds no mapped role, so the event
 * carries `roles: []` when the product declares roles and no `roles` otherwise. An expression the appending
 * statement evaluates, so a create reads nothing first (decision 0045).
 */
export function groupless(db: Kysely<Database>, dir: Pick<DirectoryRow, 'product'>, body: { data: Record<string, unknown> }): Expression<string> {
  return roleMappingsRepo.byDeclaredRoles(db, dir.product, JSON.stringify({ ...body, data: { ...body.data, roles: [] } }), JSON.stringify(body));
}
