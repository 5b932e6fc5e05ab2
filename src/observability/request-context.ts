/**
 * The request id: an incoming X-Request-Id is kept when it is short and plain (a load balancer's or a
 * client's), otherwise a new UUID; it is echoed in `x-request-id`, carried by Fastify's request logger
 * as `reqId`, and code that logs on a request's behalf is handed that logger (`RequestLog` in
 * context.ts) rather than finding it through an async context: AsyncLocalStorage on Node 20 hooks every
 * promise, which cost ~7% of the CPU of a SCIM create (docs/decisions/0403-metrics-and-logs.md).
 */
import type { FastifyInstance } from 'fastify';

export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header) ? header : crypto.randomUUID();
}

/** Echoes the request id in `x-request-id`. */
export function registerRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
}
