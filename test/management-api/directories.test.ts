/**
 * The Directory Sync management API (Jackson v1 shapes): directories CRUD, the SCIM secret shown once,
 * stored hashed and rotated, the webhook secret sealed, the pull API with cursors, and SCIM errors
 * and leniency at the edge (bearer, paths, aliases, bodies).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { scimClient, type TestDirectory } from '../support/scim.ts';

describe('management API: /api/v1/dsync', () => {
  let gh: RunningGatehouse;
  let dir: TestDirectory;
  before(async () => {
    gh = (await startGatehouse())!;
  });
  after(() => gh.close());
  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });

  test('POST creates a directory: 201 {data: {id, scim: {endpoint, secret}, …}} with an absolute endpoint', async () => {
    const res = await api('POST', '/api/v1/dsync', { tenant: 'acme.com', product: 'crm', name: 'Acme Okta', type: 'okta-scim-v2', webhook_url: 'http://127.0.0.1:9/hook', webhook_secret: 'whsec_0123456789abcdef' });
    assert.equal(res.statusCode, 201, res.body);
    const d = res.json().data;
    assert.equal(d.scim.endpoint, `${gh.baseUrl}/api/scim/v2.0/${d.id}`);
    assert.equal(d.scim.path, `/api/scim/v2.0/${d.id}`);
    assert.ok(d.scim.secret.length >= 43);
    assert.deepEqual([d.tenant, d.product, d.name, d.type, d.deactivated, d.webhook.endpoint], ['acme.com', 'crm', 'Acme Okta', 'okta-scim-v2', false, 'http://127.0.0.1:9/hook']);
    assert.equal(d.webhook.secret, undefined);
    dir = { id: d.id, secret: d.scim.secret, endpoint: d.scim.endpoint, path: d.scim.path };
  });

  test('the SCIM secret is stored as a hash and the webhook secret sealed, never in plaintext', async () => {
    const row = await gh.ctx.db.selectFrom('directories').selectAll().where('id', '=', dir.id).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(dir.secret));
    assert.ok(!JSON.stringify(row).includes('whsec'));
    assert.match(row.webhook_secret_enc, /^v1\./);
    assert.equal(gh.ctx.secrets.decrypt(row.webhook_secret_enc), 'whsec_0123456789abcdef');
  });

  test('GET by id (200, no secret) and by tenant+product ({data: […]})', async () => {
    const one = await api('GET', `/api/v1/dsync/${dir.id}`);
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().data.scim.secret, undefined);
    const list = await api('GET', '/api/v1/dsync?tenant=acme.com&product=crm');
    assert.deepEqual(list.json().data.map((d: any) => d.id), [dir.id]);
    assert.equal((await api('GET', '/api/v1/dsync/product?product=crm')).json().data.length, 1);
    assert.equal((await api('GET', '/api/v1/dsync/nope')).statusCode, 404);
    assert.equal((await gh.app.inject({ method: 'GET', url: `/api/v1/dsync/${dir.id}` })).statusCode, 401);
  });

  test('bad input is a 400 naming the field, nothing stored', async () => {
    for (const [body, field] of [[{ product: 'crm' }, 'tenant'], [{ tenant: 'a', product: 'b', type: 'nope' }, 'type'], [{ tenant: 'a', product: 'b', webhook_url: 'http://10.1.1.1/x', webhook_secret: 's' }, 'webhook_url']] as const) {
      const res = await api('POST', '/api/v1/dsync', body);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().field, field);
    }
    assert.equal((await api('GET', '/api/v1/dsync?product=b')).json().data.length, 0);
  });

  test('PATCH updates name, webhook and deactivation; tenant cannot move', async () => {
    const res = await api('PATCH', `/api/v1/dsync/${dir.id}`, { name: 'Renamed', webhook: { endpoint: 'http://127.0.0.1:9/other', secret: 'new_0123456789abcdef' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().data.name, 'Renamed');
    assert.equal(res.json().data.webhook.endpoint, 'http://127.0.0.1:9/other');
    assert.equal((await api('PATCH', `/api/v1/dsync/${dir.id}`, { tenant: 'evil.com' })).statusCode, 400);
    const scim = scimClient(gh, dir);
    await api('PATCH', `/api/v1/dsync/${dir.id}`, { deactivated: true });
    assert.equal((await scim('GET', '/Users')).status, 403);
    await api('PATCH', `/api/v1/dsync/${dir.id}`, { deactivated: false });
    assert.equal((await scim('GET', '/Users')).status, 200);
  });

  test('rotating the SCIM secret shows the new one once; the old one stops working at once', async () => {
    const old = scimClient(gh, dir);
    const res = await api('POST', `/api/v1/dsync/${dir.id}/scim-secret`);
    const secret = res.json().data.scim.secret;
    assert.ok(secret && secret !== dir.secret);
    const r = await old('GET', '/Users');
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: 'The bearer token is not valid for this directory.' });
    dir = { ...dir, secret };
    assert.equal((await scimClient(gh, dir)('GET', '/Users')).status, 200);
  });

  test('pull API: users, groups and members with cursor pagination (Jackson shapes)', async () => {
    const scim = scimClient(gh, dir);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await scim('POST', '/Users', { userName: `p${i}@acme.com`, name: { givenName: `G${i}`, familyName: 'F' }, emails: [{ value: `p${i}@acme.com`, primary: true }] })).body.id);
    const g = (await scim('POST', '/Groups', { displayName: 'Pull', members: ids.map((value) => ({ value })) })).body.id;
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const page: any = (await api('GET', `/api/v1/dsync/users?directoryId=${dir.id}&limit=2${token ? `&pageToken=${token}` : ''}`)).json();
      seen.push(...page.data.map((u: any) => u.id));
      assert.deepEqual(Object.keys(page.data[0] ?? { id: 1, first_name: 1, last_name: 1, email: 1, active: 1, raw: 1, directoryId: 1 }).sort(), ['active', 'directoryId', 'email', 'first_name', 'id', 'last_name', 'raw']);
      if (page.data[0]) assert.equal(page.data[0].directoryId, dir.id, 'Jackson stores each user with its directoryId');
      token = page.pageToken;
    } while (token);
    assert.deepEqual(seen.sort(), [...ids].sort());
    const byTenant = (await api('GET', '/api/v1/dsync/users?tenant=acme.com&product=crm&limit=100')).json();
    assert.equal(byTenant.data.length, 5);
    const groups = (await api('GET', `/api/v1/dsync/groups?directoryId=${dir.id}`)).json();
    assert.deepEqual(groups.data.map((x: any) => [x.id, x.name]), [[g, 'Pull']]);
    const members = (await api('GET', `/api/v1/dsync/groups/${g}/members?directoryId=${dir.id}&limit=3`)).json();
    assert.equal(members.data.length, 3);
    const rest = (await api('GET', `/api/v1/dsync/groups/${g}/members?directoryId=${dir.id}&limit=3&pageToken=${members.pageToken}`)).json();
    assert.deepEqual([...members.data, ...rest.data].map((m: any) => m.user_id).sort(), [...ids].sort());
    assert.equal((await api('GET', `/api/v1/dsync/users/${ids[0]}?directoryId=${dir.id}`)).json().data.first_name, 'G0');
  });

  test('DELETE removes the directory and its SCIM endpoint', async () => {
    const del = await api('DELETE', `/api/v1/dsync/${dir.id}`);
    assert.equal(del.statusCode, 200); // Jackson's 200 {data: {}} (was 204 before issue 13)
    assert.deepEqual(del.json(), { data: {} });
    assert.equal((await api('GET', `/api/v1/dsync/${dir.id}`)).statusCode, 404);
    assert.equal((await scimClient(gh, dir)('GET', '/Users')).status, 401);
    assert.equal((await api('DELETE', `/api/v1/dsync/${dir.id}`)).statusCode, 404);
  });
});

describe('SCIM edge: auth, leniency, errors, shapes', () => {
  let gh: RunningGatehouse;
  let dir: TestDirectory;
  before(async () => {
    gh = (await startGatehouse())!;
    const res = await gh.app.inject({ method: 'POST', url: '/api/v1/dsync', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { tenant: 't', product: 'p' } });
    const d = res.json().data;
    dir = { id: d.id, secret: d.scim.secret, endpoint: d.scim.endpoint, path: d.scim.path };
  });
  after(() => gh.close());

  test('no bearer → 401 SCIM error with status as a string', async () => {
    const res = await gh.app.inject({ method: 'GET', url: `${dir.path}/Users` });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().status, '401');
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="SCIM"');
  });

  test('resource paths are case-insensitive, with or without a trailing slash; /serviceConfiguration is an alias', async () => {
    const scim = scimClient(gh, dir);
    for (const p of ['/users', '/Users/', '/USERS?startIndex=1', '/groups/']) assert.equal((await scim('GET', p)).status, 200, p);
    assert.equal((await scim('GET', '/serviceConfiguration')).body.patch.supported, true);
    const rt = (await scim('GET', '/ResourceTypes')).body;
    assert.deepEqual(rt.Resources.map((r: any) => [r.name, r.endpoint]), [['User', '/Users'], ['Group', '/Groups']]);
    assert.equal((await scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User')).body.name, 'User');
    assert.equal((await scim('GET', '/Nothing')).status, 404);
  });

  test('bad filters → 400 invalidFilter', async () => {
    const scim = scimClient(gh, dir);
    for (const f of ['userName eq', 'userName qq "x"', '(userName eq "x"', 'userName eq "x" and', 'urn:other:schema:x eq "1"', 'active gt true', 'meta.created gt "yesterday"']) {
      const res = await scim('GET', `/Users?filter=${encodeURIComponent(f)}`);
      assert.equal(res.status, 400, f);
      assert.equal(res.body.scimType, 'invalidFilter', f);
    }
  });

  test('a malformed body never changes stored data', async () => {
    const scim = scimClient(gh, dir);
    const u = (await scim('POST', '/Users', { userName: 'keep@x.test', displayName: 'Keep' })).body;
    const bad = [
      { Operations: [{ op: 'replace', path: 'displayName', value: 'Changed' }, { op: 'explode', path: 'x' }] },
      { Operations: [{ op: 'replace', path: 'displayName', value: 'Changed' }, { op: 'replace', path: 'active', value: 'maybe' }] },
      { Operations: [{ op: 'replace', path: 'displayName', value: 'Changed' }, { op: 'replace', path: 'userName', value: '' }] },
      { Operations: [{ op: 'remove' }] },
      { Operations: 'nope' },
      '{"Operations": [',
    ];
    for (const b of bad) {
      const res = await scim('PATCH', `/Users/${u.id}`, b);
      assert.equal(res.status, 400, `${JSON.stringify(b)} → ${res.text}`);
      assert.ok(res.body.scimType);
    }
    assert.equal((await scim('PUT', `/Users/${u.id}`, { displayName: 'no userName' })).status, 400);
    const after = (await scim('GET', `/Users/${u.id}`)).body;
    assert.equal(after.displayName, 'Keep');
    assert.equal(after.meta.version, 'W/"1"');
  });

  test('409 uniqueness on PUT and PATCH renames too; externalId is not unique', async () => {
    const scim = scimClient(gh, dir);
    await scim('POST', '/Users', { userName: 'one@x.test', externalId: 'same' });
    const two = (await scim('POST', '/Users', { userName: 'two@x.test', externalId: 'same' })).body;
    assert.ok(two.id);
    const put = await scim('PUT', `/Users/${two.id}`, { userName: 'ONE@x.test' });
    assert.equal(put.status, 409);
    assert.equal(put.body.scimType, 'uniqueness');
    assert.equal((await scim('PATCH', `/Users/${two.id}`, { Operations: [{ op: 'replace', path: 'userName', value: 'one@X.test' }] })).status, 409);
  });

  test('PATCH answers 200 with the resource when attributes are named; excludedAttributes=members omits the key', async () => {
    const scim = scimClient(gh, dir);
    const u = (await scim('POST', '/Users', { userName: 'attr@x.test' })).body;
    const res = await scim('PATCH', `/Users/${u.id}?attributes=userName,active`, { Operations: [{ op: 'replace', value: { active: false } }] });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['active', 'id', 'meta', 'schemas', 'userName']);
    const g = (await scim('POST', '/Groups', { displayName: 'X', members: [{ value: u.id }] })).body;
    const list = await scim('GET', '/Groups?excludedAttributes=members');
    assert.ok(list.body.Resources.every((r: any) => !('members' in r)));
    const gp = await scim('PATCH', `/Groups/${g.id}?excludedAttributes=members`, { Operations: [{ op: 'replace', path: 'displayName', value: 'Y' }] });
    assert.equal(gp.status, 200);
    assert.equal(gp.body.displayName, 'Y');
    assert.equal('members' in gp.body, false);
  });

  test('list paging: startIndex/count with an exact totalResults', async () => {
    const scim = scimClient(gh, dir);
    for (let i = 0; i < 7; i++) await scim('POST', '/Users', { userName: `page${i}@x.test` });
    const all = (await scim('GET', '/Users?filter=userName sw "page"')).body;
    assert.equal(all.totalResults, 7);
    const p = (await scim('GET', '/Users?filter=userName sw "page"&startIndex=3&count=2')).body;
    assert.deepEqual([p.totalResults, p.startIndex, p.itemsPerPage], [7, 3, 2]);
    assert.deepEqual(p.Resources.map((r: any) => r.userName), ['page2@x.test', 'page3@x.test']);
    const none = (await scim('GET', '/Users?filter=userName sw "page"&count=0')).body;
    assert.deepEqual([none.totalResults, none.Resources.length], [7, 0]);
  });
});
