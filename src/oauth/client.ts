/**
 * Who is asking: the client_id forms apps use (a connection's clientID, `tenant=…&product=…`, `dummy` with
 * tenant and product parameters, or an Identity Federation OIDC app's `fed_oidc_…` client ID).
 * Redirect-URI matching is src/sso/redirect-urls.ts.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, type ConnectionRow } from '../storage/index.ts';
import { allowedRedirects } from '../sso/redirect-urls.ts';
import { appRedirectUrls, appTenants, findFederatedClient, isFederatedClientId } from './federated-clients.ts';

export type ClientRef =
  | { form: 'connection'; clientId: string; tenant: string; product: string; connection: ConnectionRow }
  | { form: 'tenant-product'; clientId: string; tenant: string; product: string }
  /** An OIDC federation app: its own redirect URLs; the connections of its tenants (its own first) for its product. */
  | { form: 'federated-app'; clientId: string; tenant: string; product: string; tenants: string[]; redirectUrls: string[] };

/** Reads tenant and product out of a `tenant=…&product=…` client_id. */
export function parseTenantProductClientId(clientId: string): { tenant: string; product: string } | null {
  if (!clientId.includes('tenant=')) return null;
  const sp = new URLSearchParams(clientId);
  const tenant = sp.get('tenant');
  const product = sp.get('product');
  return tenant && product ? { tenant, product } : null;
}

/** Whether a client_id names a connection (none of the other forms). */
export const isConnectionClientId = (clientId: string): boolean => clientId !== 'dummy' && !parseTenantProductClientId(clientId) && !isFederatedClientId(clientId);

/** `read`: the connection a connection's clientID names, when the caller read it already (oauth/authorize.ts, decision 0042). */
export async function resolveClient(ctx: AppContext, clientId: string | undefined, extra: { tenant?: string; product?: string }, read?: { connection: ConnectionRow | undefined }): Promise<ClientRef> {
  if (!clientId) throw new GatehouseError('OAUTH_INVALID_REQUEST', 'The "client_id" parameter is missing.', { field: 'client_id' });
  if (clientId === 'dummy') {
    if (!extra.tenant || !extra.product) throw new GatehouseError('OAUTH_INVALID_REQUEST', 'With client_id=dummy, the "tenant" and "product" parameters are required.', { field: extra.tenant ? 'product' : 'tenant' });
    return { form: 'tenant-product', clientId, tenant: extra.tenant, product: extra.product };
  }
  const tp = parseTenantProductClientId(clientId);
  if (tp) return { form: 'tenant-product', clientId, ...tp };
  if (isFederatedClientId(clientId)) {
    const app = await findFederatedClient(ctx, clientId);
    if (!app) throw new GatehouseError('OAUTH_INVALID_CLIENT', `No application has client_id "${clientId}".`, { field: 'client_id', status: 400 });
    return { form: 'federated-app', clientId, tenant: app.tenant, product: app.product, tenants: appTenants(app), redirectUrls: appRedirectUrls(app) };
  }
  const connection = read ? read.connection : await connectionsRepo.findById(ctx.db, clientId);
  if (!connection) throw new GatehouseError('OAUTH_INVALID_CLIENT', `No SSO connection has client_id "${clientId}".`, { field: 'client_id', status: 400 });
  return { form: 'connection', clientId, tenant: connection.tenant, product: connection.product, connection };
}

/** Connections the client may sign in through: its own, or the active ones of its tenant(s)+product. */
export async function candidateConnections(ctx: AppContext, client: ClientRef): Promise<ConnectionRow[]> {
  if (client.form === 'connection') return client.connection.active ? [client.connection] : [];
  if (client.form === 'federated-app') {
    const lists = await Promise.all(client.tenants.map((tenant) => connectionsRepo.listByTenantProduct(ctx.db, tenant, client.product)));
    return lists.flat().filter((r) => r.active === 1);
  }
  const rows = await connectionsRepo.listByTenantProduct(ctx.db, client.tenant, client.product);
  return rows.filter((r) => r.active === 1);
}

/**
 * Where the client may be sent back: an OIDC federation app's own list; otherwise the connections' lists.
 * `perConnection`: whether the chosen connection's own list must allow it too (not for federation apps).
 */
export function redirectAllowList(client: ClientRef, candidates: ConnectionRow[]): { allowed: string[]; perConnection: boolean } {
  if (client.form === 'federated-app') return { allowed: client.redirectUrls, perConnection: false };
  return { allowed: candidates.flatMap(allowedRedirects), perConnection: true };
}
