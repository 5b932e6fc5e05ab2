/**
 * Route table of the API description (decision 0032): the OpenAPI 3.1 document and the reference page rendered from
 * it, both public (they describe the API, not a deployment's data). Built once per app, on first request.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GATEHOUSE_VERSION } from '../../paths.ts';
import { buildOpenApiDocument } from '../openapi/document.ts';
import { API_DOCS_CSS, renderApiDocs } from '../openapi/docs-page.ts';

export function apiDocsRoutes(ctx: AppContext) {
  let cached: { json: string; html: string } | null = null;
  const built = () => {
    if (cached) return cached;
    const doc = buildOpenApiDocument({ externalUrl: ctx.config.EXTERNAL_URL, version: GATEHOUSE_VERSION });
    cached = { json: JSON.stringify(doc), html: renderApiDocs(doc) };
    return cached;
  };
  return async (app: FastifyInstance) => {
    app.get('/api/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send(built().json));
    app.get('/api/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').send(built().html));
    app.get('/assets/api-docs.css', async (_req, reply) => reply.type('text/css').header('cache-control', 'public, max-age=3600').send(API_DOCS_CSS));
  };
}
