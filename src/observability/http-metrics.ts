/**
 * Per-request measurements, taken in one onResponse hook: rate and latency per route template, and
 * SCIM operations by resource and operation (read from the route, so the SCIM handlers stay as they are).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from './metrics.ts';

const SCIM_ROUTE = '/api/scim/v2.0/:directoryId/*';
const SCIM_RESOURCES = new Set(['users', 'groups']);

/** users|groups|discovery, and create|list|get|replace|patch|delete for one SCIM request. */
export function scimOperationOf(req: FastifyRequest): { resource: string; operation: string } {
  const segs = String((req.params as Record<string, string> | undefined)?.['*'] ?? '').split('/').filter(Boolean);
  const first = segs[0]?.toLowerCase() ?? '';
  const resource = SCIM_RESOURCES.has(first) ? first : 'discovery';
  const withId = segs.length > 1;
  const operation = ({ POST: 'create', PUT: 'replace', PATCH: 'patch', DELETE: 'delete', GET: withId ? 'get' : 'list' } as Record<string, string>)[req.method] ?? req.method.toLowerCase();
  return { resource, operation };
}

export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (route === SCIM_ROUTE) {
      const { resource, operation } = scimOperationOf(req);
      metrics.scim(resource, operation, reply.statusCode);
    }
    done();
  });
}
