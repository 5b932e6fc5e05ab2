/** Management API handlers for setup links (`/api/v1/{sso,dsync}/setuplinks`, Jackson shapes); the service checks and audits. */
import type { AppContext } from '../../../context.ts';
import { createSetupLink, deleteSetupLink, getSetupLink, listSetupLinks, regenerateSetupLink, toApiSetupLink, type SetupService } from '../../../setup-links/service.ts';
import { callerOf } from '../../caller.ts';
import { body, query, type Handler, type Q } from '../../route-table.ts';
import { createPortalLink } from '../../../portal/links.ts';

export function setupLinkHandlers(ctx: AppContext, service: SetupService) {
  const h = (f: Handler) => f;
  return {
    create: h(async (req, reply) => {
      const { created, link } = await createSetupLink(ctx, callerOf(req), service, body(req));
      return reply.code(created ? 201 : 200).send({ data: link });
    }),
    get: h(async (req) => ({ data: toApiSetupLink(ctx, await getSetupLink(ctx, callerOf(req), service, query(req))) })),
    list: h(async (req) => listSetupLinks(ctx, callerOf(req), service, query(req))),
    regenerate: h(async (req) => ({ data: await regenerateSetupLink(ctx, callerOf(req), service, String((body(req) as Q).id ?? query(req).id ?? '')) })),
    // Jackson answers a setup-link delete with 200 {data: {}}.
    remove: h(async (req) => (await deleteSetupLink(ctx, callerOf(req), service, { ...query(req), ...(body(req) as Q) }), { data: {} })),
  };
}

/** `POST /api/v1/portal/links` (decision 0033): a single-use link into the embeddable portal; the service checks and audits. */
export const portalLinkHandler = (ctx: AppContext): Handler => async (req, reply) => reply.code(201).send({ data: await createPortalLink(ctx, callerOf(req), body(req)) });
