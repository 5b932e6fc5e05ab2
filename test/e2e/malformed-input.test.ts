/**
 * Malformed input gets a 4xx in the surface's own format, never a 5xx (issue 11, finding 13), and every
 * 5xx that does happen is logged with its request id. Through the real HTTP surface (app.inject).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createDirectory, scimClient, type Scim } from '../support/scim.ts';

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const api = { authorization: `Api-Key ${API_KEY}` };

describe('malformed input answers 4xx', () => {
  let gh: RunningGatehouse;
  let scim: Scim;
  before(async () => {
    gh = (await startGatehouse())!;
    scim = scimClient(gh, await createDirectory(gh));
  });
  after(async () => gh.close());

  test('Basic credentials with a bad % escape at the token endpoint → 401 invalid_client (OAuth JSON)', async () => {
    for (const credentials of ['client%zz:secret', 'client:sec%ret', 'client:%']) {
      const res = await gh.app.inject({
        method: 'POST', url: '/api/oauth/token',
        headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=authorization_code&code=abc',
      });
      assert.equal(res.statusCode, 401, `${credentials}: ${res.body}`);
      assert.equal(res.json().error, 'invalid_client');
      assert.match(res.headers['www-authenticate'] as string, /^Basic /);
      assert.equal(res.headers['cache-control'], 'no-store');
    }
  });

  test('a repeated query parameter on /api/v1/* → 400 problem JSON naming it', async () => {
    const cases = [
      ['/api/v1/sso?tenant=a&tenant=b&product=crm', 'tenant'],
      ['/api/v1/dsync?tenant=acme.com&product=crm&product=x', 'product'],
      ['/api/v1/sso/setuplinks?tenant=a&product=b&tenant=c', 'tenant'],
      ['/api/v1/dsync/users?directoryId=a&directoryId=b', 'directoryId'],
    ] as const;
    for (const [url, name] of cases) {
      const res = await gh.app.inject({ method: 'GET', url, headers: api });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
      assert.equal(res.json().field, name);
      assert.match(res.json().detail, new RegExp(`"${name}" is repeated`));
    }
    const once = await gh.app.inject({ method: 'GET', url: '/api/v1/sso?tenant=a&product=b', headers: api });
    assert.equal(once.statusCode, 200, 'each parameter once is still fine');
  });

  test('JSON nested 100,000 levels deep → 400 in each protocol\'s format; normal nesting still passes', async () => {
    const deep = nested(100_000);
    const scimUser = await scim('POST', '/Users', `{"schemas":["${USER_SCHEMA}"],"userName":"deep@acme.com","name":${deep}}`);
    assert.equal(scimUser.status, 400, scimUser.text);
    assert.deepEqual(scimUser.body.schemas, [SCIM_ERROR]);
    assert.equal(scimUser.body.scimType, 'invalidSyntax');
    assert.equal(scimUser.body.status, '400');

    const patch = await scim('PATCH', '/Users/nobody', `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":${deep}}]}`);
    assert.equal(patch.status, 400);
    assert.equal(patch.body.scimType, 'invalidSyntax');

    for (const url of ['/api/v1/sso', '/api/v1/dsync']) {
      const res = await gh.app.inject({ method: 'POST', url, headers: { ...api, 'content-type': 'application/json' }, payload: `{"tenant":"acme.com","product":"crm","name":${deep}}` });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal(res.json().code, 'API_JSON_TOO_DEEP');
    }
    const admin = await gh.app.inject({ method: 'POST', url: '/api/admin/login', headers: { 'content-type': 'application/json' }, payload: deep });
    assert.equal(admin.statusCode, 400);
    assert.equal(admin.json().code, 'API_JSON_TOO_DEEP');

    const token = await gh.app.inject({ method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/json' }, payload: `{"grant_type":${deep}}` });
    assert.equal(token.statusCode, 400, token.body);
    assert.equal(token.json().error, 'invalid_request');

    // 60 levels, and brackets and escaped quotes inside strings, are an ordinary body.
    const ok = await scim('POST', '/Users', `{"schemas":["${USER_SCHEMA}"],"userName":"ok@acme.com","displayName":"${'[{\\"'.repeat(200)}","x-extra":${nested(60)}}`);
    assert.equal(ok.status, 201, ok.text);
  });

  test('a body that is not JSON keeps its 400 (the depth check replaces no parser behaviour)', async () => {
    const res = await gh.app.inject({ method: 'POST', url: '/api/v1/sso', headers: { ...api, 'content-type': 'application/json' }, payload: '{"tenant": ' });
    assert.equal(res.statusCode, 400);
    const proto = await gh.app.inject({ method: 'POST', url: '/api/v1/sso', headers: { ...api, 'content-type': 'application/json' }, payload: '{"__proto__":{"admin":true}}' });
    assert.equal(proto.statusCode, 400, 'prototype poisoning is still refused');
  });
});

for (const dialect of testDialects()) {
  describe(`SCIM paging past 64 bits on ${dialect}`, () => {
    let gh: RunningGatehouse | null;
    let scim: Scim;
    before(async () => {
      gh = await startGatehouse({ dialect });
      if (gh) scim = scimClient(gh, await createDirectory(gh));
    });
    after(async () => gh?.close());

    test('startIndex and count beyond 64 bits are clamped (RFC 7644 §3.4.2.4), never a 500', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      assert.equal((await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'one@acme.com' })).status, 201);
      for (const q of ['startIndex=99999999999999999999999', 'startIndex=18446744073709551617', 'startIndex=9223372036854775808&count=5', 'count=99999999999999999999999', 'startIndex=-99999999999999999999999&count=-99999999999999999999999']) {
        for (const kind of ['Users', 'Groups']) {
          const res = await scim('GET', `/${kind}?${q}`);
          assert.equal(res.status, 200, `${kind}?${q}: ${res.text}`);
          assert.ok(res.body.startIndex >= 1 && Number.isSafeInteger(res.body.startIndex));
        }
      }
      const beyond = await scim('GET', '/Users?startIndex=99999999999999999999999');
      assert.equal(beyond.body.totalResults, 1);
      assert.deepEqual(beyond.body.Resources, [], 'a page past the end is empty');
      const all = await scim('GET', '/Users?count=99999999999999999999999');
      assert.equal(all.body.Resources.length, 1, 'a huge count is clamped to the maximum page');
    });
  });
}

describe('every 5xx is logged with its request id', () => {
  let gh: RunningGatehouse;
  const lines: Array<Record<string, unknown>> = [];
  let scim: Scim;
  before(async () => {
    const logStream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
        done();
      },
    });
    gh = (await startGatehouse({ env: { LOG_LEVEL: 'warn' }, logStream }))!;
    scim = scimClient(gh, await createDirectory(gh));
    // A real fault: the tables these surfaces read are gone.
    for (const table of ['connections', 'oauth_codes', 'directory_users']) await sql`DROP TABLE ${sql.table(table)}`.execute(gh.ctx.db);
  });
  after(async () => gh.close());

  const loggedFor = (reqId: string) => lines.filter((l) => l.reqId === reqId && (l.level as number) >= 50);

  test('management API, token endpoint and SCIM: the 500 answer and an error line with the same reqId', async () => {
    const mgmt = await gh.app.inject({ method: 'GET', url: '/api/v1/sso?tenant=a&product=b', headers: { ...api, 'x-request-id': 'forced-mgmt-500' } });
    assert.equal(mgmt.statusCode, 500);
    assert.equal(mgmt.json().code, 'INTERNAL');
    const token = await gh.app.inject({ method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'forced-token-500' }, payload: 'grant_type=authorization_code&code=abc' });
    assert.equal(token.statusCode, 500);
    assert.equal(token.json().error, 'server_error');
    const users = await scim('GET', '/Users', undefined, { 'x-request-id': 'forced-scim-500' });
    assert.equal(users.status, 500);
    for (const reqId of ['forced-mgmt-500', 'forced-token-500', 'forced-scim-500']) {
      const logged = loggedFor(reqId);
      assert.equal(logged.length, 1, `${reqId}: exactly one error line (got ${JSON.stringify(lines.filter((l) => l.reqId === reqId))})`);
      assert.equal(logged[0]!.code, 'INTERNAL');
      assert.equal(logged[0]!.status, 500);
      assert.ok((logged[0]!.err as { message?: string })?.message, 'the cause is in the line');
    }
  });
});
