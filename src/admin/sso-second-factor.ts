/**
 * The second factor after portal SSO. An account with TOTP on is not signed in by its IdP alone: the callback
 * leaves a short-lived pending step (a cookie sealed with the secret box, so any instance can finish it) and
 * the portal asks for the code, as it does after a password. Pipeline: readPendingCookie → loadAccount →
 * checkNotThrottled → consumeTotpGuess. Its guesses are throttled apart from password guesses (path `sso`), so
 * someone guessing the password cannot make the owner wait here.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { adminUsersRepo, type AdminUserRow } from '../storage/repositories/admin-accounts.ts';
import { consumeTotpGuess } from './login.ts';
import { checkNotThrottled, clearSignInFailures } from './sign-in-throttle.ts';

export const SSO_TOTP_COOKIE = 'gh_admin_sso_2fa';
const PENDING_TTL_MS = 5 * 60_000;

interface Pending {
  kind: 'sso-second-factor';
  userId: string;
  exp: number;
}

export const needsSecondFactor = (user: AdminUserRow) => user.totp_enabled === 1 && user.totp_secret_enc !== null;

/** The sealed cookie that remembers whose SSO sign-in waits for a code. */
export function startSecondFactor(ctx: AppContext, user: AdminUserRow): string {
  const pending: Pending = { kind: 'sso-second-factor', userId: user.id, exp: ctx.now() + PENDING_TTL_MS };
  return ctx.secrets.encrypt(JSON.stringify(pending));
}

function readPendingCookie(ctx: AppContext, sealed: string | undefined): Pending {
  const expired = new GatehouseError('ADMIN_UNAUTHENTICATED', 'The SSO sign-in waiting for a code has expired or was not started in this browser; sign in with SSO again.');
  if (!sealed) throw expired;
  let p: Pending;
  try {
    p = JSON.parse(ctx.secrets.decrypt(sealed)) as Pending;
  } catch {
    throw expired;
  }
  if (p.kind !== 'sso-second-factor' || typeof p.userId !== 'string' || !(p.exp > ctx.now())) throw expired;
  return p;
}

/** The account, once the code is right (a wrong code is a throttled guess against the account). */
export async function finishSecondFactor(ctx: AppContext, sealed: string | undefined, body: unknown, ip: string | null): Promise<AdminUserRow> {
  const pending = readPendingCookie(ctx, sealed);
  const user = await adminUsersRepo.findById(ctx.db, pending.userId);
  if (!user) throw new GatehouseError('ADMIN_UNAUTHENTICATED', 'The account no longer exists.');
  if (!needsSecondFactor(user)) return user;
  const code = (body as { totp?: unknown } | null)?.totp;
  if (typeof code !== 'string' || code.trim() === '') throw new GatehouseError('ADMIN_TOTP_REQUIRED', undefined, { field: 'totp' });
  await checkNotThrottled(ctx, user.email, 'sso');
  await consumeTotpGuess(ctx, user, code, { ip, path: 'sso' });
  await clearSignInFailures(ctx, user.email, 'sso');
  return user;
}
