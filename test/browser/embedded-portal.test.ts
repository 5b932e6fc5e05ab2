/**
 * The embeddable portal in a real Chromium (issue 17 §3, decision 0033). A vendor page served from another site
 * (http://localhost:<port>, while Gatehouse is http://127.0.0.1:<port>: another origin and another site, so the
 * session cookie is a third-party, partitioned one) frames a portal link; the customer's IT admin pastes the test
 * IdP's metadata there, saves, sees the connection, and Done takes the frame to the vendor's return URL. A page on
 * an origin the product did not register cannot frame it (CSP frame-ancestors), and the link it opened is spent.
 * axe finds nothing on the portal pages.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { browserUnavailable, CHROMIUM, CHROMIUM_FLAGS } from './support/portal.ts';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp } from '../support/saml-idp.ts';

const skip = browserUnavailable();

/** A vendor app: /app frames the portal URL given in ?portal=, /back is the return URL. */
async function vendorSite(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/back') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html lang="en"><title>Vendor</title><h1>Back in the vendor app</h1></html>');
    const portal = url.searchParams.get('portal') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><title>Vendor settings</title></head><body><main><h1>Vendor settings</h1><iframe title="Single sign-on setup" src="${portal.replace(/"/g, '&quot;')}" width="1100" height="1400"></iframe></main></body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, origin: `http://localhost:${(server.address() as { port: number }).port}` };
}

async function noAxeViolations(page: Page, include?: string) {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  const results = await (include ? builder.include(include) : builder).analyze();
  assert.deepEqual(results.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) })), []);
}

describe('embedded portal: a vendor app frames it, its customer configures SSO there', { skip: skip ?? false }, () => {
  let gh: RunningGatehouse;
  let browser: Browser;
  let vendor: Awaited<ReturnType<typeof vendorSite>>;
  let stranger: Awaited<ReturnType<typeof vendorSite>>;
  const mgmt = async (path: string, body: unknown) => {
    const r = await fetch(`${gh.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Api-Key ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok(r.status < 300, await r.clone().text());
    return (await r.json()) as { data: { url: string } };
  };

  before(async () => {
    gh = (await startGatehouse({ listen: true }))!;
    [vendor, stranger] = await Promise.all([vendorSite(), vendorSite()]);
    await mgmt('/api/v1/products', { product: 'crm', name: 'Acme CRM', defaultRedirectUrl: 'https://crm.example.test/cb', portalReturnUrls: [`${vendor.origin}/back`], portalFrameAncestors: [vendor.origin] });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  });
  after(async () => {
    await browser?.close();
    vendor?.server.close();
    stranger?.server.close();
    await gh?.close();
  });

  it('inside the vendor\'s iframe: paste the IdP metadata, save, see the connection, Done returns to the vendor', async () => {
    const idp = await createTestIdp();
    const { url } = (await mgmt('/api/v1/portal/links', { tenant: 'acme.com', product: 'crm', intent: 'sso', returnUrl: `${vendor.origin}/back` })).data;
    const context = await browser.newContext({ viewport: { width: 1280, height: 1600 }, locale: 'en-GB', timezoneId: 'UTC' });
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${vendor.origin}/app?portal=${encodeURIComponent(url)}`);
      const frame = page.frameLocator('iframe[title="Single sign-on setup"]');
      await frame.getByRole('heading', { level: 1, name: 'Set up single sign-on' }).waitFor();
      assert.match(await frame.locator('.brand').innerText(), /Admin portal/);
      await frame.getByRole('heading', { name: 'Connect your identity provider' }).waitFor();
      await frame.getByRole('radio', { name: 'Other SAML 2.0 provider' }).check();
      await frame.getByRole('radio', { name: 'Paste the XML' }).check();
      await frame.getByRole('textbox', { name: 'Metadata XML' }).fill(idp.metadataXml({ ssoUrl: 'https://idp.acme.test/sso' }));
      await frame.getByRole('textbox', { name: 'Connection name' }).fill('Acme Okta');
      await frame.getByRole('button', { name: 'Create connection' }).click();
      await frame.getByText('The connection was created.').waitFor();
      await frame.getByRole('heading', { level: 3, name: 'Acme Okta' }).waitFor();
      // Saved for acme.com / crm, through the session's own CSRF-protected calls.
      const rows = await gh.ctx.db.selectFrom('connections').select(['tenant', 'product', 'name']).execute();
      assert.deepEqual(rows, [{ tenant: 'acme.com', product: 'crm', name: 'Acme Okta' }]);
      // The session cookie was a partitioned third-party cookie: Chromium kept it under the vendor's site.
      const cookies = await context.cookies(gh.baseUrl);
      assert.equal(cookies.find((c) => c.name === 'gh_portal')?.sameSite, 'None');
      await noAxeViolations(page, 'iframe');

      // Test connection: a new top-level tab, without the frame's cookie, still starts the sign-in at the IdP.
      await context.route('https://idp.acme.test/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>IdP</title><h1>IdP sign-in</h1>' }));
      const [tab] = await Promise.all([context.waitForEvent('page'), frame.getByRole('button', { name: 'Test connection Acme Okta' }).click()]);
      await tab.getByRole('heading', { name: 'IdP sign-in' }).waitFor();
      assert.match(tab.url(), /^https:\/\/idp\.acme\.test\/sso\?SAMLRequest=/);
      await tab.close();

      // Partitioned: the same browser, at Gatehouse's own site (top level), does not have the vendor frame's cookie.
      const top = await context.newPage();
      assert.equal((await top.goto(`${gh.baseUrl}/portal/session`))?.status(), 401);
      await top.close();

      await frame.getByRole('button', { name: 'Done' }).click();
      await frame.getByRole('heading', { name: 'Back in the vendor app' }).waitFor();
      assert.equal(page.frames().find((f: Frame) => f !== page.mainFrame())?.url(), `${vendor.origin}/back`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the link opened again, in another browser, answers a page saying it was already used', async () => {
    const { url } = (await mgmt('/api/v1/portal/links', { tenant: 'acme.com', product: 'crm', intent: 'audit_log' })).data;
    const first = await browser.newContext();
    const second = await browser.newContext();
    try {
      const p1 = await first.newPage();
      await p1.goto(`${vendor.origin}/app?portal=${encodeURIComponent(url)}`);
      const frame = p1.frameLocator('iframe');
      await frame.getByRole('heading', { level: 1, name: 'Activity log' }).waitFor();
      await frame.getByRole('cell', { name: 'portal_link.created' }).first().waitFor();
      await noAxeViolations(p1, 'iframe');
      const p2 = await second.newPage();
      const r = await p2.goto(url);
      assert.equal(r?.status(), 410);
      await p2.getByRole('heading', { level: 1, name: 'This link was already used' }).waitFor();
      await noAxeViolations(p2);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('domain verification in the frame: the tenant\'s domains with their TXT record, nothing else', async () => {
    await mgmt('/api/v1/tenants/acme.com/domains', { domain: 'acme.com' });
    await mgmt('/api/v1/tenants/globex.com/domains', { domain: 'globex.com' });
    const { url } = (await mgmt('/api/v1/portal/links', { tenant: 'acme.com', product: 'crm', intent: 'domain_verification' })).data;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${vendor.origin}/app?portal=${encodeURIComponent(url)}`);
      const frame = page.frameLocator('iframe');
      await frame.getByRole('heading', { level: 1, name: 'Verify your domains' }).waitFor();
      await frame.getByRole('heading', { level: 2, name: /acme\.com/ }).waitFor();
      assert.match(await frame.getByRole('textbox', { name: 'TXT record value for acme.com' }).inputValue(), /^gatehouse-verification=/);
      assert.equal(await frame.getByText('globex.com').count(), 0);
      await noAxeViolations(page, 'iframe');
    } finally {
      await context.close();
    }
  });

  it('an origin the product did not register cannot frame the portal', async () => {
    const { url } = (await mgmt('/api/v1/portal/links', { tenant: 'acme.com', product: 'crm', intent: 'sso' })).data;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const refused = new Promise<string>((resolve) => page.on('console', (m) => /frame-ancestors/.test(m.text()) && resolve(m.text())));
      await page.goto(`${stranger.origin}/app?portal=${encodeURIComponent(url)}`);
      const message = await Promise.race([refused, new Promise<string>((r) => setTimeout(() => r('no CSP report within 10 s'), 10_000))]);
      assert.match(message, /violates the following Content Security Policy directive: "frame-ancestors http:\/\/localhost:\d+"/);
      assert.ok(!message.includes(stranger.origin), 'the stranger is not among the allowed ancestors');
      const child = page.frames().find((f) => f !== page.mainFrame())!;
      assert.ok(!child.url().startsWith(gh.baseUrl) || (await child.locator('h1').count().catch(() => 0)) === 0, `the frame shows ${child.url()}`);
      assert.equal(await page.frameLocator('iframe').getByRole('heading', { name: 'Set up single sign-on' }).count(), 0);
    } finally {
      await context.close();
    }
  });
});
