/**
 * Per-account throttling of password and TOTP guesses, whatever the IP, shared by every instance through the
 * database; and the audit of failed sign-ins, aggregated per account. Policy (docs/decisions/0203):
 * - the first THRESHOLD failures of a streak cost nothing; then each failure makes the next guess wait
 *   1 s, 2 s, 4 s… up to MAX_WAIT_MS; a guess during the wait is refused (429) unchecked and uncounted;
 * - a streak ends at a successful sign-in or after STREAK_MS without a failure;
 * - unknown emails are throttled the same way (so a 429 does not tell which emails have accounts) but are
 *   not audited (there is no account to aggregate under, and distinct guesses would flood the log);
 * - one `admin.sign_in.failed` event per account (and path) per AUDIT_WINDOW_MS counts the window's failures in
 *   place, plus one `admin.sign_in.throttled` when a streak reaches the threshold.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { tokenHash } from '../crypto/secrets.ts';
import { signInFailuresRepo, type SignInFailureRow } from '../storage/repositories/admin-trust.ts';
import { adminAuditRepo } from '../storage/repositories/admin-audit.ts';
import type { AdminUserRow } from '../storage/repositories/admin-accounts.ts';
import { auditRow, recordAudit } from '../policy/audit.ts';

const THRESHOLD = 5;
const BASE_WAIT_MS = 1000;
const MAX_WAIT_MS = 15 * 60_000;
const STREAK_MS = 60 * 60_000;
const AUDIT_WINDOW_MS = 60 * 60_000;
/** Rows untouched for this long are swept. */
export const FAILURE_ROW_TTL_MS = 24 * 3_600_000;

/** A 429 that says when to come back (the admin API's error handler sends it as Retry-After). */
export class ThrottledError extends GatehouseError {
  constructor(readonly retryAfterSeconds: number) {
    super('ADMIN_ACCOUNT_THROTTLED', `Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`);
  }
}

/**
 * Guesses are counted per email and per path: `password` (sign-in with a password, and the current-password
 * checks) and `sso` (the TOTP step after SSO). Someone guessing an owner's password can therefore make the owner
 * wait at the password form, never at the code step after their IdP.
 */
export type ThrottlePath = 'password' | 'sso';
const keyOf = (email: string, path: ThrottlePath = 'password') => tokenHash(`admin-sign-in\u0000${path}\u0000${email.trim().toLowerCase()}`);

/** The wait after the `failures`-th failure of a streak (pure). */
const waitAfter = (failures: number): number => (failures < THRESHOLD ? 0 : Math.min(MAX_WAIT_MS, BASE_WAIT_MS * 2 ** Math.min(failures - THRESHOLD, 30)));

/** Refuses with 429 while the email's wait runs. Call before checking a password or a code. */
export async function checkNotThrottled(ctx: AppContext, email: string, path: ThrottlePath = 'password'): Promise<void> {
  const row = await signInFailuresRepo.find(ctx.db, keyOf(email, path));
  const now = ctx.now();
  if (row && row.blocked_until > now) throw new ThrottledError(Math.max(1, Math.ceil((row.blocked_until - now) / 1000)));
}

export interface SignInFailure {
  email: string;
  user: AdminUserRow | undefined;
  ip: string | null;
  method: 'password' | 'totp' | 'sso';
  /** An error code: what was wrong. */
  reason: string;
  /** A guess (wrong password or code) counts towards throttling; an SSO refusal is only audited. */
  guess: boolean;
  path?: ThrottlePath;
}

export async function recordSignInFailure(ctx: AppContext, f: SignInFailure): Promise<void> {
  const key = keyOf(f.email, f.path);
  const now = ctx.now();
  const userId = f.user?.id ?? null;
  const row = f.guess ? await signInFailuresRepo.countFailure(ctx.db, key, userId, now, now - STREAK_MS) : await signInFailuresRepo.ensure(ctx.db, key, userId, now);
  if (f.guess) {
    const wait = waitAfter(row.failures);
    if (wait > 0) await signInFailuresRepo.block(ctx.db, key, now + wait);
    if (row.failures === THRESHOLD && f.user) {
      await recordAudit(ctx, { actor: SIGN_IN, action: 'admin.sign_in.throttled', target: { type: 'admin', id: f.user.id }, ip: f.ip, after: { failures: row.failures, waitSeconds: wait / 1000 } });
    }
  }
  if (f.user) await auditFailure(ctx, key, row, { ...f, user: f.user });
}

/** A successful sign-in ends the streak. */
export const clearSignInFailures = (ctx: AppContext, email: string, path: ThrottlePath = 'password') => signInFailuresRepo.reset(ctx.db, keyOf(email, path));

const SIGN_IN = { type: 'system' as const, id: 'system' as const, label: 'Portal sign-in' };

const summaryOf = (count: number, since: number, now: number, f: SignInFailure) =>
  JSON.stringify({ after: { failures: count, since: new Date(since).toISOString(), last: new Date(now).toISOString(), lastMethod: f.method, lastReason: f.reason, lastIp: f.ip } });

/** One event per account per window: the first failure inserts it, later ones rewrite its count. */
async function auditFailure(ctx: AppContext, key: string, row: SignInFailureRow, f: SignInFailure & { user: AdminUserRow }): Promise<void> {
  const now = ctx.now();
  if (row.audit_id !== null && row.audit_at !== null && now - row.audit_at < AUDIT_WINDOW_MS) {
    const count = await signInFailuresRepo.countInAuditWindow(ctx.db, key);
    await adminAuditRepo.updateSummary(ctx.db, row.audit_id, summaryOf(count, row.audit_at, now, f));
    return;
  }
  const event = auditRow({ actor: SIGN_IN, action: 'admin.sign_in.failed', target: { type: 'admin', id: f.user.id }, ip: f.ip }, now);
  if (await signInFailuresRepo.claimAuditWindow(ctx.db, key, row.audit_id, event.id, now)) {
    await adminAuditRepo.insert(ctx.db, { ...event, summary: summaryOf(1, now, now, f) });
    return;
  }
  // Another instance opened the window at the same moment: count into its event.
  const fresh = (await signInFailuresRepo.find(ctx.db, key))!;
  const count = await signInFailuresRepo.countInAuditWindow(ctx.db, key);
  if (fresh.audit_id && fresh.audit_at !== null) await adminAuditRepo.updateSummary(ctx.db, fresh.audit_id, summaryOf(count, fresh.audit_at, now, f));
}
