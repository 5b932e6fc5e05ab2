/**
 * Admin API handlers of the Setup Links screen (issue 6), through the same service as
 * `/api/v1/{sso,dsync}/setuplinks` (which checks the caller and audits without the URL). Viewers do not see
 * link URLs (a link URL is a credential for its tenant+product).
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { GatehouseError } from '../../../errors.ts';
import { createSetupLink, deleteSetupLink, getSetupLink, listSetupLinks, regenerateSetupLink, toApiSetupLink, type ApiSetupLink, type SetupService } from '../../../setup-links/service.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../../../admin/paging.ts';
import { mayReadSecrets } from '../../../policy/caller.ts';
import { callerOf } from '../../caller.ts';
import { body, params as P, query, type Handler } from '../../route-table.ts';

function serviceOf(v: unknown): SetupService {
  if (v === 'sso' || v === 'dsync') return v;
  throw new GatehouseError('API_VALIDATION', '"service" must be sso or dsync.', { field: 'service' });
}

export function adminSetupLinkHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  const view = (req: FastifyRequest, l: ApiSetupLink) => ({ ...l, id: l.setupID, url: mayReadSecrets(callerOf(req)) ? l.url : null });
  return {
    list: h(async (req) => {
      const q = query(req);
      const limit = pageLimit(q.limit);
      const offset = decodeCursor(q.cursor, (x): x is number => Number.isInteger(x) && (x as number) >= 0) ?? 0;
      const r = await listSetupLinks(ctx, callerOf(req), serviceOf(q.service), { tenant: q.tenant, product: q.product, status: q.status, pageOffset: String(offset), pageLimit: String(limit) });
      return { data: r.data.map((l) => view(req, l)), nextCursor: offset + r.data.length < r.total ? encodeCursor(offset + r.data.length) : null, total: r.total };
    }),
    create: h(async (req, reply) => {
      const b = body(req);
      const { created, link } = await createSetupLink(ctx, callerOf(req), serviceOf(b.service), { ...b, service: undefined });
      return reply.code(created ? 201 : 200).send({ data: view(req, link) });
    }),
    get: h(async (req) => ({ data: view(req, toApiSetupLink(ctx, await getSetupLink(ctx, callerOf(req), undefined, { id: P(req).id! }))) })),
    regenerate: h(async (req) => ({ data: view(req, await regenerateSetupLink(ctx, callerOf(req), undefined, P(req).id!)) })),
    remove: h(async (req, reply) => {
      await deleteSetupLink(ctx, callerOf(req), undefined, { id: P(req).id! });
      return reply.code(204).send();
    }),
  };
}
