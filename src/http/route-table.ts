/**
 * What every surface's route table is made of: rows of method, path, handler and options, registered in one
 * place, plus the small readers handlers use to adapt a request's shape for a service.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';

export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
export type Route = readonly [method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, handler: Handler, options?: RouteShorthandOptions];

/** Registers a table's rows, each with the table's options (rate limit…) merged under its own. */
export function registerTable(app: FastifyInstance, routes: readonly Route[], base: RouteShorthandOptions = {}): void {
  for (const [method, url, handler, options] of routes) {
    const config = { ...(base.config ?? {}), ...(options?.config ?? {}) };
    app.route({ ...base, ...options, config, method, url, handler });
  }
}

export type Q = Record<string, string | undefined>;
export const query = (req: FastifyRequest): Q => (req.query ?? {}) as Q;
export const params = (req: FastifyRequest): Record<string, string> => req.params as Record<string, string>;
export const body = (req: FastifyRequest): Record<string, unknown> => (req.body ?? {}) as Record<string, unknown>;
