/** Management API handlers for Identity Federation apps (Jackson v1 paths and shapes); the service checks and audits. */
import type { AppContext } from '../../../context.ts';
import { createFederationApp, deleteFederationApp, getFederationApp, listFederationApps, updateFederationApp } from '../../../federation/apps.ts';
import { federationIdpMetadata } from '../../../federation/sso.ts';
import { callerOf } from '../../caller.ts';
import { body, query, type Handler } from '../../route-table.ts';

export function federationHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  return {
    create: h(async (req, reply) => reply.code(201).send({ data: await createFederationApp(ctx, callerOf(req), req.body) })),
    get: h(async (req) => ({ data: await getFederationApp(ctx, callerOf(req), query(req)) })),
    ofProduct: h(async (req) => ({ data: await listFederationApps(ctx, callerOf(req), query(req)) })),
    update: h(async (req) => ({ data: await updateFederationApp(ctx, callerOf(req), { ...query(req), ...body(req) }) })),
    // Polis answers a delete with 200 {data: {}}.
    remove: h(async (req) => (await deleteFederationApp(ctx, callerOf(req), { ...query(req), ...body(req) }), { data: {} })),
    // Jackson's `getMetadata`: the XML and its parts, for apps that configure themselves through the API.
    metadata: h(async (req) => {
      const { xml, entityId, ssoUrl, x509cert } = await federationIdpMetadata(ctx, query(req).appId);
      return { data: { xml, entityId, ssoUrl, x509cert } };
    }),
  };
}
