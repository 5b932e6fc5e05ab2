/** The SCIM error serializer (RFC 7644 §3.12): `urn:…:Error` with `status` as a string and a `scimType`. */
import type { FastifyReply } from 'fastify';
import { ERRORS, GatehouseError, type ErrorCode } from '../../errors.ts';
import { asGatehouseError, logServerError } from '../../thrown-errors.ts';
import { ERROR_SCHEMA } from './attributes.ts';

const SCIM_TYPES: Partial<Record<ErrorCode, string>> = {
  SCIM_INVALID_FILTER: 'invalidFilter',
  SCIM_INVALID_VALUE: 'invalidValue',
  SCIM_INVALID_SYNTAX: 'invalidSyntax',
  SCIM_INVALID_PATH: 'invalidPath',
  SCIM_NO_TARGET: 'noTarget',
  SCIM_UNIQUENESS: 'uniqueness',
  SCIM_TOO_MANY: 'tooMany',
};

/** Fastify's own 4xx (a body that is not JSON, too large, wrong media type) become SCIM errors too. */
export function normalize(err: unknown): GatehouseError {
  if (err instanceof GatehouseError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new GatehouseError('SCIM_INVALID_VALUE', 'The request body is too large.', { status: 413 });
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return new GatehouseError('SCIM_INVALID_SYNTAX', e.message, { status: 400 });
  return asGatehouseError(err);
}

export function sendScimError(reply: FastifyReply, err: unknown) {
  const e = normalize(err);
  logServerError(reply, err, e);
  const scimType = SCIM_TYPES[e.code];
  if (e.status === 401) reply.header('www-authenticate', 'Bearer realm="SCIM"');
  return reply
    .code(e.status)
    .type('application/scim+json')
    .send({ schemas: [ERROR_SCHEMA], status: String(e.status), ...(scimType ? { scimType } : {}), detail: e.detail ?? ERRORS[e.code].message });
}
