/**
 * The SP side of SAML Single Logout that needs the database and our key (decision 0030): sending a LogoutRequest to
 * the IdP (SP-initiated; the pending request is stored so its LogoutResponse can land on any instance), and sending
 * the signed LogoutResponse that answers an IdP's LogoutRequest. Which sessions end is decided above (oauth/).
 */
import type { AppContext } from '../../context.ts';
import type { Config } from '../../config.ts';
import { pendingLogoutsRepo, type ConnectionRow } from '../../storage/index.ts';
import { randomToken } from '../../crypto/secrets.ts';
import { parseSettings, spIdentityOf, type SamlSettings } from '../connection-settings.ts';
import { buildLogoutRequestXml, buildLogoutResponseXml, deliverLogoutMessage, LOGOUT_REQUEST_LIFETIME_MS, type LogoutDelivery, type LogoutResponseInput } from './logout-messages.ts';

/** The single logout URL in our SP metadata, and Jackson's path that serves it too. */
export const sloUrlsOf = (config: Pick<Config, 'EXTERNAL_URL'>) => ({ primary: `${config.EXTERNAL_URL}/api/oauth/saml/slo`, jackson: `${config.EXTERNAL_URL}/api/logout` });

/** How long a LogoutResponse to our LogoutRequest is awaited (the user may have to confirm at the IdP). */
const PENDING_LOGOUT_TTL_MS = 10 * 60_000;

/** The IdP's SingleLogoutService for requests (HTTP-Redirect preferred) or responses (their ResponseLocation when given); null when it lists none. */
export function idpSloEndpoint(s: SamlSettings, purpose: 'request' | 'response'): { binding: 'redirect' | 'post'; url: string } | null {
  const slo = s.slo ?? {};
  const binding = slo.redirectUrl ? 'redirect' : slo.postUrl ? 'post' : null;
  if (!binding) return null;
  const key = binding === 'redirect' ? 'redirectUrl' : 'postUrl';
  return { binding, url: (purpose === 'response' ? s.sloResponse?.[key] : undefined) ?? slo[key]! };
}

/** Whether an app session of this connection can continue with SAML SLO: a SAML connection whose IdP metadata lists a SingleLogoutService. */
export const supportsSpLogout = (row: ConnectionRow): boolean => row.kind === 'saml' && idpSloEndpoint(parseSettings(row.settings), 'request') !== null;

/**
 * SP-initiated SLO: stores the pending logout (where to send the browser afterwards, verified by the caller) and
 * answers with the signed LogoutRequest for the user's NameID and SessionIndex. null when the IdP has no SLO URL.
 */
export async function startSpLogout(
  ctx: AppContext,
  row: ConnectionRow,
  session: { sid: string; nameid: string; nameid_format: string | null; session_index: string | null },
  after: { redirectUri: string | null; state: string | null },
): Promise<LogoutDelivery | null> {
  const settings = parseSettings(row.settings);
  const endpoint = idpSloEndpoint(settings, 'request');
  if (!endpoint) return null;
  const now = ctx.now();
  const id = `_${randomToken(20)}`;
  await pendingLogoutsRepo.insert(ctx.db, {
    id, connection_id: row.id, sid: session.sid, redirect_uri: after.redirectUri, state: after.state,
    created_at: now, expires_at: now + Math.max(PENDING_LOGOUT_TTL_MS, LOGOUT_REQUEST_LIFETIME_MS), completed_at: null,
  });
  const issuer = spIdentityOf(settings, { spEntityId: ctx.config.SAML_SP_ENTITY_ID, acsUrl: ctx.config.acsUrl }).spEntityId;
  const xml = buildLogoutRequestXml({ id, now, issuer, destination: endpoint.url, nameId: session.nameid, nameIdFormat: session.nameid_format, sessionIndex: session.session_index });
  const sp = await ctx.keys.sp();
  return deliverLogoutMessage({ ...endpoint, xml, id, message: 'SAMLRequest', relayState: id, key: sp.privateKey, certPem: sp.certPem });
}

/** The signed LogoutResponse answering an IdP's LogoutRequest, to its SLO response URL; null when its metadata lists none. */
export async function answerIdpLogout(
  ctx: AppContext,
  settings: SamlSettings,
  a: { inResponseTo: string; status: LogoutResponseInput['status']; relayState: string | null },
): Promise<LogoutDelivery | null> {
  const endpoint = idpSloEndpoint(settings, 'response');
  if (!endpoint) return null;
  const id = `_${randomToken(20)}`;
  const issuer = spIdentityOf(settings, { spEntityId: ctx.config.SAML_SP_ENTITY_ID, acsUrl: ctx.config.acsUrl }).spEntityId;
  const xml = buildLogoutResponseXml({ id, now: ctx.now(), issuer, destination: endpoint.url, inResponseTo: a.inResponseTo, status: a.status });
  const sp = await ctx.keys.sp();
  return deliverLogoutMessage({ ...endpoint, xml, id, message: 'SAMLResponse', relayState: a.relayState, key: sp.privateKey, certPem: sp.certPem });
}
