/** Management API handlers for SSO connections and login links (Jackson v1 shapes); the services decide. */
import type { AppContext } from '../../../context.ts';
import { createConnection, deleteConnections, listConnections, updateConnection } from '../../../sso/connections.ts';
import { loginLinksFor } from '../../../sso/login-links.ts';
import { callerOf } from '../../caller.ts';
import { body, query, type Handler, type Q } from '../../route-table.ts';

export function connectionHandlers(ctx: AppContext) {
  return {
    create: (async (req, reply) => {
      const { created, connection } = await createConnection(ctx, callerOf(req), body(req));
      return reply.code(created ? 201 : 200).send(connection);
    }) as Handler,
    list: (async (req) => listConnections(ctx, callerOf(req), query(req))) as Handler,
    update: (async (req) => updateConnection(ctx, callerOf(req), body(req))) as Handler,
    remove: (async (req, reply) => {
      await deleteConnections(ctx, callerOf(req), { ...query(req), ...(body(req) as Q) });
      return reply.code(204).send();
    }) as Handler,
    links: (async (req) => ({ data: await loginLinksFor(ctx, callerOf(req), query(req)) })) as Handler,
  };
}
