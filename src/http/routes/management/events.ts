/** Management API handler for the vendor event stream (`GET /api/v1/events`); the service checks the key. */
import type { AppContext } from '../../../context.ts';
import { listVendorEvents } from '../../../vendor-events/pull.ts';
import { callerOf } from '../../caller.ts';
import type { Handler } from '../../route-table.ts';

export function vendorEventHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  return {
    list: h(async (req) => listVendorEvents(ctx, callerOf(req), (req.query ?? {}) as Record<string, unknown>)),
  };
}
