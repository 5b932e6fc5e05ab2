/**
 * The portal's rough edges, mended (issue 16 §5), in a real browser over real data: the overview's counts, recent
 * failures (a refused SAML sign-in), an IdP certificate that expires in 10 days (found by the real expiry check) and
 * a setup link still waiting for its customer; directory types by name; a directory user's page; events that say
 * which user or group they concern; a pending event's next attempt and Retry now (audited); the admin menu collapsed
 * behind a button at a 390 px viewport; the styled "Expires after (days)" field and test-result attribute table; the
 * account shown by email with its role. Each screen: a screenshot and axe with no finding at all.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { API_KEY } from '../support/gatehouse.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { metadataXmlWith } from '../support/metadata-server.ts';
import { connectionsRepo } from '../../src/storage/index.ts';
import { checkCertificateExpiry } from '../../src/sso/upkeep/certificate-expiry.ts';
import { RESULTS_DIR, assertNoProblems, auditActions, browserUnavailable, checkScreen, openFromNav, signIn, startPortal, type Portal } from './support/portal.ts';

const skip = browserUnavailable();
const DAY = 86_400_000;

/** checkScreen, then no axe finding of any impact on that screen (checkScreen itself fails only on serious ones). */
async function checkClean(page: Portal['page'], name: string) {
  await checkScreen(page, name);
  const log = JSON.parse(readFileSync(join(RESULTS_DIR, 'axe-portal-edges.json'), 'utf8')) as { findings: { screen: string }[] };
  assert.deepEqual(log.findings.filter((f) => f.screen === name), [], `axe findings on ${name}`);
}

describe('admin portal: the rough edges of issue 16', { skip: skip ?? false }, () => {
  let portal: Portal;
  let hooks: Server;
  let hooksUp = false;
  const received: string[] = [];
  let dirId = '';
  let userId = '';
  const api = (method: string, path: string, body?: unknown) =>
    fetch(portal.url(path), { method, headers: { authorization: `Api-Key ${API_KEY}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }).then(async (r) => {
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
      return r.status === 204 ? null : r.json();
    });

  before(async () => {
    // A failed delivery waits 5-10 minutes before its next attempt: long enough that only Retry now sends it.
    portal = await startPortal({ deliverWebhooks: true, env: { WEBHOOK_RETRY_BASE_MS: '600000' } });
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (!hooksUp) return void res.writeHead(503).end('down for maintenance');
        received.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', () => r()));
    const hookUrl = `http://127.0.0.1:${(hooks.address() as { port: number }).port}/hooks`;

    // Acme's IdP certificate expires in 10 days; the expiry check (as the upkeep runs it) announces it.
    const pems = await generate([{ name: 'commonName', value: 'Acme IdP' }], { keySize: 2048, algorithm: 'sha256', notBeforeDate: new Date(Date.now() - DAY), notAfterDate: new Date(Date.now() + 10 * DAY + 3_600_000) });
    const acme = await api('POST', '/api/v1/sso', { tenant: 'acme.com', product: 'crm', name: 'Acme Okta', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: metadataXmlWith('https://idp.acme.test', [pems.cert], IDP_SSO_URL) });
    // Saving the connection may have run the check already; a second run announces nothing twice.
    await checkCertificateExpiry(portal.gh.ctx, (await connectionsRepo.findById(portal.gh.ctx.db, acme.clientID))!);
    const notices = await portal.gh.ctx.db.selectFrom('vendor_events').select('type').where('connection_id', '=', acme.clientID).where('type', '=', 'connection.certificate_expiring').execute();
    assert.equal(notices.length, 1);
    // Initech's sign-in is refused: the assertion is for another audience.
    const idp = await createTestIdp();
    const initech = await createSamlConnection(portal.gh.app, idp, { tenant: 'initech.com', name: 'Initech Entra' });
    const refused = await samlRound(portal.gh, idp, { response_type: 'code', client_id: initech.clientID, redirect_uri: APP_CALLBACK, state: 's', scope: 'openid' }, { audience: 'https://another-sp.example' });
    assert.equal(refused.acs.statusCode, 302, 'the refusal goes back to the app');
    // Globex has a Directory Sync setup link and nothing else yet; acme's SSO link has its connection already.
    await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'globex.com', product: 'crm', name: 'Globex IT' });
    await api('POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] });
    // Acme's Okta directory: a user in a group, pushed over SCIM while the app's webhook is down.
    const dir = (await api('POST', '/api/v1/dsync', { tenant: 'acme.com', product: 'crm', name: 'Acme Okta SCIM', type: 'okta-scim-v2', webhook_url: hookUrl, webhook_secret: 'whsec-0123456789abcdef' })).data;
    dirId = dir.id;
    const scim = async (path: string, body: unknown) => {
      const r = await fetch(`${dir.scim.endpoint}${path}`, { method: 'POST', headers: { authorization: `Bearer ${dir.scim.secret}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
      assert.equal(r.status, 201);
      return (await r.json()) as { id: string };
    };
    userId = (await scim('/Users', { userName: 'jane@acme.com', externalId: 'okta-00u1', name: { givenName: 'Jane', familyName: 'Doe' }, emails: [{ value: 'jane@acme.com', primary: true }], title: 'Engineer' })).id;
    await scim('/Groups', { displayName: 'Engineering', members: [{ value: userId }] });
    await signIn(portal);
  });
  after(async () => {
    await portal?.close();
    await new Promise((r) => hooks?.close(r));
  });

  it('the overview shows counts, recent failures, the expiring certificate and the link waiting for its customer', async () => {
    const { page } = portal;
    const counts = page.getByRole('list', { name: 'Counts' });
    await counts.getByText('2 connections').waitFor();
    assert.match(await counts.innerText(), /2 connections[\s\S]*2 active[\s\S]*1 directory[\s\S]*1 user/);
    const failures = page.getByRole('region', { name: 'Recent failures' });
    assert.match(await failures.innerText(), /1 failed SSO sign-in in the last 24 hours/);
    assert.match(await failures.innerText(), /initech\.com · crm: .*SAML_AUDIENCE_MISMATCH/);
    const certs = page.getByRole('region', { name: 'Certificates' });
    const notice = await portal.gh.ctx.db.selectFrom('vendor_events').select('data').where('type', '=', 'connection.certificate_expiring').executeTakeFirstOrThrow();
    assert.match(await certs.innerText(), new RegExp(`Acme Okta \\(acme\\.com · crm\\) Expires in ${JSON.parse(notice.data).daysLeft} days`));
    const waiting = page.getByRole('region', { name: 'Setup links waiting for the customer' });
    assert.match(await waiting.innerText(), /Globex IT \(Directory Sync, globex\.com · crm\): nothing set up yet/);
    assert.doesNotMatch(await waiting.innerText(), /acme\.com/, 'acme\'s SSO link already has its connection');
    // "Needs attention" names the connection too, not its client ID.
    await page.getByRole('region', { name: 'Connections that need attention' }).getByRole('link', { name: 'Acme Okta' }).waitFor();
    // The account is shown by its email and role name, not "Bootstrap owner (owner)".
    assert.match(await page.locator('.topbar__user').innerText(), /^owner@vendor\.example \(Owner\)/);
    await checkClean(page, '70-overview-at-a-glance');
    await waiting.getByRole('link', { name: 'Globex IT' }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: /Globex/ }).waitFor();
    assertNoProblems(portal);
  });

  it('directories show their type by name; a user opens on their own page', async () => {
    const { page } = portal;
    await openFromNav(page, 'Directories');
    const row = page.getByRole('row').filter({ hasText: 'Acme Okta SCIM' });
    assert.match(await row.innerText(), /Okta \(SCIM 2\.0\)/);
    assert.doesNotMatch(await page.locator('main').innerText(), /okta-scim-v2/);
    await row.getByRole('link', { name: 'Acme Okta SCIM' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Okta SCIM' }).waitFor();
    assert.match(await page.locator('.page-header').innerText(), /Okta \(SCIM 2\.0\) directory for acme\.com/);
    await page.getByRole('link', { name: 'Jane Doe' }).click();
    await page.getByRole('heading', { level: 1, name: 'Jane Doe' }).waitFor();
    const main = await page.locator('main').innerText();
    assert.match(main, /Email\s+jane@acme\.com/);
    assert.match(main, /External ID\s+okta-00u1/);
    await page.getByRole('table', { name: 'SCIM attributes' }).getByText('Engineer').waitFor();
    await page.getByRole('table', { name: 'Events about this user' }).getByText('user.created').waitFor();
    assert.equal(new URL(page.url()).pathname, `/admin/dsync/directories/${dirId}/users/${userId}`);
    await checkClean(page, '71-directory-user');
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Acme Okta SCIM' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Okta SCIM' }).waitFor();
    assertNoProblems(portal);
  });

  it('events say whom they concern; a pending one shows its next attempt, and Retry now sends it (audited)', async () => {
    const { page } = portal;
    await page.goto(portal.url(`/admin/dsync/directories/${dirId}?tab=events`));
    const table = page.getByRole('table', { name: 'Webhook events' });
    await table.getByRole('cell', { name: 'group.user_added', exact: true }).waitFor();
    // Wait until the first delivery attempts have failed (the webhook answers 503) and the events wait for their backoff.
    const created = table.locator('tbody tr').filter({ hasText: 'user.created' });
    for (let i = 0; i < 60 && !/HTTP 503/.test(await created.innerText()); i++) {
      await page.waitForTimeout(250);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForLoadState('networkidle');
    }
    assert.match(await created.innerText(), /User jane@acme\.com/);
    assert.match(await created.innerText(), /pending/);
    assert.match(await created.innerText(), /HTTP 503/);
    const nextAttempt = await created.locator('td').nth(5).locator('time').getAttribute('datetime');
    assert.ok(nextAttempt && Date.parse(nextAttempt) > Date.now() + 60_000, `the next attempt is minutes away: ${nextAttempt}`);
    assert.match(await table.locator('tbody tr').filter({ hasText: 'group.user_added' }).innerText(), /User jane@acme\.com added to group Engineering/);
    assert.match(await table.locator('tbody tr').filter({ hasText: 'group.created' }).innerText(), /Group Engineering/);
    await checkClean(page, '72-directory-events-pending');

    hooksUp = true;
    await created.getByRole('button', { name: /^Retry event user\.created .* now$/ }).click();
    await page.getByText(/will be sent now/).waitFor();
    for (let i = 0; i < 40 && !received.some((b) => b.includes('"user.created"')); i++) await page.waitForTimeout(250);
    assert.ok(received.some((b) => b.includes('"user.created"')), 'Retry now delivered the event at once');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await created.getByText('delivered').waitFor();
    const actions = await auditActions(page, portal, { tenant: 'acme.com' });
    assert.ok(actions.includes('dsync.event.retried'), `audit log shows dsync.event.retried: ${actions.join(', ')}`);
    assertNoProblems(portal);
  });

  it('the new setup link form styles "Expires after (days)"; the test result\'s attribute table is styled', async () => {
    const { page } = portal;
    await page.goto(portal.url('/admin/sso/setup-links/new'));
    const days = page.getByRole('spinbutton', { name: /^Expires after \(days\)/ });
    const tenant = page.getByRole('textbox', { name: /^Tenant/ });
    const style = (l: typeof days) => l.evaluate((el) => { const s = getComputedStyle(el); return { border: s.borderTopWidth + ' ' + s.borderTopStyle, radius: s.borderTopLeftRadius, padding: s.paddingLeft, width: el.getBoundingClientRect().width }; });
    const [d, t] = [await style(days), await style(tenant)];
    assert.deepEqual({ ...d, width: undefined }, { ...t, width: undefined }, 'the number field looks like the text fields');
    assert.equal(Math.round(d.width), Math.round(t.width));
    await checkClean(page, '73-setup-link-new-expiry');

    const now = Date.now();
    const clientID = (await api('GET', '/api/v1/sso?tenant=acme.com&product=crm'))[0].clientID as string;
    await portal.gh.ctx.db.insertInto('setup_link_tests').values({ id: 'edges-test-1', link_id: '', connection_id: clientID, status: 'succeeded', result: JSON.stringify({ profile: { email: 'jane@acme.com' }, attributes: { email: 'jane@acme.com', groups: ['Engineering', 'Sales'], department: 'R&D' } }), created_at: now, completed_at: now }).execute();
    await page.goto(portal.url('/setup/test-result/edges-test-1'));
    const attrs = page.getByRole('table', { name: 'Attributes received' });
    await attrs.getByText('Engineering, Sales').waitFor();
    const cell = await attrs.locator('td').first().evaluate((el) => { const s = getComputedStyle(el); return { padding: s.paddingLeft, border: s.borderBottomWidth + ' ' + s.borderBottomStyle }; });
    assert.deepEqual(cell, { padding: '9.6px', border: '1px solid' }, 'cells are padded and ruled');
    assert.equal(await attrs.evaluate((el) => getComputedStyle(el).borderCollapse), 'collapse');
    await checkClean(page, '74-test-result-attributes');
    assertNoProblems(portal);
  });

  it('on a phone (390 px) the admin menu collapses behind a Menu button', async () => {
    const { page } = portal;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(portal.url('/admin'));
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      const menu = page.getByRole('button', { name: 'Menu' });
      const nav = page.getByRole('navigation', { name: 'Main' });
      assert.equal(await menu.getAttribute('aria-expanded'), 'false');
      assert.equal(await nav.isVisible(), false, 'the menu is collapsed');
      assert.ok((await page.getByRole('heading', { level: 1, name: 'Overview' }).boundingBox())!.y < 260, 'the page starts near the top, not below the menu');
      const wide = await page.evaluate(() => [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > 391 && !el.closest('.table-wrap')).map((el) => `${el.tagName}.${el.className} ${el.textContent?.slice(0, 60)} ${Math.round(el.getBoundingClientRect().left)}-${Math.round(el.getBoundingClientRect().right)}`).slice(0, 8));
      assert.deepEqual(wide, [], 'nothing overflows sideways');
      await checkClean(page, '75-phone-menu-collapsed');
      await menu.click();
      assert.equal(await menu.getAttribute('aria-expanded'), 'true');
      await nav.getByRole('link', { name: 'Directories', exact: true }).waitFor();
      await checkClean(page, '76-phone-menu-open');
      await nav.getByRole('link', { name: 'Directories', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Directories' }).waitFor();
      assert.equal(await nav.isVisible(), false, 'following a link closes the menu');
      // On a desktop the navigation is always shown and there is no Menu button.
      await page.setViewportSize({ width: 1280, height: 860 });
      assert.equal(await nav.isVisible(), true);
      assert.equal(await menu.isVisible(), false);
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
    assertNoProblems(portal);
  });
});
