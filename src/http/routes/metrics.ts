/** Route table of the metrics surface: `GET /metrics` in the Prometheus text format (bearer-protected when METRICS_TOKEN is set). */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { constantTimeEqual } from '../../crypto/secrets.ts';
import type { Metrics } from '../../observability/metrics.ts';

export function metricsRoutes(ctx: AppContext, metrics: Metrics) {
  return async (app: FastifyInstance) => {
    app.get('/metrics', async (req, reply) => {
      const token = ctx.config.METRICS_TOKEN;
      if (token) {
        const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
        if (!m || !constantTimeEqual(m[1]!, token)) return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send('unauthorized\n');
      }
      return reply.header('cache-control', 'no-store').type(metrics.contentType).send(await metrics.render());
    });
  };
}
