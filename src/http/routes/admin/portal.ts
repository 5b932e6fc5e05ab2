/**
 * Admin API handlers of the portal's own resources: accounts, portal SSO, branding, API keys, audit log and SSO
 * traces. Owners manage accounts and portal SSO; personal API keys are self-service.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { GatehouseError } from '../../../errors.ts';
import { auditChange, type Change } from '../../../policy/audit.ts';
import { requireRole } from '../../../policy/roles.ts';
import { createAdmin, deleteAdmin, getAdmin, listAdmins, toApiAdmin, updateAdmin } from '../../../admin/accounts.ts';
import { portalSsoView, updatePortalSso } from '../../../admin/portal-sso-settings.ts';
import { brandingCss, currentBranding, updateBranding } from '../../../admin/branding.ts';
import { listApiKeys, mintApiKey, revokeApiKey, toApiKey } from '../../../admin/api-keys.ts';
import { exportAudit, searchAudit } from '../../../admin/audit-search.ts';
import { listTraces, toApiTrace } from '../../../admin/traces.ts';
import { ssoTracesRepo } from '../../../storage/repositories/sso-traces.ts';
import { adminOf } from '../../admin-session.ts';
import { callerOf } from '../../caller.ts';
import { params as P, query, type Handler } from '../../route-table.ts';

export function adminPortalHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  const owners = (req: FastifyRequest, what: string) => requireRole(adminOf(req).role, 'owner', what);
  const audit = (req: FastifyRequest, change: Change) => auditChange(ctx, callerOf(req), change);
  return {
    listAdmins: h(async (req) => listAdmins(ctx, query(req))),
    getAdmin: h(async (req) => ({ data: toApiAdmin(await getAdmin(ctx, P(req).id!)) })),
    createAdmin: h(async (req, reply) => {
      owners(req, 'manage admin accounts');
      const data = toApiAdmin(await createAdmin(ctx, req.body));
      await audit(req, { action: 'admin.account.created', target: { type: 'admin', id: data.id }, after: data });
      return reply.code(201).send({ data });
    }),
    updateAdmin: h(async (req) => {
      owners(req, 'manage admin accounts');
      const { before, after } = await updateAdmin(ctx, P(req).id!, req.body);
      await audit(req, { action: 'admin.account.updated', target: { type: 'admin', id: after.id }, before: toApiAdmin(before), after: toApiAdmin(after) });
      if (before.sso_linked !== after.sso_linked) await audit(req, { action: after.sso_linked === 1 ? 'admin.account.sso_linked' : 'admin.account.sso_unlinked', target: { type: 'admin', id: after.id }, after: { email: after.email } });
      return { data: toApiAdmin(after) };
    }),
    deleteAdmin: h(async (req, reply) => {
      owners(req, 'manage admin accounts');
      const before = await deleteAdmin(ctx, P(req).id!);
      await audit(req, { action: 'admin.account.deleted', target: { type: 'admin', id: before.id }, before: toApiAdmin(before) });
      return reply.code(204).send();
    }),

    portalSso: h(async () => portalSsoView(ctx)),
    updatePortalSso: h(async (req) => {
      owners(req, 'change the portal\'s SSO');
      const { before, after } = await updatePortalSso(ctx, req.body, adminOf(req).id);
      await audit(req, { action: 'admin.portal_sso.updated', target: { type: 'settings', id: 'portal_sso' }, before, after });
      return portalSsoView(ctx);
    }),

    branding: h(async () => currentBranding(ctx)),
    updateBranding: h(async (req) => {
      const { before, after } = await updateBranding(ctx, req.body);
      await audit(req, { action: 'admin.branding.updated', target: { type: 'settings', id: 'branding' }, before, after });
      return after;
    }),
    publicBranding: h(async (_req, reply) => reply.header('cache-control', 'public, max-age=60').send(await currentBranding(ctx))),
    brandingCss: h(async (_req, reply) => reply.type('text/css').header('cache-control', 'public, max-age=60').send(brandingCss(await currentBranding(ctx)))),

    listApiKeys: h(async (req) => listApiKeys(ctx, adminOf(req), query(req))),
    createApiKey: h(async (req, reply) => {
      const user = adminOf(req);
      if ((req.body as { kind?: unknown } | undefined)?.kind !== 'personal') requireRole(user.role, 'admin', 'create scoped API keys');
      const { row, key } = await mintApiKey(ctx, user, req.body);
      await audit(req, { action: 'admin.api_key.created', target: { type: 'api_key', id: row.id }, after: toApiKey(row) });
      return reply.code(201).send({ data: { ...toApiKey(row), key } });
    }),
    revokeApiKey: h(async (req, reply) => {
      const row = await revokeApiKey(ctx, adminOf(req), P(req).id!);
      await audit(req, { action: 'admin.api_key.revoked', target: { type: 'api_key', id: row.id }, before: toApiKey(row) });
      return reply.code(204).send();
    }),

    searchAudit: h(async (req) => searchAudit(ctx, query(req))),
    exportAudit: h(async (req, reply) => {
      const out = await exportAudit(ctx, query(req));
      return reply.type(out.contentType).header('content-disposition', `attachment; filename="${out.filename}"`).send(out.body);
    }),
    listTraces: h(async (req) => listTraces(ctx, query(req))),
    getTrace: h(async (req) => {
      const row = await ssoTracesRepo.findById(ctx.db, P(req).id!);
      if (!row) throw new GatehouseError('API_NOT_FOUND', `No trace "${P(req).id}".`, { field: 'id' });
      return { data: toApiTrace(row) };
    }),
  };
}
