/**
 * Local sign-in as a pipeline: readCredentials → checkPassword → checkSsoRequired → checkTotp. And the
 * account's own TOTP and password management. TOTP secrets are sealed with the secret box.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { adminUsersRepo, type AdminUserRow } from '../storage/repositories/admin-accounts.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp.ts';
import { getPortalSso } from './portal-sso-settings.ts';
import { currentBranding } from './branding.ts';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function readCredentials(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  const email = str(b.email)?.trim().toLowerCase();
  const password = str(b.password);
  if (!email) throw new GatehouseError('API_VALIDATION', '"email" is required.', { field: 'email' });
  if (!password) throw new GatehouseError('API_VALIDATION', '"password" is required.', { field: 'password' });
  return { email, password, totp: str(b.totp) };
}

async function checkPassword(ctx: AppContext, email: string, password: string): Promise<AdminUserRow> {
  const user = await adminUsersRepo.findByEmail(ctx.db, email);
  // verifyPassword runs scrypt even without an account, so timing does not tell which emails exist.
  if (!(await verifyPassword(password, user?.password_hash ?? null)) || !user) throw new GatehouseError('ADMIN_BAD_CREDENTIALS');
  return user;
}

/** With SSO required, only owners (the break-glass accounts) may still use a password. */
async function checkSsoRequired(ctx: AppContext, user: AdminUserRow): Promise<void> {
  if (user.role === 'owner') return;
  if ((await getPortalSso(ctx)).required) throw new GatehouseError('ADMIN_SSO_REQUIRED', 'Passwords are reserved for break-glass owners while SSO is required.');
}

/** Accepts a TOTP code once (the step is recorded atomically, so a code cannot be replayed, even on another instance). */
export async function consumeTotp(ctx: AppContext, user: AdminUserRow, secret: string, code: unknown): Promise<void> {
  const step = matchTotp(secret, code, ctx.now());
  if (step === null || !(await adminUsersRepo.useTotpStep(ctx.db, user.id, step))) throw new GatehouseError('ADMIN_TOTP_INVALID', undefined, { field: 'totp', status: 401 });
}

async function checkTotp(ctx: AppContext, user: AdminUserRow, code: string | undefined): Promise<void> {
  if (user.totp_enabled !== 1 || !user.totp_secret_enc) return;
  if (!code) throw new GatehouseError('ADMIN_TOTP_REQUIRED', undefined, { field: 'totp' });
  await consumeTotp(ctx, user, ctx.secrets.decrypt(user.totp_secret_enc), code);
}

export async function passwordLogin(ctx: AppContext, body: unknown): Promise<AdminUserRow> {
  const c = readCredentials(body);
  const user = await checkPassword(ctx, c.email, c.password);
  await checkSsoRequired(ctx, user);
  await checkTotp(ctx, user, c.totp);
  return user;
}

/** Starts (or restarts) TOTP enrolment: a new secret, sealed, not yet required at sign-in. */
export async function setupTotp(ctx: AppContext, user: AdminUserRow) {
  if (user.totp_enabled === 1) throw new GatehouseError('API_CONFLICT', 'TOTP is already on; turn it off first to enrol a new authenticator.');
  const secret = newTotpSecret();
  await adminUsersRepo.update(ctx.db, user.id, { totp_secret_enc: ctx.secrets.encrypt(secret), totp_last_step: null, updated_at: ctx.now() });
  return { secret, otpauthUrl: otpauthUrl(secret, user.email, (await currentBranding(ctx)).productName) };
}

export async function enableTotp(ctx: AppContext, user: AdminUserRow, code: unknown): Promise<void> {
  if (user.totp_enabled === 1) throw new GatehouseError('API_CONFLICT', 'TOTP is already on.');
  if (!user.totp_secret_enc) throw new GatehouseError('API_VALIDATION', 'Call POST /me/totp/setup first.', { field: 'code' });
  await consumeTotp(ctx, user, ctx.secrets.decrypt(user.totp_secret_enc), code).catch((err: unknown) => {
    throw err instanceof GatehouseError ? new GatehouseError('ADMIN_TOTP_INVALID', undefined, { field: 'code' }) : err;
  });
  await adminUsersRepo.update(ctx.db, user.id, { totp_enabled: 1, updated_at: ctx.now() });
}

export async function disableTotp(ctx: AppContext, user: AdminUserRow, code: unknown): Promise<void> {
  if (user.totp_enabled !== 1 || !user.totp_secret_enc) throw new GatehouseError('API_CONFLICT', 'TOTP is not on.');
  await consumeTotp(ctx, user, ctx.secrets.decrypt(user.totp_secret_enc), code).catch((err: unknown) => {
    throw err instanceof GatehouseError ? new GatehouseError('ADMIN_TOTP_INVALID', undefined, { field: 'code' }) : err;
  });
  await adminUsersRepo.update(ctx.db, user.id, { totp_enabled: 0, totp_secret_enc: null, totp_last_step: null, updated_at: ctx.now() });
}

/** Sets the account's password; `current` is required when one is already set. An SSO-only account gains a password. */
export async function changePassword(ctx: AppContext, user: AdminUserRow, body: unknown): Promise<void> {
  const b = (body ?? {}) as Record<string, unknown>;
  const password = checkPasswordPolicy(b.password);
  if (user.password_hash !== null) {
    if (typeof b.current !== 'string' || !(await verifyPassword(b.current, user.password_hash))) throw new GatehouseError('API_VALIDATION', '"current" is not your current password.', { field: 'current' });
  }
  await adminUsersRepo.update(ctx.db, user.id, { password_hash: await hashPassword(password), updated_at: ctx.now() });
}
