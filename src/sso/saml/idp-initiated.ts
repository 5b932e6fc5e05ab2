/**
 * Unsolicited (IdP-initiated) SAML responses. Off by default: the person gets a page explaining
 * SP-initiated sign-in with the one-click link. A connection that opts in accepts such a response once
 * (the assertion-ID replay guard still applies) and the user lands like a one-click login.
 */
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { connectionsRepo, loginFlowsRepo, productsRepo, type ConnectionRow } from '../../storage/index.ts';
import { randomToken } from '../../crypto/secrets.ts';
import { allowedRedirects, isAllowedRedirect } from '../../oauth/client.ts';
import { finishLogin } from '../finish-login.ts';
import { idpKeyOf } from '../connections.ts';
import { landingUrl, loginLinks } from '../login-links.ts';
import { loadSamlConnection } from './connection-keys.ts';
import type { ParsedSamlResponse } from './validate-response.ts';
import { acceptAssertion } from './accept-assertion.ts';
import type { FlowParams } from './start-login.ts';

async function refuse(ctx: AppContext, candidates: ConnectionRow[], detail: string): Promise<never> {
  const only = candidates.length === 1 ? candidates[0]! : undefined;
  const action = only ? { href: (await loginLinks(ctx, only.tenant, only.product)).oneClickUrl, label: 'Sign in through your organisation\'s link' } : undefined;
  throw new GatehouseError('SAML_UNSOLICITED', detail, { action });
}

export async function consumeUnsolicited(ctx: AppContext, parsed: ParsedSamlResponse, relayState: string | undefined): Promise<string> {
  const explain = 'This sign-in was started at the identity provider (IdP-initiated), which is off by default. Open the application and sign in from there, or use your organisation\'s one-click sign-in link.';
  if (!parsed.issuer) throw new GatehouseError('SAML_UNSOLICITED', explain);
  const candidates = (await connectionsRepo.listByIdpKey(ctx.db, idpKeyOf(parsed.issuer))).filter((c) => c.kind === 'saml' && c.active === 1);
  const optedIn = candidates.filter((c) => loadSamlConnection(c).settings.allowIdpInitiated);
  if (optedIn.length === 0) return refuse(ctx, candidates, explain);
  if (optedIn.length > 1) return refuse(ctx, [], 'Several organisations use this identity provider with IdP-initiated sign-in, so Gatehouse cannot tell which one this is. Start sign-in from the application.');
  const row = optedIn[0]!;
  const profile = await acceptAssertion(ctx, parsed, loadSamlConnection(row), null);
  const now = ctx.now();
  // RelayState may name where to land, but only a URL the connection allows.
  const productRow = await productsRepo.findById(ctx.db, row.product);
  const redirectUri = relayState && isAllowedRedirect(relayState, allowedRedirects(row)) ? relayState : landingUrl(row, productRow);
  const params: FlowParams = { clientId: row.id, redirectUri, state: '', nonce: null, scope: 'openid', codeChallenge: null, codeChallengeMethod: null };
  const flow = { id: randomToken(24), connection_id: row.id, tenant: row.tenant, product: row.product, params: JSON.stringify(params), created_at: now, expires_at: now + 60_000, completed_at: null };
  await loginFlowsRepo.insert(ctx.db, flow);
  return finishLogin(ctx, { flow, params, connection: row, profile });
}
