/**
 * The management API's key check: `Authorization: <any scheme> <key>` (Jackson reads the last word of the
 * header, so `Api-Key`, `Bearer` and others all work; BoxyHQ's saas-starter-kit sends `Bearer`) against the
 * bootstrap API_KEYS, in constant time, then personal and scoped `gh_` keys (src/admin/api-keys.ts). On success the request carries
 * its Caller: an API key with its limits (none for bootstrap keys). What a key may do is decided by the
 * services (src/policy/caller.ts), not here.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Caller } from '../policy/caller.ts';
import { GatehouseError } from '../errors.ts';
import { constantTimeEqual, tokenHash } from '../crypto/secrets.ts';
import { adminApiKeyResolver } from '../admin/api-keys.ts';

/** Resolves a presented key that is not a bootstrap key to its caller, or null. */
export type ApiKeyResolver = (presented: string) => Promise<Caller | null>;

export function requireApiKey(ctx: AppContext) {
  const resolve: ApiKeyResolver = adminApiKeyResolver(ctx);
  const keys = ctx.config.API_KEYS;
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const h = req.headers.authorization ?? '';
    const m = /^[A-Za-z][\w.~+/-]*\s+(\S+)\s*$/.exec(h);
    const presented = m?.[1]?.trim();
    // Check every key so the time taken does not say which one matched.
    let ok = false;
    if (presented) for (const k of keys) ok = constantTimeEqual(k, presented) || ok;
    if (ok && presented) {
      req.caller = { type: 'api_key', id: `bootstrap:${tokenHash(presented).slice(0, 10)}`, label: 'Bootstrap API key (API_KEYS)', scope: null, ip: req.ip };
      return;
    }
    const caller = presented ? await resolve(presented) : null;
    if (caller) {
      req.caller = { ...caller, ip: req.ip };
      return;
    }
    throw new GatehouseError('API_UNAUTHORIZED', keys.length === 0 && !presented ? 'No API key was sent: set API_KEYS, or create one in the admin portal (or with `gatehouse api-key`).' : undefined);
  };
}
