/** The portal's Directory Sync screens through the same services as /api/v1/dsync: directories, users, groups, members, events. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWithOwnerAndViewer, type AdminClient } from './support.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';

describe('admin directories', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient, viewer: AdminClient;
  before(async () => {
    ({ gh, owner, viewer } = await startWithOwnerAndViewer());
  });
  after(() => gh.close());

  test('create (SCIM secret shown once), list, read, users/groups/members/events, edit, rotate, delete; viewers only read', async () => {
    const made = await owner.req('POST', '/api/admin/directories', { tenant: 'acme.com', product: 'crm', name: 'Okta' });
    assert.equal(made.statusCode, 201, made.body);
    const dir = made.json().data;
    assert.ok(dir.scim.secret);
    assert.equal((await owner.req('POST', '/api/admin/directories', { product: 'crm' })).json().field, 'tenant');
    assert.equal((await viewer.req('POST', '/api/admin/directories', { tenant: 'x', product: 'crm' })).statusCode, 403);

    const scim = (method: 'POST' | 'PATCH', path: string, payload: object) =>
      gh.app.inject({ method, url: `/api/scim/v2.0/${dir.id}${path}`, headers: { authorization: `Bearer ${dir.scim.secret}`, 'content-type': 'application/scim+json' }, payload });
    const user = (await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'jane@acme.com', active: true, emails: [{ value: 'jane@acme.com', primary: true }] })).json();
    const group = (await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Admins', members: [{ value: user.id }] })).json();

    const list = (await viewer.req('GET', '/api/admin/directories?tenant=acme.com')).json();
    assert.equal(list.data.length, 1);
    assert.equal(list.data[0].scim.secret, undefined);
    assert.equal((await viewer.req('GET', `/api/admin/directories/${dir.id}`)).json().data.name, 'Okta');
    const users = (await viewer.req('GET', `/api/admin/directories/${dir.id}/users?limit=10`)).json();
    assert.equal(users.data[0].email, 'jane@acme.com');
    assert.ok('nextCursor' in users);
    assert.equal((await viewer.req('GET', `/api/admin/directories/${dir.id}/groups`)).json().data[0].name, 'Admins');
    assert.equal((await viewer.req('GET', `/api/admin/directories/${dir.id}/groups/${group.id}/members`)).json().data[0].user_id, user.id);
    const events = (await viewer.req('GET', `/api/admin/directories/${dir.id}/events`)).json();
    assert.ok(Array.isArray(events.data));

    const patched = await owner.req('PATCH', `/api/admin/directories/${dir.id}`, { name: 'Okta prod' });
    assert.equal(patched.json().data.name, 'Okta prod');
    const rotated = await owner.req('POST', `/api/admin/directories/${dir.id}/scim-secret`);
    assert.ok(rotated.json().data.scim.secret && rotated.json().data.scim.secret !== dir.scim.secret);
    assert.equal((await owner.req('POST', `/api/admin/directories/${dir.id}/events/nope/replay`)).statusCode, 404);
    assert.equal((await owner.req('DELETE', `/api/admin/directories/${dir.id}`)).statusCode, 204);
    assert.equal((await owner.req('GET', `/api/admin/directories/${dir.id}`)).statusCode, 404);
    const audit = (await owner.req('GET', '/api/admin/audit?action=dsync.')).json().data.map((e: { action: string }) => e.action);
    assert.deepEqual(new Set(audit), new Set(['dsync.directory.created', 'dsync.directory.updated', 'dsync.directory.secret_rotated', 'dsync.directory.deleted']));
    assert.ok(!JSON.stringify((await owner.req('GET', '/api/admin/audit?action=dsync.')).json()).includes(rotated.json().data.scim.secret));
  });
});
