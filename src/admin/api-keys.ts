/**
 * Personal and scoped API keys for the management API. A key is `gh_` + 32 random bytes, shown once and
 * stored as its SHA-256 (tokenHash). A personal key acts as its owner with the owner's current role; a scoped
 * key is limited to chosen tenants, products and permissions (and never exceeds its creator's role).
 */
import * as z from 'zod';
import type { AppContext } from '../context.ts';
import { PERMISSIONS, requireAdminRole, type ApiScope, type Caller, type Permission } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { GatehouseError } from '../errors.ts';
import { randomToken, tokenHash } from '../crypto/secrets.ts';
import { adminApiKeysRepo, type AdminApiKeyRow } from '../storage/repositories/admin-api-keys.ts';
import { adminUsersRepo, type AdminUserRow } from '../storage/repositories/admin-accounts.ts';
import { parseInput } from '../input/parse-input.ts';
import { atLeast, type AdminRole } from '../policy/roles.ts';
import { decodeCursor, isTimeIdKey, pageLimit, pageOf } from './paging.ts';

export const KEY_PREFIX = 'gh_';

/** What a role may do through the management API. */
export const permissionsOfRole = (role: AdminRole): Permission[] => (atLeast(role, 'admin') ? [...PERMISSIONS] : ['sso:read', 'dsync:read']);

const names = z.array(z.string().min(1).max(191)).min(1, 'must name at least one').max(100);
export const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1, 'is required').max(128),
  kind: z.enum(['personal', 'scoped']),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  scopes: z.object({ tenants: names.optional(), products: names.optional(), permissions: z.array(z.enum(PERMISSIONS)).min(1, 'must name at least one') }).optional(),
});

interface StoredScopes {
  tenants?: string[];
  products?: string[];
  permissions: Permission[];
}

export const toApiKey = (r: AdminApiKeyRow) => ({
  id: r.id, name: r.name, prefix: r.prefix, kind: r.kind, ...(r.scopes ? { scopes: JSON.parse(r.scopes) as StoredScopes } : {}),
  createdAt: new Date(r.created_at).toISOString(), expiresAt: r.expires_at ? new Date(r.expires_at).toISOString() : null,
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null, ownerId: r.owner_id,
});

/**
 * Mints a key owned by `creator` (the caller's own account in the portal; the account named on the CLI); the
 * plaintext is returned once and never stored. Personal keys are self-service; scoped keys need an admin. Audited.
 */
export async function mintApiKey(ctx: AppContext, caller: Caller, creator: AdminUserRow, body: unknown): Promise<{ row: AdminApiKeyRow; key: string }> {
  if ((body as { kind?: unknown } | undefined)?.kind !== 'personal') requireAdminRole(caller, 'admin', 'create scoped API keys');
  const input = parseInput(CreateApiKeyInput, body);
  const now = ctx.now();
  const expiresAt = input.expiresAt ? Date.parse(input.expiresAt) : null;
  if (expiresAt !== null && expiresAt <= now) throw new GatehouseError('API_VALIDATION', '"expiresAt" must be in the future.', { field: 'expiresAt' });
  let scopes: StoredScopes | null = null;
  if (input.kind === 'scoped') {
    if (!input.scopes) throw new GatehouseError('API_VALIDATION', '"scopes" is required for a scoped key (at least "permissions").', { field: 'scopes' });
    const allowed = permissionsOfRole(creator.role);
    const beyond = input.scopes.permissions.find((p) => !allowed.includes(p));
    if (beyond) throw new GatehouseError('ADMIN_FORBIDDEN', `A ${creator.role} cannot give a key "${beyond}".`, { field: 'scopes.permissions' });
    scopes = { ...input.scopes, permissions: [...new Set(input.scopes.permissions)] };
  } else if (input.scopes) {
    throw new GatehouseError('API_VALIDATION', 'A personal key acts with its owner\'s role; "scopes" is only for scoped keys.', { field: 'scopes' });
  }
  const key = `${KEY_PREFIX}${randomToken(32)}`;
  const row: AdminApiKeyRow = {
    id: `key_${randomToken(12)}`, name: input.name, prefix: key.slice(0, 10), token_hash: tokenHash(key), kind: input.kind, owner_id: creator.id,
    scopes: scopes ? JSON.stringify(scopes) : null, created_at: now, expires_at: expiresAt, last_used_at: null, revoked_at: null,
  };
  await adminApiKeysRepo.insert(ctx.db, row);
  await auditChange(ctx, caller, { action: 'admin.api_key.created', target: { type: 'api_key', id: row.id }, after: toApiKey(row) });
  return { row, key };
}

/** Owners see every key; everyone else sees their own. */
export async function listApiKeys(ctx: AppContext, user: AdminUserRow, q: { limit?: string; cursor?: string }) {
  const limit = pageLimit(q.limit);
  const rows = await adminApiKeysRepo.list(ctx.db, { owner: user.role === 'owner' ? undefined : user.id, limit: limit + 1, before: decodeCursor(q.cursor, isTimeIdKey) });
  // The bootstrap keys of API_KEYS are counted, never shown: the portal says they exist so "no keys" does not mislead.
  return { ...pageOf(rows, limit, toApiKey, (r) => [r.created_at, r.id]), environmentKeys: ctx.config.API_KEYS.length };
}

/** Revokes one of `user`'s keys (any key for an owner); audited. */
export async function revokeApiKey(ctx: AppContext, caller: Caller, user: AdminUserRow, id: string): Promise<AdminApiKeyRow> {
  const row = await adminApiKeysRepo.findById(ctx.db, id);
  if (!row || row.revoked_at !== null || (row.owner_id !== user.id && user.role !== 'owner')) throw new GatehouseError('API_NOT_FOUND', `No API key "${id}".`, { field: 'id' });
  await adminApiKeysRepo.revoke(ctx.db, id, ctx.now());
  await auditChange(ctx, caller, { action: 'admin.api_key.revoked', target: { type: 'api_key', id: row.id }, before: toApiKey(row) });
  return row;
}

/** What a stored key may do now: its scopes, cut down to its owner's current role. */
function scopeOf(row: AdminApiKeyRow, owner: AdminUserRow): ApiScope {
  const byRole = permissionsOfRole(owner.role);
  if (row.kind === 'personal') return { tenants: null, products: null, permissions: byRole };
  const s = JSON.parse(row.scopes ?? '{"permissions":[]}') as StoredScopes;
  return { tenants: s.tenants ?? null, products: s.products ?? null, permissions: s.permissions.filter((p) => byRole.includes(p)) };
}

/** The ApiKeyResolver for `gh_` keys: unknown, revoked or expired keys and keys of deleted accounts do not resolve. */
export function adminApiKeyResolver(ctx: AppContext) {
  return async (presented: string): Promise<Caller | null> => {
    if (!presented.startsWith(KEY_PREFIX)) return null;
    const row = await adminApiKeysRepo.findByHash(ctx.db, tokenHash(presented));
    const now = ctx.now();
    if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return null;
    const owner = await adminUsersRepo.findById(ctx.db, row.owner_id);
    if (!owner) return null;
    await adminApiKeysRepo.touch(ctx.db, row.id, now);
    return { type: 'api_key', id: row.id, label: `API key "${row.name}" (${row.kind}, ${owner.email})`, scope: scopeOf(row, owner) };
  };
}
