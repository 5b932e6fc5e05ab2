/**
 * The guard every change to an SSO connection passes (create-or-update, update, delete), whichever surface
 * makes it: the management API, the portal, a setup link. Connections an owner chose for portal SSO can be
 * changed only by a caller that holds `portalTrusted` rights, which only the portal grants, and only to
 * owners. The choice lives in its own table (portal_sso_connections) so this module needs storage, not
 * src/admin. The default is no rights: a surface added later is refused until it says otherwise.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { portalTrustRepo } from '../storage/repositories/admin-trust.ts';

export interface ConnectionChangeRights {
  /** May change connections the portal's sign-in trusts (an owner, in the portal). */
  portalTrusted?: boolean;
}

/** Refuses (403 CONNECTION_PORTAL_TRUSTED) when one of `ids` signs admins in to the portal and the caller may not change it. */
export async function checkConnectionsChangeable(ctx: Pick<AppContext, 'db'>, ids: string[], rights: ConnectionChangeRights = {}): Promise<void> {
  if (rights.portalTrusted) return;
  const trusted = await portalTrustRepo.firstTrusted(ctx.db, ids);
  if (trusted) throw new GatehouseError('CONNECTION_PORTAL_TRUSTED', `Connection "${trusted}" is chosen for portal SSO.`, { field: 'clientID' });
}
