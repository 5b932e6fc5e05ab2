/**
 * Route table of the embeddable portal (issue 17 §3, decision 0033). `GET /portal/<token>` opens a portal link
 * once and starts a cookie session (a second open, from any browser: 410 page); `/portal/session` is the web app,
 * framed only by the product's allowed origins. `/api/portal/*` is the setup-link API (the same handlers, through
 * `linkRoutes`) with the session acting as a link of its intent, plus the domain and audit-log views and the end
 * of the session. Problem JSON in the customer's words.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError, ERRORS } from '../../errors.ts';
import { productsRepo } from '../../storage/index.ts';
import { csrfTokenOf, endPortalSession, findPortalSession, frameAncestorsOf, openPortalLink, openPortalTest } from '../../portal/sessions.ts';
import { portalAuditLog, portalDomains, portalVerifyDomain } from '../../portal/views.ts';
import { brandingOf } from '../../admin/branding.ts';
import { callerOf } from '../caller.ts';
import { escapeHtml, layout } from '../pages.ts';
import { sendCustomerProblem, sendPage } from '../serializers.ts';
import { allowFraming, PORTAL_COOKIE, portalCookieOptions, requirePortalSession } from '../portal-session.ts';
import { params, query, registerTable, type Route } from '../route-table.ts';
import { linkRoutes } from './setup-link-api.ts';
import { indexSender } from './web.ts';
import { sendLoginOutcome } from './oauth.ts';

const SSO = ['sso', 'certificate_renewal'] as const;

/** A portal link that cannot be opened: a page the vendor's frame may show (its product's frame-ancestors). */
function refusalPage(req: FastifyRequest, reply: FastifyReply, e: GatehouseError) {
  const heading = e.code === 'PORTAL_LINK_USED' ? 'This link was already used' : e.code === 'PORTAL_LINK_EXPIRED' ? 'This link has expired' : 'This link does not work';
  const body = `<h1>${heading}</h1><p class="lead">${escapeHtml(ERRORS[e.code].message)}</p><p class="code">Error code: <code>${e.code}</code></p>`;
  return reply.code(e.status).type('text/html; charset=utf-8').send(layout(brandingOf(req), heading, body));
}

export function portalRoutes(ctx: AppContext) {
  const sendIndex = indexSender();
  return async (app: FastifyInstance) => {
    const perMinute = { max: ctx.config.RATE_LIMIT_SETUP_LINK_PER_MINUTE, timeWindow: '1 minute', ...(ctx.config.RATE_LIMIT_SETUP_LINK_PER_MINUTE ? {} : { allowList: () => true }) };
    const byIp = app.rateLimit({ ...perMinute, name: 'portal:ip' });
    app.setErrorHandler((err, req, reply) => (req.url.startsWith('/api/') ? sendCustomerProblem(reply, err) : sendPage(reply, err)));

    const session = (intents: readonly string[]): RouteShorthandOptions => ({ onRequest: [byIp, requirePortalSession(ctx, intents as never)], bodyLimit: 6 * 1024 * 1024 });
    const scoped = (service?: 'sso' | 'dsync') => session(service === 'sso' ? SSO : service === 'dsync' ? ['dsync'] : [...SSO, 'dsync']);
    const any = session(['sso', 'dsync', 'domain_verification', 'certificate_renewal', 'audit_log']);
    const s = (req: FastifyRequest) => req.portalSession!;

    const routes: Route[] = [
      ['GET', '/portal/:token', async (req, reply) => {
        const opened = await openPortalLink(ctx, params(req).token, req.ip);
        allowFraming(reply, await frameAncestorsOf(ctx, opened.ok ? opened.session.product : opened.product));
        if (!opened.ok) return refusalPage(req, reply, opened.error);
        reply.setCookie(PORTAL_COOKIE, opened.secret, portalCookieOptions(ctx));
        return reply.redirect('/portal/session', 303);
      }, { onRequest: [byIp] }],
      ['GET', '/portal/session', async (req, reply) => {
        const live = await findPortalSession(ctx, req.cookies?.[PORTAL_COOKIE]).catch(() => null);
        if (!live) return sendPage(reply, new GatehouseError('PORTAL_SESSION_REQUIRED'));
        allowFraming(reply, await frameAncestorsOf(ctx, live.product));
        return sendIndex(req, reply);
      }, { onRequest: [byIp] }],

      // A test sign-in, in a new top-level tab (no cookie there): the test id is the capability (decision 0033).
      ['GET', '/portal/tests/:testId/start', async (_req, reply) => sendLoginOutcome(reply, await openPortalTest(ctx, params(_req).testId!)), { onRequest: [byIp] }],

      ['GET', '/api/portal/session', async (req) => {
        const x = s(req);
        const product = await productsRepo.findById(ctx.db, x.product);
        return { data: { intent: x.intent, tenant: x.tenant, product: x.product, productName: product?.name ?? x.product, clientID: x.client_id, hasReturnUrl: x.return_url !== null, csrfToken: csrfTokenOf(ctx, req.cookies[PORTAL_COOKIE]!) } };
      }, any],
      ['POST', '/api/portal/session/end', async (req, reply) => {
        const out = await endPortalSession(ctx, s(req), req.ip);
        reply.clearCookie(PORTAL_COOKIE, portalCookieOptions(ctx));
        return { data: out };
      }, any],
      ['GET', '/api/portal/domains', async (req) => portalDomains(ctx, callerOf(req), s(req)), session(['domain_verification'])],
      ['POST', '/api/portal/domains/:domain/verify', async (req) => ({ data: await portalVerifyDomain(ctx, callerOf(req), s(req), params(req).domain!) }), session(['domain_verification'])],
      ['GET', '/api/portal/audit-log', async (req) => portalAuditLog(ctx, s(req), query(req).before), session(['audit_log'])],
      ...linkRoutes(ctx, '/api/portal', scoped),
    ];
    registerTable(app, routes);
  };
}
