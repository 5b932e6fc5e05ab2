/**
 * Admin API handlers of the portal's own resources: accounts, portal SSO, branding, API keys, audit log and SSO
 * traces. The services check the caller's role and audit; these handlers only adapt shapes.
 */
import type { AppContext } from '../../../context.ts';
import { GatehouseError } from '../../../errors.ts';
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
  return {
    listAdmins: h(async (req) => listAdmins(ctx, query(req))),
    getAdmin: h(async (req) => ({ data: toApiAdmin(await getAdmin(ctx, P(req).id!)) })),
    createAdmin: h(async (req, reply) => reply.code(201).send({ data: toApiAdmin(await createAdmin(ctx, callerOf(req), req.body)) })),
    updateAdmin: h(async (req) => ({ data: toApiAdmin(await updateAdmin(ctx, callerOf(req), P(req).id!, req.body)) })),
    deleteAdmin: h(async (req, reply) => {
      await deleteAdmin(ctx, callerOf(req), P(req).id!);
      return reply.code(204).send();
    }),

    portalSso: h(async () => portalSsoView(ctx)),
    updatePortalSso: h(async (req) => {
      await updatePortalSso(ctx, callerOf(req), req.body);
      return portalSsoView(ctx);
    }),

    branding: h(async () => currentBranding(ctx)),
    updateBranding: h(async (req) => updateBranding(ctx, callerOf(req), req.body)),
    publicBranding: h(async (_req, reply) => reply.header('cache-control', 'public, max-age=60').send(await currentBranding(ctx))),
    brandingCss: h(async (_req, reply) => reply.type('text/css').header('cache-control', 'public, max-age=60').send(brandingCss(await currentBranding(ctx)))),

    listApiKeys: h(async (req) => listApiKeys(ctx, adminOf(req), query(req))),
    createApiKey: h(async (req, reply) => {
      const { row, key } = await mintApiKey(ctx, callerOf(req), adminOf(req), req.body);
      return reply.code(201).send({ data: { ...toApiKey(row), key } });
    }),
    revokeApiKey: h(async (req, reply) => {
      await revokeApiKey(ctx, callerOf(req), adminOf(req), P(req).id!);
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
