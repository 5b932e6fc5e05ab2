/**
 * Local sign-in as a pipeline: readCredentials → checkNotThrottled → checkPassword → checkSsoRequired →
 * checkTotp. Every wrong password or code counts towards the account's throttle (sign-in-throttle.ts).
 * And the account's own TOTP and password management, which confirm it is the account's holder (the current
 * password, or a recent SSO sign-in for accounts without one). TOTP secrets are sealed with the secret box.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { adminUsersRepo, type AdminUserRow } from '../storage/repositories/admin-accounts.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp.ts';
import { getPortalSso } from './portal-sso-settings.ts';
import { currentBranding } from './branding.ts';
import { checkNotThrottled, clearSignInFailures, recordSignInFailure, type ThrottlePath } from './sign-in-throttle.ts';
import type { AdminSession } from './sessions.ts';

/** How recent an SSO sign-in must be to stand in for the password of an account that has none. */
const RECENT_SSO_MS = 10 * 60_000;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function readCredentials(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  const email = str(b.email)?.trim().toLowerCase();
  const password = str(b.password);
  if (!email) throw new GatehouseError('API_VALIDATION', '"email" is required.', { field: 'email' });
  if (!password) throw new GatehouseError('API_VALIDATION', '"password" is required.', { field: 'password' });
  return { email, password, totp: str(b.totp) };
}

async function checkPassword(ctx: AppContext, email: string, password: string, ip: string | null): Promise<AdminUserRow> {
  const user = await adminUsersRepo.findByEmail(ctx.db, email);
  // verifyPassword runs scrypt even without an account, so timing does not tell which emails exist.
  if (!(await verifyPassword(password, user?.password_hash ?? null)) || !user) {
    await recordSignInFailure(ctx, { email, user, ip, method: 'password', reason: 'ADMIN_BAD_CREDENTIALS', guess: true });
    throw new GatehouseError('ADMIN_BAD_CREDENTIALS');
  }
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

/** Like consumeTotp, and a wrong code counts as a guess against the account. */
export async function consumeTotpGuess(ctx: AppContext, user: AdminUserRow, code: unknown, o: { ip: string | null; field?: string; status?: number; path?: ThrottlePath }): Promise<void> {
  try {
    await consumeTotp(ctx, user, ctx.secrets.decrypt(user.totp_secret_enc!), code);
  } catch (err) {
    if (err instanceof GatehouseError && err.code === 'ADMIN_TOTP_INVALID') {
      await recordSignInFailure(ctx, { email: user.email, user, ip: o.ip, method: 'totp', reason: err.code, guess: true, path: o.path });
      throw new GatehouseError('ADMIN_TOTP_INVALID', undefined, { field: o.field ?? 'totp', status: o.status ?? 401 });
    }
    throw err;
  }
}

async function checkTotp(ctx: AppContext, user: AdminUserRow, code: string | undefined, ip: string | null): Promise<void> {
  if (user.totp_enabled !== 1 || !user.totp_secret_enc) return;
  if (!code) throw new GatehouseError('ADMIN_TOTP_REQUIRED', undefined, { field: 'totp' });
  await consumeTotpGuess(ctx, user, code, { ip });
}

export async function passwordLogin(ctx: AppContext, body: unknown, ip: string | null = null): Promise<AdminUserRow> {
  const c = readCredentials(body);
  await checkNotThrottled(ctx, c.email);
  const user = await checkPassword(ctx, c.email, c.password, ip);
  await checkSsoRequired(ctx, user);
  await checkTotp(ctx, user, c.totp, ip);
  await clearSignInFailures(ctx, c.email);
  return user;
}

/**
 * Confirms the holder before a change to how the account signs in: the current password (a throttled guess
 * when wrong), or, for an account without one, an SSO sign-in less than RECENT_SSO_MS old.
 */
export async function confirmHolder(ctx: AppContext, s: Pick<AdminSession, 'user' | 'session'>, password: unknown, field: string, ip: string | null): Promise<void> {
  const user = s.user;
  if (user.password_hash === null) {
    if (s.session.method === 'sso' && ctx.now() - s.session.created_at <= RECENT_SSO_MS) return;
    throw new GatehouseError('ADMIN_REAUTH_REQUIRED', undefined, { field, action: { href: '/api/admin/sso/start', label: 'Sign in again with SSO' } });
  }
  if (typeof password !== 'string' || password === '') throw new GatehouseError('API_VALIDATION', `"${field}" is required: enter your current password.`, { field });
  await checkNotThrottled(ctx, user.email);
  if (!(await verifyPassword(password, user.password_hash))) {
    await recordSignInFailure(ctx, { email: user.email, user, ip, method: 'password', reason: 'ADMIN_BAD_CREDENTIALS', guess: true });
    throw new GatehouseError('API_VALIDATION', `"${field}" is not your current password.`, { field });
  }
}

/** Starts (or restarts) TOTP enrolment after confirming the holder: a new secret, sealed, not yet required at sign-in. */
export async function setupTotp(ctx: AppContext, s: Pick<AdminSession, 'user' | 'session'>, body: unknown, ip: string | null) {
  const user = s.user;
  if (user.totp_enabled === 1) throw new GatehouseError('API_CONFLICT', 'TOTP is already on; turn it off first to enrol a new authenticator.');
  await confirmHolder(ctx, s, (body as { password?: unknown } | null)?.password, 'password', ip);
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

/** Turns TOTP off: the holder confirms (password or recent SSO) and gives a current code. */
export async function disableTotp(ctx: AppContext, s: Pick<AdminSession, 'user' | 'session'>, body: unknown, ip: string | null): Promise<void> {
  const user = s.user;
  const b = (body ?? {}) as { password?: unknown; code?: unknown };
  if (user.totp_enabled !== 1 || !user.totp_secret_enc) throw new GatehouseError('API_CONFLICT', 'TOTP is not on.');
  await confirmHolder(ctx, s, b.password, 'password', ip);
  await checkNotThrottled(ctx, user.email);
  await consumeTotpGuess(ctx, user, b.code, { ip, field: 'code', status: 400 });
  await adminUsersRepo.update(ctx.db, user.id, { totp_enabled: 0, totp_secret_enc: null, totp_last_step: null, updated_at: ctx.now() });
}

/** Sets the account's password; `current` is required when one is already set. An SSO-only account gains a password. */
export async function changePassword(ctx: AppContext, s: Pick<AdminSession, 'user' | 'session'>, body: unknown, ip: string | null): Promise<void> {
  const user = s.user;
  const b = (body ?? {}) as Record<string, unknown>;
  const password = checkPasswordPolicy(b.password);
  if (user.password_hash !== null) {
    if (typeof b.current !== 'string' || b.current === '') throw new GatehouseError('API_VALIDATION', '"current" is not your current password.', { field: 'current' });
    await confirmHolder(ctx, s, b.current, 'current', ip);
  }
  await adminUsersRepo.update(ctx.db, user.id, { password_hash: await hashPassword(password), updated_at: ctx.now() });
}
