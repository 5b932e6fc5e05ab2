/** Management API handlers for SSO traces (`/api/v1/sso-traces`, Jackson shapes); the service checks and audits. */
import type { AppContext } from '../../../context.ts';
import { countProductTraces, deleteProductTraces, getTraceFor, listProductTraces } from '../../../admin/product-traces.ts';
import { callerOf } from '../../caller.ts';
import { query, type Handler } from '../../route-table.ts';

export function ssoTraceHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  return {
    get: h(async (req) => ({ data: await getTraceFor(ctx, callerOf(req), query(req).id) })),
    ofProduct: h(async (req) => listProductTraces(ctx, callerOf(req), query(req))),
    count: h(async (req) => ({ count: await countProductTraces(ctx, callerOf(req), query(req).product) })),
    removeOfProduct: h(async (req, reply) => {
      await deleteProductTraces(ctx, callerOf(req), query(req).product);
      return reply.code(204).send();
    }),
  };
}
