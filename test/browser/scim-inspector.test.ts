/**
 * The SCIM inspector in a real browser (issue 16 §2, decision 0027): an Entra-type directory receives real
 * requests (a user, Entra's "False" string, a filter without a value, a duplicate), then the portal's directory
 * page (tab "SCIM requests") and the Directory Sync setup-link page show the verdicts, refusals first, bodies on
 * demand with the password redacted. Screenshots under test-results/browser/; axe finds nothing, of any impact.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { assertNoProblems, browserUnavailable, checkScreen, signIn, startPortal, type Portal } from './support/portal.ts';
import { API_KEY } from '../support/gatehouse.ts';

const skip = browserUnavailable();
const PASSWORD = 'Sup3r-secret-passw0rd!';

/** checkScreen fails on serious and critical findings; here every finding fails. */
async function axeClean(page: Page, name: string) {
  await checkScreen(page, name);
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  assert.deepEqual(r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], name);
}

describe('SCIM inspector panels', { skip: skip ?? false }, () => {
  let portal: Portal;
  let dir: { id: string; endpoint: string; secret: string };
  const api = (method: string, path: string, body?: unknown) =>
    fetch(portal.url(path), { method, headers: { authorization: `Api-Key ${API_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const scim = (method: string, path: string, body?: unknown) =>
    fetch(`${dir.endpoint}${path}`, { method, headers: { authorization: `Bearer ${dir.secret}`, 'content-type': 'application/scim+json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  before(async () => {
    portal = await startPortal();
    const r = await api('POST', '/api/v1/dsync', { tenant: 'acme.com', product: 'crm', name: 'Acme Entra', type: 'azure-scim-v2' });
    assert.equal(r.status, 201);
    const d = (await r.json()).data;
    dir = { id: d.id, endpoint: d.scim.endpoint, secret: d.scim.secret };
    const user = await scim('POST', '/Users', { userName: 'jane@acme.com', password: PASSWORD, active: true, emails: [{ type: 'work', value: 'jane@acme.com', primary: true }] });
    assert.equal(user.status, 201);
    const id = (await user.json()).id;
    assert.equal((await scim('PATCH', `/Users/${id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })).status, 200);
    assert.equal((await scim('GET', '/Users?filter=userName%20eq')).status, 400);
    assert.equal((await scim('POST', '/Users', { userName: 'jane@acme.com' })).status, 409);
    await portal.gh.ctx.scimRequestLog.settled();
    await signIn(portal);
  });
  after(async () => {
    await portal?.close();
  });

  it('the portal\'s directory page: refusals first, each verdict in words, bodies on demand without the password', async () => {
    const { page } = portal;
    await page.goto(portal.url(`/admin/dsync/directories/${dir.id}?tab=requests`));
    await page.getByRole('heading', { level: 2, name: 'SCIM requests' }).waitFor();
    const refused = page.getByRole('list', { name: 'Refused SCIM requests of Acme Entra' });
    await refused.waitFor();
    const refusedText = await refused.innerText();
    assert.match(refusedText, /Refused: the filter userName eq has no value\./);
    assert.match(refusedText, /Refused: a user with this userName already exists/);
    const all = page.getByRole('list', { name: 'SCIM requests of Acme Entra', exact: true });
    assert.equal(await all.getByTestId('scim-request').count(), 4);
    assert.match(await all.innerText(), /Deactivated the user\. Entra sent active as the string "False": accepted as false\./);
    // Refusals come before everything else on the page.
    const firstEntry = await page.getByTestId('scim-request').first().innerText();
    assert.match(firstEntry, /^409/);

    const create = all.getByTestId('scim-request').filter({ hasText: 'Created the user.' });
    await create.getByText(/Request and response of POST \/Users/).click();
    const body = await create.getByRole('region').or(create.locator('pre').first()).first().innerText();
    assert.match(body, /"password": "\[redacted\]"/);
    assert.doesNotMatch(await page.content(), new RegExp(PASSWORD));
    assert.doesNotMatch(await page.content(), new RegExp(dir.secret));
    await axeClean(page, '95-directory-scim-requests');

    await page.getByLabel('Method').selectOption('PATCH');
    await page.getByText('No request was refused.').waitFor();
    assert.equal(await page.getByRole('list', { name: 'SCIM requests of Acme Entra', exact: true }).getByTestId('scim-request').count(), 1);
    assertNoProblems(portal);
  });

  it('the Directory Sync setup-link page shows the IT admin the same log for their directory', async () => {
    const link = await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'acme.com', product: 'crm' });
    assert.equal(link.status, 201);
    const url = (await link.json()).data.url as string;
    const { page } = portal;
    await page.goto(url);
    await page.getByRole('heading', { name: 'Your directories' }).waitFor();
    await page.getByText('Why did a push fail? See the SCIM requests of Acme Entra').click();
    const refused = page.getByRole('list', { name: 'Refused SCIM requests of Acme Entra' });
    await refused.waitFor();
    assert.match(await refused.innerText(), /Refused: the filter userName eq has no value\./);
    assert.doesNotMatch(await page.content(), new RegExp(PASSWORD));
    await axeClean(page, '96-setup-link-scim-requests');
    assertNoProblems(portal);
  });
});
