/**
 * The audit stream's configuration: a signed webhook, a syslog collector, a JSON Lines endpoint (any of them), and the filter that chooses which
 * audit events go. From the environment (AUDIT_STREAM_*, which then wins and locks the portal's setting) or the
 * portal's settings (admin_settings `audit_stream`, the webhook secret and the JSONL Authorization sealed). URLs pass the SSRF guard when saved
 * and again at every send. Changing it is audited (the secret never).
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { parseInput } from '../input/parse-input.ts';
import { checkOutboundUrl, outboundPolicyOf } from '../net/outbound.ts';
import { adminSettingsRepo } from '../storage/repositories/admin-settings.ts';
import { requireAdminRole, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { checkWebhookSecret } from '../directory-sync/directories.ts';
import { NO_FILTER, parseSyslogUrl, type AuditFilter } from './event.ts';
import { checkSyslogUrl } from './syslog-sender.ts';

const KEY = 'audit_stream';

interface Stored {
  webhook?: { url: string; secretEnc: string } | null;
  syslogUrl?: string | null;
  jsonl?: { url: string; authorizationEnc: string | null } | null;
  filter?: AuditFilter;
}

/** Where audit events go now. `webhook.secret` is null when the sealed secret cannot be opened. */
export interface AuditStreamConfig {
  webhook: { url: string; secret: string | null } | null;
  syslogUrl: string | null;
  /** `authorization` is null when there is none, or it was not opened. */
  jsonl: { url: string; authorization: string | null } | null;
  filter: AuditFilter;
}

export interface AuditStreamView {
  webhookUrl: string | null;
  webhookSecretSet: boolean;
  syslogUrl: string | null;
  jsonlUrl: string | null;
  jsonlAuthorizationSet: boolean;
  filter: AuditFilter;
  /** `environment`: AUDIT_STREAM_* is set, and the portal cannot change it. */
  source: 'environment' | 'settings' | null;
}

const fromEnvironment = (ctx: AppContext): boolean => Boolean(ctx.config.AUDIT_STREAM_WEBHOOK_URL || ctx.config.AUDIT_STREAM_SYSLOG_URL || ctx.config.AUDIT_STREAM_JSONL_URL);

const stored = async (ctx: AppContext): Promise<Stored> => ((await adminSettingsRepo.get(ctx.db, KEY)) as Stored | undefined) ?? {};

function openSecret(ctx: AppContext, sealed: string): string | null {
  try {
    return ctx.secrets.decrypt(sealed);
  } catch {
    ctx.log.error('audit stream webhook secret cannot be decrypted (ENCRYPTION_KEY rotated without ENCRYPTION_KEYS_PREVIOUS?)');
    return null;
  }
}

/** The configuration in force; `withSecret: false` skips opening the sealed secret (for the per-row decision). */
export async function auditStreamConfig(ctx: AppContext, withSecret = true): Promise<AuditStreamConfig> {
  const c = ctx.config;
  if (fromEnvironment(ctx)) {
    return {
      webhook: c.AUDIT_STREAM_WEBHOOK_URL ? { url: c.AUDIT_STREAM_WEBHOOK_URL, secret: c.AUDIT_STREAM_WEBHOOK_SECRET ?? null } : null,
      syslogUrl: c.AUDIT_STREAM_SYSLOG_URL ?? null,
      jsonl: c.AUDIT_STREAM_JSONL_URL ? { url: c.AUDIT_STREAM_JSONL_URL, authorization: c.AUDIT_STREAM_JSONL_AUTHORIZATION ?? null } : null,
      filter: { actions: c.AUDIT_STREAM_ACTIONS, tenants: c.AUDIT_STREAM_TENANTS, products: c.AUDIT_STREAM_PRODUCTS },
    };
  }
  const s = await stored(ctx);
  return {
    webhook: s.webhook ? { url: s.webhook.url, secret: withSecret ? openSecret(ctx, s.webhook.secretEnc) : null } : null,
    syslogUrl: s.syslogUrl ?? null,
    jsonl: s.jsonl ? { url: s.jsonl.url, authorization: withSecret && s.jsonl.authorizationEnc ? openSecret(ctx, s.jsonl.authorizationEnc) : null } : null,
    filter: s.filter ?? NO_FILTER,
  };
}

export async function getAuditStream(ctx: AppContext, caller: Caller): Promise<AuditStreamView> {
  requireAdminRole(caller, 'viewer', 'read the audit stream settings');
  const env = fromEnvironment(ctx);
  const cfg = await auditStreamConfig(ctx, false);
  const on = Boolean(cfg.webhook || cfg.syslogUrl || cfg.jsonl);
  const jsonlAuthorizationSet = env ? Boolean(ctx.config.AUDIT_STREAM_JSONL_AUTHORIZATION) : Boolean((await stored(ctx)).jsonl?.authorizationEnc);
  return {
    webhookUrl: cfg.webhook?.url ?? null, webhookSecretSet: Boolean(cfg.webhook), syslogUrl: cfg.syslogUrl, jsonlUrl: cfg.jsonl?.url ?? null, jsonlAuthorizationSet,
    filter: cfg.filter, source: env ? 'environment' : on ? 'settings' : null,
  };
}

const list = z.array(z.string().trim().min(1).max(200)).max(50).default([]);
const Input = z.object({
  /** '' or null turns the webhook off. */
  webhookUrl: z.string().trim().max(2048).nullable().default(null),
  /** Required with a first webhook URL; omitted keeps the current one. */
  webhookSecret: z.string().max(512).optional(),
  /** `tcp://host:514` or `tls://host:6514`; '' or null turns syslog off. */
  syslogUrl: z.string().trim().max(2048).nullable().default(null),
  /** JSON Lines over HTTP(S); '' or null turns it off. */
  jsonlUrl: z.string().trim().max(2048).nullable().default(null),
  /** The Authorization header value the endpoint wants (`Bearer …`, `Splunk …`); omitted keeps the current one, '' removes it. */
  jsonlAuthorization: z.string().max(2048).regex(/^[^\r\n]*$/, 'one line').optional(),
  filter: z.object({ actions: list, tenants: list, products: list }).default(NO_FILTER),
});

/** Admins and owners replace the portal's audit stream settings; audited, the secret never. */
export async function updateAuditStream(ctx: AppContext, caller: Caller, body: unknown): Promise<AuditStreamView> {
  requireAdminRole(caller, 'admin', 'change the audit stream');
  if (fromEnvironment(ctx)) throw new GatehouseError('API_CONFLICT', 'The audit stream is set in the environment (AUDIT_STREAM_*); change it there.');
  const input = parseInput(Input, body);
  const before = await getAuditStream(ctx, caller);
  const prev = await stored(ctx);
  const policy = outboundPolicyOf(ctx.config);
  let webhook: Stored['webhook'] = null;
  if (input.webhookUrl) {
    await checkOutboundUrl(input.webhookUrl, policy, 'webhookUrl');
    checkWebhookSecret(input.webhookSecret, 'webhookSecret');
    if (!input.webhookSecret && !prev.webhook) throw new GatehouseError('API_VALIDATION', '"webhookSecret" is required with a webhook URL (events are signed with it).', { field: 'webhookSecret' });
    webhook = { url: input.webhookUrl, secretEnc: input.webhookSecret ? ctx.secrets.encrypt(input.webhookSecret) : prev.webhook!.secretEnc };
  }
  if (input.syslogUrl) {
    if (!parseSyslogUrl(input.syslogUrl)) throw new GatehouseError('API_VALIDATION', '"syslogUrl" must be tcp://host:port or tls://host:port.', { field: 'syslogUrl' });
    await checkSyslogUrl(input.syslogUrl, policy, 'syslogUrl');
  }
  let jsonl: Stored['jsonl'] = null;
  if (input.jsonlUrl) {
    await checkOutboundUrl(input.jsonlUrl, policy, 'jsonlUrl');
    const authorizationEnc = input.jsonlAuthorization === undefined ? (prev.jsonl?.authorizationEnc ?? null) : input.jsonlAuthorization ? ctx.secrets.encrypt(input.jsonlAuthorization) : null;
    jsonl = { url: input.jsonlUrl, authorizationEnc };
  }
  await adminSettingsRepo.put(ctx.db, KEY, { webhook, syslogUrl: input.syslogUrl || null, jsonl, filter: input.filter } satisfies Stored, ctx.now());
  const after = await getAuditStream(ctx, caller);
  await auditChange(ctx, caller, { action: 'admin.audit_stream.updated', target: { type: 'settings', id: KEY }, before, after });
  return after;
}
