/** Route table of the operator surface: health, readiness and static assets. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { pingDatabase } from '../../storage/dialect.ts';
import { GATEHOUSE_CSS } from '../pages.ts';
import { AUTOSUBMIT_JS } from '../../sso/saml/authn-request.ts';

export function opsRoutes(ctx: AppContext, state: { ready: boolean }) {
  return async (app: FastifyInstance) => {
    // Probes may use HEAD (the app turns implicit HEAD routes off elsewhere).
    const probe = { exposeHeadRoute: true };
    app.get('/api/health', probe, async () => ({ status: 'ok' }));
    app.get('/api/ready', probe, async (_req, reply) => {
      if (!state.ready) return reply.code(503).send({ status: 'draining' });
      try {
        await pingDatabase(ctx.db);
        return { status: 'ready' };
      } catch {
        return reply.code(503).send({ status: 'database unavailable' });
      }
    });
    app.get('/assets/gatehouse.css', async (_req, reply) => reply.type('text/css').header('cache-control', 'public, max-age=3600').send(GATEHOUSE_CSS));
    app.get('/assets/autosubmit.js', async (_req, reply) => reply.type('application/javascript').header('cache-control', 'public, max-age=3600').send(AUTOSUBMIT_JS));
  };
}
