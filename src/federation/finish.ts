/**
 * The end of a federated sign-in: when the upstream IdP has vouched for the user (SAML ACS or OIDC
 * callback), the flow's pending federation request is used once, and the app gets a signed SAML Response
 * posted to its registered ACS URL by an auto-submitting form, instead of an OAuth code. Flows that are not
 * federated go on to the app-facing finisher (oauth/finish-login.ts), so the ACS and the OIDC callback
 * take this one finisher for both.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext, RequestLog } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { federationAppsRepo, federationRequestsRepo, loginFlowsRepo, type ConnectionRow, type LoginFlowRow, type TenantSignInFacts } from '../storage/index.ts';
import type { MappedProfile, Profile } from '../sso/profile.ts';
import { profileForApp } from '../sso/app-profile.ts';
import type { ReplayGuard, SignInFinisher } from '../sso/sign-in-finisher.ts';
import { postBindingForm } from '../sso/saml/authn-request.ts';
import { appSignIn, recordReplay } from '../oauth/finish-login.ts';
import { settingsOf, type AppSettings } from './app-input.ts';
import { buildFederatedResponse } from './saml-response.ts';

/** How long an assertion may be used when the app sets no `ttlInMinutes`. */
export const DEFAULT_ASSERTION_LIFETIME_MS = 5 * 60_000;

/** What a federated flow keeps as "the app's request" (sso/ stores it with the flow unread). */
export interface FederatedFlowParams {
  federationRequestId: string;
}

export const federationRequestIdOf = (flow: LoginFlowRow): string | undefined => {
  const id = (JSON.parse(flow.params) as Partial<FederatedFlowParams>).federationRequestId;
  return typeof id === 'string' ? id : undefined;
};

/**
 * Pure: the attributes the app receives. Gatehouse's normalised ones first (id, email, firstName,
 * lastName, groups, roles when present), then what the IdP sent as it sent it, each renamed by the
 * app's mappings as Jackson does (`value`, the IdP's name, is sent as `key`).
 */
export function attributesFor(profile: Pick<Profile, 'id' | 'email' | 'firstName' | 'lastName' | 'groups' | 'roles' | 'raw'>, mappings: AppSettings['mappings']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const put = (name: string, v: string | string[] | null | undefined) => {
    const values = (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]).map(String);
    if (values.length && !out.has(name)) out.set(name, values);
  };
  put('id', profile.id);
  put('email', profile.email);
  put('firstName', profile.firstName);
  put('lastName', profile.lastName);
  put('groups', profile.groups);
  put('roles', profile.roles);
  const raw: Record<string, string | string[]> = { ...profile.raw };
  for (const m of mappings) if (raw[m.value] !== undefined) raw[m.key] = raw[m.value]!;
  for (const m of mappings) if (m.value !== m.key) delete raw[m.value];
  for (const [name, v] of Object.entries(raw)) put(name, v);
  return out;
}

/** Uses the flow's pending request once; refuses one used, expired or whose app is gone or changed its ACS URL. */
async function usePendingRequest(ctx: AppContext, requestId: string) {
  const now = ctx.now();
  const request = await federationRequestsRepo.findOpen(ctx.db, requestId, now);
  if (!request || !(await federationRequestsRepo.use(ctx.db, request.id, now))) throw new GatehouseError('FEDERATION_REQUEST_EXPIRED');
  const app = await federationAppsRepo.findById(ctx.db, request.app_id);
  if (!app) throw new GatehouseError('FEDERATION_APP_NOT_FOUND', 'The application was removed during sign-in.');
  if (app.acs_url !== request.acs_url) throw new GatehouseError('FEDERATION_ACS_MISMATCH', 'The application\'s ACS URL changed during sign-in; start again from the application.');
  return { request, app };
}

async function answerApp(ctx: AppContext, a: { flow: LoginFlowRow; connection: ConnectionRow; profile: MappedProfile; replay: ReplayGuard | null; facts?: TenantSignInFacts }, requestId: string): Promise<{ html: string }> {
  if (!(await loginFlowsRepo.completeUnlessClaimed(ctx.db, a.flow, ctx.now()))) throw new GatehouseError('SAML_FLOW_EXPIRED');
  await recordReplay(ctx, a.replay);
  const { request, app } = await usePendingRequest(ctx, requestId);
  const settings = settingsOf(app);
  const profile = await profileForApp(ctx, a.connection, a.profile, a.facts);
  const { privateKey, certPem } = await ctx.keys.sp();
  const xml = buildFederatedResponse({
    responseId: `_${randomBytes(20).toString('hex')}`, assertionId: `_${randomBytes(20).toString('hex')}`, now: ctx.now(),
    lifetimeMs: settings.ttlInMinutes ? settings.ttlInMinutes * 60_000 : DEFAULT_ASSERTION_LIFETIME_MS,
    issuer: settings.samlAudienceOverride ?? ctx.config.SAML_SP_ENTITY_ID, audience: app.entity_id, acsUrl: request.acs_url,
    inResponseTo: request.authn_request_id, nameId: profile.email, nameIdIsEmail: true,
    attributes: attributesFor(profile, settings.mappings), signingKey: privateKey, certPem,
  });
  await ctx.events.emit('login.completed', { ctx, flow: a.flow, connection: a.connection, profile });
  return postBindingForm(request.acs_url, xml, request.relay_state, { message: 'SAMLResponse' });
}

/**
 * A refusal after the flow was known: the flow and its pending request are closed and the refusal is
 * announced. The app is not posted to: the person sees the error page with the reason (decision 0015).
 */
async function refuseFederated(ctx: AppContext, log: RequestLog, flow: LoginFlowRow, requestId: string, err: unknown, evidence: { kind: 'saml' | 'oidc'; samlXml?: string } = { kind: 'oidc' }): Promise<unknown> {
  if (!(err instanceof GatehouseError) || err.code === 'INTERNAL') return err;
  log.info({ event: 'login_failed', code: err.code, connection: flow.connection_id, tenant: flow.tenant, product: flow.product, federation: true }, 'federated sign-in refused');
  if (flow.completed_at === null) await loginFlowsRepo.complete(ctx.db, flow.id, ctx.now());
  await federationRequestsRepo.use(ctx.db, requestId, ctx.now());
  await ctx.events.emit('login.refused', { ctx, log, kind: evidence.kind, error: err, flow, samlXml: evidence.samlXml });
  return err;
}

/** What the SAML ACS and the OIDC callback are given: federated flows answer the app here, the others go to `appSignIn`. */
export const federatedOrAppSignIn: SignInFinisher = {
  completed: (ctx, a) => {
    const requestId = federationRequestIdOf(a.flow);
    return requestId ? answerApp(ctx, a, requestId) : appSignIn.completed(ctx, a);
  },
  // Its statement takes only flows that carry no federation request (a federated one misses, and comes back to `completed`).
  completedAtOnce: appSignIn.completedAtOnce,
  unsolicited: appSignIn.unsolicited,
  refused: (ctx, log, flow, err, evidence) => {
    const requestId = federationRequestIdOf(flow);
    return requestId ? refuseFederated(ctx, log, flow, requestId, err, evidence) : appSignIn.refused(ctx, log, flow, err, evidence);
  },
};
