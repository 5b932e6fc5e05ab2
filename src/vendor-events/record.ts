/**
 * The vendor event stream's recorder: every `connection.event` announced on the hub (sso/connection-events.ts)
 * is appended to `vendor_events`, and, when a webhook is configured, to Directory Sync's outbox as the
 * `vendor-events` channel in the same transaction; the deliverer then signs, POSTs and retries it for
 * WEBHOOK_RETRY_FOR_SECONDS (24 h). Wired in boot().
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { ConnectionEvent } from '../sso/connection-events.ts';
import { directoryEventsRepo } from '../storage/index.ts';
import { vendorEventsRepo, type VendorEventRow } from '../storage/repositories/vendor-events.ts';
import type { NewDirectoryEvent } from '../storage/repositories/directory-events.ts';
import { eventsWebhookTarget, VENDOR_EVENTS_CHANNEL } from './webhook.ts';
import { watchLoginFailures } from './login-failures.ts';

/** An event as the pull API answers it and the webhook sends it. */
export interface ApiVendorEvent {
  id: string;
  type: string;
  tenant: string;
  product: string;
  createdAt: string;
  data: Record<string, unknown>;
}

export const toApiVendorEvent = (r: Omit<VendorEventRow, 'seq'>): ApiVendorEvent => ({
  id: r.id,
  type: r.type,
  tenant: r.tenant,
  product: r.product,
  createdAt: new Date(Number(r.created_at)).toISOString(),
  data: JSON.parse(r.data) as Record<string, unknown>,
});

function outboxRow(ctx: AppContext, row: Omit<VendorEventRow, 'seq'>): NewDirectoryEvent {
  const now = row.created_at;
  return {
    id: row.id,
    directory_id: VENDOR_EVENTS_CHANNEL,
    resource_key: `c:${row.connection_id}`, // one connection's events are delivered in order
    event: row.type,
    payload: JSON.stringify(toApiVendorEvent(row)),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    deadline_at: now + ctx.config.WEBHOOK_RETRY_FOR_SECONDS * 1000,
    lease_owner: null,
    lease_until: null,
    last_status: null,
    last_error: null,
    created_at: now,
    delivered_at: null,
  };
}

/** Records one event (and queues it for the webhook). The connection change it reports has committed already. */
async function record(e: ConnectionEvent): Promise<void> {
  const { ctx } = e;
  const row = { id: randomUUID(), type: e.type, tenant: e.tenant, product: e.product, connection_id: e.connectionId, data: JSON.stringify(e.data), created_at: ctx.now() };
  try {
    const webhook = await eventsWebhookTarget(ctx);
    await vendorEventsRepo.append(ctx.db, ctx.dialect, row, webhook ? (trx) => directoryEventsRepo.append(trx, [outboxRow(ctx, row)]) : undefined);
    if (webhook) ctx.outbox.notify();
  } catch (err) {
    // The change is made; failing its request now would make the caller retry something that succeeded.
    ctx.log.error({ err, type: e.type, connectionId: e.connectionId }, 'connection event could not be recorded');
  }
}

/** Subscribes the stream to the hub and registers its webhook with the outbox's deliverer. */
export function startVendorEventStream(ctx: AppContext): void {
  ctx.events.on('connection.event', record);
  ctx.outboxChannels.register(VENDOR_EVENTS_CHANNEL, async () => (await eventsWebhookTarget(ctx)) ?? { held: 'held: no events webhook is configured (EVENTS_WEBHOOK_URL or the portal settings)' });
  watchLoginFailures(ctx.events);
}
