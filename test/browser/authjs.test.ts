/**
 * Issue 13, "Auth.js": the example under examples/authjs (Express 5, @auth/express, Auth.js's built-in BoxyHQ
 * SAML provider) signs in end to end in Chromium: app → Gatehouse authorize → dev IdP "Sign in as" → Gatehouse
 * ACS → the app's /auth/callback/boxyhq-saml (Auth.js redeems the code and reads userinfo) → the app shows the
 * user's email. Once against a strict Gatehouse (the connection's own clientID and clientSecret, its exact
 * redirect URL, PKCE and state), once against JACKSON_COMPAT=true with `dummy`/`dummy`, tenant and product and
 * a redirect URL registered as Jackson users do (the bare origin). And the strict refusal: the same app with a
 * redirect URL that is not registered exactly gets a 4xx page from Gatehouse, never a trip to the IdP.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { API_KEY, freePort, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { startDevIdp } from '../../examples/app/dev-idp.ts';
import { optionsFromEnv, startAuthjsApp } from '../../examples/authjs/server.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from './support/portal.ts';

const CALLBACK_PATH = '/auth/callback/boxyhq-saml';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;
if (skip && !process.env.CI) console.warn(`\n*** Auth.js browser tests SKIPPED: ${skip} ***\n`);

async function createConnection(gh: RunningGatehouse, body: Record<string, unknown>): Promise<{ clientID: string; clientSecret: string }> {
  const res = await fetch(`${gh.baseUrl}/api/v1/sso`, {
    method: 'POST', headers: { authorization: `Api-Key ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `create connection: ${await res.clone().text()}`);
  return (await res.json()) as { clientID: string; clientSecret: string };
}

describe('Auth.js example (BoxyHQ SAML provider) signs in through Gatehouse in Chromium', { skip: skip && !process.env.CI ? skip : false }, () => {
  let idp: Awaited<ReturnType<typeof startDevIdp>>;
  let strict: RunningGatehouse;
  let compat: RunningGatehouse;
  let browser: Browser;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    idp = await startDevIdp({ port: 0, host: '127.0.0.1' });
    strict = (await startGatehouse({ listen: true }))!;
    compat = (await startGatehouse({ listen: true, env: { JACKSON_COMPAT: 'true' } }))!;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  });
  after(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    await browser?.close().catch(() => {});
    await strict?.close();
    await compat?.close();
    await idp?.close();
  });

  /** A fresh browser (no cookies) whose pages record every URL requested and any script or CSP error. */
  async function freshPage() {
    const context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    closers.push(() => context.close());
    const page = await context.newPage();
    const requested: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    return { page, requested, problems };
  }

  /** The authorize request the browser sent to Gatehouse (Auth.js's redirect), as parsed parameters. */
  function authorizeParams(requested: string[], gh: RunningGatehouse): URLSearchParams {
    const url = requested.find((u) => u.startsWith(`${gh.baseUrl}/api/oauth/authorize?`));
    assert.ok(url, `the browser went to Gatehouse's authorize endpoint: ${requested.join('\n')}`);
    return new URL(url).searchParams;
  }

  /** Clicks through: the app's sign-in → Gatehouse → dev IdP "Sign in as" (as `email`) → back to the app. */
  async function signIn(page: Page, appUrl: string, email: string, workEmail?: string) {
    await page.goto(`${appUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    if (workEmail !== undefined) await page.getByLabel('Work email').fill(workEmail);
    else assert.equal(await page.getByLabel('Work email').count(), 0, 'a connection\'s own client asks for no tenant');
    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in as' }).waitFor();
    assert.ok(page.url().startsWith(`${idp.url}/sso?SAMLRequest=`), page.url());
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back on the app's own page (after Auth.js's callback), signed in or with the reason it failed.
    await page.waitForURL((u) => u.origin === appUrl && !u.pathname.startsWith('/auth/'));
    await page.getByRole('heading', { level: 1 }).waitFor();
    if (email === '') return;
    const refused = page.locator('#error');
    if (await refused.count()) assert.fail(`the app says: ${await refused.innerText()} (${page.url()})`);
    assert.equal(page.url(), `${appUrl}/`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Signed in');
    assert.equal(await page.locator('#email').innerText(), email);
  }

  /** The two configurations of Auth.js's BoxyHQ docs and what each asks for and proves. */
  const FLOWS = [
    { flow: 'oauth', scope: '', proof: 'userinfo (OAuth 2.0)' },
    { flow: 'oidc', scope: 'openid profile email', proof: 'an ID token (checked by Auth.js) and userinfo' },
  ] as const;

  /** What the signed-in page shows besides the email. */
  async function expectProfile(page: Page, proof: string) {
    assert.equal(await page.locator('#tenant').innerText(), 'acme.com');
    assert.equal(await page.locator('#product').innerText(), 'demo');
    assert.equal(await page.locator('#proof').innerText(), proof);
  }

  it('strict mode: the connection\'s clientID and clientSecret, its exact redirect URL, PKCE (S256) and state', async () => {
    const ports = [await freePort(), await freePort()];
    const conn = await createConnection(strict, {
      tenant: 'acme.com', product: 'demo', name: 'Acme (dev IdP)', metadataUrl: idp.metadataUrl,
      redirectUrl: ports.map((p) => `http://127.0.0.1:${p}${CALLBACK_PATH}`), defaultRedirectUrl: `http://127.0.0.1:${ports[0]}/`,
    });
    for (const [i, { flow, scope, proof }] of FLOWS.entries()) {
      const app = await startAuthjsApp({
        ...optionsFromEnv({ AUTH_BOXYHQ_SAML_ISSUER: strict.baseUrl, AUTH_BOXYHQ_SAML_ID: conn.clientID, AUTH_BOXYHQ_SAML_SECRET: conn.clientSecret, SSO_FLOW: flow }),
        port: ports[i],
      });
      closers.push(app.close);
      const { page, requested, problems } = await freshPage();
      await signIn(page, app.url, 'alice@acme.com');
      await expectProfile(page, proof);

      const q = authorizeParams(requested, strict);
      assert.equal(q.get('client_id'), conn.clientID);
      assert.equal(q.get('redirect_uri'), `${app.url}${CALLBACK_PATH}`);
      assert.equal(q.get('response_type'), 'code');
      assert.equal(q.get('scope'), scope, flow);
      assert.equal(q.get('code_challenge_method'), 'S256');
      assert.match(q.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.ok(q.get('state'), 'Auth.js sends state');
      assert.ok(requested.some((u) => u.startsWith(`${app.url}${CALLBACK_PATH}?code=`)), 'Gatehouse sent the code to the registered callback');

      // The session is Auth.js's: it survives a reload, and signing out ends it.
      await page.reload();
      assert.equal(await page.locator('#email').innerText(), 'alice@acme.com');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      assert.deepEqual(problems, []);
    }
  });

  it('JACKSON_COMPAT=true: dummy/dummy with tenant and product, the redirect URL registered as the bare origin', async () => {
    const ports = [await freePort(), await freePort()];
    await createConnection(compat, {
      tenant: 'acme.com', product: 'demo', name: 'Acme (dev IdP)', metadataUrl: idp.metadataUrl,
      redirectUrl: ports.map((p) => `http://127.0.0.1:${p}`), defaultRedirectUrl: `http://127.0.0.1:${ports[0]}`,
    });
    for (const [i, { flow, scope, proof }] of FLOWS.entries()) {
      // No client settings at all: Auth.js's BoxyHQ docs' `dummy`/`dummy`.
      const app = await startAuthjsApp({ ...optionsFromEnv({ AUTH_BOXYHQ_SAML_ISSUER: compat.baseUrl, SSO_FLOW: flow }), port: ports[i] });
      closers.push(app.close);
      const { page, requested, problems } = await freshPage();
      await signIn(page, app.url, 'bob@acme.com', 'bob@acme.com');
      await expectProfile(page, proof);

      const q = authorizeParams(requested, compat);
      assert.equal(q.get('client_id'), 'dummy');
      assert.equal(q.get('tenant'), 'acme.com');
      assert.equal(q.get('product'), 'demo');
      assert.equal(q.get('redirect_uri'), `${app.url}${CALLBACK_PATH}`);
      assert.equal(q.get('scope'), scope, flow);
      assert.equal(q.get('code_challenge_method'), 'S256');
      assert.ok(q.get('state'));
      assert.deepEqual(problems, []);
    }

    // Gatehouse refuses a user the IdP sends without an email: its error redirect (with Auth.js's state) reaches
    // Auth.js, which shows the app's error page and starts no session.
    const { page } = await freshPage();
    await signIn(page, `http://127.0.0.1:${ports[0]}`, '', 'bob@acme.com');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in');
    assert.equal(new URL(page.url()).searchParams.get('error'), 'OAuthCallbackError');
    assert.match(await page.locator('#error').innerText(), /refused the sign-in/);
    await page.goto(`http://127.0.0.1:${ports[0]}/`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in', 'no session');
  });

  it('strict mode refuses a redirect URL that is not registered exactly: a 4xx page from Gatehouse, never the IdP', async () => {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    // As Jackson users register it (the bare origin), and as a Next.js app's Auth.js calls it (/api/auth/…).
    const conn = await createConnection(strict, {
      tenant: 'globex.com', product: 'demo', metadataUrl: idp.metadataUrl,
      redirectUrl: [appUrl, `${appUrl}/api${CALLBACK_PATH}`], defaultRedirectUrl: appUrl,
    });
    for (const env of [
      { AUTH_BOXYHQ_SAML_ID: conn.clientID, AUTH_BOXYHQ_SAML_SECRET: conn.clientSecret },
      {}, // dummy/dummy: the same refusal
    ]) {
      const app = await startAuthjsApp({ ...optionsFromEnv({ AUTH_BOXYHQ_SAML_ISSUER: strict.baseUrl, ...env }), port });
      try {
        const { page, requested } = await freshPage();
        await page.goto(`${app.url}/`);
        if (!env.AUTH_BOXYHQ_SAML_ID) await page.getByLabel('Work email').fill('carol@globex.com');
        const answer = page.waitForResponse((r) => r.url().startsWith(`${strict.baseUrl}/api/oauth/authorize?`));
        await page.getByRole('button', { name: 'Sign in with SSO' }).click();
        const res = await answer;
        assert.equal(res.status(), 400, await res.text());
        await page.waitForLoadState('load');
        assert.ok(page.url().startsWith(`${strict.baseUrl}/api/oauth/authorize?`), `the browser stays on Gatehouse's page: ${page.url()}`);
        assert.match(await page.locator('body').innerText(), /is not an allowed redirect URL/);
        assert.equal(res.headers().location, undefined, 'no redirect');
        assert.ok(!requested.some((u) => u.startsWith(idp.url)), 'the IdP is never asked');
        assert.ok(!requested.some((u) => u.includes(CALLBACK_PATH)), 'nothing comes back to the app');
        await page.goto(`${app.url}/`);
        await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      } finally {
        await app.close();
      }
    }
  });
  it('server.ts runs as a process from its environment alone (Auth.js\'s AUTH_BOXYHQ_SAML_* names), here against JACKSON_COMPAT=true', async () => {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    await createConnection(compat, { tenant: 'initech.com', product: 'tps', metadataUrl: idp.metadataUrl, redirectUrl: [appUrl], defaultRedirectUrl: appUrl });
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../examples/authjs/server.ts', import.meta.url))], {
      env: { ...process.env, AUTH_BOXYHQ_SAML_ISSUER: compat.baseUrl, AUTH_BOXYHQ_SAML_ID: 'dummy', AUTH_BOXYHQ_SAML_SECRET: 'dummy', PRODUCT: 'tps', SSO_FLOW: 'oidc', APP_PORT: String(port), AUTH_SECRET: 'a'.repeat(64) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    closers.push(async () => { if (child.exitCode === null) child.kill(); });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server.ts did not start: ${out}`)), 20_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        if (/Auth\.js example on/.test(out)) { clearTimeout(timer); resolve(); }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server.ts exited with ${code}: ${out}`)); });
    });
    const { page, requested, problems } = await freshPage();
    await signIn(page, appUrl, 'dana@initech.com', 'dana@initech.com');
    assert.equal(await page.locator('#tenant').innerText(), 'initech.com');
    assert.equal(await page.locator('#product').innerText(), 'tps');
    assert.equal(await page.locator('#proof').innerText(), FLOWS[1].proof);
    assert.equal(authorizeParams(requested, compat).get('product'), 'tps');
    assert.deepEqual(problems, []);
  });
});
