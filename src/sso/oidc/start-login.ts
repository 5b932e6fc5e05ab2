/**
 * SP-initiated sign-in at an upstream OIDC provider: Gatehouse is the relying party with its own state
 * (the flow id), nonce and PKCE verifier, all kept in the login flow row (sealed where secret).
 */
import type { AppContext } from '../../context.ts';
import { loginFlowsRepo, type ConnectionRow } from '../../storage/index.ts';
import { randomToken } from '../../crypto/secrets.ts';
import type { StartLoginOutcome } from '../saml/start-login.ts';
import { oidcClientFor } from './client.ts';

export interface OidcFlowSecrets {
  nonce: string;
  codeVerifierEnc: string;
}

/** `appRequest`: the app's request (oauth/flow-params.ts), kept with the flow beside the upstream secrets, unread. */
export async function startOidcLogin(ctx: AppContext, connection: ConnectionRow, appRequest: object): Promise<StartLoginOutcome> {
  const { settings, config, oidc } = await oidcClientFor(ctx, connection);
  const now = ctx.now();
  const flowId = randomToken(24);
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  const upstream: OidcFlowSecrets = { nonce, codeVerifierEnc: ctx.secrets.encrypt(verifier) };
  await loginFlowsRepo.insert(ctx.db, {
    id: flowId, connection_id: connection.id, tenant: connection.tenant, product: connection.product,
    params: JSON.stringify({ ...appRequest, upstream }), created_at: now, expires_at: now + ctx.config.LOGIN_FLOW_TTL_SECONDS * 1000, completed_at: null,
    connection_version: connection.version,
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: ctx.config.oidcCallbackUrl, scope: settings.scopes, state: flowId, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  return { kind: 'redirect', url: url.href };
}
