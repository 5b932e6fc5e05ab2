/**
 * The common end of every upstream sign-in (SAML ACS, OIDC callback, IdP-initiated SAML): complete the
 * flow once, add what Gatehouse vouches for to the mapped profile (per-connection `sub`, tenant,
 * email_verified), issue the code and send the browser back to the app. Failures after the flow is known
 * become OAuth error redirects to the app's verified redirect URI. Both outcomes are announced as sign-in
 * events (src/sso/login-events.ts): SSO traces and setup-link tests subscribe to them.
 */
import type { AppContext, RequestLog } from '../context.ts';
import { ERRORS, GatehouseError, type ErrorCode } from '../errors.ts';
import { assertionReplaysRepo, loginFlowsRepo, type ConnectionRow, type LoginFlowRow, type TenantSignInFacts } from '../storage/index.ts';
import { randomToken } from '../crypto/secrets.ts';
import type { MappedProfile } from '../sso/profile.ts';
import { profileForApp } from '../sso/app-profile.ts';
import type { ReplayGuard, SignInFinisher } from '../sso/sign-in-finisher.ts';
import { issueCode, withParams } from './codes.ts';
import { RedirectableError } from './authorize.ts';
import { flowParamsOf, type FlowParams } from './flow-params.ts';
import { finishAtOnce } from './finish-at-once.ts';

export async function finishLogin(ctx: AppContext, a: { flow: LoginFlowRow; connection: ConnectionRow; profile: MappedProfile; replay?: ReplayGuard | null; facts?: TenantSignInFacts }): Promise<string> {
  if (!(await loginFlowsRepo.completeUnlessClaimed(ctx.db, a.flow, ctx.now()))) throw new GatehouseError('SAML_FLOW_EXPIRED');
  const params = flowParamsOf(a.flow);
  const profile = await profileForApp(ctx, a.connection, a.profile, a.facts);
  // A "test connection" from a setup link: no code for anyone, the result goes to the link page.
  if (params.setupTestId) {
    await recordReplay(ctx, a.replay);
    await ctx.events.emit('login.completed', { ctx, flow: a.flow, connection: a.connection, profile, setupTestId: params.setupTestId });
    return params.redirectUri;
  }
  // The assertion's single use and the connection's success are stored with the code (decision 0042).
  const code = await issueCode(ctx, { flowId: a.flow.id, connection: a.connection, params, profile, upstream: a.profile.upstreamSession, replay: a.replay ?? undefined });
  await ctx.events.emit('login.completed', { ctx, flow: a.flow, connection: a.connection, profile, successRecorded: true });
  return withParams(params.redirectUri, { code, state: params.state || undefined });
}

/** A SAML assertion's single use, recorded on its own where nothing is issued with it. */
export async function recordReplay(ctx: AppContext, replay: ReplayGuard | null | undefined): Promise<void> {
  if (replay && !(await assertionReplaysRepo.recordOnce(ctx.db, replay.key, replay.keepUntil))) throw new GatehouseError('SAML_REPLAYED');
}

/**
 * An IdP-initiated sign-in lands like a one-click login: a flow of its own, completed at once. Under
 * JACKSON_COMPAT its code is issued to `dummy`, as Jackson's are, so the app redeems it with
 * client_id=dummy and CLIENT_SECRET_VERIFIER.
 */
async function finishUnsolicited(ctx: AppContext, a: { connection: ConnectionRow; redirectUri: string; profile: MappedProfile }): Promise<string> {
  const now = ctx.now();
  const params: FlowParams = { clientId: ctx.config.JACKSON_COMPAT ? 'dummy' : a.connection.id, redirectUri: a.redirectUri, state: '', nonce: null, scope: 'openid', codeChallenge: null, codeChallengeMethod: null };
  const flow = { id: randomToken(24), connection_id: a.connection.id, tenant: a.connection.tenant, product: a.connection.product, params: JSON.stringify(params), created_at: now, expires_at: now + 60_000, completed_at: null, connection_version: a.connection.version };
  await loginFlowsRepo.insert(ctx.db, flow);
  return finishLogin(ctx, { flow, connection: a.connection, profile: a.profile });
}

/**
 * Turns a refusal that happened after the flow was known into an error redirect to the verified app URI,
 * closes the flow, and announces it (an SSO trace keeps `samlXml` only for SAML; nothing of OIDC codes or tokens).
 */
export async function toAppError(ctx: AppContext, log: RequestLog, flow: LoginFlowRow, err: unknown, evidence: { kind: 'saml' | 'oidc'; samlXml?: string } = { kind: 'oidc' }): Promise<unknown> {
  if (!(err instanceof GatehouseError) || err.code === 'INTERNAL') return err;
  const params = flowParamsOf(flow);
  log.info({ event: 'login_failed', code: err.code, connection: flow.connection_id, tenant: flow.tenant, product: flow.product }, 'sign-in refused');
  // The app is told the sign-in failed, so the flow is closed: its state (OIDC) or request ID (SAML)
  // never yields a code later, whatever answer arrives for it next.
  if (flow.completed_at === null) await loginFlowsRepo.complete(ctx.db, flow.id, ctx.now());
  const code: ErrorCode = err.code;
  await ctx.events.emit('login.refused', { ctx, log, kind: evidence.kind, error: err, flow, samlXml: evidence.samlXml, setupTestId: params.setupTestId });
  const description = err.detail ? `${ERRORS[code].message} ${err.detail}` : ERRORS[code].message;
  const oauthError = code === 'SERVICE_UNAVAILABLE' || code === 'OIDC_IDP_UNAVAILABLE' ? 'temporarily_unavailable' : 'access_denied';
  return new RedirectableError(params.redirectUri, oauthError, `${code}: ${description}`, params.state || undefined, code);
}

/** What the SAML ACS and the OIDC callback are given to answer the app (src/sso/sign-in-finisher.ts). */
export const appSignIn: SignInFinisher = { completed: finishLogin, completedAtOnce: finishAtOnce, unsolicited: finishUnsolicited, refused: toAppError };
