/**
 * The audit stream (decision 0034): every audit row the filter keeps is queued, in the transaction that records it
 * (policy/audit.ts), as one row per sink in Directory Sync's outbox, keyed by the audit id so it is queued once.
 * The deliverer sends the `audit-webhook` channel's rows as signed JSON webhooks (the same signature headers as
 * Directory Sync and the events webhook) and the `audit-syslog` channel's as RFC 5424 messages to the collector,
 * and the `audit-jsonl` channel's as one JSON line per POST (application/x-ndjson, with the configured Authorization),
 * each in order, retried with backoff for WEBHOOK_RETRY_FOR_SECONDS. Wired in boot().
 */
import type { AppContext } from '../context.ts';
import type { AuditEventsTable } from '../storage/schema-audit.ts';
import type { NewDirectoryEvent } from '../storage/repositories/directory-events.ts';
import type { DirectoryEventRow } from '../storage/index.ts';
import type { ChannelRequest, ChannelTarget } from '../directory-sync/events/outbox-channels.ts';
import { outboundPolicyOf } from '../net/outbound.ts';
import { matchesAuditFilter, octetCounted, streamedEventOf, syslogMessage } from './event.ts';
import { auditStreamConfig } from './settings.ts';
import { sendSyslog } from './syslog-sender.ts';

export const AUDIT_WEBHOOK_CHANNEL = 'audit-webhook';
export const AUDIT_SYSLOG_CHANNEL = 'audit-syslog';
export const AUDIT_JSONL_CHANNEL = 'audit-jsonl';
type Channel = typeof AUDIT_WEBHOOK_CHANNEL | typeof AUDIT_SYSLOG_CHANNEL | typeof AUDIT_JSONL_CHANNEL;
const PREFIX: Record<Channel, string> = { [AUDIT_WEBHOOK_CHANNEL]: 'aw', [AUDIT_SYSLOG_CHANNEL]: 'as', [AUDIT_JSONL_CHANNEL]: 'aj' };
/** The outbox row of audit row `auditId` for a sink: appending it again adds nothing. */
export const auditOutboxId = (channel: Channel, auditId: string) => `${PREFIX[channel]}:${auditId}`;

function outboxRow(ctx: AppContext, channel: Channel, r: AuditEventsTable): NewDirectoryEvent {
  const now = Number(r.at);
  return {
    id: auditOutboxId(channel, r.id), directory_id: channel,
    resource_key: 'audit', // one chain: a SIEM receives the log in the order it was written
    event: r.action, payload: JSON.stringify(streamedEventOf(r)),
    status: 'pending', attempts: 0, next_attempt_at: now, deadline_at: now + ctx.config.WEBHOOK_RETRY_FOR_SECONDS * 1000,
    lease_owner: null, lease_until: null, last_status: null, last_error: null, created_at: now, delivered_at: null,
  };
}

async function outboxRowsOf(ctx: AppContext, r: AuditEventsTable): Promise<NewDirectoryEvent[]> {
  const cfg = await auditStreamConfig(ctx, false);
  if (!matchesAuditFilter(cfg.filter, r)) return [];
  const on: [Channel, unknown][] = [[AUDIT_WEBHOOK_CHANNEL, cfg.webhook], [AUDIT_SYSLOG_CHANNEL, cfg.syslogUrl], [AUDIT_JSONL_CHANNEL, cfg.jsonl]];
  return on.filter(([, sink]) => sink).map(([channel]) => outboxRow(ctx, channel, r));
}

async function webhookTarget(ctx: AppContext): Promise<ChannelTarget> {
  const { webhook } = await auditStreamConfig(ctx);
  if (!webhook) return { held: 'held: no audit stream webhook is configured (AUDIT_STREAM_WEBHOOK_URL or the portal settings)' };
  if (!webhook.secret) return { held: 'held: the audit stream webhook secret cannot be decrypted; save it again in the portal settings' };
  return { url: webhook.url, secret: webhook.secret };
}

async function syslogTarget(ctx: AppContext): Promise<ChannelTarget> {
  const { syslogUrl } = await auditStreamConfig(ctx, false);
  if (!syslogUrl) return { held: 'held: no audit stream syslog collector is configured (AUDIT_STREAM_SYSLOG_URL or the portal settings)' };
  const hostname = new URL(ctx.config.EXTERNAL_URL).hostname;
  const policy = outboundPolicyOf(ctx.config);
  return {
    perEvent: async (e: DirectoryEventRow): Promise<ChannelRequest> => {
      const frame = octetCounted(syslogMessage(JSON.parse(e.payload), hostname));
      return { deliver: () => sendSyslog(syslogUrl, frame, policy, ctx.config.AUDIT_STREAM_SYSLOG_CA) };
    },
  };
}

async function jsonlTarget(ctx: AppContext): Promise<ChannelTarget> {
  const { jsonl } = await auditStreamConfig(ctx);
  if (!jsonl) return { held: 'held: no audit stream JSON Lines endpoint is configured (AUDIT_STREAM_JSONL_URL or the portal settings)' };
  const headers = { 'content-type': 'application/x-ndjson', 'gatehouse-event': 'audit', ...(jsonl.authorization ? { authorization: jsonl.authorization } : {}) };
  return { perEvent: async (e: DirectoryEventRow): Promise<ChannelRequest> => ({ url: jsonl.url, body: `${e.payload}\n`, headers: { ...headers, 'gatehouse-event-id': e.id.slice(e.id.indexOf(':') + 1) } }) };
}

/** Hooks the stream into the audit log and registers its two outbox channels. Called in boot(). */
export function startAuditStream(ctx: AppContext): void {
  ctx.auditStream = { outboxRowsOf: (r) => outboxRowsOf(ctx, r), queued: () => ctx.outbox.notify() };
  ctx.outboxChannels.register(AUDIT_WEBHOOK_CHANNEL, () => webhookTarget(ctx));
  ctx.outboxChannels.register(AUDIT_SYSLOG_CHANNEL, () => syslogTarget(ctx));
  ctx.outboxChannels.register(AUDIT_JSONL_CHANNEL, () => jsonlTarget(ctx));
}
