/**
 * Route table of the setup-link API (`/api/setup/<token>/…`, Jackson paths), authorised by the token alone,
 * rate-limited per IP and per token; its first use and every change are audited. The link is the Caller: the connection and
 * directory services check it and audit its changes as they do the portal's. Handlers in ./setup-link/handlers.ts.
 * Problem JSON errors in the customer's words (http/customer-errors.ts).
 */
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import type { AppContext } from '../../context.ts';
import { auditChange } from '../../policy/audit.ts';
import { callerOf } from '../caller.ts';
import { tokenHash } from '../../crypto/secrets.ts';
import { requireSetupLink } from '../../setup-links/link-auth.ts';
import { recordOpened } from '../../setup-links/progress.ts';
import { sendCustomerProblem, sendProblem } from '../serializers.ts';
import { additionalLimit } from '../rate-limits.ts';
import { registerTable, type Route } from '../route-table.ts';
import { setupLinkHandlers } from './setup-link/handlers.ts';
import { setupLinkDraftHandlers } from './setup-link/draft-handlers.ts';
import { roleHandlers } from './role-handlers.ts';

/**
 * The routes a link drives, under `base` (`/api/setup/:token` for a setup link, `/api/portal` for a portal
 * session acting as one, decision 0033); `scoped(service)` gives each route its authorising hooks.
 */
export function linkRoutes(ctx: AppContext, base: string, scoped: (service?: 'sso' | 'dsync') => RouteShorthandOptions): Route[] {
  const s = setupLinkHandlers(ctx);
  const dr = setupLinkDraftHandlers(ctx);
  const r = roleHandlers(ctx);
  const [either, sso, dsync] = [scoped(), scoped('sso'), scoped('dsync')];
  return [
    ['GET', base, s.info, either],

    ['GET', `${base}/sso-connection`, s.listConnections, sso],
    ['GET', `${base}/sso-connection/:clientID`, s.getConnection, sso],
    ['GET', `${base}/sso-connection/:clientID/health`, s.connectionHealth, sso],
    ['POST', `${base}/sso-connection`, s.createConnection, sso],
    ['PATCH', `${base}/sso-connection`, s.updateConnection, sso],
    ['DELETE', `${base}/sso-connection`, s.deleteConnection, sso],
    ['POST', `${base}/sso-connection/:clientID/test`, s.startTest, sso],
    ['GET', `${base}/tests/:testId/start`, s.openTest, sso],
    ['GET', `${base}/tests/:testId`, s.getTest, sso],
    ['GET', `${base}/links`, s.links, sso],
    ['GET', `${base}/sso-connection/:clientID/draft`, dr.get, sso],
    ['POST', `${base}/sso-connection/:clientID/draft`, dr.save, sso],
    ['DELETE', `${base}/sso-connection/:clientID/draft`, dr.discard, sso],
    ['POST', `${base}/sso-connection/:clientID/draft/test`, dr.test, sso],
    ['POST', `${base}/sso-connection/:clientID/draft/promote`, dr.promote, sso],
    ['POST', `${base}/sso-connection/:clientID/rollback`, dr.rollback, sso],
    ['GET', `${base}/sso-connection/:clientID/versions`, dr.versions, sso],

    ['GET', `${base}/directory-sync`, s.listDirectories, dsync],
    ['GET', `${base}/directory-sync/:id`, s.getDirectory, dsync],
    ['GET', `${base}/directory-sync/:id/requests`, s.directoryRequests, dsync],
    ['POST', `${base}/directory-sync`, s.createDirectory, dsync],
    ['POST', `${base}/directory-sync/:id/rotate-secret`, s.rotateDirectorySecret, dsync],
    ['DELETE', `${base}/directory-sync/:id`, s.deleteDirectory, dsync],

    // Group-to-role mapping for the link's own tenant and product (either service).
    ['GET', `${base}/role-mappings`, r.getRoleMappings, either],
    ['PUT', `${base}/role-mappings`, r.saveRoleMappings, either],
    ['POST', `${base}/role-mappings/preview`, r.previewRoleMappings, either],
  ];
}

export function setupLinkApiRoutes(ctx: AppContext) {
  const s = setupLinkHandlers(ctx);
  const dr = setupLinkDraftHandlers(ctx);
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => sendCustomerProblem(reply, err));
    const perMinute = { max: ctx.config.RATE_LIMIT_SETUP_LINK_PER_MINUTE, timeWindow: '1 minute', ...(ctx.config.RATE_LIMIT_SETUP_LINK_PER_MINUTE ? {} : { allowList: () => true }) };
    const byIp = app.rateLimit({ ...perMinute, name: 'setup-link:ip' });
    const byToken = additionalLimit(app, { ...perMinute, name: 'setup-link:token', keyGenerator: (req) => `setup:${tokenHash((req.params as { token?: string }).token ?? '')}` });

    // The first use of a link is recorded and audited once (setup_link.opened); after that, every attempt to
    // change something is audited (which link, what, from where), answered or refused. Reads are not: the page
    // polls (decision 0026).
    app.addHook('onResponse', async (req, reply) => {
      if (!req.setupLink) return;
      await recordOpened(ctx, callerOf(req), req.setupLink).catch((err) => req.log.warn({ err }, 'recording the setup link\'s first use failed'));
      if (req.method === 'GET' || req.method === 'HEAD') return;
      await auditChange(ctx, callerOf(req), { action: 'setup_link.used', target: { type: 'setup_link', id: req.setupLink.id }, tenant: req.setupLink.tenant, product: req.setupLink.product, after: { method: req.method, route: req.routeOptions.url, status: reply.statusCode } }).catch((err) => req.log.warn({ err }, 'audit of setup-link use failed'));
    });

    /** A live link of `service` (either, for the link's own info). */
    const scoped = (service?: 'sso' | 'dsync'): RouteShorthandOptions => ({ onRequest: [byIp, byToken, requireSetupLink(ctx, service)], bodyLimit: 6 * 1024 * 1024 });
    const routes: Route[] = [
      ...linkRoutes(ctx, '/api/setup/:token', scoped),
      ['GET', '/setup/test-result/:testId', s.testResult, { onRequest: [byIp] }],
      ['GET', '/setup/tests/:testId/start', dr.openVendorTest, { onRequest: [byIp] }],
    ];
    registerTable(app, routes);
  };
}
