/**
 * SP-initiated SAML: records the login flow in the database, then sends the browser to the IdP with
 * an AuthnRequest over HTTP-Redirect (signed when the IdP asks) or, when the IdP offers only
 * HTTP-POST, an auto-submitting form.
 */
import type { AppContext } from '../../context.ts';
import type { ConnectionRow } from '../../storage/index.ts';
import { loginFlowsRepo } from '../../storage/index.ts';
import { randomToken } from '../../crypto/secrets.ts';
import { connectionTagOf } from './acs-connections.ts';
import { GatehouseError } from '../../errors.ts';
import { spIdentityOf } from '../connection-settings.ts';
import { loadSamlConnection } from './connection-keys.ts';
import { buildAuthnRequestXml, postBindingForm, redirectBindingUrl } from './authn-request.ts';

export type StartLoginOutcome = { kind: 'redirect'; url: string } | { kind: 'html'; html: string };

/**
 * A new SAML flow's id (also the AuthnRequest ID and the RelayState), start time and expiry. The id is `_`, the
 * connection's tag (8 characters, acs-connections.ts), then 20 random bytes: an NCName of 36 characters, as random as
 * before; the tag only lets the ACS guess the connection before any statement (decision 0052).
 */
export const newSamlFlow = (ctx: AppContext, connectionId: string) => {
  const now = ctx.now();
  return { id: `_${connectionTagOf(connectionId)}${randomToken(20)}`, created_at: now, expires_at: now + ctx.config.LOGIN_FLOW_TTL_SECONDS * 1000, completed_at: null };
};

/**
 * `appRequest`: the app's request (oauth/flow-params.ts), kept with the flow unread and handed back to the finisher.
 * `stored`: the flow (`newSamlFlow`), with this connection and `JSON.stringify(appRequest)`, already stored by the
 * caller's read of the connection (oauth/authorize.ts, decision 0042).
 */
export async function startSamlLogin(ctx: AppContext, connection: ConnectionRow, appRequest: object, stored?: ReturnType<typeof newSamlFlow>): Promise<StartLoginOutcome> {
  // The settings as parsed when the connection (this version of it) was first loaded: a few KB of JSON not parsed again.
  const { settings } = loadSamlConnection(connection);
  const flow = stored ?? newSamlFlow(ctx, connection.id);
  const now = flow.created_at;
  const flowId = flow.id;
  if (!stored) {
    await loginFlowsRepo.insert(ctx.db, {
      ...flow, connection_id: connection.id, tenant: connection.tenant, product: connection.product, params: JSON.stringify(appRequest), connection_version: connection.version,
    });
  }
  const destination = settings.ssoRedirectUrl ?? settings.ssoPostUrl;
  if (!destination) throw new GatehouseError('SAML_METADATA_INVALID', 'The connection has no SSO URL.');
  const sp = spIdentityOf(settings, { spEntityId: ctx.config.SAML_SP_ENTITY_ID, acsUrl: ctx.config.acsUrl });
  const xml = buildAuthnRequestXml({ id: flowId, issueInstant: now, ...sp, destination, forceAuthn: settings.forceAuthn, ...(settings.identifierFormat ? { nameIdFormat: settings.identifierFormat } : {}) });
  if (settings.ssoRedirectUrl) {
    const key = settings.wantAuthnRequestsSigned ? (await ctx.keys.sp()).privateKey : undefined;
    return { kind: 'redirect', url: redirectBindingUrl(settings.ssoRedirectUrl, xml, flowId, key) };
  }
  return { kind: 'html', html: postBindingForm(destination, xml, flowId).html };
}
