/**
 * What was thrown, as the error catalog knows it: every serializer (OAuth, problem JSON, pages in
 * src/http/serializers.ts; SCIM in src/directory-sync/scim/errors.ts) normalises through here and logs
 * its 5xx here, once.
 */
import type { FastifyReply } from 'fastify';
import { GatehouseError } from './errors.ts';
import { isUnavailable } from './storage/dialect.ts';

/** Normalises anything thrown into a GatehouseError (unknown errors become INTERNAL, details hidden). */
export function asGatehouseError(err: unknown): GatehouseError {
  if (err instanceof GatehouseError) return err;
  if (isUnavailable(err)) return new GatehouseError('SERVICE_UNAVAILABLE', 'The database is unreachable; try again in a moment.');
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new GatehouseError('SAML_TOO_LARGE', undefined, { status: 413 });
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new GatehouseError('API_VALIDATION', e.message, { status: e.statusCode });
  }
  return new GatehouseError('INTERNAL');
}

/**
 * Every 5xx is logged once, here, by the serializer that answers it, with the request's logger (so
 * with its reqId): handlers that catch their own errors and the per-surface error handlers all end here.
 */
export function logServerError(reply: FastifyReply, err: unknown, e: GatehouseError): void {
  if (e.status < 500) return;
  const log = reply.request.log;
  if (e.code === 'SERVICE_UNAVAILABLE') log.warn({ err, code: e.code, status: e.status }, 'answered 503: service unavailable');
  else log.error({ err, code: e.code, status: e.status }, `answered ${e.status}: ${e.code}`);
}
