/** Management API handlers for SSO connections and login links (Jackson v1 shapes); the services decide. */
import type { AppContext } from '../../../context.ts';
import { createConnection, deleteConnections, listConnections, listConnectionsOfProduct, updateConnection } from '../../../sso/connections.ts';
import { loginLinksFor } from '../../../sso/login-links.ts';
import { healthOfConnection } from '../../../vendor-events/connection-health.ts';
import { callerOf } from '../../caller.ts';
import { body, query, type Handler, type Q } from '../../route-table.ts';

export function connectionHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  return {
    // Jackson answers 200 to a create (new or updated in place) and 204 with no body to an update.
    create: h(async (req) => (await createConnection(ctx, callerOf(req), body(req))).connection),
    list: h(async (req) => listConnections(ctx, callerOf(req), query(req))),
    update: h(async (req, reply) => {
      await updateConnection(ctx, callerOf(req), body(req));
      return reply.code(204).send();
    }),
    remove: h(async (req, reply) => {
      await deleteConnections(ctx, callerOf(req), { ...query(req), ...(body(req) as Q) });
      return reply.code(204).send();
    }),
    links: h(async (req) => ({ data: await loginLinksFor(ctx, callerOf(req), query(req)) })),
    /** Health at a glance (decision 0022). */
    health: h(async (req) => ({ data: await healthOfConnection(ctx, callerOf(req), query(req).clientID) })),
    /** 204 when a connection matches, 404 `{}` when none does: Jackson's answer, so "none" never reads as an error page. */
    exists: h(async (req, reply) => {
      const found = await listConnections(ctx, callerOf(req), query(req));
      return found.length > 0 ? reply.code(204).send() : reply.code(404).send({});
    }),
    ofProduct: h(async (req) => listConnectionsOfProduct(ctx, callerOf(req), query(req))),
    /** Jackson's legacy `/api/v1/saml/config`: one connection (the newest), or `{}` when there is none. */
    legacyGet: h(async (req) => (await listConnections(ctx, callerOf(req), query(req)))[0] ?? {}),
  };
}
