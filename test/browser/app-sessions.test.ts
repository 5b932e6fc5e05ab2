/**
 * A connection's open app sessions in a real browser (decision 0025): Enterprise SSO → Sessions, choose the
 * connection, see who is signed in, End session (confirmed); the session's access token is refused at once, the
 * app's back-channel receiver gets its logout token, and the audit log has `sso.session.ended`. A product's session
 * settings are edited on its page. Accessibility checked on each screen.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { startBackchannelReceiver, type BackchannelReceiver } from '../support/backchannel-receiver.ts';
import { assertNoProblems, auditActions, browserUnavailable, checkScreen, openFromNav, signIn, startPortal, type Portal } from './support/portal.ts';

const skip = browserUnavailable();

describe('admin portal: app sessions', { skip: skip ?? false }, () => {
  let portal: Portal;
  let idp: TestIdp;
  let rx: BackchannelReceiver;
  let conn: { clientID: string; clientSecret: string };
  before(async () => {
    portal = await startPortal({ deliverWebhooks: true });
    const { gh } = portal;
    rx = await startBackchannelReceiver(gh.baseUrl, gh.ctx.config.EXTERNAL_URL);
    const p = await gh.app.inject({ method: 'POST', url: '/api/v1/products', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { product: 'crm', backchannelLogoutUri: rx.url } });
    assert.equal(p.statusCode, 201, p.body);
    idp = await createTestIdp();
    conn = await createSamlConnection(gh.app, idp, { tenant: 'acme.com', name: 'Acme Okta' });
    await signIn(portal);
  });
  after(async () => {
    await rx?.close();
    await portal?.close();
  });

  async function appSignIn(email: string) {
    const { gh } = portal;
    const q = { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 'st', scope: 'openid email' };
    const { acs } = await samlRound(gh, idp, q, { nameId: email, attributes: { email } });
    const code = new URL(acs.headers.location as string).searchParams.get('code')!;
    const tok = await gh.app.inject({
      method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK }).toString(),
    });
    assert.equal(tok.statusCode, 200, tok.body);
    return { accessToken: tok.json().access_token as string, sid: JSON.parse(Buffer.from(tok.json().id_token.split('.')[1], 'base64url').toString()).sid as string };
  }
  const userinfo = (token: string) => portal.gh.app.inject({ url: '/api/oauth/userinfo', headers: { authorization: `Bearer ${token}` } });

  it('lists a connection\'s open sessions and ends one', async () => {
    const { page } = portal;
    const alice = await appSignIn('alice@acme.com');
    const bob = await appSignIn('bob@acme.com');
    await openFromNav(page, 'Sessions');
    await page.getByLabel('Connection').selectOption(conn.clientID);
    const table = page.getByRole('table', { name: 'Open sessions of the connection' });
    const row = (email: string) => table.getByRole('row', { name: new RegExp(email.replace('.', '\\.')) });
    await row('alice@acme.com').waitFor();
    await row('bob@acme.com').waitFor();
    await checkScreen(page, '90-app-sessions');

    await row('alice@acme.com').getByRole('button', { name: 'End session' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'End session' }).click();
    await page.getByText('Session of alice@acme.com ended.').waitFor();
    await row('alice@acme.com').waitFor({ state: 'detached' });
    assert.equal(await row('bob@acme.com').count(), 1);

    assert.equal((await userinfo(alice.accessToken)).statusCode, 401);
    assert.equal((await userinfo(bob.accessToken)).statusCode, 200);
    await rx.waitFor((r) => r.some((x) => x.claims.sid === alice.sid));
    assert.ok(!rx.received.some((x) => x.claims.sid === bob.sid));
    assert.ok((await auditActions(page, portal)).includes('sso.session.ended'));
    assertNoProblems(portal);
  });
  it('sets the connection\'s own back-channel logout URL on its form; one the outbound guard refuses is named', async () => {
    const { page } = portal;
    await page.goto(portal.url(`/admin/sso/connections/${encodeURIComponent(conn.clientID)}/edit`));
    const field = page.getByLabel(/^Back-channel logout URL/);
    await field.fill('https://10.0.0.1/logout');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('[aria-invalid="true"]#' + (await field.getAttribute('id'))).waitFor();
    await checkScreen(page, '91-connection-backchannel-refused');
    await field.fill(rx.url);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\?saved=1/);
    const r = await portal.gh.app.inject({ url: `/api/v1/sso?clientID=${conn.clientID}`, headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.equal(r.json()[0].backchannelLogoutUri, rx.url);
    assertNoProblems(portal);
  });
  it('edits a product\'s session settings on its page: refresh tokens, lifetimes, post-logout URIs, back-channel receiver', async () => {
    const { page } = portal;
    await page.goto(portal.url('/admin/products/crm'));
    const fields = page.getByRole('group', { name: 'Sessions and logout' });
    await fields.waitFor();
    assert.equal(await page.getByLabel('Back-channel logout URI').inputValue(), rx.url);
    await page.getByLabel('Refresh token idle lifetime (seconds)').fill('5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    await page.getByLabel('Refresh token idle lifetime (seconds)').fill('600');
    await page.getByLabel('Refresh tokens', { exact: true }).uncheck();
    await page.getByLabel('Post-logout redirect URIs').fill('https://crm.example.com/bye\nhttps://crm.example.com/bye-2');
    await checkScreen(page, '92-product-sessions');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    const r = await portal.gh.app.inject({ url: '/api/v1/products/crm', headers: { authorization: `Api-Key ${API_KEY}` } });
    const d = r.json().data;
    assert.equal(d.refreshTokens, false);
    assert.equal(d.refreshTokenIdleSeconds, 600);
    assert.equal(d.refreshTokenAbsoluteSeconds, null);
    assert.deepEqual(d.postLogoutRedirectUris, ['https://crm.example.com/bye', 'https://crm.example.com/bye-2']);
    assert.equal(d.backchannelLogoutUri, rx.url, 'untouched fields stay');
    assertNoProblems(portal);
  });
});
