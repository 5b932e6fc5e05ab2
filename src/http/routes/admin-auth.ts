/** Route table of the admin API's sign-in and own-account endpoints (`/api/admin`): session, login, portal SSO, me. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { recordAudit } from '../../admin/audit.ts';
import { toApiAdmin } from '../../admin/accounts.ts';
import { changePassword, disableTotp, enableTotp, passwordLogin, setupTotp } from '../../admin/login.ts';
import { createSession, endSession, SESSION_COOKIE, sessionCookieOptions, type AdminSession } from '../../admin/sessions.ts';
import { finishPortalSso, SSO_COOKIE, startPortalSso } from '../../admin/portal-sso.ts';
import { portalSsoView } from '../../admin/portal-sso-settings.ts';
import type { AdminUserRow } from '../../storage/repositories/admin-accounts.ts';
import { adminOf } from '../admin-session.ts';

const sessionView = (s: Pick<AdminSession, 'user' | 'csrfToken' | 'session'>) => ({ user: { ...toApiAdmin(s.user), sessionMethod: s.session.method }, csrfToken: s.csrfToken });

export function adminAuthRoutes(ctx: AppContext, sensitiveRateLimit: object) {
  return async (app: FastifyInstance) => {
    const rateLimit = { ...sensitiveRateLimit, errorResponseBuilder: (_req: unknown, c: { after: string }) => new GatehouseError('ADMIN_RATE_LIMITED', `Try again in ${c.after}.`) };
    const pub = { config: { admin: 'public' as const, rateLimit } };
    const self = { config: { admin: 'self' as const } };
    const body = (req: FastifyRequest) => req.body ?? {};
    const signIn = async (req: FastifyRequest, reply: FastifyReply, user: AdminUserRow, method: 'password' | 'sso') => {
      const s = await createSession(ctx, user, method, req.ip);
      reply.setCookie(SESSION_COOKIE, s.token, sessionCookieOptions(ctx));
      await recordAudit(ctx, { actor: { type: 'admin', id: user.id, label: user.email }, action: 'admin.session.created', target: { type: 'admin', id: user.id }, ip: req.ip, after: { method } });
      return s;
    };

    app.get('/api/admin/session', { config: { admin: 'public' } }, async (req) => {
      if (!req.admin) throw new GatehouseError('ADMIN_UNAUTHENTICATED');
      return sessionView(req.admin);
    });
    app.post('/api/admin/login', pub, async (req, reply) => {
      const user = await passwordLogin(ctx, body(req));
      return sessionView(await signIn(req, reply, user, 'password'));
    });
    app.post('/api/admin/logout', self, async (req, reply) => {
      await endSession(ctx, req.admin!.token);
      reply.clearCookie(SESSION_COOKIE, { path: sessionCookieOptions(ctx).path });
      return reply.code(204).send();
    });

    app.get('/api/admin/sso/status', { config: { admin: 'public' } }, async () => {
      const v = await portalSsoView(ctx);
      return { enabled: v.connectionCount > 0, required: v.required };
    });
    app.get('/api/admin/sso/start', pub, async (_req, reply) => {
      const { url, cookie } = await startPortalSso(ctx);
      reply.setCookie(SSO_COOKIE, cookie, { ...sessionCookieOptions(ctx), path: '/api/admin/sso', maxAge: 600 });
      return reply.redirect(url, 302);
    });
    app.get('/api/admin/sso/callback', pub, async (req, reply) => {
      reply.clearCookie(SSO_COOKIE, { path: '/api/admin/sso' });
      try {
        const user = await finishPortalSso(ctx, req.query as Record<string, string | undefined>, req.cookies?.[SSO_COOKIE]);
        await signIn(req, reply, user, 'sso');
        return reply.redirect('/admin/', 302);
      } catch (err) {
        if (!(err instanceof GatehouseError)) throw err;
        req.log.info({ event: 'admin_sso_failed', code: err.code, detail: err.detail }, 'portal SSO sign-in refused');
        return reply.redirect(`/admin/login?${new URLSearchParams({ error: err.code, error_description: err.detail ?? err.message })}`, 302);
      }
    });

    const me = (req: FastifyRequest) => adminOf(req);
    const audited = (req: FastifyRequest, action: string) =>
      recordAudit(ctx, { actor: req.actor!, action, target: { type: 'admin', id: me(req).id }, ip: req.ip });
    app.post('/api/admin/me/totp/setup', self, async (req) => {
      const out = await setupTotp(ctx, me(req));
      await audited(req, 'admin.totp.setup');
      return out;
    });
    app.post('/api/admin/me/totp/enable', self, async (req, reply) => {
      await enableTotp(ctx, me(req), (body(req) as { code?: unknown }).code);
      await audited(req, 'admin.totp.enabled');
      return reply.code(204).send();
    });
    app.post('/api/admin/me/totp/disable', self, async (req, reply) => {
      await disableTotp(ctx, me(req), (body(req) as { code?: unknown }).code);
      await audited(req, 'admin.totp.disabled');
      return reply.code(204).send();
    });
    app.post('/api/admin/me/password', self, async (req, reply) => {
      await changePassword(ctx, me(req), body(req));
      await audited(req, 'admin.password.changed');
      return reply.code(204).send();
    });
  };
}
