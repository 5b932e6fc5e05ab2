/**
 * Both SAML Single Logout directions with a real IdP (issue 15, decision 0030): SimpleSAMLphp from Debian's packages
 * (test/support/simplesamlphp.ts), driven by Chromium. The connection is made from the IdP's metadata URL, so its
 * SingleLogoutService comes from real metadata. SimpleSAMLphp checks the signature of every logout message Gatehouse
 * sends (validate.logout) and signs its own (sign.logout, redirect.sign).
 * - SP-initiated: app → /api/oauth/logout → SimpleSAMLphp ends its session → signed LogoutResponse →
 *   post_logout_redirect_uri with state; signing in again asks for the password again.
 * - IdP-initiated: SimpleSAMLphp's logout sends a signed LogoutRequest → Gatehouse ends the session (the access token
 *   is refused) → signed LogoutResponse that SimpleSAMLphp accepts before returning to ReturnTo.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { simpleSamlPhpMissing, startSimpleSamlPhp, type SimpleSamlPhp } from '../support/simplesamlphp.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../browser/support/portal.ts';
import { appSessionsRepo, pendingLogoutsRepo } from '../../src/storage/index.ts';

/** The app: a local server whose every page answers "app"; the test reads the URLs the browser reaches. */
let APP = '';
let APP_CALLBACK = '';
let APP_BYE = '';

const missing = simpleSamlPhpMissing() ?? (existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium)`);
if (missing && process.env.CI) throw new Error(missing);

describe('SAML Single Logout with SimpleSAMLphp in Chromium', { skip: missing ?? false }, () => {
  let gh: RunningGatehouse;
  let ssp: SimpleSamlPhp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let conn: { clientID: string; clientSecret: string };

  let app: Server;
  before(async () => {
    app = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>app</p>'));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    APP = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    APP_CALLBACK = `${APP}/callback`;
    APP_BYE = `${APP}/signed-out`;
    gh = (await startGatehouse({ listen: true }))!;
    ssp = await startSimpleSamlPhp({
      entityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl, sloUrl: `${gh.baseUrl}/api/oauth/saml/slo`,
      certPem: (await gh.ctx.keys.sp()).certPem, users: { alice: { password: 'alice-pw', email: 'alice@acme.com' } }, returnHosts: [new URL(APP).host],
    });
    const api = (method: string, url: string, payload: object) => gh.app.inject({ method: method as 'POST', url, headers: { authorization: `Api-Key ${API_KEY}` }, payload });
    const created = await api('POST', '/api/v1/sso', { tenant: 'acme.com', product: 'crm', name: 'Acme SimpleSAMLphp', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], metadataUrl: ssp.metadataUrl });
    assert.ok(created.statusCode < 300, created.body);
    conn = created.json();
    assert.equal((await api('POST', '/api/v1/products', { product: 'crm', postLogoutRedirectUris: [APP_BYE] })).statusCode, 201);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await ssp?.stop();
    await gh?.close();
    app?.close();
  });

  /** authorize → SimpleSAMLphp (password asked when `expectLogin`) → ACS → the app's callback; then the code for tokens. */
  async function signIn(expectLogin: boolean) {
    try {
      return await signInInner(expectLogin);
    } catch (e) {
      // SimpleSAMLphp explains its refusals on the page: show it with the failure.
      throw new Error(`sign-in stopped at ${page.url()}: ${(await page.innerText('body').catch(() => '?')).slice(0, 1500)}`, { cause: e });
    }
  }
  async function signInInner(expectLogin: boolean) {
    const state = `st-${Date.now()}`;
    await page.goto(`${gh.baseUrl}/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state, scope: 'openid email' })}`);
    if (expectLogin) {
      await page.waitForSelector('input[name=username]');
      await page.fill('input[name=username]', 'alice');
      await page.fill('input[name=password]', 'alice-pw');
      await Promise.all([page.waitForURL(`${APP_CALLBACK}?**`), page.press('input[name=password]', 'Enter')]);
    } else {
      await page.waitForURL(`${APP_CALLBACK}?**`);
    }
    const callback = new URL(page.url());
    assert.equal(callback.searchParams.get('state'), state);
    const tok = await fetch(`${gh.baseUrl}/api/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK }),
    });
    assert.equal(tok.status, 200, await tok.clone().text());
    const body = (await tok.json()) as { id_token: string; access_token: string };
    const sid = JSON.parse(Buffer.from(body.id_token.split('.')[1]!, 'base64url').toString()).sid as string;
    return { idToken: body.id_token, accessToken: body.access_token, sid };
  }
  const userinfoStatus = async (token: string) => (await fetch(`${gh.baseUrl}/api/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } })).status;

  test('the connection made from SimpleSAMLphp\'s metadata URL knows its SingleLogoutService', async () => {
    const row = await gh.ctx.db.selectFrom('connections').select('settings').where('id', '=', conn.clientID).executeTakeFirstOrThrow();
    assert.equal(JSON.parse(row.settings).slo.redirectUrl, `${ssp.baseUrl}/saml2/idp/SingleLogoutService.php`);
  });

  test('SP-initiated: logout at Gatehouse ends the SimpleSAMLphp session too, then lands on post_logout_redirect_uri with state', async () => {
    const s = await signIn(true);
    const session = await appSessionsRepo.find(gh.ctx.db, s.sid);
    assert.equal(session?.nameid, 'alice@acme.com');
    assert.ok(session?.session_index, 'SimpleSAMLphp sent a SessionIndex');
    const seen: string[] = [];
    page.on('request', (r) => void seen.push(r.url()));
    await page.goto(`${gh.baseUrl}/api/oauth/logout?${new URLSearchParams({ id_token_hint: s.idToken, post_logout_redirect_uri: APP_BYE, state: 'bye-1' })}`);
    await page.waitForURL(`${APP_BYE}?**`);
    assert.equal(page.url(), `${APP_BYE}?state=bye-1`);
    assert.ok(seen.some((u) => u.startsWith(`${ssp.baseUrl}/saml2/idp/SingleLogoutService.php?SAMLRequest=`) && u.includes('&Signature=')), 'the signed LogoutRequest went to SimpleSAMLphp');
    assert.ok(seen.some((u) => u.startsWith(`${gh.baseUrl}/api/oauth/saml/slo?SAMLResponse=`) && u.includes('&Signature=')), 'its signed LogoutResponse came back');
    assert.equal(await userinfoStatus(s.accessToken), 401);
    assert.equal((await appSessionsRepo.find(gh.ctx.db, s.sid))?.end_reason, 'rp_logout');
    const pending = await gh.ctx.db.selectFrom('pending_logouts').selectAll().where('sid', '=', s.sid).execute();
    assert.equal(pending.length, 1);
    assert.ok(pending[0]!.completed_at, 'the LogoutResponse completed the pending logout');
    assert.equal(await pendingLogoutsRepo.complete(gh.ctx.db, pending[0]!.id, Date.now()), false, 'once');

    await signIn(true); // SimpleSAMLphp asks for the password again: its session ended
  });

  test('IdP-initiated: SimpleSAMLphp\'s logout ends the Gatehouse session, and accepts Gatehouse\'s signed LogoutResponse', async () => {
    const s = await signIn(false); // still signed in at SimpleSAMLphp from the test before
    assert.equal(await userinfoStatus(s.accessToken), 200);
    const seen: string[] = [];
    page.on('request', (r) => void seen.push(r.url()));
    await page.goto(`${ssp.baseUrl}/saml2/idp/SingleLogoutService.php?ReturnTo=${encodeURIComponent(`${APP}/idp-logged-out`)}`);
    await page.waitForURL(`${APP}/idp-logged-out**`);
    assert.ok(seen.some((u) => u.startsWith(`${gh.baseUrl}/api/oauth/saml/slo?SAMLRequest=`) && u.includes('&Signature=')), 'SimpleSAMLphp sent a signed LogoutRequest');
    assert.ok(seen.some((u) => u.startsWith(`${ssp.baseUrl}/saml2/idp/SingleLogoutService.php?SAMLResponse=`) && u.includes('&Signature=')), 'Gatehouse answered with a signed LogoutResponse');
    assert.equal(await userinfoStatus(s.accessToken), 401, 'the access token is refused at once');
    assert.equal((await appSessionsRepo.find(gh.ctx.db, s.sid))?.end_reason, 'saml_slo');
  });
});
