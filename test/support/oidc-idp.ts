/**
 * A real upstream OpenID Connect provider for tests: node-oidc-provider on 127.0.0.1 with its
 * development login and consent pages, driven over HTTP like a browser would.
 */
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from './gatehouse.ts';

export interface TestOidcIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export type Accounts = Record<string, Record<string, unknown>>;

export async function startOidcIdp(opts: { redirectUris: string[]; accounts?: Accounts; clientId?: string; clientSecret?: string }): Promise<TestOidcIdp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = opts.clientId ?? 'gatehouse-test';
  const clientSecret = opts.clientSecret ?? 'upstream-secret-0123456789abcdef';
  const accounts = opts.accounts ?? {};
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: opts.redirectUris, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name', 'name', 'groups'] },
    scopes: ['openid', 'email', 'profile'],
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    pkce: { required: () => true },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...(accounts[id] ?? { email: id, email_verified: true }) }),
    }),
  } as never);
  const server: Server = provider.listen(port);
  await new Promise<void>((r) => server.once('listening', () => r()));
  return { issuer, clientId, clientSecret, close: () => new Promise((r) => server.close(() => r())) };
}

/** Cookie jar for a browser-like walk. */
class Jar {
  private readonly cookies = new Map<string, string>();
  store(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Walks the provider's login and consent pages as `login` and returns the URL the provider finally
 * redirects to (Gatehouse's callback with code and state).
 */
export async function signInAtOidcIdp(authorizationUrl: string, login: string, stopAt: string): Promise<string> {
  const jar = new Jar();
  let url = authorizationUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let i = 0; i < 20; i++) {
    if (url.startsWith(stopAt)) return url;
    const res = await fetch(url, { method, body, redirect: 'manual', headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) } });
    jar.store(res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`no form on provider page: ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    method = 'POST';
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt }).toString();
  }
  throw new Error('too many steps at the provider');
}
