/**
 * Unsolicited (IdP-initiated) SAML responses. Off by default: the person gets a page explaining
 * SP-initiated sign-in with the one-click link. A connection that opts in accepts such a response once
 * (the assertion-ID replay guard still applies) and the user lands like a one-click login. Under
 * JACKSON_COMPAT, Jackson's global IDP_ENABLED opts every SAML connection in.
 */
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { connectionsRepo, productsRepo, type ConnectionRow } from '../../storage/index.ts';
import { allowedRedirects, isAllowedRedirect, redirectMatchingOf } from '../redirect-urls.ts';
import type { SignInFinisher } from '../sign-in-finisher.ts';
import { idpKeyOf } from '../connections.ts';
import { landingUrl, loginLinks } from '../login-links.ts';
import { loadSamlConnection } from './connection-keys.ts';
import type { ParsedSamlResponse } from './validate-response.ts';
import { acceptAssertion } from './accept-assertion.ts';

async function refuse(ctx: AppContext, candidates: ConnectionRow[], detail: string): Promise<never> {
  const only = candidates.length === 1 ? candidates[0]! : undefined;
  const action = only ? { href: (await loginLinks(ctx, only.tenant, only.product)).oneClickUrl, label: 'Sign in through your organisation\'s link' } : undefined;
  throw new GatehouseError('SAML_UNSOLICITED', detail, { action });
}

export async function consumeUnsolicited(ctx: AppContext, parsed: ParsedSamlResponse, relayState: string | undefined, finish: SignInFinisher): Promise<string> {
  const explain = 'This sign-in was started at the identity provider (IdP-initiated), which is off by default. Open the application and sign in from there, or use your organisation\'s one-click sign-in link.';
  if (!parsed.issuer) throw new GatehouseError('SAML_UNSOLICITED', explain);
  const candidates = (await connectionsRepo.listByIdpKey(ctx.db, idpKeyOf(parsed.issuer))).filter((c) => c.kind === 'saml' && c.active === 1);
  const everyConnection = ctx.config.JACKSON_COMPAT && ctx.config.IDP_ENABLED;
  const optedIn = candidates.filter((c) => everyConnection || loadSamlConnection(c).settings.allowIdpInitiated);
  if (optedIn.length === 0) return refuse(ctx, candidates, explain);
  if (optedIn.length > 1) return refuse(ctx, [], 'Several organisations use this identity provider with IdP-initiated sign-in, so Gatehouse cannot tell which one this is. Start sign-in from the application.');
  const row = optedIn[0]!;
  const profile = await acceptAssertion(ctx, parsed, loadSamlConnection(row), null);
  // RelayState may name where to land, but only a URL the connection allows.
  const productRow = await productsRepo.findById(ctx.db, row.product);
  const redirectUri = relayState && isAllowedRedirect(relayState, allowedRedirects(row), redirectMatchingOf(ctx.config)) ? relayState : landingUrl(row, productRow);
  return finish.unsolicited(ctx, { connection: row, redirectUri, profile });
}
