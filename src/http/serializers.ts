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
import { asGatehouseError, logServerError } from '../thrown-errors.ts';
import { customerWords } from './customer-errors.ts';

const OAUTH_ERROR_NAMES: Partial<Record<ErrorCode, string>> = {
  OAUTH_INVALID_GRANT: 'invalid_grant',
  OAUTH_INVALID_CLIENT: 'invalid_client',
  OAUTH_UNSUPPORTED_GRANT_TYPE: 'unsupported_grant_type',
  OAUTH_INVALID_SCOPE: 'invalid_scope',
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

/**
 * Problem JSON for the customer's IT admin (the setup-link API): the same code, status and field, in the customer's
 * words (customer-errors.ts); the technical detail stays in the vendor's log.
 */
export function sendCustomerProblem(reply: FastifyReply, err: unknown) {
  const e = asGatehouseError(err);
  logServerError(reply, err, e);
  const { title, detail } = customerWords(e);
  if (e.status < 500 && detail !== e.detail) reply.log.info({ code: e.code, field: e.field, detail: e.detail }, 'setup-link request refused');
  return reply
    .code(e.status)
    .type('application/problem+json')
    .send({ type: `https://gatehouse.dev/errors/${e.code}`, title, status: e.status, detail, code: e.code, ...(e.field ? { field: e.field } : {}), error: { message: detail } });
}

export function sendPage(reply: FastifyReply, err: unknown, flow: 'sign-in' | 'logout' = 'sign-in') {
  const e = asGatehouseError(err);
  logServerError(reply, err, e);
  return reply.code(e.status).type('text/html; charset=utf-8').send(renderErrorPage(brandingOf(reply.request), { code: e.code, title: ERRORS[e.code].message, detail: e.detail, action: e.action }, flow));
}

/** Browser-facing surfaces: verified redirects go back to the app, everything else is a page. */
export function sendBrowserError(reply: FastifyReply, err: unknown) {
  if (err instanceof RedirectableError) return sendOAuthRedirect(reply, err);
  return sendPage(reply, err);
}
