/**
 * SSO traces: failed sign-ins of the last 7 days with the plain-language reason and, for SAML, the decoded
 * response (capped). OIDC traces never keep codes or tokens. Recording never fails the sign-in it describes.
 */
import type { AppContext, RequestLog } from '../context.ts';
import { ERRORS, type ErrorCode, type GatehouseError } from '../errors.ts';
import { connectionsRepo, type ConnectionRow } from '../storage/index.ts';
import { parseSamlResponse } from '../sso/saml/validate-response.ts';
import { idpKeyOf } from '../sso/connections.ts';
import { randomToken } from '../crypto/secrets.ts';
import { ssoTracesRepo, type SsoTraceRow } from '../storage/repositories/admin-settings.ts';
import { decodeCursor, isTimeIdKey, pageLimit, pageOf } from './paging.ts';

export const TRACE_RETENTION_MS = 7 * 24 * 3600_000;
const MAX_XML = 256 * 1024;

export interface FailedSignIn {
  kind: 'saml' | 'oidc';
  code: ErrorCode;
  detail?: string;
  connectionId?: string | null;
  tenant?: string | null;
  product?: string | null;
  /** The decoded SAML response (SAML only). */
  samlXml?: string;
}

export async function recordSsoTrace(ctx: AppContext, log: RequestLog, f: FailedSignIn): Promise<void> {
  const now = ctx.now();
  const xml = f.kind === 'saml' && f.samlXml ? (f.samlXml.length > MAX_XML ? `${f.samlXml.slice(0, MAX_XML)}\n<!-- truncated: ${f.samlXml.length} characters in all -->` : f.samlXml) : null;
  try {
    await ssoTracesRepo.insert(ctx.db, {
      id: `${now.toString(36)}-${randomToken(9)}`, at: now, kind: f.kind, connection_id: f.connectionId ?? null, tenant: f.tenant ?? null, product: f.product ?? null,
      code: f.code, message: ERRORS[f.code].message, detail: f.detail?.slice(0, 4000) ?? null, saml_response: xml,
    });
  } catch (err) {
    log.warn({ err }, 'could not record the SSO trace');
  }
}

export const toApiTrace = (r: SsoTraceRow) => ({
  id: r.id, at: new Date(r.at).toISOString(), kind: r.kind, connectionId: r.connection_id, tenant: r.tenant, product: r.product,
  code: r.code, message: r.message, detail: r.detail, ...(r.saml_response ? { samlResponse: r.saml_response } : {}),
});

export async function listTraces(ctx: AppContext, q: { tenant?: string; product?: string; connectionId?: string; cursor?: string; limit?: string }) {
  const limit = pageLimit(q.limit);
  const rows = await ssoTracesRepo.list(ctx.db, { since: ctx.now() - TRACE_RETENTION_MS, tenant: q.tenant, product: q.product, connectionId: q.connectionId, limit: limit + 1, before: decodeCursor(q.cursor, isTimeIdKey) });
  return pageOf(rows, limit, toApiTrace, (r) => [r.at, r.id]);
}

export const pruneTraces = (ctx: Pick<AppContext, 'db' | 'now'>) => ssoTracesRepo.deleteOlderThan(ctx.db, ctx.now() - TRACE_RETENTION_MS);

/**
 * Traces a SAML response refused before its sign-in flow was known (not base64, not well-formed, unknown
 * InResponseTo, unsolicited). The connection is named only when exactly one has the response's issuer.
 */
export async function recordSamlRefusal(ctx: AppContext, log: RequestLog, samlResponse: unknown, err: GatehouseError): Promise<void> {
  const b64 = typeof samlResponse === 'string' ? samlResponse.replace(/\s+/g, '') : '';
  const xml = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64').toString('utf8') : undefined;
  let connection: ConnectionRow | undefined;
  try {
    const parsed = xml ? parseSamlResponse(xml) : undefined;
    const issuer = parsed?.ok ? parsed.parsed.issuer : undefined;
    const matches = issuer ? await connectionsRepo.listByIdpKey(ctx.db, idpKeyOf(issuer)) : [];
    if (matches.length === 1) connection = matches[0];
  } catch {
    // attribution is best effort
  }
  await recordSsoTrace(ctx, log, { kind: 'saml', code: err.code, detail: err.detail, connectionId: connection?.id, tenant: connection?.tenant, product: connection?.product, samlXml: xml });
}
