/**
 * Replays what Okta and Microsoft Entra really send (../shared/vectors/scim/okta and entra), step by
 * step, against a real Gatehouse: every step answers with the status the file expects, bodies match
 * where the file gives one, and the "then" notes are checked with a GET.
 *
 * One deliberate difference, documented in docs/directory-sync.md: `itemsPerPage` is the number of
 * resources on the page (RFC 7644 §3.4.2, and what Okta's file expects: 0 for an empty page), so
 * the Entra doc sample's `"itemsPerPage": 20` for an empty page is not reproduced.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startWithDirectory, type Scim } from '../support/scim.ts';
import { sharedVectors } from '../support/shared-vectors.ts';

const VECTORS = sharedVectors('scim', 'the Okta and Entra SCIM replays (test/scim/idp-replay.test.ts)');
const { skip } = VECTORS;
const vector = (p: string) => JSON.parse(readFileSync(new URL(p, VECTORS.url), 'utf8'));

interface Step {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  body_ref?: string;
  expect: { status: number | number[]; body?: Record<string, unknown>; totalResults?: number };
  save?: Record<string, string>;
}

const fill = (v: unknown, vars: Record<string, string>): unknown => JSON.parse(JSON.stringify(v ?? null).replace(/\{\{(\w+)\}\}/g, (_, k) => vars[k] ?? `{{${k}}}`));

/** `expected` is a subset of `actual`; SCIM error `status` may be a number in the file and is a string on the wire. */
function assertSubset(actual: any, expected: any, where: string) {
  for (const [k, v] of Object.entries(expected)) {
    if (k === 'itemsPerPage' && Array.isArray(actual.Resources)) {
      assert.equal(actual.itemsPerPage, actual.Resources.length, `${where}: itemsPerPage is the page size returned`);
      continue;
    }
    if (k === 'status') assert.equal(String(actual[k]), String(v), `${where}: ${k}`);
    else assert.deepEqual(actual[k], v, `${where}: ${k}`);
  }
}

async function replay(scim: Scim, steps: Step[], checks: Record<string, (vars: Record<string, string>, res: { status: number; body: any }) => Promise<void>>) {
  const vars: Record<string, string> = {};
  const bodies = new Map<string, unknown>();
  for (const step of steps) {
    const body = step.body !== undefined ? step.body : step.body_ref ? bodies.get(step.body_ref) : undefined;
    if (step.body !== undefined) bodies.set(step.name, step.body);
    const path = (fill(step.path, vars) as string).replace(/ /g, '%20').replace(/"/g, '%22');
    const res = await scim(step.method, path, body === undefined ? undefined : fill(body, vars));
    const allowed = Array.isArray(step.expect.status) ? step.expect.status : [step.expect.status];
    assert.ok(allowed.includes(res.status), `${step.name}: got ${res.status} ${res.text}, expected ${allowed.join(' or ')}`);
    if (step.expect.body) assertSubset(res.body, step.expect.body, step.name);
    if (step.expect.totalResults !== undefined) assert.equal(res.body.totalResults, step.expect.totalResults, `${step.name}: totalResults`);
    if (res.status >= 400) assert.deepEqual(res.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error'], `${step.name}: SCIM error body`);
    for (const [name, attr] of Object.entries(step.save ?? {})) vars[name] = res.body[attr];
    await checks[step.name]?.(vars, res);
  }
  return vars;
}

describe('Okta SCIM 2.0 lifecycle (okta-scim20-lifecycle.json)', { skip }, () => {
  let s: NonNullable<Awaited<ReturnType<typeof startWithDirectory>>>;
  before(async () => {
    s = (await startWithDirectory({ directory: { type: 'okta-scim-v2' } }))!;
  });
  after(() => s.gh.close());

  test('every step answers as the file expects', async () => {
    const file = vector('okta/okta-scim20-lifecycle.json');
    await replay(s.scim, file.steps, {
      'create user': async (_v, res) => {
        assert.ok(res.body.id);
        assert.equal(res.body.userName, 'test.user@okta.local');
        assert.equal(res.body.password, undefined, 'the password is never stored or echoed');
      },
      'update user (OIN: GET then PUT full object)': async (_v, res) => assert.equal(res.body.name.middleName, 'Excited'),
      'deactivate user (no path, value object)': async (v) => {
        const got = await s.scim('GET', `/Users/${v.userId}`);
        assert.equal(got.body.active, false);
        const byFilter = await s.scim('GET', '/Users?filter=userName%20eq%20%22test.user%40okta.local%22');
        assert.equal(byFilter.body.totalResults, 1, 'a deactivated user is still returned');
      },
      'reactivate user': async (v) => assert.equal((await s.scim('GET', `/Users/${v.userId}`)).body.active, true),
      'membership delta: remove by path filter + add': async (v) => {
        const g = await s.scim('GET', `/Groups/${v.groupId}`);
        assert.deepEqual(g.body.members.map((m: any) => [m.value, m.display]), [[v.userId, 'test.user@okta.local']]);
      },
      'membership full push (replace members)': async (v) => assert.equal((await s.scim('GET', `/Groups/${v.groupId}`)).body.members.length, 1),
      'unlink pushed group and delete in target': async (v) => assert.equal((await s.scim('GET', `/Groups/${v.groupId}`)).status, 404),
    });
  });
});

describe('Microsoft Entra provisioning lifecycle (entra-scim-lifecycle.json)', { skip }, () => {
  let s: NonNullable<Awaited<ReturnType<typeof startWithDirectory>>>;
  before(async () => {
    s = (await startWithDirectory({ directory: { type: 'azure-scim-v2' } }))!;
  });
  after(() => s.gh.close());

  test('every step answers as the file expects', async () => {
    const file = vector('entra/entra-scim-lifecycle.json');
    await replay(s.scim, file.steps, {
      'Create User (doc example 2: nulls and malformed enterprise URN)': async (_v, res) => {
        assert.equal(res.body.userName, 'jyoung@testuser.com');
        assert.equal('addresses' in res.body, false, 'null attributes are unassigned');
      },
      'query user by externalId (unquoted value, as in doc example 1)': async (_v, res) => assert.equal(res.body.totalResults, 0),
      'Update User [multi-valued] (Replace + value filter path)': async (_v, res) => {
        assert.equal(res.body.emails.find((e: any) => e.type === 'work').value, 'updatedEmail@microsoft.com');
        assert.equal(res.body.name.familyName, 'updatedFamilyName');
      },
      'Add manager (reference attribute, value array with $ref)': async (v) => {
        const u = await s.scim('GET', `/Users/${v.userId}`);
        assert.equal(u.body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'].manager.value, '2819c223-7f76-453a-919d-413861904646');
      },
      'Disable User (boolean)': async (v) => {
        const u = await s.scim('GET', `/Users/${v.userId}`);
        assert.equal(u.status, 200);
        assert.equal(u.body.active, false);
      },
      'Delete User': async (v) => assert.equal((await s.scim('GET', `/Users/${v.userId}`)).status, 404),
      'Get Group excluding members': async (_v, res) => assert.equal('members' in res.body, false),
      'Get Group by displayName': async (_v, res) => {
        assert.equal(res.body.totalResults, 1);
        assert.equal('members' in res.body.Resources[0], false);
      },
      'Update Group [Add Members] ($ref null)': async (v) => {
        // A second member, so the legacy remove below must keep it.
        await s.scim('PATCH', `/Groups/${v.groupId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Add', path: 'members', value: [{ value: 'other-member' }] }] });
        assert.equal((await s.scim('GET', `/Groups/${v.groupId}`)).body.members.length, 2);
      },
      'Update Group [Remove Members] (legacy: value array, no filter)': async (v) => {
        const g = await s.scim('GET', `/Groups/${v.groupId}`);
        assert.deepEqual(g.body.members.map((m: any) => m.value), ['other-member'], 'only the listed member is removed');
      },
      'Discover schema': async (_v, res) => {
        assert.deepEqual(res.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
        assert.deepEqual(res.body.Resources.map((r: any) => r.name), ['User', 'EnterpriseUser', 'Group']);
      },
    });
  });
});

describe('Microsoft Entra PATCH quirks (entra-patch-quirks.json)', { skip }, () => {
  let s: NonNullable<Awaited<ReturnType<typeof startWithDirectory>>>;
  const file = vector('entra/entra-patch-quirks.json');
  before(async () => {
    s = (await startWithDirectory({ directory: { type: 'azure-scim-v2' } }))!;
  });
  after(() => s.gh.close());
  const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
  let n = 0;
  const newUser = async () => (await s.scim('POST', '/Users', { userName: `quirk${++n}@example.com`, active: true, emails: [{ type: 'work', value: `old${n}@example.com`, primary: true }], name: { givenName: 'G', familyName: 'F' } })).body.id as string;

  const userChecks: Record<string, (u: any) => void> = {
    'disable user - legacy': (u) => assert.equal(u.active, false),
    'disable user - aadOptscim062020': (u) => assert.equal(u.active, false),
    'add single-valued string - legacy': (u) => assert.equal(u.nickName, 'Babs'),
    'add single-valued string - aadOptscim062020': (u) => assert.equal(u.nickName, 'Babs'),
    'replace multiple attributes - legacy (one op per attribute, enterprise URN path)': (u) => {
      assert.equal(u.displayName, 'Pvlo');
      assert.equal(u.emails.find((e: any) => e.type === 'work').value, 'TestBcwqnm@test.microsoft.com');
      assert.deepEqual([u.name.givenName, u.name.familyName, u.externalId, u[ENT].employeeNumber], ['Gtfd', 'Pkqf', 'Eqpj', 'Eqpj']);
    },
    'replace multiple attributes - aadOptscim062020 (no-path value object with DOTTED and URN-prefixed keys)': (u) => {
      assert.equal(u.emails.find((e: any) => e.type === 'work').value, 'TestMhvaes@test.microsoft.com');
      assert.deepEqual([u.displayName, u.name.givenName, u.name.familyName, u[ENT].employeeNumber], ['Bjfe', 'Kkom', 'Unua', 'Aklq']);
      assert.equal(u['name.givenName'], undefined, 'dotted keys are paths, not attribute names');
    },
  };

  for (const c of file.cases as { name: string; target?: string; body: any }[]) {
    test(c.name, async () => {
      if (c.target === 'Group') {
        const keep = 'keep-member';
        const drop = JSON.stringify(c.body).match(/u1091|7f4bc1a3-285e-48ae-8202-5accb43efb0e/)![0];
        const g = await s.scim('POST', '/Groups', { displayName: `G ${c.name}`, members: [{ value: keep }, { value: drop }] });
        const res = await s.scim('PATCH', `/Groups/${g.body.id}`, c.body);
        assert.equal(res.status, 204, res.text);
        assert.deepEqual((await s.scim('GET', `/Groups/${g.body.id}`)).body.members.map((m: any) => m.value), [keep]);
        return;
      }
      const id = await newUser();
      const res = await s.scim('PATCH', `/Users/${id}`, c.body);
      assert.ok([200, 204].includes(res.status), res.text);
      userChecks[c.name]!((await s.scim('GET', `/Users/${id}`)).body);
    });
  }
});
