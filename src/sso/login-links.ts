/**
 * SP-initiated sign-in without the app starting it: what the one-click link
 * `/login/sso?enterprise_key=<key>[&product=<p>]`, the invite page, the work-email page (home-realm
 * discovery) and the IdP picker resolve to, and the links themselves. Every lookup is scoped by the
 * tenant+product the link names. The sign-in itself starts in oauth/one-click-login.ts.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { connectionsRepo, productsRepo, tenantsRepo, type ConnectionRow, type ProductRow } from '../storage/index.ts';
import { enterpriseKeyOf, tenantByEnterpriseKey, type ResolvedTenant } from '../tenancy/tenants.ts';
import { tenantForEmail } from '../tenancy/domains.ts';
import { allowedRedirects, isAllowedRedirect } from './redirect-urls.ts';

export interface LoginTarget {
  tenant: ResolvedTenant;
  product: string;
  productRow: ProductRow | undefined;
  productName: string;
  connections: ConnectionRow[];
}

/** Resolves key (or email) and product to the tenant's active connections, with a clear 4xx for each dead end. */
export async function resolveLoginTarget(ctx: AppContext, q: { enterpriseKey?: string; email?: string; product?: string }): Promise<LoginTarget> {
  let tenant: ResolvedTenant | null = null;
  if (q.enterpriseKey) {
    tenant = await tenantByEnterpriseKey(ctx, q.enterpriseKey);
    if (!tenant) throw new GatehouseError('LOGIN_UNKNOWN_ENTERPRISE_KEY', `The sign-in link names "${q.enterpriseKey}", which no organisation uses. Ask your administrator for a current link, or sign in with your work email.`, { action: { href: `/login/sso${q.product ? `?product=${encodeURIComponent(q.product)}` : ''}`, label: 'Sign in with your work email' } });
  } else if (q.email) {
    const id = await tenantForEmail(ctx, q.email);
    if (!id) throw new GatehouseError('LOGIN_DOMAIN_UNKNOWN', `No organisation has verified the domain of ${q.email}. Check the address, or ask your administrator for your organisation's sign-in link.`);
    const rec = await tenantsRepo.findById(ctx.db, id);
    tenant = { id, enterpriseKey: rec?.enterprise_key ?? id, name: rec?.name ?? id };
  } else {
    throw new GatehouseError('OAUTH_INVALID_REQUEST', 'The link names no organisation (enterprise_key).');
  }
  const products = await connectionsRepo.productsOfTenant(ctx.db, tenant.id);
  let product = q.product;
  if (!product) {
    if (products.length !== 1) throw new GatehouseError('LOGIN_PRODUCT_AMBIGUOUS', products.length ? `Add &product= with one of: ${products.join(', ')}.` : undefined);
    product = products[0]!;
  }
  const productRow = await productsRepo.findById(ctx.db, product);
  if (!productRow && !products.includes(product)) throw new GatehouseError('LOGIN_UNKNOWN_PRODUCT', `There is no application "${product}". Check the link you were given.`);
  const connections = (await connectionsRepo.listByTenantProduct(ctx.db, tenant.id, product)).filter((c) => c.active === 1);
  const productName = productRow?.name ?? product;
  if (connections.length === 0) throw new GatehouseError('LOGIN_NO_ACTIVE_CONNECTION', `${tenant.name} has no active single sign-on for ${productName}. Ask your IT administrator to finish the set-up.`);
  return { tenant, product, productRow, productName, connections };
}

/** Where a sign-in nobody's app started lands: the product's default URL when the connection allows it. */
export function landingUrl(connection: ConnectionRow, productRow: ProductRow | undefined): string {
  const preferred = productRow?.default_redirect_url;
  return preferred && isAllowedRedirect(preferred, allowedRedirects(connection)) ? preferred : connection.default_redirect_url;
}

export const connectionLabel = (c: ConnectionRow) => c.name || c.idp_entity_id;

/** The links a tenant's users get: one-click and invite, for the management API and the portal. */
/** The links of a tenant+product named in a query, for a caller that may read its connections. */
export async function loginLinksFor(ctx: AppContext, caller: Caller, q: { tenant?: string; product?: string }) {
  authorize(caller, 'sso:read', q);
  if (!q.tenant || !q.product) throw new GatehouseError('API_VALIDATION', 'Pass "tenant" and "product".', { field: q.tenant ? 'product' : 'tenant' });
  return loginLinks(ctx, q.tenant, q.product);
}

export async function loginLinks(ctx: AppContext, tenant: string, product: string) {
  const key = await enterpriseKeyOf(ctx, tenant);
  const qs = new URLSearchParams({ enterprise_key: key, product }).toString();
  return { oneClickUrl: `${ctx.config.EXTERNAL_URL}/login/sso?${qs}`, inviteUrl: `${ctx.config.EXTERNAL_URL}/login/sso/invite?${qs}` };
}
