/**
 * Answers of the HTTP APIs (`/api/…`) are never stored by a browser, proxy or CDN: they carry connection
 * client secrets, SCIM secrets, API keys, setup-link URLs, CSRF tokens, authorization codes in redirects,
 * tokens and directory data. One rule for the whole prefix rather than a list of routes, so a new route
 * that returns a secret is covered without anyone remembering to add it (decision 0204). A route that
 * may be cached says so with its own Cache-Control (the branding answers do), and that header is kept.
 */
import type { FastifyInstance } from 'fastify';

const NO_STORE_PREFIX = '/api/';

export function registerNoStore(app: FastifyInstance): void {
  app.addHook('onSend', (req, reply, payload, done) => {
    if (req.url.startsWith(NO_STORE_PREFIX) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
