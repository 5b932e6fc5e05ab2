/**
 * Portal administration in a real browser: products and tenants (a domain's TXT record and Verify against a
 * real DNS server), API keys (shown once, used on the management API, revoked), the audit log (search,
 * CSV/JSON export), admins with the lockout guard, and branding (colour applied through a CSS property).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import { assertNoProblems, auditActions, browserUnavailable, checkScreen, openFromNav, signIn, startPortal, type Portal } from './support/portal.ts';

const skip = browserUnavailable();

describe('admin portal: products, tenants, API keys, audit log, admins, branding', { skip: skip ?? false }, () => {
  let portal: Portal;
  let dns: TestDnsServer;
  before(async () => {
    dns = await startDnsServer();
    portal = await startPortal({ env: { DNS_SERVERS: dns.address } });
    await signIn(portal);
  });
  after(async () => {
    await portal?.close();
    await dns?.close();
  });

  it('adds and edits a product', async () => {
    const { page } = portal;
    await openFromNav(page, 'Products');
    await page.getByRole('heading', { name: 'No products yet' }).waitFor();
    await page.getByRole('textbox', { name: /^Product identifier/ }).fill('crm');
    await page.getByRole('textbox', { name: 'Default redirect URL' }).fill('not a url');
    await page.getByRole('button', { name: 'Add product' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Default redirect URL[\s\S]*full URL/);
    await page.getByRole('textbox', { name: 'Default redirect URL' }).fill('https://crm.vendor.example/callback');
    await page.getByRole('button', { name: 'Add product' }).click();
    await page.getByText('Product crm added.').waitFor();
    await checkScreen(page, '30-products');
    await page.getByRole('link', { name: 'crm', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Product crm' }).waitFor();
    await page.getByRole('textbox', { name: 'Display name' }).fill('Vendor CRM');
    await page.getByRole('textbox', { name: /^Initiate login URI/ }).fill('https://crm.vendor.example/login');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    await checkScreen(page, '31-product-edit');
    assertNoProblems(portal);
  });

  it('adds a tenant, shows the TXT record for its domain and verifies it', async () => {
    const { page } = portal;
    await openFromNav(page, 'Tenants');
    await page.getByRole('textbox', { name: /^Tenant identifier/ }).fill('acme.com');
    await page.getByRole('textbox', { name: /^Enterprise key/ }).fill('acme');
    await page.getByRole('button', { name: 'Add tenant' }).click();
    await page.getByText('Tenant acme.com added.').waitFor();
    await checkScreen(page, '32-tenants');
    await page.getByRole('link', { name: 'acme.com' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tenant acme.com' }).waitFor();
    await page.getByRole('heading', { name: 'No domains claimed' }).waitFor();
    await page.getByRole('textbox', { name: 'Domain' }).fill('acme.com');
    await page.getByRole('button', { name: 'Add domain' }).click();
    const name = await page.getByRole('textbox', { name: 'TXT record name for acme.com' }).inputValue();
    const value = await page.getByRole('textbox', { name: 'TXT record value for acme.com' }).inputValue();
    assert.ok(name.endsWith('acme.com') && value.length > 10);

    await page.getByRole('button', { name: 'Verify acme.com' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /acme\.com/);
    await checkScreen(page, '33-tenant-domain-unverified');

    dns.txt.set(name.toLowerCase(), [value]);
    await page.getByRole('button', { name: 'Verify acme.com' }).click();
    await page.getByText('acme.com is verified.').waitFor();
    await page.locator('.domain').getByText('Verified', { exact: true }).waitFor();
    await checkScreen(page, '34-tenant-domain-verified');
    assertNoProblems(portal);
  });

  it('creates API keys shown once, which the management API accepts until revoked', async () => {
    const { page } = portal;
    await openFromNav(page, 'API keys');
    // The test server has one API_KEYS key: the page says it exists (never shows it) and that none was made here.
    await page.getByRole('heading', { name: 'No API keys created in the portal yet' }).waitFor();
    assert.match(await page.locator('main').innerText(), /1 bootstrap key is set in the API_KEYS environment variable/);
    assert.doesNotMatch(await page.content(), /test-api-key-0123456789/);
    await page.getByRole('textbox', { name: /^Name/ }).fill('CI deploys');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByRole('textbox', { name: 'API key' }).inputValue();
    assert.match(key, /^gh_/);
    assert.match(await page.locator('.once').innerText(), /shown only this once/);
    await checkScreen(page, '35-api-key-created');
    const list = await fetch(portal.url('/api/v1/sso?tenant=acme.com&product=crm'), { headers: { authorization: `Api-Key ${key}` } });
    assert.equal(list.status, 200);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await page.getByRole('textbox', { name: 'API key' }).count(), 0);

    // A scoped key: only dsync:read on acme.com.
    await page.getByRole('textbox', { name: /^Name/ }).fill('Acme dsync reader');
    await page.getByRole('radio', { name: /^Scoped/ }).check();
    await page.getByRole('textbox', { name: /^Tenants/ }).fill('acme.com');
    await page.getByLabel(/sso:read/).uncheck();
    await page.getByLabel(/dsync:read/).check();
    await checkScreen(page, '36-api-key-scoped-form');
    await page.getByRole('button', { name: 'Create key' }).click();
    const scoped = await page.getByRole('textbox', { name: 'API key' }).inputValue();
    const refused = await fetch(portal.url('/api/v1/sso?tenant=acme.com&product=crm'), { headers: { authorization: `Api-Key ${scoped}` } });
    assert.equal(refused.status, 403);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('cell', { name: /dsync:read · tenants acme\.com/ }).waitFor();
    await checkScreen(page, '37-api-keys');

    await page.getByRole('button', { name: 'Revoke CI deploys' }).click();
    await page.getByRole('dialog', { name: /Revoke/ }).getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('dialog', { name: /Revoke/ }).waitFor({ state: 'hidden' });
    await page.waitForFunction(() => !document.body.innerText.includes('CI deploys'));
    const after = await fetch(portal.url('/api/v1/sso?tenant=acme.com&product=crm'), { headers: { authorization: `Api-Key ${key}` } });
    assert.equal(after.status, 401);
    assertNoProblems(portal);
  });

  it('keeps the last owner who can sign in without SSO: the lockout guard refusal is shown', async () => {
    const { page } = portal;
    await openFromNav(page, 'Admins');
    const ownerRow = page.locator('tr').filter({ hasText: 'owner@vendor.example' });
    await ownerRow.getByLabel(/Role of owner@vendor\.example/).selectOption('admin');
    const alert = page.getByRole('alert').filter({ hasText: 'lockout guard' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /Refused by the lockout guard/);
    await checkScreen(page, '38-admins-lockout-guard');
    assert.equal(await ownerRow.getByLabel(/Role of/).inputValue(), 'owner');

    await page.getByRole('button', { name: 'Remove owner@vendor.example' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove admin' }).click();
    await page.getByRole('alert').filter({ hasText: 'lockout guard' }).waitFor();

    // Another admin, SSO-only (no password), then promoted to viewer and removed.
    await page.getByRole('textbox', { name: /^Email/ }).fill('bob@vendor.example');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Bob');
    await page.getByRole('button', { name: 'Add admin' }).click();
    await page.getByText('bob@vendor.example added.').waitFor();
    const bob = page.locator('tr').filter({ hasText: 'bob@vendor.example' });
    assert.match(await bob.innerText(), /SSO only/);
    await bob.getByLabel(/Role of/).selectOption('viewer');
    await page.getByText('bob@vendor.example is now viewer.').waitFor();
    await page.getByRole('button', { name: 'Remove bob@vendor.example' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove admin' }).click();
    await page.getByText('bob@vendor.example removed.').waitFor();
    // Issue 11: an owner links an account with a password to SSO.
    // A controlled checkbox: it turns on when the server has answered, so click (check() wants the state at once).
    await ownerRow.getByRole('checkbox', { name: /Linked to SSO: owner@vendor\.example/ }).click();
    await page.getByText('owner@vendor.example can now sign in with SSO.').waitFor();
    // The message shows when the server has answered; the box shows the list as read again after it.
    await ownerRow.getByRole('checkbox', { name: /Linked to SSO: owner@vendor\.example/, checked: true }).waitFor();
    assert.equal(await ownerRow.getByRole('checkbox').isChecked(), true);
    await checkScreen(page, '39-admins');
    assertNoProblems(portal);
  });

  it('applies the branding colour through a CSS custom property and records every action in the audit log', async () => {
    const { page } = portal;
    await openFromNav(page, 'Branding');
    await page.getByRole('textbox', { name: /^Product name/ }).fill('Vendor Identity');
    await page.getByRole('textbox', { name: /^Primary colour/ }).fill('red');
    await page.getByRole('button', { name: 'Save branding' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Primary colour[\s\S]*#3b3b98/);
    await page.getByRole('textbox', { name: /^Primary colour/ }).fill('#0b6e4f');
    await page.getByRole('button', { name: 'Save branding' }).click();
    await page.getByText('Branding saved.').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.style.getPropertyValue('--brand')), '#0b6e4f');
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.topbar')!).backgroundColor), 'rgb(11, 110, 79)');
    await page.reload();
    await page.getByRole('banner').getByText('Vendor Identity').waitFor();
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.topbar')!).backgroundColor), 'rgb(11, 110, 79)');
    await checkScreen(page, '40-branding');

    // The audit log: every action above, searchable, exportable.
    const all = await auditActions(page, portal);
    for (const a of ['product.created', 'product.updated', 'tenant.created', 'tenant.domain.added', 'tenant.domain.verified', 'admin.api_key.created', 'admin.api_key.revoked', 'admin.account.created', 'admin.account.updated', 'admin.account.deleted', 'admin.branding.updated']) {
      assert.ok(all.includes(a), `audit log shows ${a}: ${all.join(', ')}`);
    }
    await checkScreen(page, '41-audit-log');
    await page.getByLabel('Action').fill('admin.api_key.created');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/action=admin\.api_key\.created/);
    await page.waitForFunction(() => [...document.querySelectorAll('table tbody tr td:nth-child(3)')].every((td) => td.textContent === 'admin.api_key.created'));
    assert.equal(await page.locator('table tbody tr').count(), 2);
    await page.locator('table tbody tr').first().getByText('Before and after').click();
    assert.doesNotMatch(await page.locator('table tbody').innerText(), /gh_[A-Za-z0-9]{20,}/);
    await checkScreen(page, '42-audit-log-filtered');

    const csv = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csvText = readFileSync((await (await csv).path())!, 'utf8');
    assert.match(csvText, /admin\.api_key\.created/);
    assert.doesNotMatch(csvText, /admin\.branding\.updated/);
    const json = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const rows = JSON.parse(readFileSync((await (await json).path())!, 'utf8')) as { action: string }[];
    assert.equal(rows.length, 2);
    assertNoProblems(portal);
  });
});
