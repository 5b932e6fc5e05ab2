/** The management API's key check: `Authorization: Api-Key <key>` against the bootstrap API_KEYS, in constant time. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { constantTimeEqual } from '../crypto/secrets.ts';

export function requireApiKey(ctx: AppContext) {
  const keys = ctx.config.API_KEYS;
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const h = req.headers.authorization ?? '';
    const m = /^Api-Key\s+(.+)$/i.exec(h);
    const presented = m?.[1]?.trim();
    // Check every key so the time taken does not say which one matched.
    let ok = false;
    if (presented) for (const k of keys) ok = constantTimeEqual(k, presented) || ok;
    if (!ok) throw new GatehouseError('API_UNAUTHORIZED', keys.length === 0 ? 'No API key is configured on this server: set API_KEYS.' : undefined);
  };
}
