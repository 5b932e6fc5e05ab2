/**
 * The example app (examples/app) end to end: a real Gatehouse on SQLite on 127.0.0.1, the dev IdP
 * and the example app, walked with plain fetch the way a browser does (no redirect following,
 * cookies kept per host): app /login → Gatehouse authorize → dev IdP /sso → "Sign in as" form →
 * HTTP-POST form to the ACS → app /callback → /me.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { API_KEY, freePort, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { startExampleApp } from '../../examples/app/server.ts';
import { startDevIdp } from '../../examples/app/dev-idp.ts';
import { connectIdp, startOneClickAtApp } from '../../examples/app/configure.ts';
import { Gatehouse } from '../../packages/node/src/index.ts';

interface Page {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
  setCookies: string[];
}

/** Just enough browser: one cookie jar per host name (as browsers scope cookies), no redirect following. */
class Browser {
  private jar = new Map<string, Map<string, string>>();

  async go(url: string, form?: Record<string, string>): Promise<Page> {
    const u = new URL(url);
    const cookies = this.jar.get(u.hostname) ?? new Map<string, string>();
    const headers: Record<string, string> = {};
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(u, { method: form ? 'POST' : 'GET', redirect: 'manual', headers, body: form ? new URLSearchParams(form).toString() : undefined });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const name = pair!.slice(0, pair!.indexOf('='));
      const value = pair!.slice(pair!.indexOf('=') + 1);
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(u.hostname, cookies);
    const location = res.headers.get('location');
    return { status: res.status, location: location ? new URL(location, u).href : null, text: await res.text(), headers: res.headers, setCookies };
  }

  setCookie(host: string, name: string, value: string) {
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    cookies.set(name, value);
    this.jar.set(host, cookies);
  }
}

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescapeHtml(m[1]!) : undefined;
};

/** The first form of a page: its action (absolute) and its named inputs with their values. */
function readForm(page: Page, pageUrl: string) {
  const form = /<form\b[^>]*>/.exec(page.text);
  assert.ok(form, `no form in: ${page.text.slice(0, 400)}`);
  const fields: Record<string, string> = {};
  for (const [input] of page.text.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(input, 'name');
    if (name) fields[name] = attr(input, 'value') ?? '';
  }
  return { action: new URL(attr(form[0], 'action') ?? '', pageUrl).href, method: attr(form[0], 'method') ?? 'get', fields };
}

const expectRedirect = (page: Page, prefix: string, step: string): string => {
  assert.equal(page.status, 302, `${step}: expected a redirect, got ${page.status} ${page.text.slice(0, 300)}`);
  assert.ok(page.location!.startsWith(prefix), `${step}: redirect to ${page.location}, expected ${prefix}…`);
  return page.location!;
};

describe('example app signs in through Gatehouse (SQLite)', () => {
  let gh: RunningGatehouse;
  let idp: Awaited<ReturnType<typeof startDevIdp>>;
  let publicApp: Awaited<ReturnType<typeof startExampleApp>>;
  let secretApp: Awaited<ReturnType<typeof startExampleApp>>;
  let childAppPort: number;
  let connection: { clientID: string; clientSecret?: string };
  let sdk: Gatehouse;

  before(async () => {
    const started = await startGatehouse({ listen: true });
    assert.ok(started, 'SQLite Gatehouse started');
    gh = started;
    sdk = new Gatehouse({ url: gh.baseUrl, apiKey: API_KEY });
    idp = await startDevIdp({ port: 0 });
    const [publicPort, secretPort] = [await freePort(), await freePort()];
    childAppPort = await freePort();
    const callbacks = [publicPort, secretPort].map((p) => `http://127.0.0.1:${p}/callback`);
    // README step 3, as examples/app/configure.ts does it with the SDK.
    connection = await connectIdp(sdk, { tenant: 'acme.com', product: 'demo', name: 'Acme (dev IdP)', metadataUrl: idp.metadataUrl, callbackUrls: callbacks });
    assert.ok(connection.clientSecret, 'the create answer has the client secret');
    publicApp = await startExampleApp({ gatehouseUrl: gh.baseUrl, port: publicPort, appUrl: `http://127.0.0.1:${publicPort}` });
    secretApp = await startExampleApp({ gatehouseUrl: gh.baseUrl, port: secretPort, appUrl: `http://127.0.0.1:${secretPort}`, clientId: connection.clientID, clientSecret: connection.clientSecret });
  });
  after(async () => {
    await publicApp?.close();
    await secretApp?.close();
    await idp?.close();
    await gh?.close();
  });

  /** Walks one sign-in up to the app's answer on /callback. `who` overrides the "Sign in as" fields. */
  async function signIn(browser: Browser, appUrl: string, who: Record<string, string> = {}, idpUrl = idp.url, tenant = 'acme.com') {
    const authorize = expectRedirect(await browser.go(`${appUrl}/login?tenant=${encodeURIComponent(tenant)}&product=demo`), `${gh.baseUrl}/api/oauth/authorize?`, 'app /login');
    const sso = expectRedirect(await browser.go(authorize), `${idpUrl}/sso?SAMLRequest=`, 'Gatehouse authorize');
    const signInAs = await browser.go(sso);
    assert.equal(signInAs.status, 200, signInAs.text);
    assert.match(signInAs.text, /Sign in as/);
    const form = readForm(signInAs, sso);
    const autoPost = await browser.go(form.action, { ...form.fields, ...who });
    assert.equal(autoPost.status, 200, autoPost.text);
    const post = readForm(autoPost, form.action);
    assert.equal(post.action, `${gh.baseUrl}/api/oauth/saml`);
    assert.ok(post.fields.SAMLResponse && post.fields.RelayState, 'SAMLResponse and RelayState are posted');
    assert.match(autoPost.text, /<script src="\/autosubmit\.js"><\/script>/);
    assert.match(autoPost.text, /<noscript>[\s\S]*<button type="submit">/);
    const callback = expectRedirect(await browser.go(post.action, post.fields), `${appUrl}/callback?`, 'Gatehouse ACS');
    return { callback, answer: await browser.go(callback) };
  }

  async function expectProfile(browser: Browser, appUrl: string, who: Record<string, string> = {}) {
    const { answer } = await signIn(browser, appUrl, who);
    expectRedirect(answer, `${appUrl}/me`, 'app /callback');
    const me = await browser.go(`${appUrl}/me`);
    assert.equal(me.status, 200);
    return me;
  }

  test('the home page is a "Sign in with SSO" form to /login under a strict CSP, without inline script', async () => {
    const home = await new Browser().go(`${publicApp.url}/`);
    assert.equal(home.status, 200);
    assert.match(home.text, /Sign in with SSO/);
    const form = readForm(home, publicApp.url);
    assert.equal(form.action, `${publicApp.url}/login`);
    assert.deepEqual(form.fields, { tenant: 'acme.com', product: 'demo' });
    const csp = home.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.doesNotMatch(home.text, /<script|style=/);
  });

  test('public client (no secret): sign in, /me shows the profile, sign out clears it', async () => {
    const browser = new Browser();
    const login = await browser.go(`${publicApp.url}/login?tenant=acme.com&product=demo`);
    const authorize = new URL(expectRedirect(login, `${gh.baseUrl}/api/oauth/authorize?`, 'app /login'));
    assert.equal(authorize.searchParams.get('client_id'), 'tenant=acme.com&product=demo');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('redirect_uri'), `${publicApp.url}/callback`);
    assert.ok(authorize.searchParams.get('state') && authorize.searchParams.get('nonce'));
    const cookie = login.setCookies.find((c) => c.startsWith('example_login='));
    assert.ok(cookie, 'login state cookie is set');
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Max-Age=600/i);

    const me = await expectProfile(browser, publicApp.url, { email: 'bob@acme.com', firstName: 'Bob', lastName: 'Builder', groups: 'engineering, on-call' });
    assert.match(me.text, /bob@acme\.com/);
    assert.match(me.text, /Bob Builder/);
    assert.match(me.text, /engineering, on-call/);
    assert.match(me.text, /<th>Tenant<\/th><td>acme\.com<\/td>/);
    assert.match(me.text, /<th>Product<\/th><td>demo<\/td>/);
    assert.match(me.text, /<th>Email verified<\/th><td>no<\/td>/, 'acme.com is not a verified domain of the tenant');
    assert.match(me.text, /<th><code>groups<\/code><\/th><td>engineering, on-call<\/td>/, 'raw attributes table');

    const logout = await browser.go(`${publicApp.url}/logout`);
    expectRedirect(logout, `${publicApp.url}/`, 'logout');
    expectRedirect(await browser.go(`${publicApp.url}/me`), `${publicApp.url}/`, '/me after logout');
  });

  test('confidential client (CLIENT_ID + CLIENT_SECRET): sign in shows email and groups', async () => {
    const browser = new Browser();
    const home = await browser.go(`${secretApp.url}/`);
    assert.deepEqual(readForm(home, secretApp.url).fields, {}, 'no tenant field: the client ID fixes the connection');
    const authorize = new URL(expectRedirect(await new Browser().go(`${secretApp.url}/login`), `${gh.baseUrl}/api/oauth/authorize?`, 'app /login'));
    assert.equal(authorize.searchParams.get('client_id'), connection.clientID);
    const me = await expectProfile(browser, secretApp.url);
    assert.match(me.text, /alice@acme\.com/);
    assert.match(me.text, /admins, staff/);

    // The secret is really sent: a wrong one fails at the token endpoint, shown in plain words.
    const port = await freePort();
    const wrong = await startExampleApp({ gatehouseUrl: gh.baseUrl, port, appUrl: `http://127.0.0.1:${port}`, clientId: connection.clientID, clientSecret: 'not-the-secret' });
    try {
      await connectIdp(sdk, { tenant: 'acme.com', product: 'demo', metadataUrl: idp.metadataUrl, callbackUrls: [`${publicApp.url}/callback`, `${secretApp.url}/callback`, `${wrong.url}/callback`] });
      const { answer } = await signIn(new Browser(), wrong.url);
      assert.equal(answer.status, 400);
      assert.match(answer.text, /not set up correctly/);
      assert.match(answer.text, /<code>invalid_client<\/code>/);
    } finally {
      await wrong.close();
    }
  });

  test('a user without an email: Gatehouse refuses and the app says so in plain words, with no session', async () => {
    const browser = new Browser();
    const { callback, answer } = await signIn(browser, publicApp.url, { email: '' });
    const params = new URL(callback).searchParams;
    assert.equal(params.get('error'), 'access_denied');
    assert.equal(params.get('code'), null);
    assert.equal(answer.status, 400);
    assert.match(answer.text, /id="error">Your organisation&#39;s sign-in service did not let you in\./);
    assert.match(answer.text, /id="error-detail">The assertion carries no email address/);
    assert.match(answer.text, /<code>SAML_EMAIL_MISSING<\/code>/);
    expectRedirect(await browser.go(`${publicApp.url}/me`), `${publicApp.url}/`, '/me without a session');
  });

  test('one-click link: without the product\'s initiateLoginUri the app cannot finish it; with it (as the README sets it) the user is signed in', async () => {
    const oneClick = `${gh.baseUrl}/login/sso?enterprise_key=acme.com&product=demo`;
    // No product record: Gatehouse starts the sign-in itself and the code would land at the app's callback
    // without the app's login cookie (state, PKCE), which the app must refuse.
    expectRedirect(await new Browser().go(oneClick), `${idp.url}/sso?SAMLRequest=`, 'one-click without initiateLoginUri');
    // README step 3 (examples/app/configure.ts#startOneClickAtApp): the product names the app's /login as its initiateLoginUri.
    const made = await startOneClickAtApp(sdk, 'demo', `${publicApp.url}/login`);
    assert.equal(made.initiateLoginUri, `${publicApp.url}/login`);
    const browser = new Browser();
    const toApp = new URL(expectRedirect(await browser.go(oneClick), `${publicApp.url}/login?`, 'one-click with initiateLoginUri'));
    assert.equal(toApp.searchParams.get('tenant'), 'acme.com');
    assert.equal(toApp.searchParams.get('product'), 'demo');
    assert.equal(toApp.searchParams.get('iss'), gh.baseUrl);
    const sso = expectRedirect(await browser.go(expectRedirect(await browser.go(toApp.href), `${gh.baseUrl}/api/oauth/authorize?`, 'app /login')), `${idp.url}/sso?SAMLRequest=`, 'authorize');
    const form = readForm(await browser.go(sso), sso);
    const post = readForm(await browser.go(form.action, { ...form.fields, email: 'dana@acme.com' }), form.action);
    const callback = expectRedirect(await browser.go(post.action, post.fields), `${publicApp.url}/callback?`, 'ACS');
    expectRedirect(await browser.go(callback), `${publicApp.url}/me`, 'app /callback');
    assert.match((await browser.go(`${publicApp.url}/me`)).text, /dana@acme\.com/);
  });

  test('the callback needs the signed login cookie of the browser that started; forged cookies are ignored', async () => {
    const started = new Browser();
    const authorize = expectRedirect(await started.go(`${publicApp.url}/login`), `${gh.baseUrl}/api/oauth/authorize?`, 'app /login');
    // Another browser (no login cookie) brings a genuine code back: refused before any token request.
    const victim = new Browser();
    const { callback } = await (async () => {
      const sso = expectRedirect(await started.go(authorize), `${idp.url}/sso`, 'authorize');
      const form = readForm(await started.go(sso), sso);
      const post = readForm(await started.go(form.action, form.fields), form.action);
      return { callback: expectRedirect(await started.go(post.action, post.fields), `${publicApp.url}/callback?`, 'ACS') };
    })();
    const refused = await victim.go(callback);
    assert.equal(refused.status, 400);
    assert.match(refused.text, /expired or was started in another browser/);

    // A login cookie whose state does not match the callback's state.
    const other = new Browser();
    await other.go(`${publicApp.url}/login`);
    const mismatch = await other.go(callback);
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.text, /could not be completed/);

    const forger = new Browser();
    const fake = Buffer.from(JSON.stringify({ data: { sub: 'x', email: 'mallory@evil.example', groups: [], roles: [] }, exp: Date.now() + 60_000 })).toString('base64url');
    forger.setCookie('127.0.0.1', 'example_session', `${fake}.AAAA`);
    expectRedirect(await forger.go(`${publicApp.url}/me`), `${publicApp.url}/`, '/me with a forged session');
  });

  test('server.ts and dev-idp.ts start themselves, and configure.ts sets Gatehouse up with the SDK, when run directly (node --import tsx …)', async (t) => {
    const children: ChildProcess[] = [];
    // Only the ones still running: configure.ts exits by itself, and killing a gone pid would throw before the rest.
    t.after(() => children.forEach((c) => c.pid && c.exitCode === null && c.signalCode === null && process.kill(c.pid)));
    /** Starts `file`; resolves once its output matches `ready` (and, for a one-shot script, once it exited with `exitCode`). */
    const run = (file: string, env: Record<string, string>, ready: RegExp, exitCode?: number) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`../../${file}`, import.meta.url))], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(child);
        let out = '';
        const timer = setTimeout(() => reject(new Error(`${file} did not start: ${out}`)), 20_000);
        const onData = (d: Buffer) => {
          out += d.toString();
          if (exitCode === undefined && ready.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => {
          clearTimeout(timer);
          if (exitCode !== undefined && code === exitCode && ready.test(out)) resolve();
          else reject(new Error(`${file} exited with ${code}: ${out}`));
        });
      });
    const idpPort = await freePort();
    const idpUrl = `http://127.0.0.1:${idpPort}`;
    const appUrl = `http://127.0.0.1:${childAppPort}`;
    await run('examples/app/dev-idp.ts', { IDP_PORT: String(idpPort) }, /Dev IdP \(development only\) on/);
    await run('examples/app/configure.ts', { GATEHOUSE_URL: gh.baseUrl, GATEHOUSE_API_KEY: API_KEY, IDP_METADATA_URL: `${idpUrl}/metadata`, APP_URL: appUrl, TENANT: 'globex.com', PRODUCT: 'demo' }, /one-click links start at http:\/\/127\.0\.0\.1:\d+\/login/, 0);
    const [made] = await sdk.connections.list({ tenant: 'globex.com', product: 'demo' });
    assert.equal(made?.idpMetadata?.entityID, `${idpUrl}/metadata`);
    assert.deepEqual(made?.redirectUrl, [`${appUrl}/callback`]);
    assert.equal((await sdk.products.get('demo')).initiateLoginUri, `${appUrl}/login`);
    await run('examples/app/server.ts', { GATEHOUSE_URL: gh.baseUrl, APP_PORT: String(childAppPort), APP_URL: appUrl, TENANT: 'globex.com', PRODUCT: 'demo', CLIENT_ID: '', CLIENT_SECRET: '' }, /Example app on/);

    const browser = new Browser();
    assert.deepEqual(readForm(await browser.go(`${appUrl}/`), appUrl).fields, { tenant: 'globex.com', product: 'demo' });
    const { answer } = await signIn(browser, appUrl, { email: 'carol@globex.com', groups: 'finance' }, idpUrl, 'globex.com');
    expectRedirect(answer, `${appUrl}/me`, 'app /callback');
    const me = await browser.go(`${appUrl}/me`);
    assert.match(me.text, /carol@globex\.com/);
    assert.match(me.text, /<th>Groups<\/th><td>finance<\/td>/);
  });
});
