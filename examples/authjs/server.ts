/**
 * Auth.js example: an Express 5 app that signs users in through Gatehouse with Auth.js's built-in BoxyHQ SAML
 * provider (`@auth/express`), configured exactly as the Auth.js and BoxyHQ docs say. The same code runs
 * against a strict Gatehouse (a connection's own clientID and clientSecret, its exact redirect URL, PKCE and
 * state) and against one started with JACKSON_COMPAT=true (`dummy`/`dummy` with tenant and product), as an app
 * moved from SAML Jackson does. See README.md beside it.
 *
 *   node --import tsx examples/authjs/server.ts
 *
 * Environment (Auth.js's own names): AUTH_BOXYHQ_SAML_ISSUER (Gatehouse's EXTERNAL_URL, default
 * http://localhost:5225), AUTH_BOXYHQ_SAML_ID and AUTH_BOXYHQ_SAML_SECRET (default `dummy`/`dummy`),
 * AUTH_SECRET (encrypts Auth.js's cookies), PRODUCT (default `demo`), SSO_FLOW (`oauth`, default, or `oidc`: the two
 * configurations of Auth.js's BoxyHQ docs), APP_PORT (3000), APP_HOST (127.0.0.1).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { ExpressAuth, getSession, type ExpressAuthConfig } from '@auth/express';
import BoxyHQSAML from '@auth/express/providers/boxyhq-saml';
import { homePage, SIGNIN_JS } from './pages.ts';

export interface AuthjsExampleOptions {
  /** Gatehouse's EXTERNAL_URL (Auth.js: the provider's `issuer`). */
  issuer?: string;
  /** A connection's clientID, or `dummy` (then the user's email domain names the tenant). */
  clientId?: string;
  /** That connection's clientSecret, or `dummy` (Gatehouse's CLIENT_SECRET_VERIFIER under JACKSON_COMPAT). */
  clientSecret?: string;
  /** The product sent with `tenant` for the `dummy` client. */
  product?: string;
  /** Auth.js's AUTH_SECRET. */
  secret?: string;
  /**
   * `oauth` (default): Auth.js's docs' "OAuth 2.0 flow" (`scope: ""`; the profile comes from userinfo).
   * `oidc`: their "OIDC flow" (no scope override, so `openid profile email`; Auth.js also validates the id_token).
   */
  flow?: 'oauth' | 'oidc';
  port?: number;
  host?: string;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthjsExampleOptions {
  return {
    issuer: env.AUTH_BOXYHQ_SAML_ISSUER || undefined, clientId: env.AUTH_BOXYHQ_SAML_ID || undefined,
    clientSecret: env.AUTH_BOXYHQ_SAML_SECRET || undefined, product: env.PRODUCT || undefined, secret: env.AUTH_SECRET || undefined,
    flow: flowOf(env.SSO_FLOW),
    port: env.APP_PORT ? Number(env.APP_PORT) : undefined, host: env.APP_HOST || undefined,
  };
}

function flowOf(value: string | undefined): 'oauth' | 'oidc' | undefined {
  if (!value) return undefined;
  if (value === 'oauth' || value === 'oidc') return value;
  throw new Error(`SSO_FLOW must be "oauth" or "oidc", got "${value}".`);
}

/**
 * Auth.js's configuration. Every provider setting is passed explicitly rather than read by Auth.js from
 * process.env, so one process can run several copies (the tests run a strict and a compatibility one).
 */
export function authConfig(opts: AuthjsExampleOptions): ExpressAuthConfig {
  const secret = opts.secret ?? (process.env.NODE_ENV === 'production' ? undefined : randomBytes(32).toString('hex'));
  if (!secret) throw new Error('Set AUTH_SECRET (e.g. `openssl rand -hex 32`): Auth.js encrypts its cookies with it.');
  return {
    secret,
    // Auth.js builds its callback URL (`<origin>/auth/callback/boxyhq-saml`) from the request's Host. Gatehouse
    // accepts only the redirect URLs registered on the connection, so a forged Host gets a refusal, not a code.
    // Behind a proxy, set AUTH_URL instead.
    trustHost: true,
    // Failed sign-ins come back to the home page with `?error=<Auth.js code>`.
    pages: { signIn: '/', error: '/' },
    callbacks: {
      // Keep who signed in where: Gatehouse's profile names the tenant and product. A real app keys its users by
      // (tenant, id), never by email or id alone: another tenant's IdP can assert the same values.
      jwt({ token, account, profile }) {
        if (account && profile) Object.assign(token, { tenant: profile.tenant, product: profile.product, idToken: account.id_token !== undefined });
        return token;
      },
      session({ session, token }) {
        Object.assign(session.user, { tenant: token.tenant, product: token.product });
        return Object.assign(session, { idToken: token.idToken === true });
      },
    },
    providers: [
      BoxyHQSAML({
        // As in Auth.js's docs: `scope: ""` for the OAuth 2.0 flow, nothing for the OIDC flow.
        ...(opts.flow === 'oidc' ? {} : { authorization: { params: { scope: '' } } }),
        issuer: (opts.issuer ?? 'http://localhost:5225').replace(/\/+$/, ''),
        clientId: opts.clientId ?? 'dummy',
        clientSecret: opts.clientSecret ?? 'dummy',
        // PKCE (S256) and state, as next-auth 4's BoxyHQ provider asked for both (Auth.js 5 defaults to PKCE only).
        checks: ['pkce', 'state'],
        // No setting for plain-HTTP development: Auth.js already lets its token and userinfo requests go to an
        // http:// issuer (oauth4webapi's allowInsecureRequests). Use https:// for anything but localhost.
      }),
    ],
  };
}

/** The session the callbacks above build. */
interface SignedIn {
  user?: { email?: string | null; name?: string | null; tenant?: string; product?: string };
  idToken?: boolean;
}

export async function startAuthjsApp(opts: AuthjsExampleOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const config = authConfig(opts);
  const needsTenant = (opts.clientId ?? 'dummy') === 'dummy';
  const product = opts.product ?? 'demo';
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    // No form-action: browsers apply it to the redirects after a form is sent (Auth.js → Gatehouse → the IdP).
    res.set({
      'content-security-policy': "default-src 'none'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
      'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store',
    });
    next();
  });
  app.use('/auth', ExpressAuth(config));
  app.get('/signin.js', (_req, res) => { res.type('text/javascript').send(SIGNIN_JS); });
  app.get('/', async (req, res) => {
    const session = (await getSession(req, config)) as SignedIn | null;
    const error = typeof req.query.error === 'string' ? req.query.error : null;
    res.type('html').send(homePage({ user: session?.user ?? null, idToken: session?.idToken ?? false, needsTenant, product, error }));
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.port ?? 3000, opts.host ?? '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const opts = optionsFromEnv();
  const { url } = await startAuthjsApp(opts);
  console.log(`Auth.js example on ${url} (Gatehouse: ${opts.issuer ?? 'http://localhost:5225'}, client: ${opts.clientId ?? 'dummy'})`);
}
