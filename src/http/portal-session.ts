/**
 * The embeddable portal's HTTP side (decision 0033): the session cookie, the hook that turns it into a Caller
 * acting as a setup link, and the one place the portal pages widen CSP `frame-ancestors` (every other page keeps
 * `'none'` and X-Frame-Options).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { PortalSessionRow } from '../storage/index.ts';
import { asSetupLink, callerOf, checkCsrf, findPortalSession } from '../portal/sessions.ts';
import { requireIntent } from '../portal/views.ts';

declare module 'fastify' {
  interface FastifyRequest {
    portalSession?: PortalSessionRow;
  }
}

export const PORTAL_COOKIE = 'gh_portal';

/**
 * Works inside the vendor's iframe: SameSite=None (a third-party context), Secure (required with None; browsers
 * treat http://localhost and 127.0.0.1 as secure), Partitioned (CHIPS: kept under the vendor's top-level site,
 * so it survives third-party-cookie blocking and is never shared with another embedding site). HttpOnly.
 */
export const portalCookieOptions = (ctx: Pick<AppContext, 'config'>) => ({
  path: '/', httpOnly: true, secure: true, sameSite: 'none' as const, partitioned: true, maxAge: ctx.config.PORTAL_SESSION_ABSOLUTE_HOURS * 3600,
});

/** onRequest hook: a live session whose intent is one of `intents`; the CSRF header on every change. */
export function requirePortalSession(ctx: AppContext, intents: PortalSessionRow['intent'][]) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const secret = req.cookies?.[PORTAL_COOKIE];
    const s = await findPortalSession(ctx, secret);
    requireIntent(s, ...intents);
    if (req.method !== 'GET' && req.method !== 'HEAD') checkCsrf(secret!, req.headers['x-csrf-token']);
    req.portalSession = s;
    req.setupLink = await asSetupLink(ctx, s);
    req.setupLinkBase = '/api/portal';
    req.setupTestStartBase = '/portal/tests';
    req.caller = callerOf(s, req.ip);
  };
}

/** Replaces `frame-ancestors 'none'` in the response's CSP with `origins` (none: unchanged) and drops X-Frame-Options. */
export function allowFraming(reply: FastifyReply, origins: string[]): void {
  if (!origins.length) return;
  const csp = reply.getHeader('content-security-policy');
  if (typeof csp === 'string') reply.header('content-security-policy', csp.replace("frame-ancestors 'none'", `frame-ancestors ${origins.join(' ')}`));
  reply.removeHeader('x-frame-options');
}
