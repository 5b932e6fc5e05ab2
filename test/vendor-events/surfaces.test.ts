/**
 * Connection events come from the connection service, so every surface produces them the same way: the portal
 * (admin API) and a setup link each create, change and delete a connection, and the stream shows exactly that.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWithOwnerAndViewer, type AdminClient } from '../admin-api/support.ts';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL } from '../support/saml-flow.ts';

describe('connection events through the portal and a setup link', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient;
  before(async () => {
    ({ gh, owner } = await startWithOwnerAndViewer());
  });
  after(() => gh.close());

  const api = (method: 'GET' | 'POST', url: string, payload?: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
  const stream = async (tenant: string) => ((await api('GET', `/api/v1/events?tenant=${tenant}`)).json().data as { type: string; data: Record<string, unknown> }[]).map((e) => [e.type, e.data.changed ?? null]);

  test('the portal: create, deactivate, rename, delete', async () => {
    const idp = await createTestIdp();
    const c = await owner.req('POST', '/api/admin/connections', { tenant: 'portal.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) });
    assert.equal(c.statusCode, 201, c.body);
    const id = c.json().data.clientID as string;
    assert.equal((await owner.req('PATCH', `/api/admin/connections/${id}`, { deactivated: true })).statusCode, 200);
    assert.equal((await owner.req('PATCH', `/api/admin/connections/${id}`, { name: 'Renamed' })).statusCode, 200);
    assert.equal((await owner.req('DELETE', `/api/admin/connections/${id}`)).statusCode, 204);
    assert.deepEqual(await stream('portal.com'), [['connection.created', null], ['connection.deactivated', null], ['connection.updated', ['name']], ['connection.deleted', null]]);
  });

  test('a setup link: the IT admin creates the connection, then changes it', async () => {
    const link = await api('POST', '/api/v1/sso/setuplinks', { tenant: 'link.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] });
    assert.equal(link.statusCode, 201, link.body);
    const token = (link.json().data.url as string).split('/setup/')[1]!;
    const idp = await createTestIdp();
    const c = await gh.app.inject({ method: 'POST', url: `/api/setup/${token}/sso-connection`, payload: { name: 'Okta', rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) } });
    assert.ok(c.statusCode < 300, c.body);
    const id = c.json().data.clientID as string;
    const u = await gh.app.inject({ method: 'PATCH', url: `/api/setup/${token}/sso-connection`, payload: { clientID: id, name: 'Okta (new)' } });
    assert.ok(u.statusCode < 300, u.body);
    assert.deepEqual(await stream('link.com'), [['connection.created', null], ['connection.updated', ['name']]]);
  });
});
