/**
 * Setup links, the vendor side: create (or return the live one), look up, list, regenerate, delete, for the
 * portal and the management API alike: each call takes the Caller, checked (`setuplinks:write` on the link's
 * tenant and product) and audited here; the audit never holds the link's URL.
 * Tokens carry 256 bits, are found by their SHA-256, and are kept sealed only so Copy can show the URL
 * again. Regenerating or deleting makes the old token useless at once on every instance; an expired token
 * never comes back (a new link always gets a new random token).
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { connectionsRepo, NO_PROGRESS, productsRepo, setupLinksRepo, type SetupLinkRow } from '../storage/index.ts';
import { randomToken, tokenHash } from '../crypto/secrets.ts';
import { parseInput } from '../input/parse-input.ts';
import { CreateDsyncSetupLinkInput, CreateSsoSetupLinkInput } from './input.ts';
import { checkWebhookSecret } from '../directory-sync/directories.ts';
import { authorize, type Caller, type Target } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { checkRedirectPatterns } from '../sso/redirect-urls.ts';
import { checkOutboundUrl } from '../net/outbound.ts';
import { progressView, statusFilter, SETUP_STATUSES, type SetupStatus } from './progress.ts';
import { intentOf, type IntentDefaults } from './intent.ts';

export type SetupService = SetupLinkRow['service'];
export interface SsoDefaults extends IntentDefaults { defaultRedirectUrl: string; redirectUrl: string[] }
export interface DsyncDefaults { webhookUrl: string | null; webhookSecretEnc: string | null }

const DAY = 86_400_000;
export const linkUrl = (ctx: AppContext, token: string) => `${ctx.config.EXTERNAL_URL}/setup/${token}`;

/** The vendor's view of a link (Jackson shape plus ours). Never contains the webhook secret. */
export function toApiSetupLink(ctx: AppContext, row: SetupLinkRow) {
  const d = JSON.parse(row.defaults) as Partial<SsoDefaults & DsyncDefaults>;
  return {
    setupID: row.id,
    service: row.service,
    tenant: row.tenant,
    product: row.product,
    name: row.name,
    description: row.description,
    url: linkUrl(ctx, ctx.secrets.decrypt(row.token_enc)),
    validTill: row.expires_at,
    expired: row.expires_at <= ctx.now(),
    ...intentOf(row),
    ...(row.service === 'sso' ? { defaultRedirectUrl: d.defaultRedirectUrl, redirectUrl: d.redirectUrl } : { webhook_url: d.webhookUrl ?? null, webhookSecretSet: Boolean(d.webhookSecretEnc) }),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    progress: progressView(row),
  };
}
export type ApiSetupLink = ReturnType<typeof toApiSetupLink>;

async function defaultsFor(ctx: AppContext, service: SetupService, body: unknown) {
  if (service === 'sso') {
    const input = parseInput(CreateSsoSetupLinkInput, body);
    const product = await productsRepo.findById(ctx.db, input.product);
    const renewal = await renewalOf(ctx, input);
    // A renewal link creates no connection, so the renewed connection's redirect URL serves as its default.
    const def = input.defaultRedirectUrl ?? input.redirectUrl?.[0] ?? product?.default_redirect_url ?? renewal.defaultRedirectUrl ?? undefined;
    if (!def) throw new GatehouseError('API_VALIDATION', '"defaultRedirectUrl" is required (or give the product a default redirect URL).', { field: 'defaultRedirectUrl' });
    const list = input.redirectUrl?.length ? input.redirectUrl : [def];
    const defaults: SsoDefaults = { defaultRedirectUrl: def, redirectUrl: list.includes(def) ? list : [...list, def], intent: renewal.intent, clientID: renewal.clientID };
    // Refused here rather than when the IT admin creates the connection through the link, which they could not fix.
    checkRedirectPatterns(ctx.config, defaults.redirectUrl);
    return { input, defaults };
  }
  const input = parseInput(CreateDsyncSetupLinkInput, body);
  const field = input.webhook_secret ? 'webhook_secret' : 'webhookSecret';
  const secret = input.webhook_secret || input.webhookSecret;
  const webhookUrl = input.webhook_url ?? input.webhookUrl ?? null;
  checkWebhookSecret(secret, field);
  // The same check as POST /api/v1/dsync: a URL the server would refuse is refused now, with the vendor, not
  // later in front of the customer, who could do nothing about it.
  if (webhookUrl) await checkOutboundUrl(webhookUrl, { allowHosts: ctx.config.OUTBOUND_ALLOW_HOSTS, timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS }, input.webhook_url ? 'webhook_url' : 'webhookUrl');
  if (webhookUrl && !secret) throw new GatehouseError('API_VALIDATION', '"webhook_secret" is required with a webhook URL (events are signed with it).', { field: 'webhook_secret' });
  const defaults: DsyncDefaults = { webhookUrl, webhookSecretEnc: secret ? ctx.secrets.encrypt(secret) : null };
  return { input, defaults };
}

/** A renewal link names one connection of its own tenant+product (decision 0022). */
async function renewalOf(ctx: AppContext, input: { tenant: string; product: string; intent?: string; clientID?: string }): Promise<IntentDefaults & { defaultRedirectUrl?: string }> {
  if (input.intent !== 'certificate_renewal') {
    if (input.clientID) throw new GatehouseError('API_VALIDATION', '"clientID" is only taken with "intent": "certificate_renewal".', { field: 'clientID' });
    return {};
  }
  if (!input.clientID) throw new GatehouseError('API_VALIDATION', '"clientID" is required with "intent": "certificate_renewal" (the connection whose certificate is renewed).', { field: 'clientID' });
  const conn = await connectionsRepo.findById(ctx.db, input.clientID);
  if (!conn || conn.tenant !== input.tenant || conn.product !== input.product) {
    throw new GatehouseError('API_VALIDATION', `"clientID" must name a connection of tenant "${input.tenant}" and product "${input.product}".`, { field: 'clientID' });
  }
  return { intent: 'certificate_renewal', clientID: conn.id, defaultRedirectUrl: conn.default_redirect_url };
}

const sameIntent = (a: Pick<SetupLinkRow, 'defaults'>, b: Pick<SetupLinkRow, 'defaults'>) => {
  const [x, y] = [intentOf(a), intentOf(b)];
  return x.intent === y.intent && x.clientID === y.clientID;
};

const allowed = (caller: Caller, target: Target | undefined, use: 'read' | 'change') => authorize(caller, 'setuplinks:write', target, use);
const audit = (ctx: AppContext, caller: Caller, action: string, l: { setupID: string; tenant: string; product: string }) =>
  auditChange(ctx, caller, { action, target: { type: 'setup_link', id: l.setupID }, tenant: l.tenant, product: l.product, after: { ...l, url: '[redacted]' } });

/**
 * Creates a link, or returns the live one for this tenant+product+service unless `regenerate` is set or it has
 * another intent: one link per scope, so a renewal link replaces a full one and the other way round.
 */
export async function createSetupLink(ctx: AppContext, caller: Caller, service: SetupService, body: unknown): Promise<{ created: boolean; link: ApiSetupLink }> {
  const b = (body ?? {}) as Record<string, unknown>;
  allowed(caller, { tenant: b.tenant, product: b.product }, 'change');
  const { input, defaults } = await defaultsFor(ctx, service, body);
  const now = ctx.now();
  const existing = await setupLinksRepo.findByScope(ctx.db, service, input.tenant, input.product);
  const wanted = JSON.stringify(defaults);
  if (existing && existing.expires_at > now && !input.regenerate && sameIntent(existing, { defaults: wanted })) return { created: false, link: toApiSetupLink(ctx, existing) };
  const token = randomToken(32);
  const row: SetupLinkRow = {
    id: randomToken(16), service, tenant: input.tenant, product: input.product, name: input.name ?? '', description: input.description ?? '',
    token_hash: tokenHash(token), token_enc: ctx.secrets.encrypt(token), defaults: wanted,
    expires_at: now + Math.round((input.expiryDays ?? 3) * DAY), created_by: caller.label, created_at: now, updated_at: now,
    ...NO_PROGRESS,
  };
  await setupLinksRepo.replace(ctx.db, row);
  const link = toApiSetupLink(ctx, row);
  await audit(ctx, caller, `setup_link.${service}.created`, link);
  return { created: true, link };
}

/** The link by id, or by tenant+product; `service` undefined accepts either (the portal names links by id alone). */
export async function getSetupLink(ctx: AppContext, caller: Caller, service: SetupService | undefined, q: { id?: string; tenant?: string; product?: string }, use: 'read' | 'change' = 'read'): Promise<SetupLinkRow> {
  allowed(caller, undefined, use);
  const row = q.id ? await setupLinksRepo.findById(ctx.db, q.id) : q.tenant && q.product && service ? await setupLinksRepo.findByScope(ctx.db, service, q.tenant, q.product) : undefined;
  allowed(caller, row ?? q, use);
  if (!q.id && !(q.tenant && q.product)) throw new GatehouseError('API_VALIDATION', 'Pass "id", or "tenant" and "product".', { field: 'id' });
  if (!row || (service && row.service !== service)) {
    throw service ? new GatehouseError('API_NOT_FOUND', 'No such setup link.') : new GatehouseError('API_NOT_FOUND', `No setup link "${q.id}".`, { field: 'id' });
  }
  return row;
}

export async function regenerateSetupLink(ctx: AppContext, caller: Caller, service: SetupService | undefined, id: string): Promise<ApiSetupLink> {
  const row = await getSetupLink(ctx, caller, service, { id }, 'change');
  const token = randomToken(32);
  const now = ctx.now();
  await setupLinksRepo.rotateToken(ctx.db, row.id, tokenHash(token), ctx.secrets.encrypt(token), now);
  const link = toApiSetupLink(ctx, { ...row, token_hash: tokenHash(token), token_enc: ctx.secrets.encrypt(token), updated_at: now });
  await audit(ctx, caller, `setup_link.${row.service}.regenerated`, link);
  return link;
}

export async function deleteSetupLink(ctx: AppContext, caller: Caller, service: SetupService | undefined, q: { id?: string; tenant?: string; product?: string }): Promise<SetupLinkRow> {
  const row = await getSetupLink(ctx, caller, service, q, 'change');
  await setupLinksRepo.delete(ctx.db, row.id);
  await audit(ctx, caller, `setup_link.${row.service}.deleted`, { setupID: row.id, tenant: row.tenant, product: row.product });
  return row;
}

/** `status` (optional): one of SETUP_STATUSES, else 400 naming it. */
function statusOf(v: string | undefined): SetupStatus | undefined {
  if (v === undefined || v === '') return undefined;
  if ((SETUP_STATUSES as readonly string[]).includes(v)) return v as SetupStatus;
  throw new GatehouseError('API_VALIDATION', `"status" must be one of ${SETUP_STATUSES.join(', ')}.`, { field: 'status' });
}

export async function listSetupLinks(ctx: AppContext, caller: Caller, service: SetupService, q: { product?: string; tenant?: string; status?: string; pageOffset?: string; pageLimit?: string }) {
  allowed(caller, q, 'read');
  const offset = Math.max(Number(q.pageOffset ?? 0) || 0, 0);
  const limit = Math.min(Math.max(Number(q.pageLimit ?? 25) || 25, 1), 100);
  const status = statusOf(q.status);
  const scope = { service, product: q.product, tenant: q.tenant, ...(status ? { progress: statusFilter(service, status) } : {}) };
  const [rows, total] = await Promise.all([setupLinksRepo.list(ctx.db, { ...scope, offset, limit }), setupLinksRepo.count(ctx.db, scope)]);
  return { data: rows.map((r) => toApiSetupLink(ctx, r)), pageOffset: offset, pageLimit: limit, total };
}
