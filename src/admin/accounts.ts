/**
 * Admin accounts: local (email + scrypt password, optional TOTP) or SSO-only (no password). The lockout
 * guard keeps at least one owner who can sign in without SSO: that owner can be neither removed nor demoted.
 */
import * as z from 'zod';
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../storage/schema.ts';
import { GatehouseError } from '../errors.ts';
import { randomToken } from '../crypto/secrets.ts';
import { adminUsersRepo, type AdminUserRow } from '../storage/repositories/admin-accounts.ts';
import { parseInput } from '../input/parse-input.ts';
import { checkPasswordPolicy, hashPassword } from './passwords.ts';
import { ROLES, type AdminRole } from '../policy/roles.ts';
import { requireAdminRole, type Caller } from '../policy/caller.ts';
import { auditChange } from '../policy/audit.ts';
import { pageLimit, pageOf, decodeCursor, isString } from './paging.ts';

export const toApiAdmin = (r: AdminUserRow) => ({
  id: r.id, email: r.email, name: r.name, role: r.role, roleSource: r.role_source, totpEnabled: r.totp_enabled === 1,
  hasPassword: r.password_hash !== null, sso: r.password_hash === null, ssoLinked: r.sso_linked === 1,
  createdAt: new Date(r.created_at).toISOString(), lastLoginAt: r.last_login_at ? new Date(r.last_login_at).toISOString() : null,
});
export type ApiAdmin = ReturnType<typeof toApiAdmin>;

const email = z.string().trim().toLowerCase().max(191).regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');
const role = z.enum(ROLES as [AdminRole, ...AdminRole[]]);
export const CreateAdminInput = z.object({ email, name: z.string().max(256).optional(), role, password: z.string().optional() });
/** `ssoLinked`: whether portal SSO may sign in to this account (owners decide; an account with a password starts unlinked). */
export const UpdateAdminInput = z.object({ role: role.optional(), name: z.string().max(256).optional(), ssoLinked: z.boolean().optional() });

const LOCKOUT = 'ADMIN_LOCKOUT_GUARD' as const;

/**
 * Runs `change` in a transaction after locking the owners who can sign in without SSO; `change` returns the
 * ids that will remain such owners, and the guard refuses (409) when none would be left.
 */
async function guarded<T>(ctx: AppContext, change: (tx: Kysely<Database>, localOwners: string[]) => Promise<{ remaining: string[]; result: T; why: string }>): Promise<T> {
  return ctx.db.transaction().execute(async (tx) => {
    const owners = await adminUsersRepo.lockLocalOwners(tx, ctx.dialect);
    const { remaining, result, why } = await change(tx, owners);
    if (owners.length > 0 && remaining.length === 0) throw new GatehouseError(LOCKOUT, why);
    return result;
  });
}

/** Owners (and the system: CLI, bootstrap) create accounts; audited. */
export async function createAdmin(ctx: AppContext, caller: Caller, body: unknown): Promise<AdminUserRow> {
  requireAdminRole(caller, 'owner', 'manage admin accounts');
  const input = parseInput(CreateAdminInput, body);
  const passwordHash = input.password === undefined || input.password === '' ? null : await hashPassword(checkPasswordPolicy(input.password));
  const now = ctx.now();
  const row: AdminUserRow = {
    id: `adm_${randomToken(12)}`, email: input.email, name: input.name ?? '', role: input.role, role_source: 'manual', password_hash: passwordHash,
    totp_secret_enc: null, totp_enabled: 0, totp_last_step: null, created_at: now, updated_at: now, last_login_at: null,
    // An account created without a password is meant for SSO; one with a password waits for an owner to link it.
    sso_linked: passwordHash === null ? 1 : 0,
  };
  if (!(await adminUsersRepo.insert(ctx.db, row))) throw new GatehouseError('API_CONFLICT', `An account with email "${input.email}" already exists.`, { field: 'email' });
  await auditChange(ctx, caller, { action: 'admin.account.created', target: { type: 'admin', id: row.id }, after: toApiAdmin(row) });
  return row;
}

export async function getAdmin(ctx: AppContext, id: string): Promise<AdminUserRow> {
  const row = await adminUsersRepo.findById(ctx.db, id);
  if (!row) throw new GatehouseError('API_NOT_FOUND', `No admin account "${id}".`, { field: 'id' });
  return row;
}

export async function listAdmins(ctx: AppContext, q: { limit?: string; cursor?: string }) {
  const limit = pageLimit(q.limit);
  const rows = await adminUsersRepo.list(ctx.db, limit + 1, decodeCursor(q.cursor, isString));
  return pageOf(rows, limit, toApiAdmin, (r) => r.email);
}

/** Owners change an account's role, name or SSO link; audited (linking to SSO as an event of its own). */
export async function updateAdmin(ctx: AppContext, caller: Caller, id: string, body: unknown): Promise<AdminUserRow> {
  requireAdminRole(caller, 'owner', 'manage admin accounts');
  const input = parseInput(UpdateAdminInput, body);
  const { before, after } = await guarded(ctx, async (tx, owners) => {
    const before = await adminUsersRepo.findById(tx, id);
    if (!before) throw new GatehouseError('API_NOT_FOUND', `No admin account "${id}".`, { field: 'id' });
    const patch = {
      role: input.role ?? before.role, role_source: input.role ? ('manual' as const) : before.role_source, name: input.name ?? before.name,
      sso_linked: input.ssoLinked === undefined ? before.sso_linked : input.ssoLinked ? 1 : 0, updated_at: ctx.now(),
    };
    await adminUsersRepo.update(tx, id, patch);
    const remaining = patch.role === 'owner' ? owners : owners.filter((o) => o !== id);
    return { remaining, result: { before, after: { ...before, ...patch } }, why: `${before.email} is the last owner who can sign in without SSO (with a password), so they cannot be demoted. Give another owner a password first, or make another local account an owner.` };
  });
  await auditChange(ctx, caller, { action: 'admin.account.updated', target: { type: 'admin', id: after.id }, before: toApiAdmin(before), after: toApiAdmin(after) });
  if (before.sso_linked !== after.sso_linked) await auditChange(ctx, caller, { action: after.sso_linked === 1 ? 'admin.account.sso_linked' : 'admin.account.sso_unlinked', target: { type: 'admin', id: after.id }, after: { email: after.email } });
  return after;
}

/** Owners remove an account (never the last local owner); audited. */
export async function deleteAdmin(ctx: AppContext, caller: Caller, id: string): Promise<AdminUserRow> {
  requireAdminRole(caller, 'owner', 'manage admin accounts');
  const before = await guarded(ctx, async (tx, owners) => {
    const before = await adminUsersRepo.findById(tx, id);
    if (!before) throw new GatehouseError('API_NOT_FOUND', `No admin account "${id}".`, { field: 'id' });
    await adminUsersRepo.delete(tx, id, ctx.now());
    return { remaining: owners.filter((o) => o !== id), result: before, why: `${before.email} is the last owner who can sign in without SSO (with a password), so the account cannot be removed. Make another local account an owner first.` };
  });
  await auditChange(ctx, caller, { action: 'admin.account.deleted', target: { type: 'admin', id: before.id }, before: toApiAdmin(before) });
  return before;
}

/** Owners who can sign in without SSO (break-glass accounts). */
export async function localOwnerCount(ctx: AppContext): Promise<number> {
  return ctx.db.transaction().execute(async (tx) => (await adminUsersRepo.lockLocalOwners(tx, ctx.dialect)).length);
}

/**
 * Creates the bootstrap owner from ADMIN_EMAIL/ADMIN_PASSWORD when no account has that email. Safe on every
 * instance at once (the unique email decides); an existing account is never changed.
 */
export async function ensureBootstrapAdmin(ctx: AppContext): Promise<'created' | 'exists' | 'not-configured'> {
  const { ADMIN_EMAIL, ADMIN_PASSWORD } = ctx.config;
  if (!ADMIN_EMAIL || !ADMIN_PASSWORD) return 'not-configured';
  if (await adminUsersRepo.findByEmail(ctx.db, ADMIN_EMAIL)) return 'exists';
  try {
    await createAdmin(ctx, { type: 'system', id: 'system', label: 'Bootstrap (ADMIN_EMAIL)' }, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, role: 'owner' });
    return 'created';
  } catch (err) {
    if (err instanceof GatehouseError && err.code === 'API_CONFLICT') return 'exists';
    if (err instanceof GatehouseError) throw new GatehouseError(err.code, `ADMIN_EMAIL/ADMIN_PASSWORD: ${err.detail ?? err.message}`);
    throw err;
  }
}
