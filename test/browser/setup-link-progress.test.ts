/**
 * Where each customer's setup stands, in a real browser: the vendor's setup-link list shows a Status column
 * (Not opened, Opened, Configured, Tested, Live) that follows what the IT admin does on the link page, and
 * filters by it; the link page's own status follows the latest test sign-in (the "created, now test it" notice
 * goes after a test, the "Setup complete" banner goes after a failed re-test and comes back with a success).
 * Directory Sync: the list follows the IdP's first request and push, and when deliveries to the vendor's app
 * fail the link page tells the IT admin to contact the vendor, without the cause.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertNoProblems, browserUnavailable, checkScreen, openFreshBrowser, signIn, startPortal, type Portal } from './support/portal.ts';
import { API_KEY } from '../support/gatehouse.ts';
import { startDevIdp } from '../../examples/app/dev-idp.ts';

const skip = browserUnavailable();
const PRODUCT = 'crm';
const COMPLETE = 'Setup complete: give your users these links';

describe('Setup-link progress: the vendor\'s Status column and the link page following the latest test', { skip: skip ?? false }, () => {
  let portal: Portal;
  let idp: Awaited<ReturnType<typeof startDevIdp>>;
  const mgmt = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(portal.url(path), { method, headers: { authorization: `Api-Key ${API_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
    return r.json();
  };
  const makeLink = async (tenant: string, name: string) => (await mgmt('POST', '/api/v1/sso/setuplinks', { tenant, product: PRODUCT, name, defaultRedirectUrl: 'http://localhost:9/me' })).data.url as string;

  /** The vendor's list, read as the table shows it: tenant → status cell text. */
  async function statuses(page: Page, query = '', service: 'sso' | 'dsync' = 'sso'): Promise<Record<string, string>> {
    await page.goto(portal.url(`/admin/${service}/setup-links${query}`));
    await page.getByRole('heading', { level: 1, name: 'Setup Links' }).waitFor();
    await page.locator('.loading').first().waitFor({ state: 'detached' }).catch(() => {});
    const table = page.getByRole('table', { name: /setup links/i });
    const empty = page.getByRole('heading', { name: /No setup link matches this filter/ });
    await Promise.race([table.waitFor(), empty.waitFor()]);
    if (await empty.isVisible()) return {};
    const out: Record<string, string> = {};
    for (const row of await table.locator('tbody tr').all()) {
      const cells = await row.getByRole('cell').allInnerTexts();
      out[cells[1]!.trim()] = cells[3]!.replace(/\s+/g, ' ').trim();
    }
    return out;
  }

  /** One test sign-in from the link page: the new tab's dev IdP "Sign in as", with or without an email. */
  async function runTest(it: { context: Portal['context']; page: Page }, email: string) {
    const [tab] = await Promise.all([it.context.waitForEvent('page'), it.page.getByRole('button', { name: /^(Test connection|Test again) Acme Dev IdP$/ }).click()]);
    await tab.getByRole('heading', { name: 'Sign in as' }).waitFor();
    await tab.getByLabel('Email').fill(email);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByRole('heading', { level: 1 }).filter({ hasText: /The test sign-in/ }).waitFor();
    await tab.close();
    await it.page.getByRole('heading', { level: 3, name: email ? 'The test sign-in worked' : 'The test sign-in did not work' }).waitFor();
  }

  before(async () => {
    // The deliverer runs: the Directory Sync link below points its webhook at a closed port, so deliveries fail.
    portal = await startPortal({ deliverWebhooks: true, env: { WEBHOOK_RETRY_BASE_MS: '50' } });
    idp = await startDevIdp({ port: 0, host: '127.0.0.1' });
    await mgmt('POST', '/api/v1/products', { product: PRODUCT, name: 'Acme CRM', defaultRedirectUrl: 'http://localhost:9/me' });
    await signIn(portal);
  });
  after(async () => {
    await idp?.close();
    await portal?.close();
  });

  it('the list\'s Status column follows the IT admin, filters by status, and the link page\'s banner follows the latest test', async () => {
    const { page } = portal;
    const acmeUrl = await makeLink('acme.com', 'Acme IT');
    await makeLink('globex.com', 'Globex IT');
    assert.deepEqual(await statuses(page), { 'acme.com': 'Not opened The customer has not opened the link yet.', 'globex.com': 'Not opened The customer has not opened the link yet.' });
    await checkScreen(page, '150-setup-links-status-not-opened');

    const it = await openFreshBrowser(portal);
    try {
      const itPage = it.page;
      await itPage.goto(acmeUrl);
      await itPage.getByRole('heading', { name: 'Connect your identity provider' }).waitFor();
      assert.match((await statuses(page))['acme.com']!, /^Opened/);

      await itPage.getByRole('radio', { name: 'Other SAML 2.0 provider' }).check();
      await itPage.getByRole('radio', { name: 'Metadata URL' }).check();
      await itPage.getByRole('textbox', { name: 'Identity provider metadata URL' }).fill(idp.metadataUrl);
      await itPage.getByRole('textbox', { name: 'Connection name' }).fill('Acme Dev IdP');
      await itPage.getByRole('button', { name: 'Create connection' }).click();
      const createdNotice = itPage.getByText('The connection was created. Now test it');
      await createdNotice.waitFor();
      assert.match((await statuses(page))['acme.com']!, /^Configured Connection made; not tested yet\./);

      // A successful test: the "now test it" notice goes, the completion banner comes.
      await runTest(it, 'alice@acme.com');
      await itPage.getByRole('heading', { name: COMPLETE }).waitFor();
      assert.equal(await createdNotice.count(), 0, 'the "created, now test it" notice is gone after the test');
      assert.match((await statuses(page))['acme.com']!, /^Live A test sign-in succeeded\./);

      // A failed re-test (no email): the banner goes, on this page and after a reload.
      await runTest(it, '');
      await itPage.getByRole('heading', { name: COMPLETE }).waitFor({ state: 'detached' });
      assert.match(await itPage.locator('.result--bad').innerText(), /How to fix it/);
      await checkScreen(itPage, '151-setup-page-sso-failed-retest-no-banner');
      await itPage.reload();
      await itPage.getByRole('heading', { level: 3, name: 'Acme Dev IdP' }).waitFor();
      await itPage.locator('.loading').first().waitFor({ state: 'detached' }).catch(() => {});
      assert.equal(await itPage.getByRole('heading', { name: COMPLETE }).count(), 0, 'a reload keeps following the latest test');

      const tested = await statuses(page);
      assert.match(tested['acme.com']!, /^Tested Last test failed: .*email/i);
      assert.match(tested['globex.com']!, /^Not opened/);
      await checkScreen(page, '152-setup-links-status-tested');

      // The status filter (kept in the URL): each status lists exactly its links.
      await page.getByRole('combobox', { name: 'Status' }).selectOption('tested');
      await page.waitForURL(/status=tested/);
      await page.getByRole('row', { name: /globex\.com/ }).waitFor({ state: 'detached' });
      assert.deepEqual(Object.keys(await statuses(page, '?status=tested')), ['acme.com']);
      await checkScreen(page, '153-setup-links-status-filter-tested');
      assert.deepEqual(Object.keys(await statuses(page, '?status=not_opened')), ['globex.com']);
      assert.deepEqual(await statuses(page, '?status=live'), {});
      await page.getByRole('heading', { name: 'No setup link matches this filter (Live)' }).waitFor();

      // A new success brings the banner back, and the link back to Live.
      await runTest(it, 'alice@acme.com');
      await itPage.getByRole('heading', { name: COMPLETE }).waitFor();
      await checkScreen(itPage, '154-setup-page-sso-retest-complete');
      assert.deepEqual(Object.keys(await statuses(page, '?status=live')), ['acme.com']);

      // The link's own page in the portal: each milestone with its time.
      await page.getByRole('link', { name: 'View Acme IT' }).click();
      const progress = page.getByRole('region', { name: 'Progress' });
      await progress.waitFor();
      const text = await progress.innerText();
      for (const label of ['Opened by the customer', 'Connection made', 'Last test sign-in', 'First successful test']) assert.match(text, new RegExp(label));
      assert.match(text, /Succeeded/);
      assert.doesNotMatch(text, /never/);
      await checkScreen(page, '155-setup-link-view-progress');
    } finally {
      await it.close();
    }
    assertNoProblems(portal);
  });

  it('Directory Sync: the list follows the IdP\'s first request and push; failing deliveries send the IT admin to the vendor', async () => {
    const { page } = portal;
    // Nothing listens on port 9 (discard): every delivery to this webhook fails.
    const made = await mgmt('POST', '/api/v1/dsync/setuplinks', { tenant: 'acme.com', product: PRODUCT, name: 'Acme directory', webhook_url: 'http://127.0.0.1:9/hooks', webhook_secret: 'whsec-progress-0123456789' });
    const it = await openFreshBrowser(portal);
    try {
      const itPage = it.page;
      await itPage.goto(made.data.url);
      await itPage.getByRole('heading', { name: 'No directory yet' }).waitFor();
      await itPage.getByRole('button', { name: 'New Directory' }).click();
      await itPage.getByLabel('Directory provider').selectOption({ label: 'Okta' });
      await itPage.getByRole('textbox', { name: 'Name' }).fill('Acme Okta');
      await itPage.getByRole('button', { name: 'Create directory' }).click();
      await itPage.getByRole('heading', { name: 'Directory created: connect Okta' }).waitFor();
      const endpoint = await itPage.getByRole('textbox', { name: 'SCIM endpoint', exact: true }).inputValue();
      const token = await itPage.getByRole('textbox', { name: 'Bearer token' }).inputValue();
      assert.match((await statuses(page, '', 'dsync'))['acme.com']!, /^Configured Directory made; no SCIM request received yet\./);

      const scim = (method: string, path: string, body?: object) =>
        fetch(`${endpoint}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' }, body: body ? JSON.stringify(body) : undefined });
      assert.equal((await scim('GET', '/Users?filter=userName%20eq%20%22jane%40acme.com%22')).status, 200);
      await waitUntil(async () => /^Tested/.test((await statuses(page, '', 'dsync'))['acme.com']!));
      assert.equal((await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'jane@acme.com', active: true })).status, 201);
      await waitUntil(async () => /^Live The IdP pushed users or groups\./.test((await statuses(page, '', 'dsync'))['acme.com']!));
      await checkScreen(page, '156-setup-links-dsync-status-live');

      // The event for jane cannot be delivered: the link page (refreshing itself) says whom to ask, not why.
      const notice = itPage.getByText('Changes from your directory are not reaching the application right now.');
      await notice.waitFor({ timeout: 20_000 });
      const text = await itPage.locator('main').innerText();
      assert.match(text, /contact the vendor who sent you this link/);
      assert.doesNotMatch(text, /127\.0\.0\.1:9|OUTBOUND_ALLOW_HOSTS|webhook_url|ECONNREFUSED/);
      await checkScreen(itPage, '157-setup-page-dsync-delivery-failing');
    } finally {
      await it.close();
    }
    assertNoProblems(portal);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
