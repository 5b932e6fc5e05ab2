/**
 * Assembles the HTTP app: security headers, body parsers, rate limits, and one route table per
 * surface, each with its own error serializer.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import type { AppContext } from '../context.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { samlRoutes } from './routes/saml.ts';
import { wellKnownPageRoutes } from './routes/well-known-pages.ts';
import { federationRoutes } from './routes/federation.ts';
import { managementApiRoutes } from './routes/management-api.ts';
import { opsRoutes } from './routes/ops.ts';
import { apiDocsRoutes } from './routes/api-docs.ts';
import { loginRoutes } from './routes/login.ts';
import { setupLinkApiRoutes } from './routes/setup-link-api.ts';
import { scimRoutes } from './routes/scim.ts';
import { webRoutes } from './routes/web.ts';
import { adminApiRoutes } from './routes/admin-api.ts';
import { registerBranding } from '../admin/branding.ts';
import { sendPage, sendProblem } from './serializers.ts';
import { GatehouseError } from '../errors.ts';
import { isUnavailable } from '../storage/dialect.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { portalRoutes } from './routes/portal.ts';
import { registerHttpMetrics } from '../observability/http-metrics.ts';
import { registerRequestId, requestIdFrom } from '../observability/request-context.ts';
import { accessLineWriter, lazyRequestLogger } from '../observability/request-logger.ts';
import { refuseRepeatedQueryParams, registerJsonParser } from './malformed-input.ts';
import { registerNoStore } from './cache-control.ts';
import { registerRateLimits } from './rate-limits.ts';
import { trustProxyOption } from './trust-proxy.ts';
import { createRequire } from 'node:module';
import { lazy } from '../lazy-require.ts';
import { redactUrl } from './redact-url.ts';

type CompilerFactory = (...args: unknown[]) => unknown;
// Resolved from Fastify's own directory: they are its dependencies, not ours.
const fromFastify = lazy(() => createRequire(createRequire(import.meta.url).resolve('fastify')));
const ajvCompiler = lazy(() => fromFastify()('@fastify/ajv-compiler') as () => CompilerFactory);
const serializerCompiler = lazy(() => fromFastify()('@fastify/fast-json-stringify-compiler') as () => CompilerFactory);
/**
 * Fastify's own validator and serializer compilers, loaded when a route with a schema is first compiled instead of
 * when Fastify is made: no route here has a schema (the OpenAPI document is built from zod rows, not from routes), so
 * AJV and fast-json-stringify are never loaded (decision 0064).
 */
export const deferredSchemaCompilers = {
  compilersFactory: {
    buildValidator: (...args: unknown[]) => ajvCompiler()()(...args),
    buildSerializer: (...args: unknown[]) => serializerCompiler()()(...args),
  },
};

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * The headers a middleware that sets the same ones on every response sets, read by running it once; names in lower
 * case, as Fastify keeps a reply's headers.
 */
function staticHeadersOf(middleware: Middleware): Record<string, string | number | string[]> {
  const headers = new Map<string, string | number | readonly string[]>();
  const res = { setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name, value), removeHeader: (name: string) => headers.delete(name) };
  let done = false;
  middleware({ headers: {} } as IncomingMessage, res as unknown as ServerResponse, (err) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('the security-headers middleware did not finish synchronously');
  return Object.fromEntries([...headers].map(([name, value]) => [name.toLowerCase(), typeof value === 'object' ? [...value] : value]));
}

export interface AppState {
  ready: boolean;
}

export async function buildApp(ctx: AppContext, state: AppState = { ready: true }): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as unknown as FastifyBaseLogger,
    // Fastify's own request lines would log raw URLs; ours (below) redact secret parameters.
    logController: new LogController({ disableRequestLogging: true }),
    // req.log is made on its first line: most requests write only the access line, through ctx.log below.
    childLoggerFactory: lazyRequestLogger,
    // The client IP (rate limits, audit log) comes from X-Forwarded-For only through the proxies TRUST_PROXY names.
    trustProxy: trustProxyOption(ctx.config.TRUST_PROXY),
    exposeHeadRoutes: false, // HEAD only where a probe may send it (ops routes): every implicit HEAD route adds to startup
    bodyLimit: 2 * 1024 * 1024,
    // No timer per plugin: avvio arms (and clears) a 10 s timeout for every plugin and for every route's `after`
    // (~340 at boot, decision 0064); every plugin here registers synchronously, so none could ever fire.
    pluginTimeout: 0,
    schemaController: deferredSchemaCompilers as never,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
  });
  // x-request-id echoed and bound to every log line of the request; per-route rates, latencies and SCIM operations.
  registerRequestId(app);
  ctx.metrics.watchReadiness(state);
  registerHttpMetrics(app, ctx.metrics);
  // The SAML validation threads end with the server (after in-flight requests have finished).
  app.addHook('onClose', async () => ctx.samlValidation.close());
  // Draining: every answer closes its connection, so clients reconnect (to other instances) and close() is not held by keep-alive.
  // Hooks on every request take `done` rather than being async: no promise and no microtask per request.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (!state.ready) reply.header('connection', 'close');
    done(null, payload);
  });
  const accessLine = accessLineWriter(ctx.log as unknown as FastifyBaseLogger);
  app.addHook('onResponse', (req, reply, done) => {
    // Nothing to build when the level is above info (the benchmarks' LOG_LEVEL=silent, an operator's warn).
    if (ctx.log.isLevelEnabled('info')) accessLine({ reqId: req.id, method: req.method, url: redactUrl(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 });
    done();
  });
  const https = ctx.config.EXTERNAL_URL.startsWith('https:');
  // helmet's headers are computed once here (@fastify/helmet rebuilt its middleware, parsing the CSP, on every request:
  // ~30 µs; running the built middleware still cost ~10 µs per request): none depends on the request (no nonces).
  const securityHeaders = staticHeadersOf(helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'https:'],
        formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: https ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-site' },
  }));
  // Among the reply's own headers, not on the raw response: Node then writes every header of the answer in one pass
  // (writeHead's fast path) instead of first storing each in the response's header map (~8 µs per request, decision 0055).
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  await app.register(formbody);
  registerJsonParser(app);
  registerNoStore(app);
  app.addHook('onRequest', refuseRepeatedQueryParams(['/api/v1/', '/api/admin/', '/api/setup/', '/api/portal/']));
  await app.register(cookie);
  registerBranding(app, ctx);
  // Counters shared by every instance (database, or Redis with REDIS_URL): docs/decisions/0405-shared-rate-limits.md.
  await registerRateLimits(app, ctx);
  // 0 turns a limit off: allowList answers before the store is asked, so an unlimited route costs no round trip.
  const limit = (max: number, failClosed = false): object => (max > 0 ? { max, timeWindow: '1 minute', failClosed } : { max: 1, timeWindow: '1 minute', allowList: () => true });

  // The serializers log every 5xx with the request's reqId (logServerError).
  app.setErrorHandler((err, req, reply) => {
    if (isUnavailable(err)) return sendProblem(reply, new GatehouseError('SERVICE_UNAVAILABLE', 'The database is unreachable.'));
    return req.url.startsWith('/api/') ? sendProblem(reply, err) : sendPage(reply, err);
  });
  app.setNotFoundHandler((req, reply) =>
    req.url.startsWith('/api/') ? sendProblem(reply, new GatehouseError('API_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}.`)) : sendPage(reply, new GatehouseError('API_NOT_FOUND', 'This page does not exist.')),
  );

  await app.register(opsRoutes(ctx, state));
  await app.register(apiDocsRoutes(ctx));
  await app.register(metricsRoutes(ctx, ctx.metrics));
  await app.register(oauthRoutes(ctx, limit(ctx.config.RATE_LIMIT_OAUTH_PER_MINUTE)));
  await app.register(samlRoutes(ctx, limit(ctx.config.RATE_LIMIT_OAUTH_PER_MINUTE)));
  await app.register(wellKnownPageRoutes(ctx, limit(ctx.config.RATE_LIMIT_OAUTH_PER_MINUTE)));
  await app.register(federationRoutes(ctx, limit(ctx.config.RATE_LIMIT_OAUTH_PER_MINUTE)));
  await app.register(managementApiRoutes(ctx, limit(ctx.config.RATE_LIMIT_API_PER_MINUTE)));
  await app.register(loginRoutes(ctx, limit(ctx.config.RATE_LIMIT_OAUTH_PER_MINUTE)));
  await app.register(setupLinkApiRoutes(ctx));
  await app.register(portalRoutes(ctx));
  await app.register(scimRoutes(ctx, limit(ctx.config.RATE_LIMIT_SCIM_PER_MINUTE)));
  await app.register(webRoutes(ctx));
  await app.register(adminApiRoutes(ctx, { api: limit(ctx.config.RATE_LIMIT_API_PER_MINUTE), sensitive: limit(ctx.config.RATE_LIMIT_SENSITIVE_PER_MINUTE, true) }));
  return app;
}
