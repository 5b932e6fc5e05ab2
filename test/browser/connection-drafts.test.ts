/**
 * The draft panel in a real browser, on the vendor's connection page and on the customer's setup link page:
 * create a draft from another IdP's metadata, promote it, roll back, each confirmed; the page and the API agree
 * on the IdP serving; axe finds nothing serious. The connection page's Health panel shows real sign-ins and failures.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { API_KEY } from '../support/gatehouse.ts';
import { assertNoProblems, browserUnavailable, checkScreen, openFreshBrowser, signIn, startPortal, type Portal } from './support/portal.ts';

const skip = browserUnavailable();

describe('connection drafts in the portal and on the setup link page', { skip: skip ?? false }, () => {
  let portal: Portal;
  before(async () => {
    portal = await startPortal();
    await signIn(portal);
  });
  after(async () => portal?.close());

  const servingIdp = async (clientID: string) => {
    const r = await portal.gh.app.inject({ url: `/api/v1/sso?clientID=${clientID}`, headers: { authorization: `Api-Key ${API_KEY}` } });
    return r.json()[0].idpMetadata.entityID as string;
  };

  it('creates a draft, promotes it and rolls back from the connection page', async () => {
    const [a, b] = await Promise.all([createTestIdp({ entityId: 'https://idp-a.acme.test' }), createTestIdp({ entityId: 'https://idp-b.acme.test' })]);
    const { clientID } = await createSamlConnection(portal.gh.app, a);
    const { page } = portal;
    await page.goto(portal.url(`/admin/sso/connections/${encodeURIComponent(clientID)}`));
    await page.getByRole('heading', { level: 2, name: 'Change without an outage' }).waitFor();
    await page.getByRole('textbox', { name: 'Or its metadata XML' }).fill(b.metadataXml({ ssoUrl: 'https://idp-b.acme.test/sso' }));
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByRole('heading', { level: 3, name: /Draft \(version 2\)/ }).waitFor();
    await checkScreen(page, '90-connection-draft');
    assert.equal(await servingIdp(clientID), a.entityId, 'the draft is not live');

    await page.getByRole('button', { name: 'Promote', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Promote' }).click();
    await page.getByRole('button', { name: 'Roll back to version 1' }).waitFor();
    assert.equal(await servingIdp(clientID), b.entityId, 'promoted');

    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
    await page.getByRole('button', { name: 'Create draft' }).waitFor();
    await page.getByRole('button', { name: /Roll back to version/ }).waitFor({ state: 'detached' });
    assert.equal(await servingIdp(clientID), a.entityId, 'rolled back');
    assertNoProblems(portal);
  });

  it('the Health panel shows the last 24 h of sign-ins and failures', async () => {
    const [idp, impostor] = await Promise.all([createTestIdp({ entityId: 'https://idp-h.acme.test' }), createTestIdp()]);
    const { clientID } = await createSamlConnection(portal.gh.app, idp, { tenant: 'health.com' });
    const query = { response_type: 'code', client_id: clientID, redirect_uri: APP_CALLBACK, state: 's' };
    await samlRound(portal.gh, idp, query);
    await samlRound(portal.gh, idp, query, { idp: impostor, issuer: idp.entityId });
    const { page } = portal;
    await page.goto(portal.url(`/admin/sso/connections/${encodeURIComponent(clientID)}`));
    await page.getByRole('heading', { level: 2, name: 'Health' }).waitFor();
    assert.equal(await page.getByTestId('health-sign-ins').innerText(), '2');
    assert.match(await page.getByTestId('health-failures').innerText(), /^1/);
    await page.getByText(/days left/).first().waitFor();
    await page.getByText(/Pasted or uploaded: not refreshed/).waitFor();
    assertNoProblems(portal);
  });

  it('the IT admin drafts another IdP and promotes it from the setup link page', async () => {
    const [a, b] = await Promise.all([createTestIdp({ entityId: 'https://idp-a.globex.test' }), createTestIdp({ entityId: 'https://idp-b.globex.test' })]);
    const { clientID } = await createSamlConnection(portal.gh.app, a, { tenant: 'globex.com' });
    const made = await portal.gh.app.inject({ method: 'POST', url: '/api/v1/sso/setuplinks', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { tenant: 'globex.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] } });
    const fresh = await openFreshBrowser(portal);
    try {
      const { page } = fresh;
      await page.goto(made.json().data.url);
      await page.getByText('Change the identity provider without an outage').click();
      await page.getByRole('textbox', { name: 'Or its metadata XML' }).fill(b.metadataXml({ ssoUrl: 'https://idp-b.globex.test/sso' }));
      await page.getByRole('button', { name: 'Create draft' }).click();
      await page.getByRole('heading', { level: 3, name: /Draft \(version 2\)/ }).waitFor();
      await checkScreen(page, '91-setup-page-draft');
      await page.getByRole('button', { name: 'Promote', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Promote' }).click();
      await page.getByRole('button', { name: 'Roll back to version 1' }).waitFor();
      assert.equal(await servingIdp(clientID), b.entityId, 'promoted by the IT admin');
    } finally {
      await fresh.close();
    }
    assertNoProblems(portal);
  });
});
