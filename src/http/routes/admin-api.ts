/**
 * Route table of the admin API (`/api/admin`, docs/admin-api.md): the session hook (sign-in, CSRF, viewers change
 * nothing) and problem JSON for every row. The hook makes the signed-in account a Caller; the services check it
 * and audit with it. Handlers only adapt shapes (./admin/*.ts).
 */
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { ThrottledError } from '../../admin/sign-in-throttle.ts';
import { sendProblem } from '../serializers.ts';
import { adminSessionHook } from '../admin-session.ts';
import { registerTable, type Route } from '../route-table.ts';
import { adminSignInHandlers } from './admin/sign-in.ts';
import { adminPortalHandlers } from './admin/portal.ts';
import { adminConnectionHandlers } from './admin/connections.ts';
import { adminDraftHandlers } from './admin/drafts.ts';
import { adminDirectoryHandlers } from './admin/directories.ts';
import { adminSetupLinkHandlers } from './admin/setup-links.ts';
import { adminEventHandlers } from './admin/events.ts';
import { roleHandlers } from './role-handlers.ts';
import { adminSessionHandlers } from './admin/sessions.ts';

export function adminApiRoutes(ctx: AppContext, limits: { api: object; sensitive: object }) {
  const sensitive = { ...limits.sensitive, errorResponseBuilder: (_req: unknown, c: { after: string }) => new GatehouseError('ADMIN_RATE_LIMITED', `Try again in ${c.after}.`) };
  const api: RouteShorthandOptions = { config: { rateLimit: limits.api } };
  const metadataSized: RouteShorthandOptions = { ...api, bodyLimit: 6 * 1024 * 1024 };
  /** Any role, changes only the caller's own account (own keys rate-limited like the API). */
  const self: RouteShorthandOptions = { config: { admin: 'self' } };
  const ownKeys: RouteShorthandOptions = { config: { rateLimit: limits.api, admin: 'self' } };
  const open: RouteShorthandOptions = { config: { admin: 'public' } };
  const signIn: RouteShorthandOptions = { config: { admin: 'public', rateLimit: sensitive } };
  const a = adminSignInHandlers(ctx);
  const p = adminPortalHandlers(ctx);
  const c = adminConnectionHandlers(ctx);
  const dr = adminDraftHandlers(ctx);
  const d = adminDirectoryHandlers(ctx);
  const l = adminSetupLinkHandlers(ctx);
  const ev = adminEventHandlers(ctx);
  const r = roleHandlers(ctx);
  const se = adminSessionHandlers(ctx);
  const routes: Route[] = [
    ['GET', '/api/admin/session', a.session, open],
    ['POST', '/api/admin/login', a.login, signIn],
    ['POST', '/api/admin/logout', a.logout, self],
    ['GET', '/api/admin/sso/status', a.ssoStatus, open],
    ['GET', '/api/admin/sso/start', a.ssoStart, signIn],
    ['GET', '/api/admin/sso/callback', a.ssoCallback, signIn],
    ['POST', '/api/admin/sso/totp', a.ssoTotp, signIn],
    ['POST', '/api/admin/me/totp/setup', a.totpSetup, self],
    ['POST', '/api/admin/me/totp/enable', a.totpEnable, self],
    ['POST', '/api/admin/me/totp/disable', a.totpDisable, self],
    ['POST', '/api/admin/me/password', a.password, self],

    ['GET', '/api/admin/admins', p.listAdmins, api],
    ['GET', '/api/admin/admins/:id', p.getAdmin, api],
    ['POST', '/api/admin/admins', p.createAdmin, api],
    ['PATCH', '/api/admin/admins/:id', p.updateAdmin, api],
    ['DELETE', '/api/admin/admins/:id', p.deleteAdmin, api],
    ['GET', '/api/admin/settings/portal-sso', p.portalSso, api],
    ['PUT', '/api/admin/settings/portal-sso', p.updatePortalSso, api],
    ['GET', '/api/admin/settings/branding', p.branding, api],
    ['PUT', '/api/admin/settings/branding', p.updateBranding, api],
    ['GET', '/api/branding', p.publicBranding, open],
    ['GET', '/assets/branding.css', p.brandingCss, open],
    ['GET', '/api/admin/api-keys', p.listApiKeys, api],
    ['POST', '/api/admin/api-keys', p.createApiKey, ownKeys],
    ['DELETE', '/api/admin/api-keys/:id', p.revokeApiKey, ownKeys],
    ['GET', '/api/admin/audit', p.searchAudit, api],
    ['GET', '/api/admin/audit/export', p.exportAudit, api],
    ['GET', '/api/admin/traces', p.listTraces, api],
    ['GET', '/api/admin/traces/:id', p.getTrace, api],
    ['GET', '/api/admin/events', ev.list, api],
    ['GET', '/api/admin/events/flags', ev.flags, api],
    ['GET', '/api/admin/overview', ev.overview, api],
    ['GET', '/api/admin/settings/events-webhook', ev.webhook, api],
    ['PUT', '/api/admin/settings/events-webhook', ev.updateWebhook, api],
    ['GET', '/api/admin/settings/audit-stream', ev.auditStream, api],
    ['PUT', '/api/admin/settings/audit-stream', ev.updateAuditStream, api],

    ['GET', '/api/admin/connections', c.list, api],
    ['POST', '/api/admin/connections', c.create, metadataSized],
    ['GET', '/api/admin/connections/:clientID', c.get, api],
    ['PATCH', '/api/admin/connections/:clientID', c.update, metadataSized],
    ['DELETE', '/api/admin/connections/:clientID', c.remove, api],
    ['GET', '/api/admin/connections/:clientID/draft', dr.get, api],
    ['POST', '/api/admin/connections/:clientID/draft', dr.save, metadataSized],
    ['DELETE', '/api/admin/connections/:clientID/draft', dr.discard, api],
    ['POST', '/api/admin/connections/:clientID/draft/test', dr.test, api],
    ['POST', '/api/admin/connections/:clientID/draft/promote', dr.promote, api],
    ['POST', '/api/admin/connections/:clientID/rollback', dr.rollback, api],
    ['GET', '/api/admin/connections/:clientID/versions', dr.versions, api],
    ['GET', '/api/admin/connections/:clientID/health', c.health, api],
    ['POST', '/api/admin/connections/:clientID/test', dr.testLive, api],
    ['GET', '/api/admin/connections/:clientID/sessions', se.ofConnection, api],
    ['DELETE', '/api/admin/sessions/:sid', se.end, api],
    ['POST', '/api/admin/sessions/end', se.endUser, api],
    ['GET', '/api/admin/connection-tests/:testId', dr.testResult, api],
    ['GET', '/api/admin/links', c.links, api],
    ['GET', '/api/admin/products', c.listProducts, api],
    ['POST', '/api/admin/products', c.createProduct, api],
    ['GET', '/api/admin/products/:product', c.getProduct, api],
    ['PATCH', '/api/admin/products/:product', c.updateProduct, api],
    ['DELETE', '/api/admin/products/:product', c.deleteProduct, api],
    ['GET', '/api/admin/tenants', c.listTenants, api],
    ['POST', '/api/admin/tenants', c.createTenant, api],
    ['GET', '/api/admin/tenants/:tenant', c.getTenant, api],
    ['PATCH', '/api/admin/tenants/:tenant', c.updateTenant, api],
    ['DELETE', '/api/admin/tenants/:tenant', c.deleteTenant, api],
    ['GET', '/api/admin/tenants/:tenant/domains', c.listDomains, api],
    ['POST', '/api/admin/tenants/:tenant/domains', c.addDomain, api],
    ['POST', '/api/admin/tenants/:tenant/domains/:domain/verify', c.verifyDomain, api],
    ['DELETE', '/api/admin/tenants/:tenant/domains/:domain', c.removeDomain, api],

    ['GET', '/api/admin/directories', d.list, api],
    ['POST', '/api/admin/directories', d.create, api],
    ['GET', '/api/admin/directories/:id', d.get, api],
    ['PATCH', '/api/admin/directories/:id', d.update, api],
    ['POST', '/api/admin/directories/:id/scim-secret', d.rotateSecret, api],
    ['DELETE', '/api/admin/directories/:id', d.remove, api],
    ['GET', '/api/admin/directories/:id/users', d.users, api],
    ['GET', '/api/admin/directories/:id/users/:userId', d.user, api],
    ['GET', '/api/admin/directories/:id/groups', d.groups, api],
    ['GET', '/api/admin/directories/:id/groups/:groupId/members', d.members, api],
    ['GET', '/api/admin/directories/:id/events', d.events, api],
    ['GET', '/api/admin/directories/:id/requests', d.requests, api],
    ['POST', '/api/admin/directories/:id/events/:eventId/replay', d.replayEvent, api],
    ['POST', '/api/admin/directories/:id/events/:eventId/retry', d.retryEvent, api],

    ['GET', '/api/admin/reconciliation', r.reconciliation, api],
    ['GET', '/api/admin/role-mappings', r.getRoleMappings, api],
    ['PUT', '/api/admin/role-mappings', r.saveRoleMappings, api],
    ['POST', '/api/admin/role-mappings/preview', r.previewRoleMappings, api],

    ['GET', '/api/admin/setup-links', l.list, api],
    ['POST', '/api/admin/setup-links', l.create, api],
    ['GET', '/api/admin/setup-links/:id', l.get, api],
    ['POST', '/api/admin/setup-links/:id/regenerate', l.regenerate, api],
    ['DELETE', '/api/admin/setup-links/:id', l.remove, api],
  ];
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => {
      if (err instanceof ThrottledError) reply.header('retry-after', String(err.retryAfterSeconds));
      return sendProblem(reply, err);
    });
    app.addHook('onRequest', adminSessionHook(ctx));
    registerTable(app, routes);
  };
}
