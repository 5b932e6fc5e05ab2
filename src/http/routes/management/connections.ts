/** Management API handlers for SSO connections and login links (Jackson v1 shapes); the services decide. */
import type { AppContext } from '../../../context.ts';
import { createConnection, deleteConnections, listConnections, updateConnection } from '../../../sso/connections.ts';
import { loginLinksFor } from '../../../sso/login-links.ts';
import { callerOf } from '../../caller.ts';
import { body, query, type Handler, type Q } from '../../route-table.ts';

export function connectionHandlers(ctx: AppContext) {
  return {
    // Jackson answers 200 to a create (new or updated in place) and 204 with no body to an update.
    create: (async (req) => (await createConnection(ctx, callerOf(req), body(req))).connection) as Handler,
    list: (async (req) => listConnections(ctx, callerOf(req), query(req))) as Handler,
    update: (async (req, reply) => {
      await updateConnection(ctx, callerOf(req), body(req));
      return reply.code(204).send();
    }) as Handler,
    remove: (async (req, reply) => {
      await deleteConnections(ctx, callerOf(req), { ...query(req), ...(body(req) as Q) });
      return reply.code(204).send();
    }) as Handler,
    links: (async (req) => ({ data: await loginLinksFor(ctx, callerOf(req), query(req)) })) as Handler,
  };
}
