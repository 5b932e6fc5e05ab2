/**
 * Handlers of the embeddable portal's own routes (decision 0033); the setup-link routes it shares come from
 * `linkRoutes`. The services check and audit; these adapt shapes, set the cookie and widen framing on pages.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { ERRORS, GatehouseError } from '../../../errors.ts';
import { productsRepo } from '../../../storage/index.ts';
import { csrfTokenOf, endPortalSession, findPortalSession, frameAncestorsOf, openPortalLink, openPortalTest } from '../../../portal/sessions.ts';
import { portalAuditLog, portalDomains, portalVerifyDomain } from '../../../portal/views.ts';
import { brandingOf } from '../../../admin/branding.ts';
import { callerOf } from '../../caller.ts';
import { escapeHtml, layout } from '../../pages.ts';
import { sendPage } from '../../serializers.ts';
import { allowFraming, PORTAL_COOKIE, portalCookieOptions } from '../../portal-session.ts';
import { params, query, type Handler } from '../../route-table.ts';
import { indexSender } from '../web.ts';
import { sendLoginOutcome } from '../oauth.ts';

/** A portal link that cannot be opened: a page the vendor's frame may show (its product's frame-ancestors). */
function refusalPage(req: FastifyRequest, reply: FastifyReply, e: GatehouseError) {
  const heading = e.code === 'PORTAL_LINK_USED' ? 'This link was already used' : e.code === 'PORTAL_LINK_EXPIRED' ? 'This link has expired' : 'This link does not work';
  const body = `<h1>${heading}</h1><p class="lead">${escapeHtml(ERRORS[e.code].message)}</p><p class="code">Error code: <code>${e.code}</code></p>`;
  return reply.code(e.status).type('text/html; charset=utf-8').send(layout(brandingOf(req), heading, body));
}

export function portalHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  const sendIndex = indexSender();
  const s = (req: FastifyRequest) => req.portalSession!;
  return {
    /** The first open starts the session and goes to the page; any other answers 404/410. */
    open: h(async (req, reply) => {
      const opened = await openPortalLink(ctx, params(req).token, req.ip);
      allowFraming(reply, await frameAncestorsOf(ctx, opened.ok ? opened.session.product : opened.product));
      if (!opened.ok) return refusalPage(req, reply, opened.error);
      reply.setCookie(PORTAL_COOKIE, opened.secret, portalCookieOptions(ctx));
      return reply.redirect('/portal/session', 303);
    }),
    page: h(async (req, reply) => {
      const live = await findPortalSession(ctx, req.cookies?.[PORTAL_COOKIE]).catch(() => null);
      if (!live) return sendPage(reply, new GatehouseError('PORTAL_SESSION_REQUIRED'));
      allowFraming(reply, await frameAncestorsOf(ctx, live.product));
      return sendIndex(req, reply);
    }),
    startTest: h(async (req, reply) => sendLoginOutcome(reply, await openPortalTest(ctx, params(req).testId!))),

    session: h(async (req) => {
      const x = s(req);
      const product = await productsRepo.findById(ctx.db, x.product);
      return { data: { intent: x.intent, tenant: x.tenant, product: x.product, productName: product?.name ?? x.product, clientID: x.client_id, hasReturnUrl: x.return_url !== null, csrfToken: csrfTokenOf(req.cookies[PORTAL_COOKIE]!) } };
    }),
    end: h(async (req, reply) => {
      const out = await endPortalSession(ctx, s(req), req.ip);
      reply.clearCookie(PORTAL_COOKIE, portalCookieOptions(ctx));
      return { data: out };
    }),
    domains: h(async (req) => portalDomains(ctx, callerOf(req), s(req))),
    verifyDomain: h(async (req) => ({ data: await portalVerifyDomain(ctx, callerOf(req), s(req), params(req).domain!) })),
    auditLog: h(async (req) => portalAuditLog(ctx, s(req), query(req).before)),
  };
}
