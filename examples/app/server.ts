/**
 * Example app: signs users in through Gatehouse with openid-client (OAuth 2.0 authorization code
 * flow with PKCE, OpenID Connect) and shows the profile it received. Documentation by example:
 * this is what a SaaS app adds to support enterprise SSO. See README.md beside it.
 *
 *   node --import tsx examples/app/server.ts
 *
 * Environment: GATEHOUSE_URL (http://localhost:5225), APP_PORT (3000), APP_HOST (127.0.0.1),
 * APP_URL (http://localhost:3000), TENANT (acme.com), PRODUCT (demo), and optionally CLIENT_ID /
 * CLIENT_SECRET. Without CLIENT_ID the app is a public client with client_id "tenant=…&product=…"
 * and proves itself with PKCE alone.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyReply } from 'fastify';
import cookie, { type CookieSerializeOptions } from '@fastify/cookie';
import * as oidc from 'openid-client';
import { errorPage, homePage, profilePage, STYLE_CSS, type Profile } from './views.ts';

export interface ExampleAppOptions {
  gatehouseUrl?: string;
  port?: number;
  host?: string;
  /** The app's public base URL; the callback is `${appUrl}/callback` and must be in the connection's redirectUrl. */
  appUrl?: string;
  tenant?: string;
  product?: string;
  clientId?: string;
  clientSecret?: string;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ExampleAppOptions {
  return {
    gatehouseUrl: env.GATEHOUSE_URL, port: env.APP_PORT ? Number(env.APP_PORT) : undefined, host: env.APP_HOST, appUrl: env.APP_URL,
    tenant: env.TENANT, product: env.PRODUCT, clientId: env.CLIENT_ID || undefined, clientSecret: env.CLIENT_SECRET || undefined,
  };
}

const LOGIN_COOKIE = 'example_login';
const SESSION_COOKIE = 'example_session';
const LOGIN_TTL_SECONDS = 10 * 60;
const SESSION_TTL_SECONDS = 8 * 60 * 60;
/** Browsers keep about 4 KB per cookie; a profile with many attributes is stored without them. */
const MAX_COOKIE_BYTES = 3800;

interface LoginState {
  verifier: string;
  state: string;
  nonce: string;
  tenant: string;
  product: string;
}

/** Signed cookies: base64url(JSON with an expiry) + "." + HMAC-SHA256. The key lives only in this process. */
function cookieSealer() {
  const key = randomBytes(32);
  const mac = (body: string) => createHmac('sha256', key).update(body).digest('base64url');
  return {
    seal(data: object, ttlSeconds: number): string {
      const body = Buffer.from(JSON.stringify({ data, exp: Date.now() + ttlSeconds * 1000 })).toString('base64url');
      return `${body}.${mac(body)}`;
    },
    unseal<T>(value: string | undefined): T | null {
      const [body, sig] = (value ?? '').split('.');
      if (!body || !sig) return null;
      const expected = Buffer.from(mac(body));
      if (expected.length !== Buffer.byteLength(sig) || !timingSafeEqual(expected, Buffer.from(sig))) return null;
      const { data, exp } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { data: T; exp: number };
      return exp > Date.now() ? data : null;
    },
  };
}

/** Plain HTTP is for local development only: openid-client refuses it unless told otherwise. */
function isLocalHttp(url: URL): boolean {
  if (url.protocol === 'https:') return false;
  if (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1')) return true;
  throw new Error(`GATEHOUSE_URL must be an https:// URL (plain http only for localhost or 127.0.0.1), got "${url.href}".`);
}

/** Words for the user for the OAuth error codes Gatehouse sends back. */
const ERROR_WORDS: Record<string, string> = {
  access_denied: 'Your organisation\'s sign-in service did not let you in.',
  invalid_request: 'The sign-in request was not accepted.',
  invalid_grant: 'The sign-in took too long or was already used. Please sign in again.',
  invalid_client: 'This app is not set up correctly for SSO (its client ID or secret was refused).',
  server_error: 'The sign-in service had a problem. Please try again in a minute.',
  temporarily_unavailable: 'The sign-in service is busy. Please try again in a minute.',
};

function describeFailure(err: unknown): { title: string; detail?: string; code?: string } {
  if (err instanceof oidc.AuthorizationResponseError || err instanceof oidc.ResponseBodyError) {
    // Gatehouse writes a failed SAML sign-in as "<CODE>: <sentence>"; show the sentence, keep the code for support.
    const m = /^([A-Z][A-Z0-9_]+): ([\s\S]*)$/.exec(err.error_description ?? '');
    return { title: ERROR_WORDS[err.error] ?? 'The sign-in was refused.', detail: m ? m[2] : err.error_description, code: m ? m[1] : err.error };
  }
  return { title: 'The sign-in could not be completed. Please start again.', detail: (err as Error).message };
}

export async function startExampleApp(opts: ExampleAppOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const gatehouse = new URL(opts.gatehouseUrl ?? 'http://localhost:5225');
  const insecure = isLocalHttp(gatehouse);
  const appUrl = (opts.appUrl ?? `http://localhost:${opts.port ?? 3000}`).replace(/\/+$/, '');
  const callbackUrl = `${appUrl}/callback`;
  const defaults = { tenant: opts.tenant ?? 'acme.com', product: opts.product ?? 'demo' };
  const { seal, unseal } = cookieSealer();
  const cookieOptions = (maxAge: number): CookieSerializeOptions => ({ path: '/', httpOnly: true, sameSite: 'lax', secure: appUrl.startsWith('https:'), maxAge });

  // Discovery (/.well-known/openid-configuration) runs once; each sign-in then builds the
  // Configuration for its own client_id (public clients: one per tenant) without another request.
  // The client_id given to discovery() does not matter: only the server metadata is kept.
  let discovered: Promise<oidc.ServerMetadata> | undefined;
  async function configFor(tenant: string, product: string): Promise<oidc.Configuration> {
    discovered ??= oidc.discovery(gatehouse, opts.clientId ?? 'discovery', undefined, undefined, insecure ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .then((c) => c.serverMetadata(), (err) => { discovered = undefined; throw err; });
    const server = await discovered;
    const clientId = opts.clientId ?? new URLSearchParams({ tenant, product }).toString();
    const auth = opts.clientSecret ? oidc.ClientSecretPost(opts.clientSecret) : oidc.None();
    const config = new oidc.Configuration(server, clientId, opts.clientSecret, auth);
    if (insecure) oidc.allowInsecureRequests(config);
    // Also verify the id_token's RS256 signature against Gatehouse's JWKS (OIDC does not require it
    // for the code flow, where the token comes straight from Gatehouse, but it is cheap).
    oidc.enableNonRepudiationChecks(config);
    return config;
  }

  const app = Fastify();
  await app.register(cookie);
  app.addHook('onSend', async (_req, reply) => {
    // No form-action: browsers apply it to the redirects after a form is sent, and the sign-in form
    // goes /login → Gatehouse → the customer's IdP, an origin this app cannot know.
    reply.header('content-security-policy', "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'");
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
  });
  const page = (reply: FastifyReply, htmlText: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(htmlText);
  const currentUser = (cookies: Record<string, string | undefined>) => unseal<Profile>(cookies[SESSION_COOKIE]);

  app.get('/style.css', async (_req, reply) => reply.type('text/css').send(STYLE_CSS));

  app.get('/', async (req, reply) => page(reply, homePage({ ...defaults, fixedClient: opts.clientId !== undefined, user: currentUser(req.cookies) })));

  // Step 1: send the browser to Gatehouse with PKCE, state and nonce; remember them in a signed cookie.
  app.get('/login', async (req, reply) => {
    const q = req.query as { tenant?: string; product?: string };
    const tenant = (q.tenant ?? defaults.tenant).trim();
    const product = (q.product ?? defaults.product).trim();
    if (!tenant || !product) return page(reply, errorPage('Enter your organisation (tenant) and the product to sign in to.'), 400);
    let config: oidc.Configuration;
    try {
      config = await configFor(tenant, product);
    } catch (err) {
      req.log.warn({ err }, 'discovery failed');
      return page(reply, errorPage(`The sign-in service (Gatehouse at ${gatehouse.origin}) did not answer.`, (err as Error).message), 502);
    }
    const login: LoginState = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce(), tenant, product };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl, scope: 'openid', state: login.state, nonce: login.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(login.verifier), code_challenge_method: 'S256',
    });
    reply.setCookie(LOGIN_COOKIE, seal(login, LOGIN_TTL_SECONDS), cookieOptions(LOGIN_TTL_SECONDS));
    return reply.redirect(url.href, 302);
  });

  // Step 2: Gatehouse sends the browser back with ?code&state (or ?error&error_description&state).
  app.get('/callback', async (req, reply) => {
    const login = unseal<LoginState>(req.cookies[LOGIN_COOKIE]);
    reply.clearCookie(LOGIN_COOKIE, { path: '/' });
    if (!login) return page(reply, errorPage('This sign-in expired or was started in another browser.', 'Start again from the sign-in page.'), 400);
    try {
      const config = await configFor(login.tenant, login.product);
      // Checks state (before anything else, also for error answers), exchanges the code with the
      // PKCE verifier, and validates the id_token (issuer, audience, expiry, nonce, signature).
      const tokens = await oidc.authorizationCodeGrant(config, new URL(req.url, appUrl), {
        pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce, idTokenExpected: true,
      });
      const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
      reply.setCookie(SESSION_COOKIE, sessionCookie(info), cookieOptions(SESSION_TTL_SECONDS));
      return reply.redirect('/me', 302);
    } catch (err) {
      const f = describeFailure(err);
      req.log.info({ err }, 'sign-in failed');
      return page(reply, errorPage(f.title, f.detail, f.code), 400);
    }
  });

  /** The profile goes into the session cookie, without the raw attributes if they would not fit. */
  function sessionCookie(info: oidc.UserInfoResponse): string {
    const i = info as Record<string, unknown>;
    const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
    const profile: Profile = {
      sub: info.sub, email: String(i.email ?? ''), emailVerified: i.email_verified === true,
      firstName: typeof i.firstName === 'string' ? i.firstName : null, lastName: typeof i.lastName === 'string' ? i.lastName : null,
      groups: strings(i.groups), roles: strings(i.roles),
      requested: (i.requested as Profile['requested']) ?? null, raw: (i.raw as Profile['raw']) ?? {},
    };
    const value = seal(profile, SESSION_TTL_SECONDS);
    return value.length <= MAX_COOKIE_BYTES ? value : seal({ ...profile, raw: null }, SESSION_TTL_SECONDS);
  }

  app.get('/me', async (req, reply) => {
    const user = currentUser(req.cookies);
    return user ? page(reply, profilePage(user)) : reply.redirect('/', 302);
  });

  app.get('/logout', async (_req, reply) => reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/', 302));

  await app.listen({ port: opts.port ?? 3000, host: opts.host ?? '127.0.0.1' });
  return { url: appUrl, close: () => app.close() };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const opts = optionsFromEnv();
  const { url } = await startExampleApp(opts);
  console.log(`Example app on ${url} (Gatehouse: ${opts.gatehouseUrl ?? 'http://localhost:5225'}, client: ${opts.clientId ?? 'public, tenant=…&product=…'})`);
}
