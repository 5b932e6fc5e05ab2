/**
 * GET|POST /api/identity-federation/sso, Gatehouse as the SAML IdP of an app, as a pipeline:
 * readAppAuthnRequest → findApp (by the request's Issuer) → checkAcsUrl (exact, before anything is posted
 * anywhere) → candidateConnections (the app's tenants + product) → storePending (in the database: any
 * instance may take the IdP's answer) → chooseConnection (idp_hint, the only one, or the picker) →
 * the normal SP-initiated sign-in upstream. Its end is federation/finish.ts.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { randomToken } from '../crypto/secrets.ts';
import { connectionsRepo, federationAppsRepo, federationRequestsRepo, type ConnectionRow, type FederationAppRow, type FederationRequestRow } from '../storage/index.ts';
import { startSamlLogin, type StartLoginOutcome } from '../sso/saml/start-login.ts';
import { startOidcLogin } from '../sso/oidc/start-login.ts';
import { readAppAuthnRequest, type AppAuthnRequest, type BindingInput } from './authn-request.ts';
import { idpMetadataXml } from './idp-metadata.ts';
import { settingsOf } from './app-input.ts';
import { entityKeyOf } from './apps.ts';
import type { FederatedFlowParams } from './finish.ts';

const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
export const FEDERATION_SSO_PATH = '/api/identity-federation/sso';

export type FederationStart = StartLoginOutcome | { kind: 'picker'; app: FederationAppRow; choices: { connection: ConnectionRow; href: string }[] };

async function findApp(ctx: AppContext, request: AppAuthnRequest): Promise<FederationAppRow> {
  const app = await federationAppsRepo.findByEntityKey(ctx.db, entityKeyOf(request.issuer));
  if (!app || app.entity_id !== request.issuer) throw new GatehouseError('FEDERATION_APP_NOT_FOUND', `No application is registered with the entity ID "${request.issuer}".`);
  return app;
}

/** The response goes only to the registered ACS URL, over HTTP-POST: a request that asks for anything else is refused. */
function checkAcsUrl(app: FederationAppRow, request: AppAuthnRequest): void {
  if (request.acsUrl !== null && request.acsUrl !== app.acs_url) {
    throw new GatehouseError('FEDERATION_ACS_MISMATCH', `The request asks for "${request.acsUrl}"; the application is registered with "${app.acs_url}".`);
  }
  if (request.protocolBinding !== null && request.protocolBinding !== BINDING_POST) {
    throw new GatehouseError('FEDERATION_REQUEST_INVALID', `The request asks for the response over ${request.protocolBinding}; only HTTP-POST is supported.`);
  }
}

async function candidateConnections(ctx: AppContext, app: FederationAppRow): Promise<ConnectionRow[]> {
  const lists = await Promise.all(settingsOf(app).tenants.map((tenant) => connectionsRepo.listByTenantProduct(ctx.db, tenant, app.product)));
  const active = lists.flat().filter((c) => c.active === 1);
  if (active.length === 0) throw new GatehouseError('LOGIN_NO_ACTIVE_CONNECTION', `No active SSO connection signs users in to "${app.name}".`);
  return active;
}

async function storePending(ctx: AppContext, app: FederationAppRow, request: AppAuthnRequest): Promise<FederationRequestRow> {
  const now = ctx.now();
  const row: FederationRequestRow = {
    id: randomToken(24), app_id: app.id, authn_request_id: request.id, relay_state: request.relayState, acs_url: app.acs_url,
    created_at: now, expires_at: now + ctx.config.LOGIN_FLOW_TTL_SECONDS * 1000, used_at: null,
  };
  await federationRequestsRepo.insert(ctx.db, row);
  return row;
}

const choiceHref = (pending: FederationRequestRow, connection: ConnectionRow) => `${FEDERATION_SSO_PATH}/continue?${new URLSearchParams({ request: pending.id, idp_hint: connection.id })}`;

/** `idp_hint` must name one of the candidates (never silently replaced); several and no hint: the picker. */
function chooseConnection(pending: FederationRequestRow, app: FederationAppRow, candidates: ConnectionRow[], idpHint: string | undefined): ConnectionRow | Extract<FederationStart, { kind: 'picker' }> {
  if (idpHint) {
    const chosen = candidates.find((c) => c.id === idpHint);
    if (!chosen) throw new GatehouseError('FEDERATION_REQUEST_INVALID', 'idp_hint does not name a connection that signs users in to this application.');
    return chosen;
  }
  if (candidates.length === 1) return candidates[0]!;
  return { kind: 'picker', app, choices: candidates.map((connection) => ({ connection, href: choiceHref(pending, connection) })) };
}

function startUpstream(ctx: AppContext, connection: ConnectionRow, pending: FederationRequestRow): Promise<StartLoginOutcome> {
  const params: FederatedFlowParams = { federationRequestId: pending.id };
  return connection.kind === 'oidc' ? startOidcLogin(ctx, connection, params) : startSamlLogin(ctx, connection, params);
}

/** An app's AuthnRequest arrives: sends the user to the upstream IdP, or answers the picker. */
export async function startFederatedSignIn(ctx: AppContext, input: BindingInput, idpHint?: string): Promise<FederationStart> {
  const request = readAppAuthnRequest(input);
  const app = await findApp(ctx, request);
  checkAcsUrl(app, request);
  const candidates = await candidateConnections(ctx, app);
  const pending = await storePending(ctx, app, request);
  const chosen = chooseConnection(pending, app, candidates, idpHint);
  return 'choices' in chosen ? chosen : startUpstream(ctx, chosen, pending);
}

/** The picker's choice: the pending request (still open) goes on through the chosen connection. */
export async function continueFederatedSignIn(ctx: AppContext, q: { request?: string; idp_hint?: string }): Promise<StartLoginOutcome> {
  const pending = q.request ? await federationRequestsRepo.findOpen(ctx.db, q.request, ctx.now()) : undefined;
  if (!pending) throw new GatehouseError('FEDERATION_REQUEST_EXPIRED');
  const app = await federationAppsRepo.findById(ctx.db, pending.app_id);
  if (!app) throw new GatehouseError('FEDERATION_APP_NOT_FOUND', 'The application was removed during sign-in.');
  const chosen = chooseConnection(pending, app, await candidateConnections(ctx, app), q.idp_hint ?? '');
  if ('choices' in chosen) throw new GatehouseError('FEDERATION_REQUEST_INVALID', 'Choose a connection (idp_hint).');
  return startUpstream(ctx, chosen, pending);
}

/**
 * The IdP metadata apps are given (Jackson's `getMetadata`): the entity ID is the deployment's SP entity ID
 * (Jackson's samlAudience), or the audience override of the app `appId` names.
 */
export async function federationIdpMetadata(ctx: AppContext, appId?: string) {
  let entityId = ctx.config.SAML_SP_ENTITY_ID;
  if (appId) {
    const app = await federationAppsRepo.findById(ctx.db, appId);
    if (!app) throw new GatehouseError('FEDERATION_APP_NOT_FOUND', 'Identity Federation app not found.');
    entityId = settingsOf(app).samlAudienceOverride ?? entityId;
  }
  const { certPem } = await ctx.keys.sp();
  const ssoUrl = `${ctx.config.EXTERNAL_URL}${FEDERATION_SSO_PATH}`;
  return { xml: idpMetadataXml({ entityId, ssoUrl, signingCertPem: certPem }), entityId, ssoUrl, x509cert: certPem };
}
