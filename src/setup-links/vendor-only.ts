/**
 * Connection settings only the vendor may change, so a setup link cannot: allowing SHA-1 signatures (a weaker
 * check of every response of the IdP), reactivating a connection the vendor deactivated, and the ACS URL and
 * SP entity ID overrides (they say where the IdP posts assertions and which SP it believes it talks to). Link clients send
 * back what they read, so repeating the current value passes; a change is refused with a 403 naming the field.
 * Turning SHA-1 off or deactivating a connection only narrows what is trusted, and stays allowed.
 */
import { GatehouseError } from '../errors.ts';
import type { ConnectionRow } from '../storage/index.ts';
import { parseSettings } from '../sso/connection-settings.ts';

const on = (v: unknown) => v === true || v === 'true' || v === '1';
const off = (v: unknown) => v === false || v === 'false' || v === '0' || v === '';

const refuse = (field: string, detail: string) => new GatehouseError('SETUP_LINK_VENDOR_ONLY', detail, { field });

/**
 * The body a link may pass to the connection service, given the connection it changes (`current`), or none when
 * it creates one. On create `deactivated: false` is dropped: a new connection is active anyway, and posting the
 * metadata of an existing, deactivated connection again must not bring it back.
 */
export function vendorOnlyChecked(body: Record<string, unknown>, current?: ConnectionRow): Record<string, unknown> {
  const sha1Now = current?.kind === 'saml' && parseSettings(current.settings).allowSha1;
  if (on(body.allowSha1) && !sha1Now) throw refuse('allowSha1', 'Only the vendor can allow SHA-1 signatures for a connection.');
  const settings = current?.kind === 'saml' ? parseSettings(current.settings) : undefined;
  for (const field of ['acsUrlOverride', 'samlAudienceOverride'] as const) {
    const sent = body[field];
    if (sent !== undefined && (sent || null) !== (settings?.[field] ?? null)) throw refuse(field, `Only the vendor can set "${field}" for a connection.`);
  }
  // Where the vendor's app hears of logouts is the vendor's to say (decision 0025).
  const bcl = body.backchannelLogoutUri;
  if (bcl !== undefined && (bcl || null) !== (current?.backchannel_logout_uri ?? null)) throw refuse('backchannelLogoutUri', 'Only the vendor can set "backchannelLogoutUri" for a connection.');
  if (!current) {
    if (!off(body.deactivated)) return body;
    const { deactivated: _dropped, ...rest } = body;
    return rest;
  }
  if (current.active === 0 && 'deactivated' in body && off(body.deactivated)) throw refuse('deactivated', 'This connection was deactivated by the vendor; only the vendor can reactivate it.');
  return body;
}
