/**
 * SP-initiated SAML: records the login flow in the database, then sends the browser to the IdP with
 * an AuthnRequest over HTTP-Redirect (signed when the IdP asks) or, when the IdP offers only
 * HTTP-POST, an auto-submitting form.
 */
import type { AppContext } from '../../context.ts';
import type { ConnectionRow } from '../../storage/index.ts';
import { loginFlowsRepo } from '../../storage/index.ts';
import { randomToken } from '../../crypto/secrets.ts';
import { GatehouseError } from '../../errors.ts';
import { spIdentityOf } from '../connection-settings.ts';
import { loadSamlConnection } from './connection-keys.ts';
import { buildAuthnRequestXml, postBindingForm, redirectBindingUrl } from './authn-request.ts';

export type StartLoginOutcome = { kind: 'redirect'; url: string } | { kind: 'html'; html: string };

/** `appRequest`: the app's request (oauth/flow-params.ts), kept with the flow unread and handed back to the finisher. */
export async function startSamlLogin(ctx: AppContext, connection: ConnectionRow, appRequest: object): Promise<StartLoginOutcome> {
  // The settings as parsed when the connection (this version of it) was first loaded: a few KB of JSON not parsed again.
  const { settings } = loadSamlConnection(connection);
  const now = ctx.now();
  const flowId = `_${randomToken(20)}`;
  await loginFlowsRepo.insert(ctx.db, {
    id: flowId, connection_id: connection.id, tenant: connection.tenant, product: connection.product,
    params: JSON.stringify(appRequest), created_at: now, expires_at: now + ctx.config.LOGIN_FLOW_TTL_SECONDS * 1000, completed_at: null,
    connection_version: connection.version,
  });
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
