/**
 * The audit stream's setting in a real browser: an admin sets the webhook (secret never shown again), a syslog
 * collector and a filter; the saved setting is what the API reads and the stream then delivers to a real receiver.
 * Accessibility checked on the screen.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startWebhookDeliverer, type Deliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { startReceiver, waitFor } from '../support/scim.ts';
import { startSyslogReceiver } from '../support/syslog-receiver.ts';
import { assertNoProblems, browserUnavailable, checkScreen, openFromNav, signIn, startPortal, type Portal } from './support/portal.ts';

const skip = browserUnavailable();
const SECRET = 'a-signing-secret-of-some-length';

describe('admin portal: audit stream', { skip: skip ?? false }, () => {
  let portal: Portal;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let syslog: Awaited<ReturnType<typeof startSyslogReceiver>>;
  let d: Deliverer;
  before(async () => {
    portal = await startPortal();
    rx = await startReceiver(SECRET);
    syslog = await startSyslogReceiver();
    d = startWebhookDeliverer(portal.gh.ctx);
    await signIn(portal);
  });
  after(async () => {
    await d?.stop();
    await portal?.close();
    await rx?.close();
    await syslog?.close();
  });

  it('sets the webhook, the syslog collector and the filter; the change itself is streamed', async () => {
    const { page } = portal;
    await openFromNav(page, 'Audit stream');
    await page.getByRole('textbox', { name: /^Webhook URL/ }).fill(rx.url);
    await page.getByLabel(/^Signing secret/).fill(SECRET);
    await page.getByRole('textbox', { name: /^Syslog collector/ }).fill(syslog.url);
    await page.getByRole('textbox', { name: /^Only these actions/ }).fill('admin., sso.connection');
    await page.getByRole('button', { name: 'Save audit stream' }).click();
    await page.getByText('Audit stream saved.').waitFor();
    assert.equal(await page.getByLabel(/^Signing secret/).inputValue(), '');
    await checkScreen(page, '63-audit-stream');
    const got = await portal.gh.app.inject({ method: 'GET', url: '/api/admin/settings/audit-stream', headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
    assert.deepEqual(got.json().data, { webhookUrl: rx.url, webhookSecretSet: true, syslogUrl: syslog.url, jsonlUrl: null, jsonlAuthorizationSet: false, filter: { actions: ['admin.', 'sso.connection'], tenants: [], products: [] }, source: 'settings' });
    await waitFor(() => rx.received.length >= 1 && syslog.messages.length >= 1, 30_000);
    assert.equal(rx.received[0]!.body.action, 'admin.audit_stream.updated');
    assert.ok(rx.received[0]!.signatureOk);
    assert.equal(JSON.parse(syslog.messages[0]!.msg).id, rx.received[0]!.body.id);
    assertNoProblems(portal);
  });
});
