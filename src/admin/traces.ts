/**
 * SSO traces: failed sign-ins of the last 7 days with the plain-language reason and, for SAML, the decoded
 * response: whole (capped) when the post matched a sign-in flow or a connection, an excerpt otherwise, all
 * within an hourly budget per connection (src/admin/trace-budget.ts). OIDC traces never keep codes or
 * tokens. Recording never fails the sign-in it describes.
 */
import * as z from 'zod';
import type { AppContext, RequestLog } from '../context.ts';
import { ERRORS, type ErrorCode, type GatehouseError } from '../errors.ts';
import { connectionsRepo, loginFlowsRepo } from '../storage/index.ts';
import { parseSamlResponse } from '../sso/saml/validate-response.ts';
import { idpKeyOf } from '../sso/connections.ts';
import { randomToken } from '../crypto/secrets.ts';
import { ssoTracesRepo, type SsoTraceRow } from '../storage/repositories/sso-traces.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { LoginRefused } from '../sso/login-events.ts';
import { decodeCursor, isTimeIdKey, pageLimit, pageOf } from './paging.ts';
import { bucketOf, budgetTrace, pruneTraceBudgets, UNMATCHED } from './trace-budget.ts';

export const TRACE_RETENTION_MS = 7 * 24 * 3600_000;
const MAX_XML = 256 * 1024;
const MAX_DETAIL = 4000;
/** What an unmatched post may put in `detail` (parser messages can quote the post). */
const MAX_UNMATCHED_DETAIL = 500;

export interface FailedSignIn {
  kind: 'saml' | 'oidc';
  code: ErrorCode;
  detail?: string;
  /** The connection the post matched (through its flow or its issuer): full evidence is kept. */
  connectionId?: string | null;
  /** An issuer several connections share: full evidence too, within that IdP's budget. */
  idpKey?: string | null;
  tenant?: string | null;
  product?: string | null;
  /** The decoded SAML response (SAML only). */
  samlXml?: string;
}

export async function recordSsoTrace(ctx: AppContext, log: RequestLog, f: FailedSignIn): Promise<void> {
  const bucket = bucketOf(f);
  const xml = f.kind === 'saml' && f.samlXml ? (f.samlXml.length > MAX_XML ? `${f.samlXml.slice(0, MAX_XML)}\n<!-- truncated: ${f.samlXml.length} characters in all -->` : f.samlXml) : null;
  const detail = f.detail?.slice(0, bucket === UNMATCHED ? MAX_UNMATCHED_DETAIL : MAX_DETAIL) ?? null;
  try {
    const kept = await budgetTrace(ctx, log, bucket, { samlResponse: xml, detail });
    if (!kept) return;
    const now = ctx.now();
    await ssoTracesRepo.insert(ctx.db, {
      id: `${now.toString(36)}-${randomToken(9)}`, at: now, kind: f.kind, connection_id: f.connectionId ?? null, tenant: f.tenant ?? null, product: f.product ?? null,
      code: f.code, message: ERRORS[f.code].message, detail: kept.detail, saml_response: kept.samlResponse,
    });
  } catch (err) {
    log.warn({ err }, 'could not record the SSO trace');
  }
}

/** `toApiTrace` as a zod view (decision 0032): what the portal lists, and the base of the management API's trace. */
export const SsoTraceView = z.object({
  id: z.string(),
  at: z.string().meta({ format: 'date-time' }),
  kind: z.enum(['saml', 'oidc']),
  connectionId: z.string().nullable(),
  tenant: z.string().nullable(),
  product: z.string().nullable(),
  code: z.string().describe('The refusal code (src/errors.ts).'),
  message: z.string().describe('The reason in plain words.'),
  detail: z.string().nullable(),
  samlResponse: z.string().optional().describe('The decoded SAML response (capped), or an excerpt.'),
}).meta({ title: 'SsoTrace' });

export const toApiTrace = (r: SsoTraceRow): z.infer<typeof SsoTraceView> => ({
  id: r.id, at: new Date(r.at).toISOString(), kind: r.kind, connectionId: r.connection_id, tenant: r.tenant, product: r.product,
  code: r.code, message: r.message, detail: r.detail, ...(r.saml_response ? { samlResponse: r.saml_response } : {}),
});

export async function listTraces(ctx: AppContext, q: { tenant?: string; product?: string; connectionId?: string; cursor?: string; limit?: string }) {
  const limit = pageLimit(q.limit);
  const rows = await ssoTracesRepo.list(ctx.db, { since: ctx.now() - TRACE_RETENTION_MS, tenant: q.tenant, product: q.product, connectionId: q.connectionId, limit: limit + 1, before: decodeCursor(q.cursor, isTimeIdKey) });
  return pageOf(rows, limit, toApiTrace, (r) => [r.at, r.id]);
}

export async function pruneTraces(ctx: Pick<AppContext, 'db' | 'now'>): Promise<number> {
  await pruneTraceBudgets(ctx);
  return ssoTracesRepo.deleteOlderThan(ctx.db, ctx.now() - TRACE_RETENTION_MS);
}

/** Flow ids are short random tokens: a longer RelayState is not looked up. */
const MAX_FLOW_ID = 128;

/**
 * Traces a SAML response refused before its sign-in flow was known (not base64, not well-formed, unknown
 * InResponseTo, expired flow, unsolicited). What it matched decides what is kept: a stored flow (its
 * InResponseTo or RelayState) names its connection; else the issuer, when a connection has it (named
 * when exactly one does); else nothing, and only an excerpt is kept.
 */
export async function recordSamlRefusal(ctx: AppContext, log: RequestLog, body: { SAMLResponse?: unknown; RelayState?: unknown } | undefined, err: GatehouseError): Promise<void> {
  const b64 = typeof body?.SAMLResponse === 'string' ? body.SAMLResponse.replace(/\s+/g, '') : '';
  const xml = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64').toString('utf8') : undefined;
  const match: Pick<FailedSignIn, 'connectionId' | 'idpKey' | 'tenant' | 'product'> = {};
  try {
    const parsed = xml ? parseSamlResponse(xml) : undefined;
    const relayState = typeof body?.RelayState === 'string' ? body.RelayState : undefined;
    const flowId = [parsed?.ok ? parsed.parsed.inResponseTo : undefined, relayState].find((id) => id && id.length <= MAX_FLOW_ID);
    const flow = flowId ? await loginFlowsRepo.findById(ctx.db, flowId) : undefined;
    const issuer = parsed?.ok ? parsed.parsed.issuer : undefined;
    if (flow) Object.assign(match, { connectionId: flow.connection_id, tenant: flow.tenant, product: flow.product });
    else if (issuer) {
      const matches = await connectionsRepo.listByIdpKey(ctx.db, idpKeyOf(issuer));
      if (matches.length === 1) Object.assign(match, { connectionId: matches[0]!.id, tenant: matches[0]!.tenant, product: matches[0]!.product });
      else if (matches.length > 1) match.idpKey = idpKeyOf(issuer);
    }
  } catch {
    // attribution is best effort
  }
  await recordSsoTrace(ctx, log, { kind: 'saml', code: err.code, detail: err.detail, ...match, samlXml: xml });
}

/** A refused sign-in becomes a trace: attributed by its flow when it was known, else by what the post names. */
async function traceRefusal(e: LoginRefused): Promise<void> {
  if (e.samlPost) return recordSamlRefusal(e.ctx, e.log, e.samlPost, e.error);
  await recordSsoTrace(e.ctx, e.log, { kind: e.kind, code: e.error.code, detail: e.error.detail, connectionId: e.flow?.connection_id, tenant: e.flow?.tenant, product: e.flow?.product, samlXml: e.samlXml });
}

export function traceRefusedLogins(events: EventHub): void {
  events.on('login.refused', traceRefusal);
}
