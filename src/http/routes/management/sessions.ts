/** Management API handlers for app sessions (decision 0025): list, read, end one, end a user's. The service checks and audits. */
import type { AppContext } from '../../../context.ts';
import { endSession, endUserSessions, getSession, listSessions } from '../../../app-logout/session-admin.ts';
import { callerOf } from '../../caller.ts';
import { body, params, query, type Handler } from '../../route-table.ts';

export function sessionHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  return {
    list: h(async (req) => listSessions(ctx, callerOf(req), query(req))),
    get: h(async (req) => ({ data: await getSession(ctx, callerOf(req), params(req).sid!) })),
    end: h(async (req, reply) => {
      await endSession(ctx, callerOf(req), params(req).sid!);
      return reply.code(204).send();
    }),
    endUser: h(async (req) => ({ data: await endUserSessions(ctx, callerOf(req), body(req)) })),
  };
}
