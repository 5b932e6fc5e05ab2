/**
 * Issue 16 §3–4 in a real browser: the portal's Reconciliation & roles page (the four lists with their fixes, the
 * CSV download, the group-to-role mapping with its dry run before Save), and the same mapping editor on the SSO
 * setup-link page, which shows only the link's tenant. Screenshots and axe on each screen.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { API_KEY } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { createDirectory, scimClient } from '../support/scim.ts';
import { assertNoProblems, browserUnavailable, checkScreen, openFromNav, signIn, startPortal, type Portal } from './support/portal.ts';

const skip = browserUnavailable();

describe('admin portal: reconciliation and roles', { skip: skip ?? false }, () => {
  let portal: Portal;
  let idp: TestIdp;
  before(async () => {
    portal = await startPortal();
    const { gh } = portal;
    const api = (method: 'POST', url: string, payload: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, payload });
    assert.equal((await api('POST', '/api/v1/products', { product: 'crm', name: 'CRM', roles: [{ key: 'admin', name: 'Administrator' }, { key: 'viewer', name: 'Viewer' }] })).statusCode, 201);
    const scim = scimClient(gh, await createDirectory(gh));
    const ann = (await scim('POST', '/Users', { userName: 'ann@acme.com', emails: [{ value: 'ann@acme.com', primary: true }] })).body.id;
    await scim('POST', '/Users', { userName: 'bob@acme.com', emails: [{ value: 'bob@acme.com', primary: true }] });
    await scim('POST', '/Groups', { displayName: 'Engineering', members: [{ value: ann }] });
    const globex = scimClient(gh, await createDirectory(gh, { tenant: 'globex.com', name: 'Globex' }));
    await globex('POST', '/Groups', { displayName: 'Globex Secret Admins' });
    idp = await createTestIdp();
    const conn = await createSamlConnection(gh.app, idp);
    const q = { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: 'openid' };
    for (const [nameId, email] of [['ann@acme.com', 'ann@acme.com'], ['=cmd|calc', 'zed@acme.com']]) {
      const { acs } = await samlRound(gh, idp, q, { nameId, attributes: { email, groups: ['Engineering', 'Sales'] } });
      assert.equal(acs.statusCode, 302, acs.body);
    }
    await signIn(portal);
  });
  after(async () => portal?.close());

  it('reconciliation: the four lists with fixes, and a formula-safe CSV', async () => {
    const { page } = portal;
    await openFromNav(page, 'Reconciliation & roles');
    await checkScreen(page, '95-reconciliation-empty');
    await page.getByLabel('Tenant', { exact: true }).fill('acme.com');
    await page.getByLabel('Product', { exact: true }).fill('crm');
    await page.getByRole('button', { name: 'Show' }).click();
    const never = page.getByRole('table', { name: /Provisioned, never signed in \(1\)/ });
    await never.getByText('bob@acme.com').waitFor();
    assert.match(await never.innerText(), /one-click login link/);
    const stranger = page.getByRole('table', { name: /not in the directory \(1\)/ });
    await stranger.getByText('=cmd|calc').waitFor();
    await page.getByRole('heading', { name: /Deactivated in the directory, signed in after that \(0\)/ }).waitFor();
    await checkScreen(page, '96-reconciliation');

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    assert.equal(file.suggestedFilename(), 'reconciliation-acme.com-crm.csv');
    const csv = readFileSync((await file.path())!, 'utf8');
    assert.match(csv, /^list,user,email,nameid/);
    assert.ok(csv.includes(`"'=cmd|calc"`), csv);
    assertNoProblems(portal);
  });

  it('roles: map a group, preview who gets what, then save (audited)', async () => {
    const { page } = portal;
    await page.getByRole('tab', { name: 'Roles' }).click();
    await page.getByRole('heading', { name: 'Group-to-role mapping' }).waitFor();
    assert.doesNotMatch(await page.locator('main').innerText(), /Globex/);
    await page.getByRole('button', { name: 'Add mapping' }).click();
    await page.getByLabel('Group of mapping 1').fill('engineering');
    await page.getByLabel('Role of mapping 1').selectOption('admin');
    const save = page.getByRole('button', { name: 'Save mapping' });
    assert.equal(await save.isDisabled(), true, 'no save before a dry run');
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    const dry = page.getByRole('table', { name: 'Dry run: roles each person would get' });
    await dry.waitFor();
    const annRows = dry.getByRole('row').filter({ hasText: 'ann@acme.com' });
    assert.equal(await annRows.count(), 2, 'ann from the directory and from her sign-in');
    for (const text of await annRows.allInnerTexts()) assert.match(text, /Administrator/);
    assert.doesNotMatch(await dry.getByRole('row').filter({ hasText: 'bob@acme.com' }).innerText(), /Administrator/);
    await checkScreen(page, '97-role-mapping-dry-run');
    await save.click();
    await page.getByText('Mapping saved.').waitFor();
    await checkScreen(page, '98-role-mapping-saved');

    const r = await portal.gh.app.inject({ url: '/api/v1/role-mappings?tenant=acme.com&product=crm', headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.deepEqual(r.json().data.mappings, [{ group: 'engineering', role: 'admin' }]);
    const audit = await portal.gh.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'role_mappings.updated').execute();
    assert.deepEqual(audit.map((a) => a.actor_type), ['admin']);
    assertNoProblems(portal);
  });

  it('the SSO setup link: the IT admin maps their own groups only', async () => {
    const { page } = portal;
    const link = await portal.gh.app.inject({ method: 'POST', url: '/api/v1/sso/setuplinks', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] } });
    await page.goto(link.json().data.url);
    await page.getByText('Roles in the app (map your groups to roles)').click();
    await page.getByRole('heading', { name: 'Group-to-role mapping' }).waitFor();
    assert.equal(await page.getByLabel('Group of mapping 1').inputValue(), 'engineering');
    const text = await page.locator('body').innerText();
    assert.match(text, /Groups seen for acme\.com: Engineering, Sales/);
    assert.doesNotMatch(text, /Globex/);
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    await page.getByRole('table', { name: 'Dry run: roles each person would get' }).waitFor();
    await checkScreen(page, '99-setup-link-role-mapping');
    assertNoProblems(portal);
  });

  it('products: the vendor declares roles on the product page', async () => {
    const { page } = portal;
    await page.goto(portal.url('/admin/products/crm'));
    const roles = page.getByRole('textbox', { name: 'Roles' });
    assert.equal(await roles.inputValue(), 'admin: Administrator\nviewer: Viewer');
    await roles.fill('admin: Administrator\nviewer: Viewer\neditor');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    await checkScreen(page, '94-product-roles');
    const r = await portal.gh.app.inject({ url: '/api/v1/products/crm', headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.deepEqual(r.json().data.roles, [{ key: 'admin', name: 'Administrator' }, { key: 'viewer', name: 'Viewer' }, { key: 'editor', name: 'editor' }]);
    assertNoProblems(portal);
  });
});
