/**
 * The admin API's authentication hook: the `gh_admin` session cookie, the CSRF header on every state-changing
 * request, and the role floor (viewers change nothing). Routes opt out with `config: { admin: 'public' }`
 * (sign-in) or lower the floor to any signed-in account with `config: { admin: 'self' }` (own password, TOTP,
 * personal keys). Other surfaces under /api/admin (setup links) register the same hook.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { constantTimeEqual } from '../crypto/secrets.ts';
import { resolveSession, SESSION_COOKIE, type AdminSession } from '../admin/sessions.ts';
import { requireRole } from '../policy/roles.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in admin (set by adminSessionHook). */
    admin?: AdminSession;
  }
  interface FastifyContextConfig {
    /** 'public': no session needed; 'self': any role may call it (it changes only the caller's own account). */
    admin?: 'public' | 'self';
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function adminSessionHook(ctx: AppContext) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const session = await resolveSession(ctx, req.cookies?.[SESSION_COOKIE]);
    if (session) {
      req.admin = session;
      req.caller = { type: 'admin', id: session.user.id, label: session.user.email, role: session.user.role, ip: req.ip };
    }
    const mode = req.routeOptions.config?.admin;
    const unsafe = !SAFE.has(req.method);
    if (mode === 'public') {
      // A cross-site form cannot send JSON without a preflight: public writes (sign-in) accept JSON only.
      if (unsafe && !(req.headers['content-type'] ?? '').startsWith('application/json')) {
        throw new GatehouseError('API_VALIDATION', 'Send the body as application/json.', { status: 415 });
      }
      return;
    }
    if (!session) throw new GatehouseError('ADMIN_UNAUTHENTICATED');
    if (!unsafe) return;
    const header = req.headers['x-csrf-token'];
    if (typeof header !== 'string' || !constantTimeEqual(header, session.csrfToken)) throw new GatehouseError('ADMIN_CSRF');
    if (mode !== 'self') requireRole(session.user.role, 'admin');
  };
}

/** The signed-in account of a request that passed adminSessionHook. */
export const adminOf = (req: FastifyRequest) => req.admin!.user;
