/**
 * Issue 11, finding 14 (second bullet): a setup link cannot allow SHA-1 signatures or reactivate a connection
 * the vendor deactivated; only the vendor can (management API). Through the setup-link API, Jackson paths.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { IDP_SSO_URL } from '../support/saml-flow.ts';

const CALLBACK = 'https://crm.example.test/callback';

describe('setup links: vendor-only connection settings', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  let token: string;
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
  const link = (method: 'GET' | 'POST' | 'PATCH', path: string, payload?: object) => gh.app.inject({ method, url: `/api/setup/${token}${path}`, ...(payload ? { payload } : {}) });
  const stored = async (clientID: string) => (await api('GET', `/api/v1/sso?clientID=${clientID}`)).json()[0] as { allowSha1: boolean; deactivated: boolean; name: string };
  const refused = (r: { statusCode: number; body: string; json(): { code: string; field?: string } }, field: string) => {
    assert.equal(r.statusCode, 403, r.body);
    assert.equal(r.json().code, 'SETUP_LINK_VENDOR_ONLY');
    assert.equal(r.json().field, field);
  };

  before(async () => {
    gh = (await startGatehouse())!;
    idp = await createTestIdp({ entityId: 'https://idp.acme.test' });
    const r = await api('POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: CALLBACK });
    token = r.json().data.url.split('/setup/')[1];
  });
  after(() => gh.close());

  test('a link cannot create a connection that allows SHA-1; a new one is active', async () => {
    const metadata = { rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) };
    for (const allowSha1 of [true, 'true']) refused(await link('POST', '/sso-connection', { ...metadata, allowSha1 }), 'allowSha1');
    assert.equal((await api('GET', '/api/v1/sso?tenant=acme.com&product=crm')).json().length, 0, 'nothing created');
    const ok = await link('POST', '/sso-connection', { ...metadata, allowSha1: false, deactivated: false });
    assert.equal(ok.statusCode, 201, ok.body);
    const c = await stored(ok.json().data.clientID);
    assert.deepEqual([c.allowSha1, c.deactivated], [false, false]);
  });

  test('a link cannot turn SHA-1 on, but may send back the current value or turn it off', async () => {
    const clientID = (await api('GET', '/api/v1/sso?tenant=acme.com&product=crm')).json()[0].clientID as string;
    refused(await link('PATCH', '/sso-connection', { clientID, allowSha1: true }), 'allowSha1');
    assert.equal((await stored(clientID)).allowSha1, false);

    assert.equal((await api('PATCH', '/api/v1/sso', { clientID, allowSha1: true })).statusCode, 204, 'the vendor may');
    const read = (await link('GET', `/sso-connection/${clientID}`)).json().data;
    const roundTrip = await link('PATCH', '/sso-connection', { clientID, name: 'Acme Okta', allowSha1: read.allowSha1, deactivated: read.deactivated, forceAuthn: read.forceAuthn });
    assert.equal(roundTrip.statusCode, 200, `sending back what was read passes: ${roundTrip.body}`);
    assert.equal((await stored(clientID)).allowSha1, true);
    assert.equal((await link('PATCH', '/sso-connection', { clientID, allowSha1: false })).statusCode, 200);
    assert.equal((await stored(clientID)).allowSha1, false);
  });

  test('a link cannot reactivate a connection the vendor deactivated, by PATCH or by posting its metadata again', async () => {
    const clientID = (await api('GET', '/api/v1/sso?tenant=acme.com&product=crm')).json()[0].clientID as string;
    assert.equal((await api('PATCH', '/api/v1/sso', { clientID, deactivated: true })).statusCode, 204);
    for (const deactivated of [false, 'false']) refused(await link('PATCH', '/sso-connection', { clientID, deactivated }), 'deactivated');
    assert.equal((await stored(clientID)).deactivated, true);

    const again = await link('POST', '/sso-connection', { rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }), deactivated: false, name: 'posted again' });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().data.clientID, clientID);
    assert.deepEqual([(await stored(clientID)).deactivated, (await stored(clientID)).name], [true, 'posted again'], 'updated, still deactivated');

    const read = (await link('GET', `/sso-connection/${clientID}`)).json().data;
    assert.equal(read.deactivated, true);
    assert.equal((await link('PATCH', '/sso-connection', { clientID, name: 'still off', deactivated: read.deactivated, allowSha1: read.allowSha1 })).statusCode, 200, 'sending back deactivated: true passes');
    assert.equal((await stored(clientID)).deactivated, true);

    assert.equal((await api('PATCH', '/api/v1/sso', { clientID, deactivated: false })).statusCode, 204, 'the vendor may reactivate');
    assert.equal((await stored(clientID)).deactivated, false);
    assert.equal((await link('PATCH', '/sso-connection', { clientID, deactivated: true })).statusCode, 200, 'the IT admin may switch their connection off');
    assert.equal((await stored(clientID)).deactivated, true);
  });
  test('a link cannot set or change the connection\'s back-channel logout receiver (decision 0025); the vendor can', async () => {
    const clientID = (await api('GET', '/api/v1/sso?tenant=acme.com&product=crm')).json()[0].clientID as string;
    refused(await link('PATCH', '/sso-connection', { clientID, backchannelLogoutUri: 'http://127.0.0.1:9/bcl' }), 'backchannelLogoutUri');
    assert.equal((await api('PATCH', '/api/v1/sso', { clientID, backchannelLogoutUri: 'http://127.0.0.1:9/bcl' })).statusCode, 204, 'the vendor may');
    refused(await link('PATCH', '/sso-connection', { clientID, backchannelLogoutUri: '' }), 'backchannelLogoutUri');
    assert.equal((await link('PATCH', '/sso-connection', { clientID, name: 'same', backchannelLogoutUri: 'http://127.0.0.1:9/bcl' })).statusCode, 200, 'sending back the current value passes');
    assert.equal(((await stored(clientID)) as unknown as { backchannelLogoutUri: string }).backchannelLogoutUri, 'http://127.0.0.1:9/bcl');
  });
});
