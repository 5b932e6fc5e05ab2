/**
 * Group-to-role mapping, the pure part (issue 16 §4, decision 0028): the roles a product declares, the mapping
 * of a tenant's IdP groups to them, and the roles a set of groups yields. Groups are matched trimmed and
 * case-insensitively, by name or id (SAML/OIDC `groups` values, a directory group's displayName or externalId).
 */
import * as z from 'zod';

export interface ProductRole {
  key: string;
  name: string;
}

export interface RoleMapping {
  group: string;
  role: string;
}

const roleKey = z.string().trim().min(1, 'is required').max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'may use letters, digits, dot, dash, colon and underscore');

/** `roles` on POST/PATCH /api/v1/products: the product's roles, in the order apps see them. */
export const ProductRolesInput = z
  .array(z.object({ key: roleKey, name: z.string().trim().max(200).optional() }))
  .max(100)
  .refine((roles) => new Set(roles.map((r) => r.key)).size === roles.length, 'must not name a role twice');

export const RoleMappingsInput = z
  .array(z.object({ group: z.string().trim().min(1, 'is required').max(256), role: roleKey }))
  .max(1000);

/** Pure: the stored JSON (or null) as the product's roles. */
export function readProductRoles(stored: string | null): ProductRole[] {
  return stored ? (JSON.parse(stored) as ProductRole[]) : [];
}

export const storedProductRoles = (roles: { key: string; name?: string }[]): string | null =>
  roles.length ? JSON.stringify(roles.map((r) => ({ key: r.key, name: r.name || r.key }))) : null;

export const groupKey = (g: string): string => g.trim().toLowerCase();

/** Pure: the mapping without duplicates (same group and role), in the order given. */
export function normaliseMappings(mappings: RoleMapping[]): RoleMapping[] {
  const seen = new Set<string>();
  const out: RoleMapping[] = [];
  for (const m of mappings) {
    const k = `${groupKey(m.group)}\u0000${m.role}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ group: m.group.trim(), role: m.role });
  }
  return out;
}

/** Pure: the roles the mapping gives to a member of `groups`, in the product's order; roles no longer declared give nothing. */
export function mappedRoles(groups: readonly string[], mappings: readonly RoleMapping[], declared: readonly ProductRole[]): string[] {
  if (mappings.length === 0 || groups.length === 0) return [];
  const member = new Set(groups.filter((g) => typeof g === 'string').map(groupKey));
  const granted = new Set(mappings.filter((m) => member.has(groupKey(m.group))).map((m) => m.role));
  return declared.map((r) => r.key).filter((k) => granted.has(k));
}

/** Pure: what the app receives — the roles the IdP sent (attribute mapping) first, then the mapped ones not already there. */
export function combineRoles(fromIdp: readonly string[], mapped: readonly string[]): string[] {
  const out = [...fromIdp];
  for (const r of mapped) if (!out.includes(r)) out.push(r);
  return out;
}
