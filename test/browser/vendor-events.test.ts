/**
 * The vendor event stream in a real browser: the overview flags a connection whose certificate is expiring, the
 * Events view lists connection events with a type filter, and the events webhook is set in the settings (its
 * secret never shown again). Accessibility checked on each screen.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY } from '../support/gatehouse.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { createSamlConnection } from '../support/saml-flow.ts';
import { announceConnectionEvent } from '../../src/sso/connection-events.ts';
import { assertNoProblems, browserUnavailable, checkScreen, openFromNav, signIn, startPortal, type Portal } from './support/portal.ts';

const skip = browserUnavailable();

describe('admin portal: events', { skip: skip ?? false }, () => {
  let portal: Portal;
  let clientID = '';
  before(async () => {
    portal = await startPortal();
    const conn = await createSamlConnection(portal.gh.app, await createTestIdp(), { tenant: 'acme.com', name: 'Acme Okta' });
    clientID = conn.clientID;
    // As the certificate check announces it (sso/connection-events.ts is the seam).
    await announceConnectionEvent(portal.gh.ctx, { type: 'connection.certificate_expiring', tenant: 'acme.com', product: 'crm', connectionId: clientID, data: { clientID, name: 'Acme Okta', daysLeft: 14 } });
    await signIn(portal);
  });
  after(async () => portal?.close());

  it('the overview flags the connection; the Events view filters by type', async () => {
    const { page } = portal;
    const attention = page.getByRole('region', { name: 'Connections that need attention' });
    await attention.getByRole('link', { name: 'Acme Okta' }).waitFor();
    assert.match(await attention.innerText(), /Certificate expiring/);
    await checkScreen(page, '60-overview-attention');
    await openFromNav(page, 'Events');
    const table = page.getByRole('table', { name: 'Events' });
    await table.getByText('connection.certificate_expiring').waitFor();
    await table.getByText('connection.created').waitFor();
    await page.getByLabel('Type').selectOption('connection.created');
    await table.getByText('connection.certificate_expiring').waitFor({ state: 'detached' });
    assert.equal(await table.getByText('connection.created').count(), 1);
    await checkScreen(page, '61-events');
    assertNoProblems(portal);
  });

  it('sets the events webhook in the settings', async () => {
    const { page } = portal;
    await openFromNav(page, 'Events webhook');
    await page.getByRole('textbox', { name: /^Webhook URL/ }).fill('http://127.0.0.1:9/hooks');
    await page.getByLabel(/^Signing secret/).fill('a-signing-secret-of-some-length');
    await page.getByRole('button', { name: 'Save events webhook' }).click();
    await page.getByText('Events webhook saved.').waitFor();
    assert.equal(await page.getByLabel(/^Signing secret/).inputValue(), '');
    await checkScreen(page, '62-events-webhook');
    const r = await portal.gh.app.inject({ method: 'GET', url: '/api/v1/events?types=connection.created', headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.equal(r.json().data[0].data.clientID, clientID);
    assertNoProblems(portal);
  });
});
