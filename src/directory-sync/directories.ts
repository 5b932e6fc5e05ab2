/**
 * Directory service for every surface (management API, portal, setup links): create, read, update, delete,
 * rotate the SCIM secret. Each call takes the Caller, which the service checks (src/policy/caller.ts) and
 * audits every change with. Jackson-compatible shape:
 * `{id, name, tenant, product, type, log_webhook_events, deactivated, scim: {path, endpoint, secret?}, webhook: {endpoint, secret?}}`.
 * The SCIM secret is shown once (create, rotate) and stored as a SHA-256 plus a sealed copy; the webhook secret
 * is sealed (it must be recovered to sign) and never returned. Under JACKSON_COMPAT, reads and updates return
 * both to callers that may read secrets, as Jackson does (directory-secrets.ts#secretsOnRead). Clients that
 * send back what they read send `webhook_secret: ""`: on update an empty or missing secret means "unchanged",
 * and a new one must have at least WEBHOOK_SECRET_MIN_BYTES (decision 0205). `log_webhook_events` is accepted and
 * always reads true: every delivery attempt is logged for every directory (decision 0029).
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { checkOutboundUrl } from '../net/outbound.ts';
import { parseInput } from '../input/parse-input.ts';
import { directoriesRepo, directoryEventsRepo, type DirectoryRow } from '../storage/index.ts';
import type { TenantProductKey } from '../storage/repositories/keyset.ts';
import { scimBase } from './scim/auth.ts';
import { newScimSecret, openScimSecret, openWebhookSecret, secretsOnRead } from './directory-secrets.ts';
import { constantTimeEqual } from '../crypto/secrets.ts';
import { authorize, isLimited, type Caller, type Permission, type Target } from '../policy/caller.ts';
import { auditChange, type Change } from '../policy/audit.ts';

/** The directory types Gatehouse serves: every one is an IdP pushing over SCIM 2.0. */
export const DIRECTORY_TYPES = [
  'generic-scim-v2', 'okta-scim-v2', 'azure-scim-v2', 'onelogin-scim-v2', 'jumpcloud-scim-v2', 'ping-scim-v2', 'keycloak-scim-v2',
] as const;

/**
 * Jackson's `google` type pulls from the Google Workspace Admin API, which Gatehouse does not do yet: refused by
 * name (every surface: API, portal, setup link) rather than accepted and then served as plain SCIM.
 */
const directoryType = z.enum(DIRECTORY_TYPES, {
  error: (issue) => issue.input === 'google'
    ? 'is "google": Google Workspace directories are not supported yet (Gatehouse receives users and groups over SCIM 2.0 only)'
    : `must be one of ${DIRECTORY_TYPES.join(', ')}`,
});

const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const urlOrEmpty = z.string().trim().max(2048);
/** null (Jackson's `webhook: {secret: null}`) and "" both mean "no new secret". */
const secretOrEmpty = z.string().max(512).nullish().transform((v) => v || undefined);

/** The shortest webhook secret accepted (HMAC-SHA256 key): 16 bytes = 128 bits. */
export const WEBHOOK_SECRET_MIN_BYTES = 16;

/** 400 naming `field` when a new webhook secret is too short to be a signing key. Empty means "none given". */
export function checkWebhookSecret(secret: string | null | undefined, field = 'webhook_secret'): void {
  if (secret && Buffer.byteLength(secret, 'utf8') < WEBHOOK_SECRET_MIN_BYTES) {
    throw new GatehouseError('API_VALIDATION', `"${field}" must be at least ${WEBHOOK_SECRET_MIN_BYTES} bytes long: events are signed with it, and a short key can be guessed.`, { field });
  }
}

export const CreateDirectoryInput = z.object({
  tenant: z.string().trim().min(1).max(191),
  product: z.string().trim().min(1).max(191),
  name: z.string().trim().max(200).optional(),
  type: directoryType.default('generic-scim-v2'),
  webhook_url: urlOrEmpty.optional(),
  webhook_secret: secretOrEmpty,
  log_webhook_events: bool.optional(),
  deactivated: bool.optional(),
});

export const UpdateDirectoryInput = z.object({
  name: z.string().trim().max(200).optional(),
  type: directoryType.optional(),
  webhook_url: urlOrEmpty.optional(),
  webhook_secret: secretOrEmpty,
  log_webhook_events: bool.optional(),
  deactivated: bool.optional(),
  tenant: z.string().optional(),
  product: z.string().optional(),
});

/** Jackson also nests the webhook as `webhook: {endpoint, secret}`; accept both spellings. */
function flattenWebhook(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const b = { ...(body as Record<string, unknown>) };
  const wh = b.webhook as { endpoint?: unknown; secret?: unknown } | undefined;
  if (wh && typeof wh === 'object') {
    b.webhook_url ??= wh.endpoint;
    b.webhook_secret ??= wh.secret;
  }
  delete b.webhook;
  return b;
}

/** A webhook URL must be reachable under the SSRF rules and come with a secret (new, or the one kept). */
async function checkWebhook(ctx: AppContext, url: string | undefined, secret: string | undefined, existingSecret: boolean) {
  if (url) await checkOutboundUrl(url, { allowHosts: ctx.config.OUTBOUND_ALLOW_HOSTS, timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS }, 'webhook_url');
  checkWebhookSecret(secret);
  if (url && !secret && !existingSecret) throw new GatehouseError('API_VALIDATION', '"webhook_secret" is required with a webhook URL (events are signed with it).', { field: 'webhook_secret' });
}

export function toApiDirectory(ctx: Pick<AppContext, 'config'>, row: DirectoryRow, secret?: string) {
  const endpoint = scimBase(ctx.config.EXTERNAL_URL, row.id);
  return {
    id: row.id,
    name: row.name,
    tenant: row.tenant,
    product: row.product,
    type: row.type,
    // Every delivery attempt is always logged (decision 0029): Jackson's switch reads true and changes nothing.
    log_webhook_events: true,
    deactivated: row.deactivated === 1,
    scim: { path: `/api/scim/v2.0/${row.id}`, endpoint, ...(secret ? { secret } : {}) },
    webhook: { endpoint: row.webhook_url || '' },
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
export type ApiDirectory = ReturnType<typeof toApiDirectory> & { webhook: { secret?: string } };

/**
 * A directory as `caller` may see it: `shownSecret` is the SCIM secret just created or rotated (shown to whoever
 * made it); otherwise both secrets are in the answer only when `secretsOnRead` (JACKSON_COMPAT).
 */
export function directoryView(ctx: AppContext, caller: Caller, row: DirectoryRow, shownSecret?: string): ApiDirectory {
  if (!secretsOnRead(ctx, caller)) return toApiDirectory(ctx, row, shownSecret);
  const view = toApiDirectory(ctx, row, shownSecret ?? openScimSecret(ctx, row));
  return { ...view, webhook: { ...view.webhook, secret: openWebhookSecret(ctx, row) } };
}

const audit = (ctx: AppContext, caller: Caller, action: string, d: { id: string; tenant: string; product: string }, s: Pick<Change, 'before' | 'after'> = {}) =>
  auditChange(ctx, caller, { action, target: { type: 'directory', id: d.id }, tenant: d.tenant, product: d.product, ...s });

/**
 * The check before a read or change of one directory: `need`, for the directory's tenant and product. A limited
 * caller is refused (403) before it can learn whether a directory outside its scope exists.
 */
export async function directoryFor(ctx: AppContext, caller: Caller, need: Permission, id: string): Promise<DirectoryRow> {
  authorize(caller, need);
  const row = await directoriesRepo.findById(ctx.db, id);
  authorize(caller, need, row ?? {});
  if (!row) throw new GatehouseError('DSYNC_DIRECTORY_NOT_FOUND');
  return row;
}

/**
 * The check of Directory Sync reads that name their directory in the query (pull API, events): by
 * `directoryId`, by an event's directory, or by `tenant` and `product`. Only limited callers pay for the lookup.
 */
export async function authorizeDirectoryRead(ctx: AppContext, caller: Caller, ref: { directoryId?: string; eventId?: string } & Target): Promise<void> {
  authorize(caller, 'dsync:read');
  if (!isLimited(caller)) return;
  const directoryId = ref.eventId !== undefined ? ((await directoryEventsRepo.findById(ctx.db, ref.eventId))?.directory_id ?? '') : ref.directoryId;
  if (directoryId !== undefined) return authorize(caller, 'dsync:read', (await directoriesRepo.findById(ctx.db, directoryId)) ?? {});
  authorize(caller, 'dsync:read', ref);
}

export async function createDirectory(ctx: AppContext, caller: Caller, body: unknown): Promise<ApiDirectory> {
  const b = (body ?? {}) as Record<string, unknown>;
  authorize(caller, 'dsync:write', { tenant: b.tenant, product: b.product });
  const input = parseInput(CreateDirectoryInput, flattenWebhook(body));
  await checkWebhook(ctx, input.webhook_url, input.webhook_secret, false);
  const id = randomUUID();
  const { secret, columns } = newScimSecret(ctx, id);
  const now = ctx.now();
  const row: DirectoryRow = {
    id,
    tenant: input.tenant,
    product: input.product,
    name: input.name || `${input.tenant} ${input.product}`,
    type: input.type,
    webhook_url: input.webhook_url ?? '',
    webhook_secret_enc: input.webhook_secret ? ctx.secrets.encrypt(input.webhook_secret) : '',
    ...columns,
    log_webhook_events: 1, // accepted for Jackson clients, not stored as a choice (decision 0029)
    deactivated: input.deactivated ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
  await directoriesRepo.insert(ctx.db, row);
  const data = directoryView(ctx, caller, row, secret);
  await audit(ctx, caller, 'dsync.directory.created', row, { after: data });
  return data;
}

/** One directory, as the caller may see it (`dsync:read`). */
export async function readDirectory(ctx: AppContext, caller: Caller, id: string): Promise<ApiDirectory> {
  return directoryView(ctx, caller, await directoryFor(ctx, caller, 'dsync:read', id));
}

export async function getDirectory(ctx: AppContext, id: string): Promise<DirectoryRow> {
  return (await directoriesRepo.findById(ctx.db, id)) ?? (() => {
    throw new GatehouseError('DSYNC_DIRECTORY_NOT_FOUND');
  })();
}

/** A page of directories across tenants and products (the portal's list), optionally filtered, after `after`. */
export async function pageDirectories(ctx: AppContext, caller: Caller, q: { tenant?: string; product?: string; limit: number; after?: TenantProductKey }) {
  authorize(caller, 'dsync:read', q);
  return directoriesRepo.page(ctx.db, q);
}

/** The directories of a tenant+product, or of a product (a caller limited to tenants must name one), newest first. */
export async function listDirectories(ctx: AppContext, caller: Caller, q: { tenant?: string; product?: string }): Promise<ApiDirectory[]> {
  authorize(caller, 'dsync:read', q);
  if (!q.product) throw new GatehouseError('API_VALIDATION', '"product" is required (with "tenant", or alone to list a product\'s directories).', { field: 'product' });
  const rows = q.tenant ? await directoriesRepo.listByTenantProduct(ctx.db, q.tenant, q.product) : await directoriesRepo.listByProduct(ctx.db, q.product);
  // Newest first, as Jackson lists them.
  return rows.sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? -1 : 1)).map((r) => directoryView(ctx, caller, r));
}

/**
 * Whether `secret` is the one the directory already has: under JACKSON_COMPAT reads return it, and clients send
 * back what they read, so the current secret (even one shorter than the rule, stored before it) is "unchanged".
 */
function isCurrentWebhookSecret(ctx: AppContext, row: DirectoryRow, secret: string | undefined): boolean {
  return secret !== undefined && row.webhook_secret_enc !== '' && constantTimeEqual(secret, openWebhookSecret(ctx, row));
}

export async function updateDirectory(ctx: AppContext, caller: Caller, id: string, body: unknown): Promise<ApiDirectory> {
  const row = await directoryFor(ctx, caller, 'dsync:write', id);
  const input = parseInput(UpdateDirectoryInput, flattenWebhook(body));
  if ((input.tenant && input.tenant !== row.tenant) || (input.product && input.product !== row.product)) {
    throw new GatehouseError('API_VALIDATION', 'A directory cannot move to another tenant or product.', { field: input.tenant && input.tenant !== row.tenant ? 'tenant' : 'product' });
  }
  const newSecret = isCurrentWebhookSecret(ctx, row, input.webhook_secret) ? undefined : input.webhook_secret;
  await checkWebhook(ctx, input.webhook_url, newSecret, row.webhook_secret_enc !== '');
  const patch: Partial<DirectoryRow> = { updated_at: ctx.now() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.type !== undefined) patch.type = input.type;
  if (input.webhook_url !== undefined) patch.webhook_url = input.webhook_url;
  if (newSecret) patch.webhook_secret_enc = ctx.secrets.encrypt(newSecret);
  if (input.deactivated !== undefined) patch.deactivated = input.deactivated ? 1 : 0;
  await directoriesRepo.update(ctx.db, id, patch);
  ctx.directoryCache.forget(id);
  const after = { ...row, ...patch };
  await audit(ctx, caller, 'dsync.directory.updated', row, { before: toApiDirectory(ctx, row), after: toApiDirectory(ctx, after) });
  return directoryView(ctx, caller, after);
}

/** A new SCIM secret; the old one stops working at once on this instance, within 2 s on others (see scim/auth.ts). */
export async function rotateScimSecret(ctx: AppContext, caller: Caller, id: string): Promise<ApiDirectory> {
  const row = await directoryFor(ctx, caller, 'dsync:write', id);
  const { secret, columns } = newScimSecret(ctx, id);
  const patch = { ...columns, updated_at: ctx.now() };
  await directoriesRepo.update(ctx.db, id, patch);
  ctx.directoryCache.forget(id);
  await audit(ctx, caller, 'dsync.directory.secret_rotated', row);
  return directoryView(ctx, caller, { ...row, ...patch }, secret);
}

export async function deleteDirectory(ctx: AppContext, caller: Caller, id: string): Promise<ApiDirectory> {
  const row = await directoryFor(ctx, caller, 'dsync:write', id);
  ctx.directoryCache.forget(id);
  if (!(await directoriesRepo.delete(ctx.db, id))) throw new GatehouseError('DSYNC_DIRECTORY_NOT_FOUND');
  const before = toApiDirectory(ctx, row);
  await audit(ctx, caller, 'dsync.directory.deleted', row, { before });
  return before;
}
