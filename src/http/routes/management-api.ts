/**
 * Route table of the management API (`/api/v1/*`, `Authorization: Api-Key <key>`): Jackson v1 shapes, problem
 * JSON errors. The hook makes the key a Caller; every service checks it (permission, tenants, products) and
 * audits with the portal's action names. Handlers only adapt shapes (./management/*.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { sendProblem } from '../serializers.ts';
import { requireApiKey } from '../api-key-auth.ts';
import { registerTable, type Route } from '../route-table.ts';
import { connectionHandlers } from './management/connections.ts';
import { tenancyHandlers } from './management/tenancy.ts';
import { directoryHandlers } from './management/directories.ts';
import { portalLinkHandler, setupLinkHandlers } from './management/setup-links.ts';
import { ssoTraceHandlers } from './management/sso-traces.ts';
import { federationHandlers } from './management/federation.ts';
import { vendorEventHandlers } from './management/events.ts';
import { draftHandlers } from './management/drafts.ts';
import { roleHandlers } from './role-handlers.ts';
import { sessionHandlers } from './management/sessions.ts';

const METADATA_SIZED = { bodyLimit: 6 * 1024 * 1024 };

export function managementApiRoutes(ctx: AppContext, rateLimit: object) {
  const sso = connectionHandlers(ctx);
  const t = tenancyHandlers(ctx);
  const d = directoryHandlers(ctx);
  const traces = ssoTraceHandlers(ctx);
  const fed = federationHandlers(ctx);
  const events = vendorEventHandlers(ctx);
  const drafts = draftHandlers(ctx);
  const roles = roleHandlers(ctx);
  const sessions = sessionHandlers(ctx);
  const links = { sso: setupLinkHandlers(ctx, 'sso'), dsync: setupLinkHandlers(ctx, 'dsync') };
  const routes: Route[] = [
    ['POST', '/api/v1/sso', sso.create, METADATA_SIZED],
    ['GET', '/api/v1/sso', sso.list, METADATA_SIZED],
    ['PATCH', '/api/v1/sso', sso.update, METADATA_SIZED],
    ['DELETE', '/api/v1/sso', sso.remove, METADATA_SIZED],
    ['GET', '/api/v1/sso/links', sso.links],
    ['GET', '/api/v1/sso/health', sso.health],
    ['GET', '/api/v1/sso/exists', sso.exists],
    ['GET', '/api/v1/sso/product', sso.ofProduct],
    // Connection versions (decision 0020).
    ['GET', '/api/v1/sso/drafts', drafts.get],
    ['POST', '/api/v1/sso/drafts', drafts.save, METADATA_SIZED],
    ['DELETE', '/api/v1/sso/drafts', drafts.discard],
    ['POST', '/api/v1/sso/drafts/test', drafts.test],
    ['POST', '/api/v1/sso/drafts/promote', drafts.promote],
    ['POST', '/api/v1/sso/rollback', drafts.rollback],
    ['GET', '/api/v1/sso/versions', drafts.versions],
    ['GET', '/api/v1/sso/tests/:testId', drafts.testResult],
    // Test connection of the live version (decision 0022); the result is read as a draft test's.
    ['POST', '/api/v1/sso/test', drafts.testLive],
    // Jackson's legacy SAML config paths, kept by Jackson for old clients.
    ['POST', '/api/v1/saml/config', sso.create, METADATA_SIZED],
    ['GET', '/api/v1/saml/config', sso.legacyGet],
    ['PATCH', '/api/v1/saml/config', sso.update, METADATA_SIZED],
    ['DELETE', '/api/v1/saml/config', sso.remove],
    ['GET', '/api/v1/saml/config/exists', sso.exists],

    ['GET', '/api/v1/sso-traces', traces.get],
    ['GET', '/api/v1/sso-traces/product', traces.ofProduct],
    ['DELETE', '/api/v1/sso-traces/product', traces.removeOfProduct],
    ['GET', '/api/v1/sso-traces/product/count', traces.count],

    ['GET', '/api/v1/events', events.list],

    // App sessions (decision 0025): open ones, and ending them (tokens refused, back-channel logout sent).
    ['GET', '/api/v1/sessions', sessions.list],
    ['POST', '/api/v1/sessions/end', sessions.endUser],
    ['GET', '/api/v1/sessions/:sid', sessions.get],
    ['DELETE', '/api/v1/sessions/:sid', sessions.end],

    ['POST', '/api/v1/products', t.createProduct],
    ['GET', '/api/v1/products', t.listProducts],
    ['GET', '/api/v1/products/:product', t.getProduct],
    ['PATCH', '/api/v1/products/:product', t.updateProduct],
    ['DELETE', '/api/v1/products/:product', t.deleteProduct],
    ['POST', '/api/v1/tenants', t.createTenant],
    ['GET', '/api/v1/tenants', t.listTenants],
    ['GET', '/api/v1/tenants/:tenant', t.getTenant],
    ['PATCH', '/api/v1/tenants/:tenant', t.updateTenant],
    ['DELETE', '/api/v1/tenants/:tenant', t.deleteTenant],
    ['GET', '/api/v1/tenants/:tenant/domains', t.listDomains],
    ['POST', '/api/v1/tenants/:tenant/domains', t.addDomain],
    ['POST', '/api/v1/tenants/:tenant/domains/:domain/verify', t.verifyDomain],
    ['DELETE', '/api/v1/tenants/:tenant/domains/:domain', t.removeDomain],

    ['POST', '/api/v1/dsync', d.create],
    ['GET', '/api/v1/dsync', d.list],
    ['GET', '/api/v1/dsync/product', d.listOfProduct],
    ['GET', '/api/v1/dsync/:directoryId', d.get],
    ['PATCH', '/api/v1/dsync/:directoryId', d.update],
    ['DELETE', '/api/v1/dsync/:directoryId', d.remove],
    ['POST', '/api/v1/dsync/:directoryId/scim-secret', d.rotateSecret],
    ['GET', '/api/v1/dsync/:directoryId/requests', d.requests],
    ['GET', '/api/v1/dsync/users', d.users],
    ['GET', '/api/v1/dsync/users/:userId', d.user],
    ['GET', '/api/v1/dsync/groups', d.groups],
    ['GET', '/api/v1/dsync/groups/:groupId', d.group],
    ['GET', '/api/v1/dsync/groups/:groupId/members', d.members],
    ['GET', '/api/v1/dsync/events', d.events],
    ['DELETE', '/api/v1/dsync/events', d.removeEvents],
    ['GET', '/api/v1/dsync/events/:eventId', d.event],
    ['POST', '/api/v1/dsync/events/:eventId/replay', d.replayEvent],
    ['POST', '/api/v1/dsync/events/:eventId/retry', d.retryEvent],
    ['POST', '/api/v1/dsync/events/replay', d.replayEvents],

    // Issue 16 §3–4: SSO and directory side by side; group-to-role mapping with its dry run.
    ['GET', '/api/v1/reconciliation', roles.reconciliation],
    ['GET', '/api/v1/role-mappings', roles.getRoleMappings],
    ['PUT', '/api/v1/role-mappings', roles.saveRoleMappings],
    ['POST', '/api/v1/role-mappings/preview', roles.previewRoleMappings],

    ['POST', '/api/v1/identity-federation', fed.create],
    ['GET', '/api/v1/identity-federation', fed.get],
    ['PATCH', '/api/v1/identity-federation', fed.update],
    ['DELETE', '/api/v1/identity-federation', fed.remove],
    ['GET', '/api/v1/identity-federation/product', fed.ofProduct],
    ['GET', '/api/v1/identity-federation/metadata', fed.metadata],

    ...(['sso', 'dsync'] as const).flatMap((s): Route[] => [
      ['POST', `/api/v1/${s}/setuplinks`, links[s].create],
      ['GET', `/api/v1/${s}/setuplinks`, links[s].get],
      ['GET', `/api/v1/${s}/setuplinks/product`, links[s].list],
      ['POST', `/api/v1/${s}/setuplinks/regenerate`, links[s].regenerate],
      ['DELETE', `/api/v1/${s}/setuplinks`, links[s].remove],
    ]),
    // Issue 17 §3: the embeddable portal, one intent at a time (decision 0033).
    ['POST', '/api/v1/portal/links', portalLinkHandler(ctx)],
  ];
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => sendProblem(reply, err));
    app.addHook('onRequest', requireApiKey(ctx));
    registerTable(app, routes, { config: { rateLimit } });
  };
}
