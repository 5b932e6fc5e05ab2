/**
 * The one place where an API key's limits are enforced. requireApiKey checks the permission a path needs;
 * routes that know their target call requireApiScope with its tenant and product. A key limited to some
 * tenants or products is refused by routes that do not make that check.
 */
import type { FastifyRequest } from 'fastify';
import { GatehouseError } from '../errors.ts';

export const PERMISSIONS = ['sso:read', 'sso:write', 'dsync:read', 'dsync:write', 'setuplinks:write', 'sso:secrets'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Null = not limited in that dimension. */
export interface ApiScope {
  tenants: string[] | null;
  products: string[] | null;
  permissions: Permission[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Limits of the personal or scoped key that authenticated the request (absent for bootstrap API_KEYS). */
    apiScope?: ApiScope;
  }
}

/** The permission a management API request needs, from its method and path; null when no key permission covers it. */
export function permissionFor(method: string, url: string): Permission | null {
  const path = url.split('?')[0]!;
  const write = !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
  if (/^\/api\/v1\/(sso|dsync)\/setuplinks(\/|$)/.test(path)) return 'setuplinks:write';
  if (/^\/api\/v1\/dsync(\/|$)/.test(path)) return write ? 'dsync:write' : 'dsync:read';
  if (/^\/api\/v1\/(sso|products|tenants)(\/|$)/.test(path)) return write ? 'sso:write' : 'sso:read';
  return null;
}

const deny = (detail: string) => new GatehouseError('ADMIN_API_KEY_SCOPE', detail);

/** Called by requireApiKey once the key is known: the path's permission, and whether the route can check tenants. */
export function checkKeyPermission(req: FastifyRequest, scopeAware: boolean): void {
  const scope = req.apiScope;
  if (!scope) return;
  const needed = permissionFor(req.method, req.url);
  if (!needed || !scope.permissions.includes(needed)) throw deny(needed ? `It lacks "${needed}".` : 'No key permission covers this endpoint.');
  if (!scopeAware && (scope.tenants || scope.products)) throw deny('Keys limited to tenants or products cannot use this endpoint yet.');
}

/**
 * Whether the answer may carry secrets the vendor holds (a connection's `clientSecret`): the bootstrap API_KEYS
 * and keys with `sso:secrets` (which personal keys have only while their owner is an admin or owner). No path
 * needs this permission; without it the secret is left out of an otherwise unchanged answer.
 */
export const mayReadSecrets = (req: FastifyRequest): boolean => !req.apiScope || req.apiScope.permissions.includes('sso:secrets');

/** Refuses (403) when the request's key does not cover this tenant and product. Without a limit, anything passes. */
export function requireApiScope(req: FastifyRequest, target: { tenant?: string | null; product?: string | null }): void {
  const scope = req.apiScope;
  if (!scope) return;
  if (scope.tenants && !(target.tenant && scope.tenants.includes(target.tenant))) {
    throw deny(target.tenant ? `It is limited to tenants ${scope.tenants.join(', ')}, not "${target.tenant}".` : `It is limited to tenants ${scope.tenants.join(', ')}; name one of them.`);
  }
  if (scope.products && !(target.product && scope.products.includes(target.product))) {
    throw deny(target.product ? `It is limited to products ${scope.products.join(', ')}, not "${target.product}".` : `It is limited to products ${scope.products.join(', ')}; name one of them.`);
  }
}
