/**
 * Enterprise SSO screens in a real browser: connections list (filter, server-side pagination, empty state),
 * SAML connections from pasted XML, an uploaded file and a metadata URL, an OIDC connection from a discovery
 * URL, the connection page (IdP details with Copy, login links), edit, deactivate, delete with confirmation,
 * SSO Traces with the decoded response, and the New Setup Link button. Every change shows in the audit log.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startOidcIdp, type TestOidcIdp } from '../support/oidc-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL, samlRound } from '../support/saml-flow.ts';
import { API_KEY } from '../support/gatehouse.ts';
import { assertNoProblems, auditActions, browserUnavailable, checkScreen, openFromNav, signIn, startPortal, type Portal } from './support/portal.ts';

const skip = browserUnavailable();

describe('admin portal: Enterprise SSO', { skip: skip ?? false }, () => {
  let portal: Portal;
  let idp: TestIdp;
  let oidc: TestOidcIdp;
  let metadataServer: Server;
  let metadataUrl = '';
  before(async () => {
    portal = await startPortal();
    idp = await createTestIdp({ entityId: 'https://idp.acme.test/paste' });
    oidc = await startOidcIdp({ redirectUris: [`${portal.gh.baseUrl}/api/oauth/oidc`] });
    const urlIdp = await createTestIdp({ entityId: 'https://idp.acme.test/by-url' });
    metadataServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/xml' }).end(urlIdp.metadataXml({ ssoUrl: IDP_SSO_URL })));
    await new Promise<void>((r) => metadataServer.listen(0, '127.0.0.1', () => r()));
    metadataUrl = `http://127.0.0.1:${(metadataServer.address() as { port: number }).port}/metadata`;
    await signIn(portal);
  });
  after(async () => {
    await portal?.close();
    await oidc?.close();
    await new Promise((r) => metadataServer?.close(r));
  });

  /** Fills the fields every connection has. */
  async function fillCommon(name: string, tenant = 'acme.com', product = 'crm') {
    const { page } = portal;
    await page.getByRole('textbox', { name: /^Tenant/ }).fill(tenant);
    await page.getByRole('textbox', { name: /^Product/ }).fill(product);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await page.getByRole('textbox', { name: /^Default redirect URL/ }).fill(APP_CALLBACK);
  }

  it('creates SAML connections from pasted XML, an uploaded file and a metadata URL', async () => {
    const { page } = portal;
    await openFromNav(page, 'Connections');
    await page.getByRole('heading', { name: 'No connections yet' }).waitFor();
    await checkScreen(page, '10-connections-empty');

    // Pasted XML; the first submit is missing the metadata and the error names the field.
    await page.getByRole('link', { name: 'New connection' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New connection' }).waitFor();
    await checkScreen(page, '11-connection-new-saml');
    await fillCommon('Acme Okta');
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Metadata XML[\s\S]*Paste the metadata XML/);
    await checkScreen(page, '12-connection-new-error');
    await page.getByRole('textbox', { name: 'Metadata XML' }).fill(idp.metadataXml({ ssoUrl: IDP_SSO_URL }));
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByText('Connection created.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Acme Okta' }).waitFor();

    // What the IdP needs, each with Copy.
    const entityId = await page.getByRole('textbox', { name: 'SP entity ID (Audience)' }).inputValue();
    assert.equal(entityId, portal.gh.ctx.config.SAML_SP_ENTITY_ID);
    assert.equal(await page.getByRole('textbox', { name: 'ACS URL (Reply URL)' }).inputValue(), `${portal.gh.baseUrl}/api/oauth/saml`);
    assert.equal(await page.getByRole('textbox', { name: 'SP metadata URL' }).inputValue(), `${portal.gh.baseUrl}/.well-known/sp-metadata`);
    assert.match(await page.getByRole('textbox', { name: 'SP signing certificate' }).inputValue(), /BEGIN CERTIFICATE/);
    assert.match(await page.getByRole('textbox', { name: 'One-click login link' }).inputValue(), /\/login\/sso\?enterprise_key=acme\.com/);
    assert.ok(await page.getByRole('textbox', { name: 'Invite link' }).inputValue());
    await page.getByRole('button', { name: 'Copy SP entity ID (Audience)' }).click();
    await page.getByText('Copied', { exact: true }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), entityId);
    await page.getByRole('button', { name: 'Copy One-click login link' }).click();
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /enterprise_key=acme\.com/);
    // The app's credentials: the client secret stays masked until Show.
    assert.equal(await page.getByRole('textbox', { name: 'Client ID', exact: true }).inputValue(), new URL(page.url()).pathname.split('/').pop());
    const appSecret = page.getByLabel('Client secret', { exact: true });
    assert.equal(await appSecret.getAttribute('type'), 'password');
    await page.getByRole('button', { name: 'Show Client secret' }).click();
    assert.equal(await appSecret.getAttribute('type'), 'text');
    assert.match(await appSecret.inputValue(), /^\S{16,}$/);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download SP metadata' }).click();
    assert.match(await (await download).path().then((p) => import('node:fs').then((fs) => fs.readFileSync(p!, 'utf8'))), /EntityDescriptor/);
    await checkScreen(page, '13-connection-detail-saml');

    // Pasted metadata is not refreshed, and says so; the IdP's next certificate is added beside the current one, then the old one removed.
    assert.match(await page.getByTestId('metadata-freshness').innerText(), /not refreshed: when the identity provider rolls its signing certificate, add the new certificate here/);
    const nextCert = await createTestIdp({ entityId: 'https://idp.acme.test/next' });
    await page.getByLabel("Add the identity provider's new certificate (PEM)").fill(nextCert.certPem);
    await page.getByRole('button', { name: 'Add certificate' }).click();
    const removeButtons = page.getByRole('button', { name: /^Stop trusting / });
    await removeButtons.first().waitFor();
    assert.equal(await removeButtons.count(), 2);
    await removeButtons.first().click();
    await removeButtons.first().waitFor({ state: 'detached' });
    assert.equal(await removeButtons.count(), 0, 'the last certificate cannot be removed');

    // An uploaded file.
    const fileIdp = await createTestIdp({ entityId: 'https://idp.acme.test/file' });
    await page.goto(portal.url('/admin/sso/connections/new'));
    await fillCommon('Acme ADFS (file)');
    await page.getByRole('radio', { name: 'Upload a file' }).check();
    await page.getByLabel('Metadata file').setInputFiles({ name: 'adfs-metadata.xml', mimeType: 'application/xml', buffer: Buffer.from(fileIdp.metadataXml({ ssoUrl: IDP_SSO_URL })) });
    await page.getByText(/Read adfs-metadata\.xml/).waitFor();
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme ADFS (file)' }).waitFor();

    // A metadata URL (fetched by Gatehouse; 127.0.0.1 is allowed in tests).
    await page.goto(portal.url('/admin/sso/connections/new'));
    await fillCommon('Acme Entra (URL)');
    await page.getByRole('radio', { name: 'Metadata URL' }).check();
    await page.getByRole('textbox', { name: 'Metadata URL' }).fill(metadataUrl);
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Entra (URL)' }).waitFor();
    assert.match(await page.locator('.details').filter({ hasNotText: 'Sign-ins, last 24 h' }).innerText(), new RegExp(metadataUrl.replace(/[.:/]/g, '\\$&')));
    assert.match(await page.getByTestId('metadata-freshness').innerText(), /fetches the metadata from its URL again every 6 hours, so certificate rollovers published there need no action\. Last fetched/);
    assertNoProblems(portal);
  });

  it('creates an OIDC connection from a discovery URL and never shows its secret', async () => {
    const { page } = portal;
    await page.goto(portal.url('/admin/sso/connections/new'));
    await page.getByRole('radio', { name: 'OpenID Connect' }).check();
    await fillCommon('Globex Auth0', 'globex.com', 'crm');
    await page.getByRole('textbox', { name: /^Discovery URL/ }).fill(oidc.issuer);
    await page.getByRole('textbox', { name: /^Client ID/ }).fill(oidc.clientId);
    await checkScreen(page, '14-connection-new-oidc');
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Client secret/);
    await page.getByLabel(/^Client secret/).fill(oidc.clientSecret);
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('heading', { level: 1, name: 'Globex Auth0' }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Redirect URI to register at the provider' }).inputValue(), `${portal.gh.baseUrl}/api/oauth/oidc`);
    assert.doesNotMatch(await page.content(), new RegExp(oidc.clientSecret));
    await checkScreen(page, '15-connection-detail-oidc');
    assertNoProblems(portal);
  });

  it('filters and pages the list on the server, edits, deactivates and deletes a connection', async () => {
    const { page } = portal;
    // 27 connections of one tenant, made through the management API.
    const base = idp.metadataXml({ ssoUrl: IDP_SSO_URL });
    for (let i = 0; i < 27; i++) {
      const res = await fetch(`${portal.gh.baseUrl}/api/v1/sso`, {
        method: 'POST',
        headers: { authorization: `Api-Key ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: 'bulk.example', product: 'crm', name: `Bulk ${String(i).padStart(2, '0')}`, defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: base.replace('https://idp.acme.test/paste', `https://idp.bulk.test/${i}`) }),
      });
      assert.ok(res.status < 300, await res.text());
    }
    await openFromNav(page, 'Connections');
    await page.getByLabel('Tenant').fill('bulk.example');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/tenant=bulk\.example/);
    const names = () => page.locator('table tbody tr td:first-child').allTextContents();
    await page.getByText('Page 1').waitFor();
    const first = await names();
    assert.equal(first.length, 25);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 2);
    const second = await names();
    assert.equal(new Set([...first, ...second]).size, 27);
    await checkScreen(page, '16-connections-page-2');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 25);

    await page.getByLabel('Tenant').fill('acme.com');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: 'Acme Okta' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Okta' }).waitFor();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit Acme Okta' }).waitFor();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Acme Okta (prod)');
    await page.getByLabel('Allow IdP-initiated sign-in').check();
    await checkScreen(page, '17-connection-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Acme Okta (prod)' }).waitFor();
    assert.match(await page.locator('.details').filter({ hasNotText: 'Sign-ins, last 24 h' }).innerText(), /IdP-initiated allowed/);

    await page.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText(/Connection deactivated/).waitFor();
    await page.getByRole('button', { name: 'Activate' }).waitFor();

    // Delete: a confirmation dialog; Escape cancels, the danger button deletes.
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this connection?' });
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel');
    await checkScreen(page, '18-connection-delete-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete connection' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Acme Okta (prod)' }).count(), 0);

    const actions = await auditActions(page, portal, { tenant: 'acme.com' });
    for (const a of ['sso.connection.created', 'sso.connection.updated', 'sso.connection.deleted']) assert.ok(actions.includes(a), `audit log shows ${a}: ${actions.join(', ')}`);
    assertNoProblems(portal);
  });

  it('shows failed sign-ins in SSO Traces with the reason and the decoded response', async () => {
    const { page } = portal;
    const fresh = await createTestIdp({ entityId: 'https://idp.trace.test' });
    const res = await fetch(`${portal.gh.baseUrl}/api/v1/sso`, {
      method: 'POST',
      headers: { authorization: `Api-Key ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'trace.example', product: 'crm', name: 'Trace IdP', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: fresh.metadataXml({ ssoUrl: IDP_SSO_URL }) }),
    });
    const conn = (await res.json()) as { clientID: string };
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const { acs } = await samlRound(portal.gh, fresh, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's', code_challenge: challenge, code_challenge_method: 'S256' }, { audience: 'https://not-gatehouse.example' });
    assert.ok(acs.statusCode < 500);

    await openFromNav(page, 'SSO Traces');
    const trace = page.locator('.trace').first();
    await trace.waitFor();
    assert.match(await trace.innerText(), /trace\.example/);
    await trace.getByText('Details and decoded response').click();
    assert.match(await trace.getByLabel('Decoded SAML response').innerText(), /not-gatehouse\.example/);
    await checkScreen(page, '19-sso-traces');
    assertNoProblems(portal);
  });

  it('New Setup Link on the connections list opens the setup-link page for Enterprise SSO', async () => {
    const { page } = portal;
    await openFromNav(page, 'Connections');
    await page.getByRole('link', { name: 'New Setup Link' }).click();
    await page.getByRole('heading', { level: 1, name: 'New Setup Link' }).waitFor();
    assert.match(await page.locator('main').innerText(), /For Enterprise SSO/);
    await checkScreen(page, '20-setup-link-new');
    assertNoProblems(portal);
  });
});
