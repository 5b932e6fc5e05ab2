/**
 * The one-click link `GET /login/sso?enterprise_key=…[&product=…]`: resolves the tenant's connections
 * (src/sso/login-links.ts) and starts the sign-in as if the product's app had asked, landing at the
 * product's default redirect URL.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import type { ConnectionRow } from '../storage/index.ts';
import { landingUrl, resolveLoginTarget, type LoginTarget } from '../sso/login-links.ts';
import type { StartLoginOutcome } from '../sso/saml/start-login.ts';
import { startLogin } from './authorize.ts';
import type { FlowParams } from './flow-params.ts';

export type OneClickOutcome = StartLoginOutcome | { kind: 'picker'; target: LoginTarget };

/**
 * The one-click link. With the product's initiate_login_uri, the app starts a normal authorize request
 * (OIDC third-party initiated login); otherwise Gatehouse starts the SP-initiated login itself and the
 * code lands at the product's default redirect URL (redeemed with the connection's clientID and secret).
 */
export async function oneClickLogin(ctx: AppContext, q: { enterpriseKey?: string; email?: string; product?: string; idpHint?: string }): Promise<OneClickOutcome> {
  const target = await resolveLoginTarget(ctx, q);
  const initiate = target.productRow?.initiate_login_uri;
  if (initiate) {
    const u = new URL(initiate);
    u.searchParams.set('iss', ctx.config.EXTERNAL_URL);
    u.searchParams.set('login_hint', q.email ?? target.tenant.enterpriseKey);
    const landing = target.productRow?.default_redirect_url;
    if (landing) u.searchParams.set('target_link_uri', landing);
    u.searchParams.set('tenant', target.tenant.id);
    u.searchParams.set('product', target.product);
    return { kind: 'redirect', url: u.href };
  }
  let connection: ConnectionRow | undefined;
  if (q.idpHint) {
    connection = target.connections.find((c) => c.id === q.idpHint);
    if (!connection) throw new GatehouseError('OAUTH_INVALID_REQUEST', 'idp_hint does not name a connection of this organisation and application.');
  } else if (target.connections.length > 1) {
    return { kind: 'picker', target };
  } else connection = target.connections[0]!;
  const params: FlowParams = { clientId: connection.id, redirectUri: landingUrl(connection, target.productRow), state: '', nonce: null, scope: 'openid', codeChallenge: null, codeChallengeMethod: null };
  return startLogin(ctx, connection, params);
}
