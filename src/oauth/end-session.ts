/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) at GET|POST /api/oauth/logout, decision 0030, as a
 * pipeline: readEndSessionParams → verifyIdTokenHint → identifyClient → checkPostLogoutRedirectUri (nothing is ended
 * before the URI is verified) → end the session (`rp_logout`) → SAML SP-initiated logout when the session came from
 * a SAML connection whose IdP lists a SingleLogoutService (sso/saml/sp-logout.ts; the LogoutResponse finishes at
 * oauth/saml-slo.ts) → redirect to the verified URI with `state`, or the signed-out page.
 */
import { compactVerify, createLocalJWKSet } from 'jose';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { appSessionsRepo, connectionsRepo, type AppSessionRow } from '../storage/index.ts';
import { sessionSettingsOf } from '../tenancy/session-settings.ts';
import { startSpLogout, supportsSpLogout } from '../sso/saml/sp-logout.ts';
import type { LogoutDelivery } from '../sso/saml/logout-messages.ts';
import { resolveClient } from './client.ts';
import { withParams } from './codes.ts';
import { endAppSessions } from './sessions.ts';

export interface EndSessionParams {
  idTokenHint?: string;
  clientId?: string;
  postLogoutRedirectUri?: string;
  state?: string;
  /** For client_id=dummy, as at authorize. */
  tenant?: string;
  product?: string;
}

/** Where a logout leaves the browser: at the IdP (a LogoutRequest), back at the app, or on our signed-out page. */
export type LogoutOutcome = LogoutDelivery | { kind: 'signed-out' };

/** Each parameter's name and longest accepted value (state and the URI are stored with a pending SAML logout). */
const NAMES: Record<keyof EndSessionParams, [string, number]> = {
  idTokenHint: ['id_token_hint', 16_384], clientId: ['client_id', 1024], postLogoutRedirectUri: ['post_logout_redirect_uri', 2048], state: ['state', 2048], tenant: ['tenant', 1024], product: ['product', 1024],
};

/** The parameters from the query (GET) or the form (POST); a repeated, non-string or overlong parameter is refused. */
export function readEndSessionParams(q: Record<string, unknown>): EndSessionParams {
  const out: EndSessionParams = {};
  for (const [key, [name, max]] of Object.entries(NAMES) as [keyof EndSessionParams, [string, number]][]) {
    const v = q[name];
    if (v === undefined || v === '') continue;
    if (typeof v !== 'string') throw new GatehouseError('OAUTH_INVALID_REQUEST', `The "${name}" parameter must be given once, as text.`, { field: name });
    if (v.length > max) throw new GatehouseError('OAUTH_INVALID_REQUEST', `The "${name}" parameter is longer than ${max} characters.`, { field: name });
    out[key] = v;
  }
  return out;
}

export async function endSession(ctx: AppContext, p: EndSessionParams): Promise<LogoutOutcome> {
  const hint = await verifyIdTokenHint(ctx, p.idTokenHint);
  const clientId = identifyClient(hint, p.clientId);
  const session = hint?.sid ? await appSessionsRepo.find(ctx.db, hint.sid) : undefined;
  const redirectUri = await checkPostLogoutRedirectUri(ctx, p, clientId, session);
  const after = { redirectUri, state: p.state ?? null };
  if (session) {
    const ended = await endAppSessions(ctx, { sid: session.sid }, 'rp_logout');
    if (ended.length === 1) {
      const viaIdp = await continueAtIdp(ctx, session, after);
      if (viaIdp) return viaIdp;
    }
  }
  return redirectUri ? { kind: 'redirect', url: withParams(redirectUri, { state: after.state ?? undefined }) } : { kind: 'signed-out' };
}

/**
 * The hint must be an id_token we issued (signature with our JWKS, `iss`); an expired one is accepted, as the
 * specification asks (the app logs out after the id_token's short life). It names the client (`aud`) and the session (`sid`).
 */
async function verifyIdTokenHint(ctx: AppContext, token: string | undefined): Promise<{ aud: string[]; sid: string | null } | null> {
  if (!token) return null;
  const jwks = createLocalJWKSet({ keys: (await ctx.keys.jwt()).all.map((k) => k.publicJwk) as never });
  let claims: Record<string, unknown>;
  try {
    const { payload } = await compactVerify(token, jwks, { algorithms: ['RS256'] });
    claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
  } catch {
    throw new GatehouseError('OAUTH_INVALID_ID_TOKEN_HINT', 'Its signature does not verify with this service\'s keys.', { field: 'id_token_hint' });
  }
  if (claims.iss !== ctx.config.EXTERNAL_URL) throw new GatehouseError('OAUTH_INVALID_ID_TOKEN_HINT', 'Its issuer is not this service.', { field: 'id_token_hint' });
  const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
  if (aud.length === 0) throw new GatehouseError('OAUTH_INVALID_ID_TOKEN_HINT', 'It has no audience.', { field: 'id_token_hint' });
  return { aud, sid: typeof claims.sid === 'string' ? claims.sid : null };
}

/** client_id, when given with a hint, must be the hint's audience; without client_id the hint's audience is the client. */
function identifyClient(hint: { aud: string[] } | null, clientId: string | undefined): string | null {
  if (hint && clientId && !hint.aud.includes(clientId)) throw new GatehouseError('OAUTH_INVALID_REQUEST', 'The client_id is not the audience of the id_token_hint.', { field: 'client_id' });
  return clientId ?? hint?.aud[0] ?? null;
}

/** Exact match against the product's registered postLogoutRedirectUris; the product is the session's, else the client's. */
async function checkPostLogoutRedirectUri(ctx: AppContext, p: EndSessionParams, clientId: string | null, session: AppSessionRow | undefined): Promise<string | null> {
  const uri = p.postLogoutRedirectUri;
  if (uri === undefined) return null;
  let product = session?.product;
  if (!product) {
    if (!clientId) throw new GatehouseError('OAUTH_INVALID_REQUEST', 'A post_logout_redirect_uri needs an id_token_hint or a client_id that says which application is asking.', { field: 'client_id' });
    product = (await resolveClient(ctx, clientId, { tenant: p.tenant, product: p.product })).product;
  }
  const { postLogoutRedirectUris } = await sessionSettingsOf(ctx, product);
  if (!postLogoutRedirectUris.includes(uri)) throw new GatehouseError('OAUTH_INVALID_POST_LOGOUT_REDIRECT_URI', `"${uri.slice(0, 300)}" is not one of the product's postLogoutRedirectUris (matched exactly).`, { field: 'post_logout_redirect_uri' });
  return uri;
}

/** The IdP's half: a SAML LogoutRequest when the session's connection can take one. */
async function continueAtIdp(ctx: AppContext, session: AppSessionRow, after: { redirectUri: string | null; state: string | null }): Promise<LogoutDelivery | null> {
  const row = await connectionsRepo.findById(ctx.db, session.connection_id);
  if (!row || !supportsSpLogout(row)) return null;
  return startSpLogout(ctx, row, session, after);
}
