/**
 * SAML Jackson (the published `@boxyhq/saml-jackson`, a dev dependency) for the benchmarks: `startJackson` makes its
 * controllers on SQLite (its typeorm `sql` engine), PostgreSQL or its in-memory store, and `answer` serves the paths
 * Gatehouse and Jackson share (authorize, ACS, token, userinfo, SCIM, connection and directory creation) by calling
 * those controllers the way Ory Polis's API routes do, minus Next.js: Jackson's lowest cost per request.
 * Plain JavaScript, so that the child process of bench/jackson/server.mjs runs Jackson without a TypeScript loader
 * (its cold start and RSS are Jackson's own); bench/jackson/run.ts uses the same code in-process.
 */
import { generateKeyPairSync } from 'node:crypto';

process.env.DO_NOT_TRACK = '1';
process.env.BOXYHQ_NO_ANALYTICS = '1';

export const JACKSON_AUDIENCE = 'https://saml.boxyhq.com';
const SCIM_PATH = '/api/scim/v2.0';

/** One RS256 key pair for the id_token, as Jackson takes it (base64 of the PEMs); made once per process. */
let signingKeys;
function jwtSigningKeys() {
  if (!signingKeys) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const b64 = (pem) => Buffer.from(pem).toString('base64');
    signingKeys = { private: b64(privateKey.export({ type: 'pkcs8', format: 'pem' })), public: b64(publicKey.export({ type: 'spki', format: 'pem' })) };
  }
  return signingKeys;
}

/**
 * Jackson's controllers. `store`: `{engine: 'sqlite', file}`, `{engine: 'postgres', url}` or `{engine: 'mem'}`.
 * Its stale-trace cleanup interval is unref'd, so that it does not keep a finished benchmark alive.
 */
export async function startJackson({ externalUrl, store, encryptionKey }) {
  const mod = await import('@boxyhq/saml-jackson');
  const init = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const db =
    store.engine === 'mem' ? { engine: 'mem' }
    : store.engine === 'sqlite' ? { engine: 'sql', type: 'sqlite', url: store.file }
    : { engine: 'sql', type: 'postgres', url: store.url };
  if (encryptionKey) db.encryptionKey = encryptionKey;
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const setIntervalBefore = globalThis.setInterval;
  globalThis.setInterval = (...args) => setIntervalBefore(...args).unref();
  try {
    return await init({
      externalUrl, samlAudience: JACKSON_AUDIENCE, samlPath: '/api/oauth/saml', oidcPath: '/api/oauth/oidc', scimPath: SCIM_PATH,
      db, openid: { jwsAlg: 'RS256', jwtSigningKeys: jwtSigningKeys() }, noAnalytics: true, logger: quiet,
    });
  } finally {
    globalThis.setInterval = setIntervalBefore;
  }
}

const json = (status, body) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const redirect = (location) => ({ status: 302, headers: { location }, body: '' });

/** What Polis answers for a thrown error: the JacksonError's status (500 otherwise) and its message. */
function failure(err) {
  return json(err?.statusCode ?? 500, { error: { message: err?.message ?? String(err) } });
}

function formOrJson(headers, body) {
  if (!body) return {};
  const type = headers['content-type'] ?? '';
  return type.includes('json') ? JSON.parse(body) : Object.fromEntries(new URLSearchParams(body));
}

/**
 * Answers one request `{method, path, headers, body}` (headers lower-cased, body a string) with
 * `{status, headers, body}`, through Jackson's controllers.
 */
export async function answer(j, { method, path, headers = {}, body }) {
  const url = new URL(path, 'http://jackson.invalid');
  const route = `${method} ${url.pathname}`;
  try {
    if (route === 'GET /api/health') return json(200, { status: 'ok' });
    if (route === 'GET /api/oauth/authorize') {
      const r = await j.oauthController.authorize(Object.fromEntries(url.searchParams));
      if (r.redirect_url) return redirect(r.redirect_url);
      if (r.authorize_form) return { status: 200, headers: { 'content-type': 'text/html' }, body: r.authorize_form };
      return json(400, r);
    }
    if (route === 'POST /api/oauth/saml') {
      const { SAMLResponse, RelayState } = formOrJson(headers, body);
      const r = await j.oauthController.samlResponse({ SAMLResponse, RelayState });
      if (r.redirect_url) return redirect(r.redirect_url);
      return { status: 200, headers: { 'content-type': 'text/html' }, body: r.app_select_form ?? r.response_form ?? JSON.stringify(r) };
    }
    if (route === 'POST /api/oauth/token') return json(200, await j.oauthController.token(formOrJson(headers, body), headers.authorization ?? null));
    if (route === 'GET /api/oauth/userinfo') {
      const token = (headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      return json(200, await j.oauthController.userInfo(token));
    }
    if (route === 'POST /api/v1/sso') {
      const input = formOrJson(headers, body);
      // Polis's API takes redirectUrl as a JSON-array string.
      if (Array.isArray(input.redirectUrl)) input.redirectUrl = JSON.stringify(input.redirectUrl);
      return json(200, await j.connectionAPIController.createSAMLConnection(input));
    }
    if (route === 'POST /api/v1/dsync') {
      const { data, error } = await j.directorySyncController.directories.create(formOrJson(headers, body));
      return error ? json(error.code ?? 400, { error }) : json(201, { data });
    }
    if (url.pathname.startsWith(`${SCIM_PATH}/`)) return await scim(j, method, url, headers, body);
    return json(404, { error: { message: `no route ${route}` } });
  } catch (err) {
    return failure(err);
  }
}

/** Polis's `/api/scim/v2.0/[...directory]` route: the directory, resource and id from the path, the secret from the bearer. */
async function scim(j, method, url, headers, body) {
  const [directoryId, resource, resourceId] = url.pathname.slice(SCIM_PATH.length + 1).split('/');
  const query = Object.fromEntries(url.searchParams);
  const r = await j.directorySyncController.requests.handle({
    method, directoryId, resourceType: resource.toLowerCase(), resourceId, apiSecret: (headers.authorization ?? '').replace(/^Bearer\s+/i, ''),
    body: body ? JSON.parse(body) : undefined,
    query: { count: query.count ? Number(query.count) : undefined, startIndex: query.startIndex ? Number(query.startIndex) : undefined, filter: query.filter },
  });
  return json(r.status, r.data);
}
