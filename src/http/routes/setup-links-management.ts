/** Route table of the vendor's setup-link API (`/api/v1/{sso,dsync}/setuplinks`, Jackson shapes), audited. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { recordAudit } from '../../admin/audit.ts';
import { requireApiKey } from '../api-key-auth.ts';
import { sendProblem } from '../serializers.ts';
import { createSetupLink, deleteSetupLink, getSetupLink, listSetupLinks, regenerateSetupLink, toApiSetupLink, type SetupService } from '../../setup-links/service.ts';

type Q = Record<string, string | undefined>;

export function setupLinksManagementRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    app.setErrorHandler((err, _req, reply) => sendProblem(reply, err));
    app.addHook('onRequest', requireApiKey(ctx));
    const opts = { config: { rateLimit } };
    const audit = (req: FastifyRequest, action: string, l: { setupID: string; tenant: string; product: string }) =>
      recordAudit(ctx, { actor: req.actor!, action, target: { type: 'setup_link', id: l.setupID }, tenant: l.tenant, product: l.product, ip: req.ip, after: { ...l, url: '[redacted]' } });

    for (const service of ['sso', 'dsync'] as SetupService[]) {
      const base = `/api/v1/${service}/setuplinks`;
      app.post(base, opts, async (req, reply) => {
        const { created, link } = await createSetupLink(ctx, service, req.body ?? {}, req.actor!.label);
        if (created) await audit(req, `setup_link.${service}.created`, link);
        return reply.code(created ? 201 : 200).send({ data: link });
      });
      app.get(base, opts, async (req) => ({ data: toApiSetupLink(ctx, await getSetupLink(ctx, service, req.query as Q)) }));
      app.get(`${base}/product`, opts, async (req) => listSetupLinks(ctx, service, req.query as Q));
      app.post(`${base}/regenerate`, opts, async (req) => {
        const link = await regenerateSetupLink(ctx, service, String(((req.body ?? {}) as Q).id ?? (req.query as Q).id ?? ''));
        await audit(req, `setup_link.${service}.regenerated`, link);
        return { data: link };
      });
      app.delete(base, opts, async (req, reply) => {
        const row = await deleteSetupLink(ctx, service, { ...(req.query as Q), ...((req.body ?? {}) as Q) });
        await audit(req, `setup_link.${service}.deleted`, { setupID: row.id, tenant: row.tenant, product: row.product });
        return reply.code(204).send();
      });
    }
  };
}
