/**
 * Setup Links end to end in real browsers, as a vendor admin and a customer's IT admin would do it.
 * SSO: the vendor signs in, creates an SSO link, regenerates it (the old URL dies), copies it; the IT admin
 * opens it in a fresh browser, creates a SAML connection from the dev IdP's metadata URL, tests it (new tab →
 * dev IdP "Sign in as" → result, and the profile back on the link page), copies the one-click link, and an end
 * user opening it lands in the example app signed in. Directory Sync: the vendor creates a link with a webhook
 * to a real receiver; the IT admin creates a directory, copies the endpoint and token; a SCIM client provisions
 * a user; the signed webhook arrives and the link page shows provisioning started. Dead links get a clear page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { assertNoProblems, browserUnavailable, checkScreen, openFreshBrowser, signIn, startPortal, type Portal } from './support/portal.ts';
import { API_KEY, freePort } from '../support/gatehouse.ts';
import { startDevIdp } from '../../examples/app/dev-idp.ts';
import { startExampleApp } from '../../examples/app/server.ts';
import { verifyWebhookSignature } from '../../src/directory-sync/webhooks/signer.ts';

const skip = browserUnavailable();
const TENANT = 'acme.com';
const PRODUCT = 'crm';
const WEBHOOK_SECRET = 'whsec-vendor-setup-link-0123456789';

/** Opens an entry of the main navigation inside one menu group (both menus have a "Setup Links"). */
async function openFromMenu(page: Page, group: string, link: string, heading: string) {
  await page.getByRole('navigation', { name: 'Main' }).locator('.sidenav__group', { has: page.getByRole('heading', { name: group }) }).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

describe('Setup Links: vendor portal and customer link page', { skip: skip ?? false }, () => {
  let portal: Portal;
  let idp: Awaited<ReturnType<typeof startDevIdp>>;
  let app: Awaited<ReturnType<typeof startExampleApp>>;
  let hooks: Server;
  let webhookUrl = '';
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const mgmt = (method: string, path: string, body?: unknown) =>
    fetch(portal.url(path), { method, headers: { authorization: `Api-Key ${API_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  before(async () => {
    portal = await startPortal({ deliverWebhooks: true, env: { WEBHOOK_RETRY_BASE_MS: '50' } });
    idp = await startDevIdp({ port: 0, host: '127.0.0.1' });
    const appPort = await freePort();
    // localhost (not 127.0.0.1): the app's cookies then never mix with Gatehouse's, whatever the ports.
    app = await startExampleApp({ gatehouseUrl: portal.gh.baseUrl, port: appPort, host: '127.0.0.1', appUrl: `http://localhost:${appPort}`, tenant: TENANT, product: PRODUCT });
    // The vendor's app: its one-click sign-ins start at the app's /login (initiate_login_uri).
    const p = await mgmt('POST', '/api/v1/products', { product: PRODUCT, name: 'Acme CRM', defaultRedirectUrl: `${app.url}/me`, initiateLoginUri: `${app.url}/login` });
    assert.equal(p.status, 201, await p.text());
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', () => r()));
    webhookUrl = `http://127.0.0.1:${(hooks.address() as { port: number }).port}/webhooks/gatehouse`;
    await signIn(portal);
  });
  after(async () => {
    await app?.close();
    await idp?.close();
    await new Promise((r) => (hooks ? hooks.close(r) : r(undefined)));
    await portal?.close();
  });

  it('SSO: vendor creates, regenerates and copies a link; the IT admin connects and tests the IdP; the one-click link signs a user in to the app', async () => {
    const { page } = portal;
    // Vendor: Enterprise SSO → Setup Links → New Setup Link.
    await openFromMenu(page, 'Enterprise SSO', 'Setup Links', 'Setup Links');
    await page.getByRole('heading', { name: 'No setup links yet' }).waitFor();
    await checkScreen(page, '60-setup-links-sso-empty');
    await page.getByRole('link', { name: 'New Setup Link' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New Setup Link' }).waitFor();
    assert.equal(await page.getByRole('spinbutton', { name: /^Expires after \(days\)/ }).inputValue(), '3');
    // A bad redirect URL is named by its label before anything is sent.
    await page.getByRole('textbox', { name: /^Tenant/ }).fill(TENANT);
    await page.getByRole('textbox', { name: /^Product/ }).fill(PRODUCT);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Acme IT');
    await page.getByRole('textbox', { name: 'Description' }).fill('Single sign-on for the Acme CRM rollout. Questions: success@vendor.example');
    await page.getByRole('textbox', { name: 'Default redirect URL' }).fill('not a url');
    await page.getByRole('button', { name: 'Create setup link' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Default redirect URL[\s\S]*full URL/);
    await checkScreen(page, '61-setup-link-new-sso-error');
    await page.getByRole('textbox', { name: 'Default redirect URL' }).fill(`${app.url}/me`);
    await page.getByRole('textbox', { name: 'Allowed redirect URLs' }).fill(`${app.url}/callback`);
    await page.getByRole('button', { name: 'Create setup link' }).click();

    await page.getByRole('heading', { level: 1, name: 'Acme IT' }).waitFor();
    await page.getByText('The setup link was created.').waitFor();
    const firstUrl = await page.getByRole('textbox', { name: 'Setup link URL' }).inputValue();
    assert.match(firstUrl, new RegExp(`^${portal.gh.baseUrl}/setup/[A-Za-z0-9_-]{43,}$`));
    assert.match(await page.getByRole('region', { name: 'Link info' }).innerText(), /Expires/);
    await checkScreen(page, '62-setup-link-sso-created');

    // Regenerate (with confirmation): a new URL at once, and the old one stops working.
    await page.getByRole('button', { name: 'Regenerate Acme IT' }).click();
    await page.getByRole('dialog', { name: 'Regenerate this setup link?' }).waitFor();
    await checkScreen(page, '63-setup-link-regenerate-dialog');
    await page.getByRole('button', { name: 'Regenerate link' }).click();
    await page.getByText('A new URL was issued.').waitFor();
    const url = await page.getByRole('textbox', { name: 'Setup link URL' }).inputValue();
    assert.notEqual(url, firstUrl);
    // Copy: what the vendor pastes into an email is exactly the URL shown.
    await page.getByRole('button', { name: 'Copy Setup link URL' }).click();
    assert.equal(await clipboard(page), url);

    // The list: name, tenant, product, expiry and the four actions.
    await openFromMenu(page, 'Enterprise SSO', 'Setup Links', 'Setup Links');
    const row = page.getByRole('row', { name: /Acme IT/ });
    assert.match(await row.innerText(), new RegExp(`Acme IT\\s+${TENANT}\\s+${PRODUCT}`));
    for (const name of ['Copy setup link URL of Acme IT', 'View Acme IT', 'Regenerate Acme IT', 'Delete Acme IT']) await row.getByRole(name.startsWith('View') ? 'link' : 'button', { name }).waitFor();
    await row.getByRole('button', { name: 'Copy setup link URL of Acme IT' }).click();
    assert.equal(await clipboard(page), url);
    await checkScreen(page, '64-setup-links-sso-list');

    // The IT admin, in a FRESH browser (no session, no cookies).
    const it = await openFreshBrowser(portal);
    try {
      const itPage = it.page;
      await itPage.goto(firstUrl);
      await itPage.getByRole('heading', { level: 1, name: 'This setup link does not work' }).waitFor();
      assert.match(await itPage.getByRole('alert').innerText(), /Ask your vendor contact for a new link/);
      await checkScreen(itPage, '65-setup-page-dead-link-regenerated');

      await itPage.goto(url);
      await itPage.getByRole('heading', { level: 1, name: 'Set up single sign-on' }).waitFor();
      // No connection yet: the page lands straight on creating one.
      await itPage.getByRole('heading', { name: 'Connect your identity provider' }).waitFor();
      assert.match(await itPage.locator('main').innerText(), /Acme CRM[\s\S]*Acme IT: Single sign-on for the Acme CRM rollout/);
      await checkScreen(itPage, '66-setup-page-sso-new-okta');
      // Keyboard: the IdP choice is a radio group (arrow keys move and select).
      await itPage.getByRole('radio', { name: 'Okta' }).focus();
      await itPage.keyboard.press('ArrowUp');
      await itPage.keyboard.press('ArrowUp');
      assert.ok(await itPage.getByRole('radio', { name: 'Other SAML 2.0 provider' }).isChecked());
      await itPage.getByRole('heading', { name: 'In Other SAML 2.0 provider' }).waitFor();
      // What the IdP needs, each with Copy.
      const acs = await itPage.getByRole('textbox', { name: 'ACS URL' }).inputValue();
      assert.equal(acs, `${portal.gh.baseUrl}/api/oauth/saml`);
      await itPage.getByRole('button', { name: 'Copy ACS URL' }).click();
      assert.equal(await clipboard(itPage), acs);
      for (const label of ['SP entity ID', 'SP metadata URL']) assert.ok(await itPage.getByRole('textbox', { name: label }).inputValue());

      // Pasting our own SP metadata instead of the IdP's: the API's problem JSON names the field and the mistake.
      const spMetadata = await (await fetch(portal.url('/.well-known/sp-metadata'))).text();
      await itPage.getByRole('textbox', { name: 'Metadata XML' }).fill(spMetadata);
      await itPage.getByRole('button', { name: 'Create connection' }).click();
      const alert = itPage.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.innerText(), /Metadata XML[\s\S]*service provider metadata/);
      await checkScreen(itPage, '67-setup-page-sso-metadata-error');

      // The dev IdP's metadata URL (Gatehouse may fetch 127.0.0.1: OUTBOUND_ALLOW_HOSTS).
      await itPage.getByRole('radio', { name: 'Metadata URL' }).check();
      await itPage.getByRole('textbox', { name: 'Identity provider metadata URL' }).fill(idp.metadataUrl);
      await itPage.getByRole('textbox', { name: 'Connection name' }).fill('Acme Dev IdP');
      await itPage.getByRole('button', { name: 'Create connection' }).click();
      await itPage.getByText('The connection was created.').waitFor();
      await itPage.getByRole('heading', { level: 3, name: 'Acme Dev IdP' }).waitFor();
      await checkScreen(itPage, '68-setup-page-sso-connection-created');
      // The page tells the IT admin the truth about the URL: fetched again on a schedule, when last.
      assert.match(await itPage.getByTestId('metadata-freshness').innerText(), /fetches the metadata from its URL again every 6 hours, so certificate rollovers published there need no action\. Last fetched/);

      // Test connection: a real SP-initiated sign-in in a new tab.
      const [tab] = await Promise.all([it.context.waitForEvent('page'), itPage.getByRole('button', { name: 'Test connection Acme Dev IdP' }).click()]);
      await tab.getByRole('heading', { name: 'Sign in as' }).waitFor();
      await tab.screenshot({ path: 'test-results/browser/69-setup-test-dev-idp-sign-in-as.png', fullPage: true }); // the dev IdP's page: not ours, no axe
      await tab.getByLabel('Email').fill('alice@acme.com');
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await tab.getByRole('heading', { level: 1, name: 'The test sign-in worked' }).waitFor();
      assert.match(tab.url(), /\/setup\/test-result\//);
      await checkScreen(tab, '70-setup-test-result-tab');
      await tab.close();

      // Back on the link page: the profile received, then the links to hand out.
      await itPage.getByRole('heading', { level: 3, name: 'The test sign-in worked' }).waitFor();
      const result = await itPage.locator('.result--good').innerText();
      assert.match(result, /alice@acme\.com/);
      assert.match(result, /Alice/);
      assert.match(result, /Liddell/);
      await itPage.getByRole('heading', { name: 'Setup complete: give your users these links' }).waitFor();
      const oneClick = await itPage.getByRole('textbox', { name: 'One-click sign-in link' }).inputValue();
      await itPage.getByRole('button', { name: 'Copy One-click sign-in link' }).click();
      assert.equal(await clipboard(itPage), oneClick);
      assert.match(oneClick, /\/login\/sso\?enterprise_key=acme\.com&product=crm$/);
      assert.match(await itPage.getByRole('textbox', { name: 'Invite link' }).inputValue(), /\/login\/sso\/invite\?/);
      await checkScreen(itPage, '71-setup-page-sso-tested-complete');

      // An end user (another fresh browser) opens the one-click link and lands in the app, signed in.
      const user = await openFreshBrowser(portal);
      try {
        await user.page.goto(oneClick);
        await user.page.getByRole('heading', { name: 'Sign in as' }).waitFor();
        await user.page.getByLabel('Email').fill('bob@acme.com');
        await user.page.getByLabel('First name').fill('Bob');
        await user.page.getByLabel('Last name').fill('Builder');
        await user.page.getByRole('button', { name: 'Sign in' }).click();
        await user.page.getByRole('heading', { level: 1, name: 'Welcome, Bob Builder' }).waitFor();
        assert.equal(new URL(user.page.url()).pathname, '/me');
        assert.ok(user.page.url().startsWith(app.url));
        assert.match(await user.page.locator('body').innerText(), /bob@acme\.com/);
        await user.page.screenshot({ path: 'test-results/browser/72-one-click-user-signed-in-app.png', fullPage: true });
      } finally {
        await user.close();
      }

      // The vendor deletes the link: the IT admin's open page turns into the dead-link page at its next request.
      await page.getByRole('row', { name: /Acme IT/ }).getByRole('button', { name: 'Delete Acme IT' }).click();
      await page.getByRole('button', { name: 'Delete link' }).click();
      await page.getByRole('heading', { name: 'No setup links yet' }).waitFor();
      await itPage.getByRole('button', { name: 'Edit Acme Dev IdP' }).click();
      await itPage.getByRole('button', { name: 'Save changes' }).click();
      await itPage.getByRole('heading', { level: 1, name: 'This setup link does not work' }).waitFor();
    } finally {
      await it.close();
    }
    assertNoProblems(portal);
  });

  it('Directory Sync: vendor link with a webhook; the IT admin creates a directory; SCIM provisioning reaches the webhook and shows on the page', async () => {
    const { page } = portal;
    await openFromMenu(page, 'Directory Sync', 'Setup Links', 'Setup Links');
    await page.getByRole('link', { name: 'New Setup Link' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New Setup Link' }).waitFor();
    await page.getByRole('textbox', { name: /^Tenant/ }).fill(TENANT);
    await page.getByRole('textbox', { name: /^Product/ }).fill(PRODUCT);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Acme directory');
    await page.getByRole('textbox', { name: 'Webhook URL' }).fill(webhookUrl);
    await page.getByRole('button', { name: 'Create setup link' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Webhook secret[\s\S]*signs every event/);
    await page.getByLabel(/^Webhook secret/).fill(WEBHOOK_SECRET);
    await checkScreen(page, '73-setup-link-new-dsync');
    await page.getByRole('button', { name: 'Create setup link' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme directory' }).waitFor();
    const url = await page.getByRole('textbox', { name: 'Setup link URL' }).inputValue();
    await page.getByRole('button', { name: 'Copy Setup link URL' }).click();
    assert.equal(await clipboard(page), url);
    assert.match(await page.locator('main').innerText(), /Webhook secret\s+set \(never shown\)/);
    assert.doesNotMatch(await page.content(), new RegExp(WEBHOOK_SECRET));
    await checkScreen(page, '74-setup-link-dsync-created');

    const it = await openFreshBrowser(portal);
    try {
      const itPage = it.page;
      await itPage.goto(url);
      await itPage.getByRole('heading', { level: 1, name: 'Set up directory sync' }).waitFor();
      await itPage.getByRole('heading', { name: 'No directory yet' }).waitFor();
      assert.doesNotMatch(await itPage.content(), /webhooks\/gatehouse|whsec-/, 'the vendor\u2019s webhook is never shown to the IT admin');
      await checkScreen(itPage, '75-setup-page-dsync-empty');
      await itPage.getByRole('button', { name: 'New Directory' }).click();
      await itPage.getByLabel('Directory provider').selectOption({ label: 'Okta' });
      await itPage.getByRole('textbox', { name: 'Name' }).fill('Acme Okta');
      await checkScreen(itPage, '76-setup-page-dsync-new');
      await itPage.getByRole('button', { name: 'Create directory' }).click();

      await itPage.getByRole('heading', { name: 'Directory created: connect Okta' }).waitFor();
      assert.match(await itPage.locator('.once').innerText(), /shown only this once/);
      const endpoint = await itPage.getByRole('textbox', { name: 'SCIM endpoint', exact: true }).inputValue();
      const token = await itPage.getByRole('textbox', { name: 'Bearer token' }).inputValue();
      assert.match(endpoint, /\/api\/scim\/v2\.0\//);
      await itPage.getByRole('button', { name: 'Copy Bearer token' }).click();
      assert.equal(await clipboard(itPage), token);
      await itPage.getByRole('button', { name: 'Copy SCIM endpoint', exact: true }).click();
      assert.equal(await clipboard(itPage), endpoint);
      assert.match(await itPage.locator('.once').innerText(), /SCIM connector base URL/);
      await itPage.getByText('Waiting for your identity provider').waitFor();
      await checkScreen(itPage, '77-setup-page-dsync-created-token-once');

      // The customer's IdP (a SCIM client) provisions a user with what the page showed.
      const r = await fetch(`${endpoint}/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'jane@acme.com', name: { givenName: 'Jane', familyName: 'Doe' }, emails: [{ value: 'jane@acme.com', primary: true }], active: true }),
      });
      assert.equal(r.status, 201, await r.clone().text());

      // The vendor's webhook gets the event, signed with the link's secret.
      const deadline = Date.now() + 15_000;
      while (!received.some((h) => h.body.includes('jane@acme.com')) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
      const hook = received.find((h) => h.body.includes('jane@acme.com'));
      assert.ok(hook, 'the webhook arrived');
      const sig = hook.headers['gatehouse-signature'] ?? hook.headers['boxyhq-signature'];
      assert.ok(typeof sig === 'string' && sig.length > 0, 'the webhook carries a signature header');
      assert.ok(verifyWebhookSignature(WEBHOOK_SECRET, sig, hook.body, Date.now()), 'signed with the secret given on the link');
      assert.match(hook.body, /"event":"user\.created"/);

      // The link page shows that provisioning started (it refreshes on its own).
      await itPage.getByRole('button', { name: 'I have copied the token' }).click();
      await itPage.getByText('Provisioning started').waitFor({ timeout: 15_000 });
      assert.match(await itPage.locator('.card').first().innerText(), /1 user, 0 groups · last activity/);
      await checkScreen(itPage, '78-setup-page-dsync-provisioning-started');

      // Rotate the token (with a warning): the old one stops working at once.
      await itPage.getByRole('button', { name: 'Rotate token of Acme Okta' }).click();
      const dialog = itPage.getByRole('dialog', { name: 'Rotate the bearer token?' });
      assert.match(await dialog.innerText(), /fails until you paste the new token/);
      await checkScreen(itPage, '79-setup-page-dsync-rotate-dialog');
      await dialog.getByRole('button', { name: 'Rotate token' }).click();
      await itPage.getByRole('heading', { name: 'New bearer token' }).waitFor();
      const rotated = await itPage.getByRole('textbox', { name: 'Bearer token' }).inputValue();
      assert.notEqual(rotated, token);
      const old = await fetch(`${endpoint}/Users`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(old.status, 401);
      const fresh = await fetch(`${endpoint}/Users`, { headers: { authorization: `Bearer ${rotated}` } });
      assert.equal(fresh.status, 200);
      await itPage.getByRole('button', { name: 'I have copied the token' }).click();

      // Delete the directory.
      await itPage.getByRole('button', { name: 'Delete Acme Okta' }).click();
      await itPage.getByRole('button', { name: 'Delete directory' }).click();
      await itPage.getByRole('heading', { name: 'No directory yet' }).waitFor();
    } finally {
      await it.close();
    }

    // An expired link: a clear page that says to ask the vendor for a new one.
    const expiring = await mgmt('POST', '/api/v1/dsync/setuplinks', { tenant: 'globex.com', product: PRODUCT, expiryDays: 0.00002 });
    assert.equal(expiring.status, 201);
    const expiredUrl = ((await expiring.json()) as { data: { url: string } }).data.url;
    await new Promise((res) => setTimeout(res, 2000));
    const other = await openFreshBrowser(portal);
    try {
      await other.page.goto(expiredUrl);
      await other.page.getByRole('heading', { level: 1, name: 'This setup link has expired' }).waitFor();
      assert.match(await other.page.getByRole('alert').innerText(), /Ask your vendor contact for a new link/);
      await checkScreen(other.page, '80-setup-page-expired');
    } finally {
      await other.close();
    }
    // The vendor's list marks it expired.
    await openFromMenu(page, 'Directory Sync', 'Setup Links', 'Setup Links');
    assert.match(await page.getByRole('row', { name: /globex\.com/ }).innerText(), /Expired/);
    await checkScreen(page, '81-setup-links-dsync-list-expired');
    assertNoProblems(portal);
  });
});
