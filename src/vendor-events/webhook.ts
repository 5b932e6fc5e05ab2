/**
 * The vendor event stream's webhook: where connection events are POSTed (signed like Directory Sync's, through
 * the same outbox and deliverer, as the `vendor-events` outbox channel). Configured by EVENTS_WEBHOOK_URL and
 * EVENTS_WEBHOOK_SECRET, which win when set, or in the portal's settings (the secret sealed). The URL passes the
 * SSRF guard when saved, and again on every send (directory-sync/webhooks/sender.ts).
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { parseInput } from '../input/parse-input.ts';
import { checkOutboundUrl } from '../net/outbound.ts';
import { adminSettingsRepo } from '../storage/repositories/admin-settings.ts';
import { requireAdminRole, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { checkWebhookSecret } from '../directory-sync/directories.ts';
import type { ChannelTarget } from '../directory-sync/events/outbox-channels.ts';

/** The outbox channel id the stream's rows carry instead of a directory id. */
export const VENDOR_EVENTS_CHANNEL = 'vendor-events';
const KEY = 'events_webhook';

interface Stored {
  url: string;
  secretEnc: string;
}

export interface EventsWebhookView {
  url: string | null;
  secretSet: boolean;
  /** `environment`: EVENTS_WEBHOOK_URL is set, and the portal cannot change it. */
  source: 'environment' | 'settings' | null;
}

const stored = async (ctx: AppContext): Promise<Stored | null> => {
  const v = (await adminSettingsRepo.get(ctx.db, KEY)) as Stored | undefined;
  return v?.url ? v : null;
};

/** Where events go now: the environment's webhook, else the portal's; null when neither is configured. */
export async function eventsWebhookTarget(ctx: AppContext): Promise<ChannelTarget | null> {
  const { EVENTS_WEBHOOK_URL: url, EVENTS_WEBHOOK_SECRET: secret } = ctx.config;
  if (url && secret) return { url, secret };
  const s = await stored(ctx);
  if (!s) return null;
  try {
    return { url: s.url, secret: ctx.secrets.decrypt(s.secretEnc) };
  } catch {
    ctx.log.error('events webhook secret cannot be decrypted (ENCRYPTION_KEY rotated without ENCRYPTION_KEYS_PREVIOUS?)');
    return { held: 'held: the events webhook secret cannot be decrypted; save it again in the portal settings' };
  }
}

export async function getEventsWebhook(ctx: AppContext, caller: Caller): Promise<EventsWebhookView> {
  requireAdminRole(caller, 'viewer', 'read the events webhook');
  if (ctx.config.EVENTS_WEBHOOK_URL) return { url: ctx.config.EVENTS_WEBHOOK_URL, secretSet: true, source: 'environment' };
  const s = await stored(ctx);
  return s ? { url: s.url, secretSet: true, source: 'settings' } : { url: null, secretSet: false, source: null };
}

const Input = z.object({
  /** '' or null turns the webhook off. */
  url: z.string().trim().max(2048).nullable(),
  /** Required with a new URL; omitted keeps the current one. */
  secret: z.string().max(512).optional(),
});

/** Admins and owners set (or clear, with `url: ''`) the portal's events webhook; audited, the secret never. */
export async function updateEventsWebhook(ctx: AppContext, caller: Caller, body: unknown): Promise<EventsWebhookView> {
  requireAdminRole(caller, 'admin', 'change the events webhook');
  if (ctx.config.EVENTS_WEBHOOK_URL) throw new GatehouseError('API_CONFLICT', 'EVENTS_WEBHOOK_URL is set in the environment; change it there.');
  const input = parseInput(Input, body);
  const before = await getEventsWebhook(ctx, caller);
  const prev = await stored(ctx);
  if (!input.url) {
    await adminSettingsRepo.put(ctx.db, KEY, {}, ctx.now());
  } else {
    await checkOutboundUrl(input.url, { allowHosts: ctx.config.OUTBOUND_ALLOW_HOSTS, timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS }, 'url');
    checkWebhookSecret(input.secret, 'secret');
    if (!input.secret && !prev) throw new GatehouseError('API_VALIDATION', '"secret" is required with a webhook URL (events are signed with it).', { field: 'secret' });
    const secretEnc = input.secret ? ctx.secrets.encrypt(input.secret) : prev!.secretEnc;
    await adminSettingsRepo.put(ctx.db, KEY, { url: input.url, secretEnc } satisfies Stored, ctx.now());
  }
  const after = await getEventsWebhook(ctx, caller);
  await auditChange(ctx, caller, { action: 'admin.events_webhook.updated', target: { type: 'settings', id: KEY }, before, after });
  return after;
}
