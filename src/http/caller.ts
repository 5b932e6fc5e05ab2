/**
 * The request's Caller (src/policy/caller.ts), set by the authentication hook of its surface: the admin session
 * (admin-session.ts), the API key (api-key-auth.ts) or the setup link (setup-links/link-auth.ts). Handlers pass
 * it to the services, which check it and audit with it.
 */
import type { FastifyRequest } from 'fastify';
import { GatehouseError } from '../errors.ts';
import type { Caller } from '../policy/caller.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting: set by the authentication hook of each surface. */
    caller?: Caller;
  }
}

/** The caller of a request that passed its surface's authentication hook. */
export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new GatehouseError('INTERNAL', 'No caller on an authenticated route.');
  return req.caller;
}
