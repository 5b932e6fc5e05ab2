/**
 * Health at a glance in a real browser (decision 0022): the vendor presses Test connection on the portal's
 * connection page, signs in at a real IdP (the dev IdP) in the new tab, and the result shows on the page; a
 * certificate that expires within 30 days offers "Send a renewal link", and the IT admin who opens that link in
 * a fresh browser lands straight at adding the new certificate (no wizard), adds it, and sees the connection's
 * health. axe finds nothing serious on any of these screens.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'selfsigned';
import { assertNoProblems, browserUnavailable, checkScreen, openFreshBrowser, signIn, startPortal, type Portal } from './support/portal.ts';
import { API_KEY } from '../support/gatehouse.ts';
import { APP_CALLBACK } from '../support/saml-flow.ts';
import { startDevIdp } from '../../examples/app/dev-idp.ts';

const skip = browserUnavailable();
const DAY = 86_400_000;

/** A certificate the IdP will switch to, valid until `days` from now. */
const certificate = async (days: number) => (await generate([{ name: 'commonName', value: `Next IdP certificate ${days}` }], { keySize: 2048, algorithm: 'sha256', notBeforeDate: new Date(Date.now() - DAY), notAfterDate: new Date(Date.now() + days * DAY) })).cert;

describe('Test connection and certificate renewal in the portal and on the renewal link', { skip: skip ?? false }, () => {
  let portal: Portal;
  let idp: Awaited<ReturnType<typeof startDevIdp>>;
  let clientID: string;
  let rawMetadata: string;
  const mgmt = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(portal.url(path), { method, headers: { authorization: `Api-Key ${API_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { data?: Record<string, unknown> } };
  };
  const certificates = async () => {
    const r = await fetch(portal.url(`/api/v1/sso?clientID=${clientID}`), { headers: { authorization: `Api-Key ${API_KEY}` } });
    return ((await r.json()) as { idpMetadata: { certificates: unknown[] } }[])[0]!.idpMetadata.certificates.length;
  };

  before(async () => {
    portal = await startPortal();
    idp = await startDevIdp({ port: 0, host: '127.0.0.1' });
    // Pasted metadata (not the URL): its certificates are renewed by hand, the case a renewal link is for.
    rawMetadata = await (await fetch(idp.metadataUrl)).text();
    const made = await mgmt('POST', '/api/v1/sso', { tenant: 'renew.com', product: 'crm', name: 'Renew Dev IdP', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata });
    assert.ok(made.status < 300, JSON.stringify(made.json));
    clientID = made.json.clientID as string;
    // The IdP already published a certificate that expires in 10 days: the health flags it.
    const added = await mgmt('PATCH', '/api/v1/sso', { clientID, addIdpCertificate: await certificate(10) });
    assert.ok(added.status < 300, JSON.stringify(added.json));
    await signIn(portal);
  });
  after(async () => {
    await idp?.close();
    await portal?.close();
  });

  it('Test connection on the connection page signs in at the IdP in a new tab and shows the attributes received', async () => {
    const { page, context } = portal;
    await page.goto(portal.url(`/admin/sso/connections/${encodeURIComponent(clientID)}`));
    await page.getByRole('heading', { level: 2, name: 'Test connection' }).waitFor();
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Test connection Renew Dev IdP' }).click()]);
    await tab.getByRole('heading', { name: 'Sign in as' }).waitFor();
    await tab.getByLabel('Email').fill('carol@renew.com');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByRole('heading', { level: 1, name: 'The test sign-in worked' }).waitFor();
    assert.match(tab.url(), /\/setup\/test-result\//, 'a test lands on the result page, never in the app');
    await tab.close();

    await page.getByRole('heading', { level: 3, name: 'The test sign-in worked' }).waitFor();
    assert.match(await page.locator('.result--good').innerText(), /carol@renew\.com/);
    await checkScreen(page, '95-connection-test-result');
    assertNoProblems(portal);
  });

  it('an expiring certificate offers a renewal link; the IT admin opens it at adding the new certificate', async () => {
    const { page } = portal;
    await page.goto(portal.url(`/admin/sso/connections/${encodeURIComponent(clientID)}`));
    await page.getByText('10 days left').or(page.getByText('9 days left')).first().waitFor();
    await page.getByRole('button', { name: 'Send a renewal link' }).click();
    const url = await page.getByRole('textbox', { name: 'Renewal link for the IT admin' }).inputValue();
    assert.match(url, /\/setup\/[A-Za-z0-9_-]{43,}$/);
    await checkScreen(page, '96-connection-renewal-link');
    const link = await mgmt('GET', '/api/v1/sso/setuplinks?tenant=renew.com&product=crm');
    assert.deepEqual([link.json.data?.intent, link.json.data?.clientID], ['certificate_renewal', clientID]);

    const it = await openFreshBrowser(portal);
    try {
      const itPage = it.page;
      await itPage.goto(url);
      await itPage.getByRole('heading', { level: 1, name: 'Renew your single sign-on certificate' }).waitFor();
      await itPage.getByRole('heading', { level: 2, name: 'Renew Renew Dev IdP' }).waitFor();
      const pem = itPage.getByRole('textbox', { name: 'Add the identity provider\'s new certificate (PEM)' });
      await pem.waitFor();
      assert.equal(await itPage.getByRole('button', { name: 'Add a connection' }).count(), 0, 'no wizard on a renewal link');
      await itPage.getByRole('heading', { level: 2, name: 'Health' }).waitFor();
      await checkScreen(itPage, '97-setup-renewal-link');

      await pem.fill(await certificate(400));
      await itPage.getByRole('button', { name: 'Add certificate' }).click();
      await itPage.getByText('Next IdP certificate 400').first().waitFor();
      assert.equal(await certificates(), 3, 'the new certificate beside the current ones');
      await checkScreen(itPage, '98-setup-renewal-added');

      // Or new metadata, as a draft tested through the IdP before it goes live.
      await itPage.getByRole('textbox', { name: 'Or its metadata XML' }).fill(rawMetadata);
      await itPage.getByRole('button', { name: 'Create draft' }).click();
      const [tab] = await Promise.all([it.context.waitForEvent('page'), itPage.getByRole('button', { name: 'Test draft' }).click()]);
      await tab.getByRole('heading', { name: 'Sign in as' }).waitFor();
      await tab.getByLabel('Email').fill('dave@renew.com');
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await tab.getByRole('heading', { level: 1, name: 'The test sign-in worked' }).waitFor();
      await tab.close();
      await itPage.getByText(/The draft's test sign-in worked/).waitFor();
      assert.match(await itPage.locator('p', { hasText: "The draft's test sign-in worked" }).innerText(), /dave@renew\.com/);
    } finally {
      await it.close();
    }
    assertNoProblems(portal);
  });

  it('the New Setup Link form makes a renewal link for one connection', async () => {
    const { page } = portal;
    await page.goto(portal.url('/admin/sso/setup-links/new?tenant=renew.com&product=crm'));
    await page.getByRole('heading', { level: 1, name: 'New Setup Link' }).waitFor();
    await page.getByRole('combobox', { name: 'What the link is for' }).selectOption('certificate_renewal');
    await page.getByRole('textbox', { name: 'Connection (client ID)' }).fill(clientID);
    await checkScreen(page, '99-setup-link-new-renewal');
    await page.getByRole('button', { name: 'Create setup link' }).click();
    await page.getByText(`Certificate renewal of connection ${clientID} only`).waitFor();
    const link = await mgmt('GET', '/api/v1/sso/setuplinks?tenant=renew.com&product=crm');
    assert.deepEqual([link.json.data?.intent, link.json.data?.clientID], ['certificate_renewal', clientID]);
    assertNoProblems(portal);
  });

  it('a full setup link shows each connection\'s health on its card', async () => {
    const made = await mgmt('POST', '/api/v1/sso/setuplinks', { tenant: 'renew.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK });
    assert.equal(made.status, 201, 'a full link replaces the renewal link');
    const it = await openFreshBrowser(portal);
    try {
      const itPage = it.page;
      await itPage.goto(made.json.data!.url as string);
      await itPage.getByRole('heading', { level: 1, name: 'Set up single sign-on' }).waitFor();
      await itPage.getByRole('heading', { level: 4, name: 'Health' }).waitFor();
      assert.equal(await itPage.getByTestId('health-sign-ins').innerText(), '0', 'test sign-ins are not the app\'s sign-ins');
      await itPage.getByText(/^(9|10) days left$/).waitFor();
      await checkScreen(itPage, '99-setup-page-health-card');
    } finally {
      await it.close();
    }
    assertNoProblems(portal);
  });
});
