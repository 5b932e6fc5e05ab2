/**
 * POST /api/oauth/introspect (RFC 7662, decision 0024), for the app's own API servers: authenticateCaller (a secret
 * is required) → findPresentedToken → isActive → mayView → answer. Anything inactive, unknown or not the caller's
 * is `{active: false}` and nothing more. An active token is described without profile data beyond `sub`.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { openProfile } from '../sso/app-profile.ts';
import { authenticateCaller, type AuthenticatedCaller } from './client-auth.ts';
import { isSessionOpen } from './sessions.ts';
import { findPresentedToken, type PresentedToken } from './token-lookup.ts';
import type { PresentedTokenRequest } from './revocation.ts';

const INACTIVE = { active: false } as const;

function isActive(t: PresentedToken, now: number): boolean {
  if (t.row.revoked_at !== null || t.row.expires_at <= now) return false;
  return t.kind === 'access_token' || (t.row.used_at === null && t.row.family_expires_at > now);
}

/**
 * The client the token was issued to sees it; a caller with CLIENT_SECRET_VERIFIER (the tenant/product and dummy
 * forms) sees every token of its tenant and product, whichever client form the sign-in used.
 */
function mayView(caller: AuthenticatedCaller, clientId: string, profile: { tenant: string; product: string }): boolean {
  if (caller.form === 'tenant-product') return caller.tenant === profile.tenant && caller.product === profile.product;
  return caller.clientId === clientId;
}

export async function introspect(ctx: AppContext, req: PresentedTokenRequest): Promise<Record<string, unknown>> {
  const caller = await authenticateCaller(ctx, req);
  if (caller.auth !== 'secret') throw new GatehouseError('OAUTH_INVALID_CLIENT', 'Introspection is for the app\'s servers: authenticate with the client_secret (a connection\'s, an application\'s, or CLIENT_SECRET_VERIFIER).');
  if (!req.token) throw new GatehouseError('OAUTH_INVALID_REQUEST', 'The "token" parameter is missing.', { field: 'token' });
  const found = await findPresentedToken(ctx, req.token, req.tokenTypeHint);
  const now = ctx.now();
  if (!found || found.clientId === null || !isActive(found, now) || !(await isSessionOpen(ctx, found.row.sid))) return INACTIVE;
  const profile = await openProfile(ctx, found.row.profile_enc, found.row.connection_id);
  if (!mayView(caller, found.clientId, profile)) return INACTIVE;
  return {
    active: true,
    ...(found.row.scope !== null ? { scope: found.row.scope } : {}),
    client_id: found.clientId,
    sub: profile.sub,
    exp: Math.floor(found.row.expires_at / 1000),
    iat: Math.floor(found.row.created_at / 1000),
    iss: ctx.config.EXTERNAL_URL,
    token_type: found.kind === 'access_token' ? 'bearer' : 'refresh_token',
    ...(found.row.sid ? { sid: found.row.sid } : {}),
    tenant: profile.tenant,
    product: profile.product,
  };
}
