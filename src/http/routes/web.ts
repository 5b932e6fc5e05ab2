/**
 * Route table of the web app (the React admin portal built into dist/web by scripts/build-web.mjs):
 * hashed assets under /admin/assets/ cached for a year, and index.html (no-cache) for /admin and every
 * client-side route under it, and the same index.html for the setup-link page /setup/<token> (issue 6).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { WEB_ROOT } from '../../paths.ts';

const INDEX = join(WEB_ROOT, 'index.html');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Admin portal not built</title><link rel="stylesheet" href="/assets/gatehouse.css"></head>
<body><main class="card"><p class="brand">Gatehouse</p><h1>The admin portal has not been built</h1>
<p class="lead">Run <code>npm run build:web</code> (it needs the dev dependencies: <code>npm install</code>) and reload this page.</p></main></body></html>`;

/** index.html, re-read when the build replaces it (cheap: one stat per page load, never per asset). */
function indexLoader() {
  let cached: { mtimeMs: number; html: string } | null = null;
  return (): string | null => {
    try {
      const { mtimeMs } = statSync(INDEX);
      if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(INDEX, 'utf8') };
      return cached.html;
    } catch {
      cached = null;
      return null;
    }
  };
}

let sendFile: typeof import('@fastify/send').send | undefined;
const ASSET_OPTIONS = {
  root: join(WEB_ROOT, 'assets'),
  index: false as const,
  dotfiles: 'deny' as const,
  // File names carry a content hash: a changed file gets a new name, so browsers may keep these for good.
  immutable: true,
  maxAge: '365d',
};

/** Sends the web app's index.html (503 with how to build it when it is not built); the portal pages use it too. */
export function indexSender() {
  const loadIndex = indexLoader();
  return async (_req: unknown, reply: FastifyReply) => {
    const html = loadIndex();
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
    return html === null ? reply.code(503).send(NOT_BUILT) : reply.send(html);
  };
}

export function webRoutes(_ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const sendIndex = indexSender();

    app.get('/admin/assets/*', { exposeHeadRoute: true }, async (req, reply) => {
      // @fastify/send (conditional GETs, ranges, no path escapes) is loaded on the first asset request:
      // a server that never serves the portal does not pay for it at startup.
      sendFile ??= (await import('@fastify/send')).default;
      const path = `/${(req.params as { '*': string })['*']}`;
      const out = await sendFile(req.raw, path, ASSET_OPTIONS);
      if (out.type !== 'file') {
        out.stream.destroy();
        return reply.callNotFound();
      }
      return reply.code(out.statusCode).headers(out.headers).send(out.stream);
    });
    app.get('/admin', sendIndex);
    app.get('/admin/', sendIndex);
    app.get('/admin/*', sendIndex);
    // The setup-link page: one segment, so /setup/test-result/:testId (setup-link-api.ts) stays server-rendered.
    app.get('/setup/:token', sendIndex);
  };
}
