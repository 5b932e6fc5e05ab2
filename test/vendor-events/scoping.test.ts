/**
 * Who may read GET /api/v1/events: keys need sso:read; a key limited to tenants or products must name one of
 * its own (403 otherwise, before anything is read), and then sees only those events.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWithOwnerAndViewer, type AdminClient } from '../admin-api/support.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { createSamlConnection } from '../support/saml-flow.ts';

describe('GET /api/v1/events: key scope', () => {
  let gh: RunningGatehouse;
  let owner: AdminClient;
  before(async () => {
    ({ gh, owner } = await startWithOwnerAndViewer());
    await createSamlConnection(gh.app, await createTestIdp(), { tenant: 'acme.com' });
    await createSamlConnection(gh.app, await createTestIdp(), { tenant: 'globex.com' });
  });
  after(() => gh.close());

  const mint = async (scopes: object) => {
    const r = await owner.req('POST', '/api/admin/api-keys', { name: 'k', kind: 'scoped', scopes });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().data.key as string;
  };
  const get = (key: string, qs: string) => gh.app.inject({ method: 'GET', url: `/api/v1/events${qs}`, headers: { authorization: `Api-Key ${key}` } });

  test('a key limited to a tenant reads its events only, and must name it', async () => {
    const key = await mint({ tenants: ['acme.com'], permissions: ['sso:read'] });
    const own = await get(key, '?tenant=acme.com');
    assert.equal(own.statusCode, 200, own.body);
    assert.deepEqual(own.json().data.map((e: { tenant: string }) => e.tenant), ['acme.com']);
    assert.equal((await get(key, '?tenant=globex.com')).statusCode, 403);
    assert.equal((await get(key, '')).statusCode, 403, 'no tenant named: it could read every tenant');
  });

  test('a key without sso:read is refused', async () => {
    const key = await mint({ permissions: ['dsync:read'] });
    assert.equal((await get(key, '')).statusCode, 403);
  });
});
