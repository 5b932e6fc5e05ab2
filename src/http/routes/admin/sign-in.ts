/**
 * Admin API handlers of sign-in and the caller's own account: session, login, logout, portal SSO (with its
 * TOTP step), own TOTP and password. A password or TOTP change ends the account's other sessions.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { GatehouseError } from '../../../errors.ts';
import { auditChange, recordAudit } from '../../../policy/audit.ts';
import { toApiAdmin } from '../../../admin/accounts.ts';
import { changePassword, disableTotp, enableTotp, passwordLogin, setupTotp } from '../../../admin/login.ts';
import { createSession, endOtherSessions, endSession, SESSION_COOKIE, sessionCookieOptions, type AdminSession } from '../../../admin/sessions.ts';
import { finishSecondFactor, needsSecondFactor, SSO_TOTP_COOKIE, startSecondFactor } from '../../../admin/sso-second-factor.ts';
import { finishPortalSso, SSO_COOKIE, startPortalSso } from '../../../admin/portal-sso.ts';
import { portalSsoView } from '../../../admin/portal-sso-settings.ts';
import type { AdminUserRow } from '../../../storage/repositories/admin-accounts.ts';
import { adminOf } from '../../admin-session.ts';
import { callerOf } from '../../caller.ts';
import { body, type Handler } from '../../route-table.ts';

const sessionView = (s: Pick<AdminSession, 'user' | 'csrfToken' | 'session'>) => ({ user: { ...toApiAdmin(s.user), sessionMethod: s.session.method }, csrfToken: s.csrfToken });

export function adminSignInHandlers(ctx: AppContext) {
  const h = (f: Handler) => f;
  const signIn = async (req: FastifyRequest, reply: FastifyReply, user: AdminUserRow, method: 'password' | 'sso') => {
    const s = await createSession(ctx, user, method, req.ip);
    reply.setCookie(SESSION_COOKIE, s.token, sessionCookieOptions(ctx));
    await recordAudit(ctx, { actor: { type: 'admin', id: user.id, label: user.email }, action: 'admin.session.created', target: { type: 'admin', id: user.id }, ip: req.ip, after: { method } });
    return s;
  };
  const me = (req: FastifyRequest) => adminOf(req);
  const audited = (req: FastifyRequest, action: string, after?: unknown) => auditChange(ctx, callerOf(req), { action, target: { type: 'admin', id: me(req).id }, after });
  /** The account's other sessions end (after a password or TOTP change), audited with how many. */
  const endOthers = async (req: FastifyRequest) => {
    const ended = await endOtherSessions(ctx, req.admin!);
    if (ended > 0) await audited(req, 'admin.session.others_ended', { sessions: ended });
  };
  return {
    session: h(async (req) => {
      if (!req.admin) throw new GatehouseError('ADMIN_UNAUTHENTICATED');
      return sessionView(req.admin);
    }),
    login: h(async (req, reply) => sessionView(await signIn(req, reply, await passwordLogin(ctx, body(req), req.ip), 'password'))),
    logout: h(async (req, reply) => {
      await endSession(ctx, req.admin!.token);
      reply.clearCookie(SESSION_COOKIE, { path: sessionCookieOptions(ctx).path });
      return reply.code(204).send();
    }),
    ssoStatus: h(async () => {
      const v = await portalSsoView(ctx);
      return { enabled: v.connectionCount > 0, required: v.required };
    }),
    ssoStart: h(async (req, reply) => {
      const { url, cookie } = await startPortalSso(ctx, (req.query as { connection?: string }).connection);
      reply.setCookie(SSO_COOKIE, cookie, { ...sessionCookieOptions(ctx), path: '/api/admin/sso', maxAge: 600 });
      return reply.redirect(url, 302);
    }),
    ssoCallback: h(async (req, reply) => {
      reply.clearCookie(SSO_COOKIE, { path: '/api/admin/sso' });
      try {
        const user = await finishPortalSso(ctx, req.query as Record<string, string | undefined>, req.cookies?.[SSO_COOKIE], req.ip);
        if (needsSecondFactor(user)) {
          reply.setCookie(SSO_TOTP_COOKIE, startSecondFactor(ctx, user), { ...sessionCookieOptions(ctx), path: '/api/admin/sso', maxAge: 300 });
          return reply.redirect('/admin/login?step=sso-totp', 302);
        }
        await signIn(req, reply, user, 'sso');
        return reply.redirect('/admin/', 302);
      } catch (err) {
        if (!(err instanceof GatehouseError)) throw err;
        req.log.info({ event: 'admin_sso_failed', code: err.code, detail: err.detail }, 'portal SSO sign-in refused');
        return reply.redirect(`/admin/login?${new URLSearchParams({ error: err.code, error_description: err.detail ?? err.message })}`, 302);
      }
    }),
    ssoTotp: h(async (req, reply) => {
      const user = await finishSecondFactor(ctx, req.cookies?.[SSO_TOTP_COOKIE], body(req), req.ip);
      reply.clearCookie(SSO_TOTP_COOKIE, { path: '/api/admin/sso' });
      return sessionView(await signIn(req, reply, user, 'sso'));
    }),
    totpSetup: h(async (req) => {
      const out = await setupTotp(ctx, req.admin!, body(req), req.ip);
      await audited(req, 'admin.totp.setup');
      return out;
    }),
    totpEnable: h(async (req, reply) => {
      await enableTotp(ctx, me(req), body(req).code);
      await audited(req, 'admin.totp.enabled');
      await endOthers(req);
      return reply.code(204).send();
    }),
    totpDisable: h(async (req, reply) => {
      await disableTotp(ctx, req.admin!, body(req), req.ip);
      await audited(req, 'admin.totp.disabled');
      await endOthers(req);
      return reply.code(204).send();
    }),
    password: h(async (req, reply) => {
      await changePassword(ctx, req.admin!, body(req), req.ip);
      await audited(req, 'admin.password.changed');
      await endOthers(req);
      return reply.code(204).send();
    }),
  };
}
