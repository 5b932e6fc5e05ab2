/**
 * The common end of every upstream sign-in (SAML ACS, OIDC callback): complete the flow once, add what
 * Gatehouse vouches for to the mapped profile (per-connection `sub`, tenant, email_verified), issue the
 * code and send the browser back to the app. Failures after the flow is known become OAuth error
 * redirects to the app's verified redirect URI.
 */
import type { AppContext, RequestLog } from '../context.ts';
import { ERRORS, GatehouseError, type ErrorCode } from '../errors.ts';
import { loginFlowsRepo, type ConnectionRow, type LoginFlowRow } from '../storage/index.ts';
import { issueCode, withParams } from '../oauth/codes.ts';
import { RedirectableError } from '../oauth/authorize.ts';
import type { FlowParams } from './saml/start-login.ts';
import type { MappedProfile } from './profile.ts';
import { profileForApp } from './app-profile.ts';
import { recordSsoTrace } from '../admin/traces.ts';
import { completeSetupTest } from '../setup-links/tests.ts';

export async function finishLogin(ctx: AppContext, a: { flow: LoginFlowRow; params: FlowParams; connection: ConnectionRow; profile: MappedProfile }): Promise<string> {
  if (!(await loginFlowsRepo.complete(ctx.db, a.flow.id, ctx.now()))) throw new GatehouseError('SAML_FLOW_EXPIRED');
  const profile = await profileForApp(ctx, a.connection, a.profile);
  // A "test connection" from a setup link: no code for anyone, the result goes to the link page.
  if (a.params.setupTestId) {
    await completeSetupTest(ctx, a.params.setupTestId, { ok: true, profile });
    return a.params.redirectUri;
  }
  const code = await issueCode(ctx, { flowId: a.flow.id, connectionId: a.connection.id, params: a.params, profile });
  return withParams(a.params.redirectUri, { code, state: a.params.state || undefined });
}

/**
 * Turns a refusal that happened after the flow was known into an error redirect to the verified app URI,
 * closes the flow, and keeps an SSO trace of it for the portal (`samlXml` only for SAML; nothing of OIDC codes or tokens).
 */
export async function toAppError(ctx: AppContext, log: RequestLog, flow: LoginFlowRow, params: FlowParams, err: unknown, evidence: { kind: 'saml' | 'oidc'; samlXml?: string } = { kind: 'oidc' }): Promise<unknown> {
  if (!(err instanceof GatehouseError) || err.code === 'INTERNAL') return err;
  log.info({ event: 'login_failed', code: err.code, connection: flow.connection_id, tenant: flow.tenant, product: flow.product }, 'sign-in refused');
  // The app is told the sign-in failed, so the flow is closed: its state (OIDC) or request ID (SAML)
  // never yields a code later, whatever answer arrives for it next.
  await loginFlowsRepo.complete(ctx.db, flow.id, ctx.now());
  const code: ErrorCode = err.code;
  await recordSsoTrace(ctx, log, { kind: evidence.kind, code, detail: err.detail, connectionId: flow.connection_id, tenant: flow.tenant, product: flow.product, samlXml: evidence.samlXml });
  if (params.setupTestId) await completeSetupTest(ctx, params.setupTestId, { ok: false, code, detail: err.detail });
  const description = err.detail ? `${ERRORS[code].message} ${err.detail}` : ERRORS[code].message;
  const oauthError = code === 'SERVICE_UNAVAILABLE' || code === 'OIDC_IDP_UNAVAILABLE' ? 'temporarily_unavailable' : 'access_denied';
  return new RedirectableError(params.redirectUri, oauthError, `${code}: ${description}`, params.state || undefined, code);
}
