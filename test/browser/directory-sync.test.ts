/**
 * Directory Sync screens in a real browser: create a directory (SCIM endpoint and secret shown once, with a
 * warning), let a SCIM client push a user and a group, then the directory's tabs: Users, Groups with members,
 * and Events with each webhook delivery, its payload and Replay; edit, rotate the secret, delete.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { assertNoProblems, auditActions, browserUnavailable, checkScreen, openFromNav, signIn, startPortal, type Portal } from './support/portal.ts';

const skip = browserUnavailable();

describe('admin portal: Directory Sync', { skip: skip ?? false }, () => {
  let portal: Portal;
  let hooks: Server;
  let webhookUrl = '';
  const received: string[] = [];
  // The app's webhook is down at first: events fail fast (retries end after 1 s here) and can then be replayed.
  let down = true;
  before(async () => {
    portal = await startPortal({ deliverWebhooks: true, env: { WEBHOOK_RETRY_FOR_SECONDS: '1', WEBHOOK_RETRY_BASE_MS: '50' } });
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (down) return void res.writeHead(503).end('down for maintenance');
        received.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', () => r()));
    webhookUrl = `http://127.0.0.1:${(hooks.address() as { port: number }).port}/hooks`;
    await signIn(portal);
  });
  after(async () => {
    await portal?.close();
    await new Promise((r) => hooks?.close(r));
  });

  it('creates a directory, shows the SCIM secret once, and shows users, groups, members and events', async () => {
    const { page } = portal;
    await openFromNav(page, 'Directories');
    await page.getByRole('heading', { name: 'No directories yet' }).waitFor();
    await checkScreen(page, '21-directories-empty');
    await page.getByRole('link', { name: 'New directory' }).click();
    await page.getByRole('heading', { level: 1, name: 'New directory' }).waitFor();
    await page.getByRole('textbox', { name: /^Tenant/ }).fill('acme.com');
    await page.getByRole('textbox', { name: /^Product/ }).fill('crm');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Acme Okta SCIM');
    await page.getByLabel('Directory provider').selectOption('okta-scim-v2');
    await page.getByRole('textbox', { name: 'Webhook URL' }).fill(webhookUrl);
    await page.getByRole('button', { name: 'Create directory' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Webhook secret[\s\S]*signs every event/);
    await checkScreen(page, '22-directory-new-error');
    await page.getByLabel(/^Webhook secret/).fill('whsec-0123456789abcdef');
    await page.getByRole('button', { name: 'Create directory' }).click();

    await page.getByRole('heading', { level: 1, name: 'Directory created' }).waitFor();
    assert.match(await page.locator('main').innerText(), /shown only this once/);
    const endpoint = await page.getByRole('textbox', { name: 'SCIM endpoint' }).inputValue();
    const secret = await page.getByRole('textbox', { name: 'SCIM secret (bearer token)' }).inputValue();
    assert.match(endpoint, /\/api\/scim\/v2\.0\//);
    assert.ok(secret.length >= 20);
    await page.getByRole('button', { name: 'Copy SCIM secret (bearer token)' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await checkScreen(page, '23-directory-created-secret-once');

    // A SCIM client (the customer's IdP) pushes a user and a group with that user.
    const scim = (path: string, body: unknown) =>
      fetch(`${endpoint}${path}`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) }).then(async (r) => {
        assert.equal(r.status, 201, await r.clone().text());
        return (await r.json()) as { id: string };
      });
    const user = await scim('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'jane@acme.com', name: { givenName: 'Jane', familyName: 'Doe' }, emails: [{ value: 'jane@acme.com', primary: true }], active: true });
    await scim('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', members: [{ value: user.id }] });

    await page.getByRole('link', { name: /I have copied it/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Okta SCIM' }).waitFor();
    assert.doesNotMatch(await page.content(), new RegExp(secret));
    // Users tab (the default).
    await page.getByRole('tab', { name: 'Users' }).waitFor();
    assert.equal(await page.getByRole('tab', { name: 'Users' }).getAttribute('aria-selected'), 'true');
    await page.getByRole('cell', { name: 'jane@acme.com' }).first().waitFor();
    assert.match(await page.getByRole('tabpanel').innerText(), /Jane Doe/);
    await checkScreen(page, '24-directory-users');

    // Groups tab by keyboard: arrow right from the selected tab.
    await page.getByRole('tab', { name: 'Users' }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByRole('tab', { name: 'Groups' }).getAttribute('aria-selected'), 'true');
    await page.getByRole('button', { name: 'Engineering' }).click();
    await page.getByRole('table', { name: 'Members of Engineering' }).getByText('Jane Doe').waitFor();
    await checkScreen(page, '25-directory-groups');

    // Events tab: each event with status, attempts, payload; Replay.
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByText('user.created').first().waitFor();
    const rowText = await page.locator('table tbody').innerText();
    for (const e of ['user.created', 'group.created', 'group.user_added']) assert.match(rowText, new RegExp(e.replace('.', '\\.')));
    // Deliveries happen in the background; refresh until the events have failed (the webhook answers 503).
    for (let i = 0; i < 60 && (await page.locator('table tbody').innerText()).match(/pending/); i++) {
      await page.waitForTimeout(250);
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    const first = page.locator('table tbody tr').filter({ hasText: 'user.created' });
    assert.match(await first.innerText(), /failed[\s\S]*HTTP 503/);
    await first.getByText('Show payload').click();
    assert.match(await first.locator('pre').innerText(), /jane@acme\.com/);
    assert.match(await first.innerText(), /Attempt 1: HTTP 503/);
    await checkScreen(page, '26-directory-events');
    down = false;
    const before = received.length;
    await first.getByRole('button', { name: /^Replay event user\.created/ }).click();
    await page.getByText(/queued for delivery again/).waitFor();
    for (let i = 0; i < 40 && received.length === before; i++) await page.waitForTimeout(250);
    assert.ok(received.length > before, 'the replayed event reached the webhook');
    assertNoProblems(portal);
  });

  it('edits, rotates the secret of, and deletes a directory; each change is audited', async () => {
    const { page } = portal;
    await openFromNav(page, 'Directories');
    await page.getByRole('link', { name: 'Acme Okta SCIM' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Okta SCIM' }).waitFor();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit Acme Okta SCIM' }).waitFor();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Acme Okta');
    await page.getByLabel('Deactivated').check();
    await checkScreen(page, '27-directory-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Acme Okta' }).waitFor();
    assert.match(await page.locator('.page-header').innerText(), /Deactivated/);

    await page.getByRole('button', { name: 'Rotate SCIM secret' }).click();
    await page.getByRole('dialog', { name: 'Rotate the SCIM secret?' }).getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('heading', { name: 'New SCIM secret' }).waitFor();
    assert.ok((await page.getByRole('textbox', { name: 'SCIM secret (bearer token)' }).inputValue()).length >= 20);

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete this directory?' }).getByRole('button', { name: 'Delete directory' }).click();
    await page.getByRole('heading', { level: 1, name: 'Directories' }).waitFor();
    await page.getByRole('heading', { name: 'No directories yet' }).waitFor();

    const actions = await auditActions(page, portal, { tenant: 'acme.com' });
    for (const a of ['dsync.directory.created', 'dsync.directory.updated', 'dsync.directory.secret_rotated', 'dsync.event.replayed', 'dsync.directory.deleted']) assert.ok(actions.includes(a), `audit log shows ${a}: ${actions.join(', ')}`);
    assertNoProblems(portal);
  });
});
