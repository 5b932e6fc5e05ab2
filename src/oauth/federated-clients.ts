/**
 * Identity Federation OIDC apps as OAuth clients (decision 0015). Their client ID is Jackson's: `fed_` + the app
 * id, which is `oidc_` + RIPEMD-160 of "tenant:product". The client secret is sealed with the secret box, bound to
 * the app id (a sealed value copied into another row does not open there), and compared in constant time.
 * federation/ creates and changes the apps; the app-facing endpoints here only read them.
 */
import type { AppContext } from '../context.ts';
import { constantTimeEqual } from '../crypto/secrets.ts';
import { federationOidcAppsRepo, type FederationOidcAppRow } from '../storage/index.ts';

export const FEDERATED_CLIENT_PREFIX = 'fed_';
export const OIDC_APP_ID_PREFIX = 'oidc_';

/** Whether a client_id has the shape of an OIDC federation app's (Jackson's `fed_oidc_` prefix). */
export const isFederatedClientId = (clientId: string): boolean => clientId.startsWith(`${FEDERATED_CLIENT_PREFIX}${OIDC_APP_ID_PREFIX}`);
export const clientIdOfApp = (appId: string): string => `${FEDERATED_CLIENT_PREFIX}${appId}`;

const sealContext = (appId: string) => `federation_oidc_apps.client_secret:${appId}`;
export const sealClientSecret = (ctx: Pick<AppContext, 'secrets'>, appId: string, secret: string): string => ctx.secrets.encrypt(secret, sealContext(appId));
export const openClientSecret = (ctx: Pick<AppContext, 'secrets'>, row: Pick<FederationOidcAppRow, 'id' | 'client_secret_sealed'>): string => ctx.secrets.decrypt(row.client_secret_sealed, sealContext(row.id));

/** The app a `fed_oidc_…` client_id names, or undefined (unknown, or deleted). */
export async function findFederatedClient(ctx: AppContext, clientId: string): Promise<FederationOidcAppRow | undefined> {
  if (!isFederatedClientId(clientId)) return undefined;
  return federationOidcAppsRepo.findById(ctx.db, clientId.slice(FEDERATED_CLIENT_PREFIX.length));
}

/** Whether `presented` is the app's client secret (constant time; a secret that cannot be opened matches nothing). */
export function isAppClientSecret(ctx: AppContext, row: FederationOidcAppRow, presented: string): boolean {
  let secret: string;
  try {
    secret = openClientSecret(ctx, row);
  } catch (err) {
    ctx.log.warn({ appId: row.id, reason: (err as Error).message }, 'the sealed client secret of an identity federation app could not be opened');
    return false;
  }
  return constantTimeEqual(secret, presented);
}

export const appRedirectUrls = (row: Pick<FederationOidcAppRow, 'redirect_urls'>): string[] => JSON.parse(row.redirect_urls) as string[];
/** The tenants whose connections sign users in to the app (its own first), from its settings. */
export const appTenants = (row: Pick<FederationOidcAppRow, 'tenant' | 'settings'>): string[] => {
  const tenants = (JSON.parse(row.settings) as { tenants?: string[] }).tenants;
  return tenants?.length ? tenants : [row.tenant];
};
