/**
 * Route table of the embeddable portal (issue 17 §3, decision 0033). `GET /portal/<token>` opens a portal link
 * once and starts a cookie session (a second open, from any browser: 410 page); `/portal/session` is the web app,
 * framed only by the product's allowed origins. `/api/portal/*` is the setup-link API (the same handlers, through
 * `linkRoutes`) with the session acting as a link of its intent, plus the domain and audit-log views and the end
 * of the session. Problem JSON in the customer's words; pages for the rest. Handlers in ./portal/handlers.ts.
 */
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { PortalSessionRow } from '../../storage/index.ts';
import { sendCustomerProblem, sendPage } from '../serializers.ts';
import { requirePortalSession } from '../portal-session.ts';
import { registerTable, type Route } from '../route-table.ts';
import { linkRoutes } from './setup-link-api.ts';
import { portalHandlers } from './portal/handlers.ts';

type Intent = PortalSessionRow['intent'];
const SSO: Intent[] = ['sso', 'certificate_renewal'];
const ALL: Intent[] = ['sso', 'dsync', 'domain_verification', 'certificate_renewal', 'audit_log'];

export function portalRoutes(ctx: AppContext) {
  const p = portalHandlers(ctx);
  return async (app: FastifyInstance) => {
    const perMinute = { max: ctx.config.RATE_LIMIT_SETUP_LINK_PER_MINUTE, timeWindow: '1 minute', ...(ctx.config.RATE_LIMIT_SETUP_LINK_PER_MINUTE ? {} : { allowList: () => true }) };
    const byIp = app.rateLimit({ ...perMinute, name: 'portal:ip' });
    app.setErrorHandler((err, req, reply) => (req.url.startsWith('/api/') ? sendCustomerProblem(reply, err) : sendPage(reply, err)));

    /** A live session of one of `intents`; the CSRF header on every change. */
    const session = (intents: Intent[]): RouteShorthandOptions => ({ onRequest: [byIp, requirePortalSession(ctx, intents)], bodyLimit: 6 * 1024 * 1024 });
    const scoped = (service?: 'sso' | 'dsync') => session(service === 'sso' ? SSO : service === 'dsync' ? ['dsync'] : [...SSO, 'dsync']);
    const page = { onRequest: [byIp] };
    const routes: Route[] = [
      ['GET', '/portal/:token', p.open, page],
      ['GET', '/portal/session', p.page, page],
      // A test sign-in, in a new top-level tab (no cookie there): the test id is the capability.
      ['GET', '/portal/tests/:testId/start', p.startTest, page],

      ['GET', '/api/portal/session', p.session, session(ALL)],
      ['POST', '/api/portal/session/end', p.end, session(ALL)],
      ['GET', '/api/portal/domains', p.domains, session(['domain_verification'])],
      ['POST', '/api/portal/domains/:domain/verify', p.verifyDomain, session(['domain_verification'])],
      ['GET', '/api/portal/audit-log', p.auditLog, session(['audit_log'])],
      ...linkRoutes(ctx, '/api/portal', scoped),
    ];
    registerTable(app, routes);
  };
}
