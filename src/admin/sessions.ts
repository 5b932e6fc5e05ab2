/**
 * Server-side admin sessions. The cookie holds a random token; the database keeps only its hash. A session
 * ends after ADMIN_SESSION_IDLE_MINUTES without a request or ADMIN_SESSION_ABSOLUTE_HOURS after sign-in.
 * The CSRF token is derived from the session token, so it is bound to the session and needs no storage.
 */
import { createHmac } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { randomToken, tokenHash } from '../crypto/secrets.ts';
import { adminSessionsRepo, adminUsersRepo, type AdminSessionRow, type AdminUserRow } from '../storage/repositories/admin-accounts.ts';

export const SESSION_COOKIE = 'gh_admin';
/** How often last_seen_at is written (idle timeouts are accurate to this). */
const TOUCH_EVERY_MS = 30_000;

export const idleMs = (ctx: Pick<AppContext, 'config'>) => ctx.config.ADMIN_SESSION_IDLE_MINUTES * 60_000;
const absoluteMs = (ctx: Pick<AppContext, 'config'>) => ctx.config.ADMIN_SESSION_ABSOLUTE_HOURS * 3_600_000;

export const csrfTokenOf = (sessionToken: string) => createHmac('sha256', sessionToken).update('gatehouse-admin-csrf').digest('base64url');

export interface AdminSession {
  token: string;
  session: AdminSessionRow;
  user: AdminUserRow;
  csrfToken: string;
}

export async function createSession(ctx: AppContext, user: AdminUserRow, method: 'password' | 'sso', ip: string | null): Promise<AdminSession> {
  const token = randomToken(32);
  const now = ctx.now();
  const session: AdminSessionRow = { id_hash: tokenHash(token), user_id: user.id, method, created_at: now, last_seen_at: now, expires_at: now + absoluteMs(ctx), ip };
  await adminSessionsRepo.insert(ctx.db, session);
  await adminUsersRepo.update(ctx.db, user.id, { last_login_at: now });
  return { token, session, user, csrfToken: csrfTokenOf(token) };
}

/** The live session behind a cookie value, or null (expired sessions are deleted on sight). */
export async function resolveSession(ctx: AppContext, token: string | undefined): Promise<AdminSession | null> {
  if (!token || token.length > 100) return null;
  const hash = tokenHash(token);
  const session = await adminSessionsRepo.findByHash(ctx.db, hash);
  if (!session) return null;
  const now = ctx.now();
  if (session.expires_at <= now || session.last_seen_at + idleMs(ctx) <= now) {
    await adminSessionsRepo.delete(ctx.db, hash);
    return null;
  }
  const user = await adminUsersRepo.findById(ctx.db, session.user_id);
  if (!user) return null;
  if (now - session.last_seen_at >= TOUCH_EVERY_MS) await adminSessionsRepo.touch(ctx.db, hash, now);
  return { token, session, user, csrfToken: csrfTokenOf(token) };
}

export const endSession = (ctx: AppContext, token: string) => adminSessionsRepo.delete(ctx.db, tokenHash(token));

/** After a password or TOTP change: every other session of the account ends (this one stays). */
export const endOtherSessions = (ctx: AppContext, s: Pick<AdminSession, 'user' | 'session'>) => adminSessionsRepo.deleteOthersOfUser(ctx.db, s.user.id, s.session.id_hash);

/** Cookie attributes: HttpOnly, SameSite=Lax, Secure when EXTERNAL_URL is https, scoped to the admin API. */
export const sessionCookieOptions = (ctx: Pick<AppContext, 'config'>) => ({
  path: '/api/admin', httpOnly: true, sameSite: 'lax' as const, secure: ctx.config.EXTERNAL_URL.startsWith('https:'), maxAge: ctx.config.ADMIN_SESSION_ABSOLUTE_HOURS * 3600,
});
