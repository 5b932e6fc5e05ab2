/**
 * The management API's key check: `Authorization: Api-Key <key>` against the bootstrap API_KEYS, in
 * constant time, then personal and scoped `gh_` keys (src/admin/api-keys.ts). On success the request carries
 * its actor (for the audit log) and, for `gh_` keys, their limits (checked in src/admin/api-key-scope.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Actor } from '../admin/audit.ts';
import { GatehouseError } from '../errors.ts';
import { constantTimeEqual, tokenHash } from '../crypto/secrets.ts';
import { adminApiKeyResolver } from '../admin/api-keys.ts';
import { checkKeyPermission } from '../admin/api-key-scope.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting: set by the authentication hook of each surface. */
    actor?: Actor;
  }
}

/** Extra key resolvers (personal and scoped keys) plug in here; the bootstrap keys are always accepted. */
export type ApiKeyResolver = (presented: string, req: FastifyRequest) => Promise<Actor | null>;

export interface ApiKeyOptions {
  resolvers?: ApiKeyResolver[];
  /** The routes call requireApiScope with their target tenant/product, so tenant- or product-limited keys may use them. */
  scopeAware?: boolean;
}

export function requireApiKey(ctx: AppContext, options: ApiKeyResolver[] | ApiKeyOptions = {}) {
  const opts: ApiKeyOptions = Array.isArray(options) ? { resolvers: options } : options;
  const resolvers = [...(opts.resolvers ?? []), adminApiKeyResolver(ctx)];
  const keys = ctx.config.API_KEYS;
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const h = req.headers.authorization ?? '';
    const m = /^Api-Key\s+(.+)$/i.exec(h);
    const presented = m?.[1]?.trim();
    // Check every key so the time taken does not say which one matched.
    let ok = false;
    if (presented) for (const k of keys) ok = constantTimeEqual(k, presented) || ok;
    if (ok && presented) {
      req.actor = { type: 'api_key', id: `bootstrap:${tokenHash(presented).slice(0, 10)}`, label: 'Bootstrap API key (API_KEYS)' };
      return;
    }
    if (presented) {
      for (const resolve of resolvers) {
        const actor = await resolve(presented, req);
        if (actor) {
          req.actor = actor;
          checkKeyPermission(req, opts.scopeAware === true);
          return;
        }
      }
    }
    throw new GatehouseError('API_UNAUTHORIZED', keys.length === 0 && !presented ? 'No API key was sent: set API_KEYS, or create one in the admin portal (or with `gatehouse api-key`).' : undefined);
  };
}
