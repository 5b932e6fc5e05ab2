/**
 * Route table of the API description (decision 0032): the OpenAPI 3.1 document and the reference page rendered from
 * it, both public (they describe the API, not a deployment's data). Built once per app, on first request; the
 * document's modules (every surface's operation rows, each zod schema turned into JSON Schema as they load) are
 * imported then too, not at boot (decision 0050: they were ~5% of a restart).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { GATEHOUSE_VERSION } from '../../paths.ts';
import { API_DOCS_CSS, renderApiDocs } from '../openapi/docs-page.ts';

export function apiDocsRoutes(ctx: AppContext) {
  let cached: Promise<{ json: string; html: string }> | null = null;
  const build = async () => {
    const { buildOpenApiDocument } = await import('../openapi/document.ts');
    const doc = buildOpenApiDocument({ externalUrl: ctx.config.EXTERNAL_URL, version: GATEHOUSE_VERSION });
    return { json: JSON.stringify(doc), html: renderApiDocs(doc) };
  };
  const built = () => (cached ??= build().catch((err: unknown) => {
    cached = null; // a failed build is tried again by the next request
    throw err;
  }));
  return async (app: FastifyInstance) => {
    app.get('/api/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send((await built()).json));
    app.get('/api/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').send((await built()).html));
    app.get('/assets/api-docs.css', async (_req, reply) => reply.type('text/css').header('cache-control', 'public, max-age=3600').send(API_DOCS_CSS));
  };
}
