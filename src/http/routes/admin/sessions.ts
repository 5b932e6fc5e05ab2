/** Admin API handlers for a connection's open app sessions (the portal's Sessions page; decision 0025), through the management API's service. */
import type { AppContext } from '../../../context.ts';
import { getConnection } from '../../../sso/connections.ts';
import { endSession, endUserSessions, listSessions } from '../../../app-logout/session-admin.ts';
import { callerOf } from '../../caller.ts';
import { body, params, query, type Handler } from '../../route-table.ts';

export function adminSessionHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  return {
    ofConnection: h(async (req) => {
      const conn = await getConnection(ctx, callerOf(req), params(req).clientID!);
      const q = query(req);
      return listSessions(ctx, callerOf(req), { tenant: conn.tenant, product: conn.product, connection: conn.id, limit: q.limit, after: q.cursor, email: q.email || undefined });
    }),
    end: h(async (req, reply) => {
      await endSession(ctx, callerOf(req), params(req).sid!);
      return reply.code(204).send();
    }),
    endUser: h(async (req) => ({ data: await endUserSessions(ctx, callerOf(req), body(req)) })),
  };
}
