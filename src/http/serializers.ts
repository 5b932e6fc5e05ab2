/**
 * One serializer per protocol, turning a GatehouseError into the protocol's own format:
 * OAuth JSON, an OAuth error redirect (only to a verified URI), problem JSON for the management API,
 * and a friendly HTML page for browsers.
 */
import type { FastifyReply } from 'fastify';
import { ERRORS, GatehouseError, type ErrorCode } from '../errors.ts';
import { RedirectableError } from '../oauth/authorize.ts';
import { withParams } from '../oauth/codes.ts';
import { renderErrorPage } from './pages.ts';
import { brandingOf } from '../admin/branding.ts';
import { isUnavailable } from '../storage/dialect.ts';

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

const OAUTH_ERROR_NAMES: Partial<Record<ErrorCode, string>> = {
  OAUTH_INVALID_GRANT: 'invalid_grant',
  OAUTH_INVALID_CLIENT: 'invalid_client',
  OAUTH_UNSUPPORTED_GRANT_TYPE: 'unsupported_grant_type',
  OAUTH_UNSUPPORTED_RESPONSE_TYPE: 'unsupported_response_type',
  OAUTH_INVALID_TOKEN: 'invalid_token',
  OAUTH_ACCESS_DENIED: 'access_denied',
  SERVICE_UNAVAILABLE: 'temporarily_unavailable',
  INTERNAL: 'server_error',
};

export function sendOAuthJson(reply: FastifyReply, err: unknown) {
  const e = asGatehouseError(err);
  logServerError(reply, err, e);
  const error = OAUTH_ERROR_NAMES[e.code] ?? 'invalid_request';
  if (e.code === 'OAUTH_INVALID_TOKEN') reply.header('www-authenticate', `Bearer error="invalid_token"`);
  // RFC 6749 §5.2: a client that authenticated with Basic is told which scheme to use again.
  if (e.code === 'OAUTH_INVALID_CLIENT' && /^basic /i.test(reply.request.headers.authorization ?? '')) reply.header('www-authenticate', 'Basic realm="token"');
  return reply.code(e.status).header('cache-control', 'no-store').send({ error, error_description: e.detail ?? ERRORS[e.code].message });
}

export function sendOAuthRedirect(reply: FastifyReply, err: RedirectableError) {
  return reply.redirect(withParams(err.redirectUri, { error: err.error, error_description: err.description, error_code: err.code, state: err.state }), 302);
}

export function sendProblem(reply: FastifyReply, err: unknown) {
  const e = asGatehouseError(err);
  logServerError(reply, err, e);
  const detail = e.detail ?? ERRORS[e.code].message;
  return reply
    .code(e.status)
    .type('application/problem+json')
    .send({ type: `https://gatehouse.dev/errors/${e.code}`, title: ERRORS[e.code].message, status: e.status, detail, code: e.code, ...(e.field ? { field: e.field } : {}), error: { message: detail } });
}

export function sendPage(reply: FastifyReply, err: unknown) {
  const e = asGatehouseError(err);
  logServerError(reply, err, e);
  return reply.code(e.status).type('text/html; charset=utf-8').send(renderErrorPage(brandingOf(reply.request), { code: e.code, title: ERRORS[e.code].message, detail: e.detail, action: e.action }));
}

/** Browser-facing surfaces: verified redirects go back to the app, everything else is a page. */
export function sendBrowserError(reply: FastifyReply, err: unknown) {
  if (err instanceof RedirectableError) return sendOAuthRedirect(reply, err);
  return sendPage(reply, err);
}
