/**
 * Route table of the portal's Setup Links screen (issue 6), through the same services as
 * `/api/v1/{sso,dsync}/setuplinks` (setup-links/service.ts). Audited; link URLs are never written to the log,
 * and viewers do not see them (a link URL is a credential for its tenant+product).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { recordAudit } from '../../admin/audit.ts';
import { createSetupLink, deleteSetupLink, listSetupLinks, regenerateSetupLink, toApiSetupLink, type ApiSetupLink, type SetupService } from '../../setup-links/service.ts';
import { setupLinksRepo } from '../../storage/index.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../../admin/paging.ts';
import { atLeast } from '../../admin/roles.ts';
import { adminOf } from '../admin-session.ts';

type Q = Record<string, string | undefined>;
const P = (req: FastifyRequest) => req.params as Record<string, string>;

function serviceOf(v: unknown): SetupService {
  if (v === 'sso' || v === 'dsync') return v;
  throw new GatehouseError('API_VALIDATION', '"service" must be sso or dsync.', { field: 'service' });
}

export function adminSetupLinkRoutes(ctx: AppContext, rateLimit: object) {
  return async (app: FastifyInstance) => {
    const opts = { config: { rateLimit } };
    const view = (req: FastifyRequest, l: ApiSetupLink) => ({ ...l, id: l.setupID, url: atLeast(adminOf(req).role, 'admin') ? l.url : null });
    const audit = (req: FastifyRequest, action: string, l: { setupID: string; tenant: string; product: string }) =>
      recordAudit(ctx, { actor: req.actor!, action, target: { type: 'setup_link', id: l.setupID }, tenant: l.tenant, product: l.product, ip: req.ip, after: { ...l, url: '[redacted]' } });
    const load = async (id: string) => {
      const row = await setupLinksRepo.findById(ctx.db, id);
      if (!row) throw new GatehouseError('API_NOT_FOUND', `No setup link "${id}".`, { field: 'id' });
      return row;
    };

    app.get('/api/admin/setup-links', opts, async (req) => {
      const q = req.query as Q;
      const limit = pageLimit(q.limit);
      const offset = decodeCursor(q.cursor, (x): x is number => Number.isInteger(x) && (x as number) >= 0) ?? 0;
      const r = await listSetupLinks(ctx, serviceOf(q.service), { tenant: q.tenant, product: q.product, pageOffset: String(offset), pageLimit: String(limit) });
      return { data: r.data.map((l) => view(req, l)), nextCursor: offset + r.data.length < r.total ? encodeCursor(offset + r.data.length) : null, total: r.total };
    });
    app.post('/api/admin/setup-links', opts, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const service = serviceOf(body.service);
      const { created, link } = await createSetupLink(ctx, service, { ...body, service: undefined }, req.actor!.label);
      if (created) await audit(req, `setup_link.${service}.created`, link);
      return reply.code(created ? 201 : 200).send({ data: view(req, link) });
    });
    app.get('/api/admin/setup-links/:id', opts, async (req) => ({ data: view(req, toApiSetupLink(ctx, await load(P(req).id!))) }));
    app.post('/api/admin/setup-links/:id/regenerate', opts, async (req) => {
      const row = await load(P(req).id!);
      const link = await regenerateSetupLink(ctx, row.service, row.id);
      await audit(req, `setup_link.${row.service}.regenerated`, link);
      return { data: view(req, link) };
    });
    app.delete('/api/admin/setup-links/:id', opts, async (req, reply) => {
      const row = await load(P(req).id!);
      await deleteSetupLink(ctx, row.service, { id: row.id });
      await audit(req, `setup_link.${row.service}.deleted`, { setupID: row.id, tenant: row.tenant, product: row.product });
      return reply.code(204).send();
    });
  };
}
