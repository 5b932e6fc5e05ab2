/**
 * Who is acting, and what they may do. Each surface's authentication builds one `Caller` (an admin with a role,
 * an API key with its limits, a setup link with its fixed tenant+product+service, or the system) and passes it
 * to the services, which decide here: the same rules hold whichever surface a change comes through. This module
 * is a base layer: it imports only errors and storage types, so any domain service may use it.
 */
import { GatehouseError } from '../errors.ts';
import type { AdminRole } from '../storage/schema-admin.ts';
import { atLeast, requireRole } from './roles.ts';

export const PERMISSIONS = ['sso:read', 'sso:write', 'dsync:read', 'dsync:write', 'setuplinks:write', 'sso:secrets'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** A `gh_` key's limits. Null = not limited in that dimension. */
export interface ApiScope {
  tenants: string[] | null;
  products: string[] | null;
  permissions: Permission[];
}

/** What the audit log records of a caller. */
export type Actor =
  | { type: 'admin'; id: string; label: string }
  | { type: 'api_key'; id: string; label: string }
  | { type: 'setup_link'; id: string; label: string }
  | { type: 'system'; id: 'system'; label: string };

export type Caller = { ip?: string | null } & (
  | { type: 'admin'; id: string; label: string; role: AdminRole }
  /** `scope` null: a bootstrap key (API_KEYS), not limited at all. */
  | { type: 'api_key'; id: string; label: string; scope: ApiScope | null }
  /**
   * A setup link, or a portal session acting as one (decision 0033). `tenantWide`: a portal session for domain
   * verification, which may also reach its tenant's own tenant-level resources (domains); its routes reach nothing else.
   */
  | { type: 'setup_link'; id: string; label: string; link: { tenant: string; product: string; service: 'sso' | 'dsync'; tenantWide?: boolean } }
  | { type: 'system'; id: 'system'; label: string }
);

/** Tenant and product a change or read touches; absent means "across all of them". */
export interface Target {
  tenant?: unknown;
  product?: unknown;
}

export const actorOf = (c: Caller): Actor => ({ type: c.type, id: c.id, label: c.label }) as Actor;

const denyKey = (detail: string) => new GatehouseError('ADMIN_API_KEY_SCOPE', detail);

/** Refuses (403) when a limited key does not cover this tenant and product; unlimited keys pass. */
function checkKeyTarget(scope: ApiScope, target: Target): void {
  const tenant = typeof target.tenant === 'string' ? target.tenant : undefined;
  const product = typeof target.product === 'string' ? target.product : undefined;
  if (scope.tenants && !(tenant && scope.tenants.includes(tenant))) {
    throw denyKey(tenant ? `It is limited to tenants ${scope.tenants.join(', ')}, not "${tenant}".` : `It is limited to tenants ${scope.tenants.join(', ')}; name one of them.`);
  }
  if (scope.products && !(product && scope.products.includes(product))) {
    throw denyKey(product ? `It is limited to products ${scope.products.join(', ')}, not "${product}".` : `It is limited to products ${scope.products.join(', ')}; name one of them.`);
  }
}

/**
 * The one check every service makes before it reads or changes something: the caller holds `need` (a role for
 * admins, a permission for keys, the matching service for setup links) and may act on `target`'s tenant and
 * product. Pass `target` undefined when only the permission matters (the target is checked once it is known).
 * `use` says whether the call changes something: portal viewers may read anything and change nothing. It
 * matters only for `setuplinks:write`, the one permission that covers reads too (keys need it to read links).
 */
export function authorize(caller: Caller, need: Permission, target?: Target, use: 'read' | 'change' = need.endsWith(':read') ? 'read' : 'change'): void {
  switch (caller.type) {
    case 'system':
      return;
    case 'admin':
      if (use === 'change') requireRole(caller.role, 'admin');
      return;
    case 'api_key': {
      const scope = caller.scope;
      if (!scope) return;
      if (!scope.permissions.includes(need)) throw denyKey(`It lacks "${need}".`);
      if (target) checkKeyTarget(scope, target);
      return;
    }
    case 'setup_link': {
      const l = caller.link;
      if (need === 'setuplinks:write' || need === 'sso:secrets' || !need.startsWith(`${l.service}:`)) throw new GatehouseError('SETUP_LINK_WRONG_SERVICE');
      const tenantLevel = l.tenantWide === true && target !== undefined && target.product === undefined;
      if (target && (target.tenant !== l.tenant || (target.product !== l.product && !tenantLevel))) throw new GatehouseError('SETUP_LINK_FORBIDDEN');
    }
  }
}

/**
 * Whether answers may carry secrets the vendor holds (a connection's `clientSecret`): admins and owners, the
 * bootstrap API_KEYS and keys with `sso:secrets` (which personal keys have only while their owner is an admin or
 * owner). Setup links never. Without it the secret is left out of an otherwise unchanged answer.
 */
export function mayReadSecrets(caller: Caller): boolean {
  switch (caller.type) {
    case 'system': return true;
    case 'admin': return atLeast(caller.role, 'admin');
    case 'api_key': return !caller.scope || caller.scope.permissions.includes('sso:secrets');
    case 'setup_link': return false;
  }
}

/**
 * The portal's own resources (accounts, portal SSO, branding, scoped keys) answer to portal roles: an admin
 * caller needs at least `min`; the system (CLI, bootstrap) may; API keys and setup links never reach them.
 */
export function requireAdminRole(caller: Caller, min: AdminRole, what: string): void {
  if (caller.type === 'system') return;
  if (caller.type !== 'admin') throw new GatehouseError('ADMIN_FORBIDDEN', `Only portal accounts can ${what}.`);
  requireRole(caller.role, min, what);
}

/** May change connections the portal's sign-in trusts: only an owner, in the portal (sso/connection-guard.ts). */
export const mayChangePortalTrusted = (caller: Caller): boolean => caller.type === 'admin' && caller.role === 'owner';

/** Whether the caller is limited to some tenants or products (so a target must be looked up before it may act). */
export function isLimited(caller: Caller): boolean {
  if (caller.type === 'setup_link') return true;
  return caller.type === 'api_key' && caller.scope !== null && (caller.scope.tenants !== null || caller.scope.products !== null);
}
