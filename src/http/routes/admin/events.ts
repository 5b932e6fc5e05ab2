/** Admin API handlers for the vendor event stream: the Events view, the overview (with its flags), the webhook setting, the audit stream setting. */
import type { AppContext } from '../../../context.ts';
import { listRecentVendorEvents } from '../../../vendor-events/pull.ts';
import { connectionFlags } from '../../../vendor-events/flags.ts';
import { portalOverview } from '../../../admin/overview.ts';
import { getEventsWebhook, updateEventsWebhook } from '../../../vendor-events/webhook.ts';
import { getAuditStream, updateAuditStream } from '../../../audit-stream/settings.ts';
import { callerOf } from '../../caller.ts';
import type { Handler } from '../../route-table.ts';

export function adminEventHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  return {
    list: h(async (req) => listRecentVendorEvents(ctx, callerOf(req), (req.query ?? {}) as Record<string, unknown>)),
    flags: h(async (req) => ({ data: await connectionFlags(ctx, callerOf(req)) })),
    overview: h(async (req) => ({ data: await portalOverview(ctx, callerOf(req)) })),
    webhook: h(async (req) => ({ data: await getEventsWebhook(ctx, callerOf(req)) })),
    updateWebhook: h(async (req) => ({ data: await updateEventsWebhook(ctx, callerOf(req), req.body) })),
    auditStream: h(async (req) => ({ data: await getAuditStream(ctx, callerOf(req)) })),
    updateAuditStream: h(async (req) => ({ data: await updateAuditStream(ctx, callerOf(req), req.body) })),
  };
}
