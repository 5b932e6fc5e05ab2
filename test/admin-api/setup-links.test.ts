/** The portal's Setup Links screen through the setup-link services: create, list, view (URL for Copy), regenerate, delete; audited without the URL. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWithOwnerAndViewer, type AdminClient } from './support.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';

describe('admin setup links', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient, viewer: AdminClient;
  before(async () => {
    ({ gh, owner, viewer } = await startWithOwnerAndViewer());
  });
  after(() => gh.close());

  test('create, list, view, regenerate (old URL dies), delete; viewers see no URL and change nothing', async () => {
    assert.equal((await owner.req('POST', '/api/admin/setup-links', { service: 'ldap', tenant: 'a', product: 'p' })).json().field, 'service');
    assert.equal((await owner.req('POST', '/api/admin/setup-links', { service: 'sso', product: 'p', defaultRedirectUrl: 'https://app.example/cb' })).json().field, 'tenant');
    const made = await owner.req('POST', '/api/admin/setup-links', { service: 'sso', tenant: 'acme.com', product: 'crm', defaultRedirectUrl: 'https://app.example/cb', expiryDays: 2 });
    assert.equal(made.statusCode, 201, made.body);
    const link = made.json().data;
    assert.match(link.url, /\/setup\/[A-Za-z0-9_-]{43,}$/);
    assert.equal(link.id, link.setupID);
    await owner.req('POST', '/api/admin/setup-links', { service: 'sso', tenant: 'globex.com', product: 'crm', defaultRedirectUrl: 'https://app.example/cb' });
    const p1 = (await owner.req('GET', '/api/admin/setup-links?service=sso&limit=1')).json();
    assert.equal(p1.data.length, 1);
    assert.ok(p1.nextCursor);
    assert.equal((await owner.req('GET', `/api/admin/setup-links?service=sso&limit=1&cursor=${p1.nextCursor}`)).json().nextCursor, null);
    assert.equal((await owner.req('GET', `/api/admin/setup-links/${link.id}`)).json().data.url, link.url);
    assert.equal((await viewer.req('GET', `/api/admin/setup-links/${link.id}`)).json().data.url, null);
    assert.equal((await viewer.req('POST', `/api/admin/setup-links/${link.id}/regenerate`)).statusCode, 403);

    const token = (u: string) => u.split('/setup/')[1]!;
    assert.equal((await gh.app.inject({ method: 'GET', url: `/api/setup/${token(link.url)}` })).statusCode, 200);
    const again = (await owner.req('POST', `/api/admin/setup-links/${link.id}/regenerate`)).json().data;
    assert.notEqual(again.url, link.url);
    assert.ok((await gh.app.inject({ method: 'GET', url: `/api/setup/${token(link.url)}` })).statusCode >= 400, 'the old URL stops working at once');
    assert.equal((await owner.req('DELETE', `/api/admin/setup-links/${link.id}`)).statusCode, 204);
    assert.equal((await owner.req('GET', `/api/admin/setup-links/${link.id}`)).statusCode, 404);
    const audit = JSON.stringify((await owner.req('GET', '/api/admin/audit?action=setup_link.')).json().data);
    for (const a of ['setup_link.sso.created', 'setup_link.sso.regenerated', 'setup_link.sso.deleted']) assert.ok(audit.includes(a), a);
    assert.ok(!audit.includes(token(link.url)) && !audit.includes(token(again.url)));
  });
});
