/**
 * The admin API (`/api/admin`, docs/admin-api.md): session hook and problem JSON for every admin route table,
 * then the portal's own resources: accounts, portal SSO, branding, API keys, audit log and SSO traces.
 * Enterprise SSO and tenancy screens are in admin-sso.ts, Directory Sync screens in admin-dsync.ts, Setup Links in admin-setup-links.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { recordAudit } from '../../admin/audit.ts';
import { createAdmin, deleteAdmin, getAdmin, listAdmins, toApiAdmin, updateAdmin } from '../../admin/accounts.ts';
import { portalSsoView, updatePortalSso } from '../../admin/portal-sso-settings.ts';
import { brandingCss, currentBranding, updateBranding } from '../../admin/branding.ts';
import { listApiKeys, mintApiKey, revokeApiKey, toApiKey } from '../../admin/api-keys.ts';
import { exportAudit, searchAudit } from '../../admin/audit-search.ts';
import { listTraces, toApiTrace } from '../../admin/traces.ts';
import { requireRole } from '../../admin/roles.ts';
import { ThrottledError } from '../../admin/sign-in-throttle.ts';
import { ssoTracesRepo } from '../../storage/repositories/sso-traces.ts';
import { GatehouseError } from '../../errors.ts';
import { sendProblem } from '../serializers.ts';
import { adminOf, adminSessionHook } from '../admin-session.ts';
import { adminAuthRoutes } from './admin-auth.ts';
import { adminSsoRoutes } from './admin-sso.ts';
import { adminDsyncRoutes } from './admin-dsync.ts';
import { adminSetupLinkRoutes } from './admin-setup-links.ts';

type Q = Record<string, string | undefined>;
const P = (req: FastifyRequest) => req.params as Record<string, string>;

export function adminRoutes(ctx: AppContext, limits: { api: object; sensitive: object }) {
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => {
      if (err instanceof ThrottledError) reply.header('retry-after', String(err.retryAfterSeconds));
      return sendProblem(reply, err);
    });
    app.addHook('onRequest', adminSessionHook(ctx));
    await app.register(adminAuthRoutes(ctx, limits.sensitive));
    await app.register(adminSsoRoutes(ctx, limits.api));
    await app.register(adminDsyncRoutes(ctx, limits.api));
    await app.register(adminSetupLinkRoutes(ctx, limits.api));

    const opts = { config: { rateLimit: limits.api } };
    const self = { config: { rateLimit: limits.api, admin: 'self' as const } };
    const owners = (req: FastifyRequest, what: string) => requireRole(adminOf(req).role, 'owner', what);
    const audit = (req: FastifyRequest, action: string, target: { type: string; id: string }, s: { before?: unknown; after?: unknown } = {}) =>
      recordAudit(ctx, { actor: req.actor!, action, target, ip: req.ip, ...s });

    // Accounts (owners manage them; everyone may list).
    app.get('/api/admin/admins', opts, async (req) => listAdmins(ctx, req.query as Q));
    app.get('/api/admin/admins/:id', opts, async (req) => ({ data: toApiAdmin(await getAdmin(ctx, P(req).id!)) }));
    app.post('/api/admin/admins', opts, async (req, reply) => {
      owners(req, 'manage admin accounts');
      const data = toApiAdmin(await createAdmin(ctx, req.body));
      await audit(req, 'admin.account.created', { type: 'admin', id: data.id }, { after: data });
      return reply.code(201).send({ data });
    });
    app.patch('/api/admin/admins/:id', opts, async (req) => {
      owners(req, 'manage admin accounts');
      const { before, after } = await updateAdmin(ctx, P(req).id!, req.body);
      await audit(req, 'admin.account.updated', { type: 'admin', id: after.id }, { before: toApiAdmin(before), after: toApiAdmin(after) });
      if (before.sso_linked !== after.sso_linked) await audit(req, after.sso_linked === 1 ? 'admin.account.sso_linked' : 'admin.account.sso_unlinked', { type: 'admin', id: after.id }, { after: { email: after.email } });
      return { data: toApiAdmin(after) };
    });
    app.delete('/api/admin/admins/:id', opts, async (req, reply) => {
      owners(req, 'manage admin accounts');
      const before = await deleteAdmin(ctx, P(req).id!);
      await audit(req, 'admin.account.deleted', { type: 'admin', id: before.id }, { before: toApiAdmin(before) });
      return reply.code(204).send();
    });

    // Portal SSO (owners).
    app.get('/api/admin/settings/portal-sso', opts, async () => portalSsoView(ctx));
    app.put('/api/admin/settings/portal-sso', opts, async (req) => {
      owners(req, 'change the portal\'s SSO');
      const { before, after } = await updatePortalSso(ctx, req.body, adminOf(req).id);
      await audit(req, 'admin.portal_sso.updated', { type: 'settings', id: 'portal_sso' }, { before, after });
      return portalSsoView(ctx);
    });

    // Branding (public GET for every page, stylesheet for server-rendered pages).
    app.get('/api/admin/settings/branding', opts, async () => currentBranding(ctx));
    app.put('/api/admin/settings/branding', opts, async (req) => {
      const { before, after } = await updateBranding(ctx, req.body);
      await audit(req, 'admin.branding.updated', { type: 'settings', id: 'branding' }, { before, after });
      return after;
    });
    app.get('/api/branding', { config: { admin: 'public' } }, async (_req, reply) => reply.header('cache-control', 'public, max-age=60').send(await currentBranding(ctx)));
    app.get('/assets/branding.css', { config: { admin: 'public' } }, async (_req, reply) => reply.type('text/css').header('cache-control', 'public, max-age=60').send(brandingCss(await currentBranding(ctx))));

    // API keys (personal keys are self-service; scoped keys need admin or owner).
    app.get('/api/admin/api-keys', opts, async (req) => listApiKeys(ctx, adminOf(req), req.query as Q));
    app.post('/api/admin/api-keys', self, async (req, reply) => {
      const user = adminOf(req);
      if ((req.body as { kind?: unknown } | undefined)?.kind !== 'personal') requireRole(user.role, 'admin', 'create scoped API keys');
      const { row, key } = await mintApiKey(ctx, user, req.body);
      await audit(req, 'admin.api_key.created', { type: 'api_key', id: row.id }, { after: toApiKey(row) });
      return reply.code(201).send({ data: { ...toApiKey(row), key } });
    });
    app.delete('/api/admin/api-keys/:id', self, async (req, reply) => {
      const row = await revokeApiKey(ctx, adminOf(req), P(req).id!);
      await audit(req, 'admin.api_key.revoked', { type: 'api_key', id: row.id }, { before: toApiKey(row) });
      return reply.code(204).send();
    });

    // Audit log and SSO traces.
    app.get('/api/admin/audit', opts, async (req) => searchAudit(ctx, req.query as Q));
    app.get('/api/admin/audit/export', opts, async (req, reply) => {
      const out = await exportAudit(ctx, req.query as Q);
      return reply.type(out.contentType).header('content-disposition', `attachment; filename="${out.filename}"`).send(out.body);
    });
    app.get('/api/admin/traces', opts, async (req) => listTraces(ctx, req.query as Q));
    app.get('/api/admin/traces/:id', opts, async (req) => {
      const row = await ssoTracesRepo.findById(ctx.db, P(req).id!);
      if (!row) throw new GatehouseError('API_NOT_FOUND', `No trace "${P(req).id}".`, { field: 'id' });
      return { data: toApiTrace(row) };
    });
  };
}
