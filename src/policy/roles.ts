/** Portal roles: owner > admin > viewer. Viewers change nothing; only owners manage accounts and portal SSO. */
import { GatehouseError } from '../errors.ts';
import type { AdminRole } from '../storage/schema-admin.ts';

export type { AdminRole };
export const ROLES: readonly AdminRole[] = ['owner', 'admin', 'viewer'];
const RANK: Record<AdminRole, number> = { viewer: 1, admin: 2, owner: 3 };

export const isRole = (v: unknown): v is AdminRole => typeof v === 'string' && (ROLES as string[]).includes(v);
export const atLeast = (role: AdminRole, min: AdminRole) => RANK[role] >= RANK[min];
export const highestRole = (roles: AdminRole[]): AdminRole | null => roles.reduce<AdminRole | null>((best, r) => (best === null || RANK[r] > RANK[best] ? r : best), null);

/** Throws 403 ADMIN_FORBIDDEN unless `role` is at least `min`; `what` completes "Only … can …". */
export function requireRole(role: AdminRole, min: AdminRole, what = 'make changes'): void {
  if (!atLeast(role, min)) throw new GatehouseError('ADMIN_FORBIDDEN', `Only ${min === 'owner' ? 'owners' : 'owners and admins'} can ${what}; you are ${role === 'admin' ? 'an' : 'a'} ${role}.`);
}
