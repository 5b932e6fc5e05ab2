/**
 * The request id follows everything a request causes: Fastify's own request logger carries `reqId`,
 * and this async context lets log lines written through `ctx.log` deeper down (a refused sign-in, an
 * audit failure) carry it too, through pino's `mixin` (see `requestIdMixin`, used by boot.ts).
 *
 * The context is entered in onRequest and entered again in preValidation, because Node emits a
 * request body's events in the socket's async context, not the hook's (the pattern of
 * @fastify/request-context).
 */
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import pino from 'pino';

interface RequestStore {
  reqId: string;
}

const store = new AsyncLocalStorage<RequestStore>();
const resources = new WeakMap<FastifyRequest, AsyncResource>();

/** An incoming X-Request-Id is kept when it is short and plain (a load balancer's or a client's); otherwise a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header) ? header : crypto.randomUUID();
}

/** The current request's id, if this code runs on behalf of a request. */
export const currentRequestId = (): string | undefined => store.getStore()?.reqId;

/**
 * pino mixin: adds `reqId` to lines logged through the root logger during a request. Child loggers
 * that already bind `reqId` (Fastify's `req.log`) are left alone, so the key is never written twice.
 */
export function requestIdMixin(_merge: object, _level: number, logger?: object): object {
  const reqId = store.getStore()?.reqId;
  if (!reqId) return {};
  const bindings = logger ? (logger as Record<symbol, unknown>)[pino.symbols.chindingsSym] : undefined;
  return typeof bindings === 'string' && bindings.includes('"reqId":') ? {} : { reqId };
}

/** Runs `fn` outside any request (background work scheduled from a request must not inherit its id). */
export const outsideRequest = <T>(fn: () => T): T => store.exit(fn);

/** Echoes the request id in `x-request-id` and makes it the async context of the request. */
export function registerRequestContext(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    store.run({ reqId: String(req.id) }, () => {
      const resource = new AsyncResource('gatehouse-request');
      resources.set(req, resource);
      resource.runInAsyncScope(done, req.raw);
    });
  });
  app.addHook('preValidation', (req, _reply, done) => {
    const resource = resources.get(req);
    if (resource) resource.runInAsyncScope(done, req.raw);
    else done();
  });
}
