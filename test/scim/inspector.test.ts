/**
 * The SCIM inspector (issue 16 §2, decision 0027): Okta's and Entra's real request shapes
 * (../shared/vectors/scim) replayed against a real Gatehouse, then read back through
 * `GET /api/v1/dsync/:id/requests`: one entry per request with the verdict in plain words, refusals
 * filterable first, nothing secret in the stored row or the answer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startWithDirectory, type Scim } from '../support/scim.ts';
import { sharedVectors } from '../support/shared-vectors.ts';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';

const VECTORS = sharedVectors('scim', 'the SCIM inspector replays (test/scim/inspector.test.ts)');
const vector = (p: string) => JSON.parse(readFileSync(new URL(p, VECTORS.url), 'utf8'));
const fill = (v: unknown, vars: Record<string, string>): unknown => JSON.parse(JSON.stringify(v ?? null).replace(/\{\{(\w+)\}\}/g, (_, k) => vars[k] ?? `{{${k}}}`));

interface Step { name: string; method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; body?: unknown; body_ref?: string; save?: Record<string, string> }

/** Replays a vector file's steps; returns the status of each step by name. */
async function replay(scim: Scim, steps: Step[]) {
  const vars: Record<string, string> = {};
  const bodies = new Map<string, unknown>();
  const statuses = new Map<string, number>();
  for (const step of steps) {
    const body = step.body !== undefined ? step.body : step.body_ref ? bodies.get(step.body_ref) : undefined;
    if (step.body !== undefined) bodies.set(step.name, step.body);
    const path = (fill(step.path, vars) as string).replace(/ /g, '%20').replace(/"/g, '%22');
    const res = await scim(step.method, path, body === undefined ? undefined : fill(body, vars));
    statuses.set(step.name, res.status);
    for (const [name, attr] of Object.entries(step.save ?? {})) vars[name] = res.body[attr];
  }
  return { vars, statuses };
}

export interface Entry { id: string; at: string; method: string; path: string; query: Record<string, string>; status: number; outcome: string; verdict: string; notes: { kind: string; text: string }[]; request: any; response: any }

export async function requestsOf(gh: RunningGatehouse, dirId: string, q = '', key = API_KEY): Promise<{ status: number; body: any }> {
  await gh.ctx.scimRequestLog.settled();
  const r = await gh.app.inject({ method: 'GET', url: `/api/v1/dsync/${dirId}/requests${q}`, headers: { authorization: `Api-Key ${key}` } });
  return { status: r.statusCode, body: r.json() };
}

const entries = async (gh: RunningGatehouse, dirId: string, q = '?limit=200') => {
  const r = await requestsOf(gh, dirId, q);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data as Entry[];
};

describe('SCIM inspector: Okta\'s lifecycle replayed', { skip: VECTORS.skip }, () => {
  let s: NonNullable<Awaited<ReturnType<typeof startWithDirectory>>>;
  let log: Entry[];
  const file = VECTORS.skip ? { steps: [] } : vector('okta/okta-scim20-lifecycle.json');
  before(async () => {
    s = (await startWithDirectory({ directory: { type: 'okta-scim-v2' } }))!;
    await replay(s.scim, file.steps);
    log = (await entries(s.gh, s.dir.id)).reverse(); // oldest first, as replayed
  });
  after(() => s.gh.close());

  test('one entry per request, in order, with method, path, status and time', () => {
    assert.equal(log.length, file.steps.length);
    for (const [i, step] of (file.steps as Step[]).entries()) {
      assert.equal(log[i]!.method, step.method, step.name);
      assert.equal(log[i]!.path.toLowerCase().split('/')[1], step.path.split('?')[0]!.toLowerCase().split('/')[1], step.name);
      assert.ok(Date.parse(log[i]!.at) > Date.now() - 60_000);
    }
  });

  test('verdicts say what happened, in plain words', () => {
    const byName = new Map((file.steps as Step[]).map((st, i) => [st.name, log[i]!]));
    assert.equal(byName.get('match user by userName (import / assign)')!.verdict, 'Searched users with a filter: 0 found.');
    assert.match(byName.get('create user')!.verdict, /^Created the user\. A password was sent: it is never stored\.$/);
    const dup = byName.get('create same user again')!;
    assert.equal(dup.status, 409);
    assert.equal(dup.outcome, 'refused');
    assert.match(dup.verdict, /^Refused: a user with this userName already exists in the directory/);
    assert.equal(byName.get('deactivate user (no path, value object)')!.verdict, 'Deactivated the user.');
    assert.equal(byName.get('reactivate user')!.verdict, 'Reactivated the user.');
    assert.equal(byName.get('rename group (no path, value object incl. id)')!.verdict, 'Nothing changed: the group already had these values. Ignored the read-only `id` in the PATCH value.');
    assert.match(byName.get('membership full push (replace members)')!.verdict, /^Okta replaced the group's members with PATCH: \d+ added, \d+ removed/);
    assert.equal(byName.get('unlink pushed group and delete in target')!.verdict, 'Deleted the group.');
  });

  test('the password Okta sends is nowhere: not in the stored row, not in the answer', async () => {
    const create = (file.steps as Step[]).find((st) => st.name === 'create user')!;
    const password = (create.body as { password: string }).password;
    assert.ok(password);
    const rows = await s.gh.ctx.db.selectFrom('scim_requests').selectAll().execute();
    const opened = rows.map((r) => s.gh.ctx.secrets.decrypt(r.detail_enc, `scim-request:${r.directory_id}`));
    for (const text of [JSON.stringify(rows), ...opened, JSON.stringify(log)]) {
      assert.ok(!text.includes(password), 'no password');
      assert.ok(!text.includes(s.dir.secret), 'no bearer token');
    }
    const createEntry = log[(file.steps as Step[]).indexOf(create)]!;
    assert.equal(createEntry.request.password, '[redacted]');
    assert.equal(createEntry.request.userName, 'test.user@okta.local', 'the rest of the body is kept');
    assert.equal(createEntry.response.userName, 'test.user@okta.local');
    assert.ok(!JSON.stringify(rows).includes('test.user@okta.local'), 'bodies are sealed at rest');
  });

  test('refusals first: status=4xx returns only them', async () => {
    const refused = await entries(s.gh, s.dir.id, '?status=4xx');
    assert.deepEqual(refused.map((e) => e.status), [409]);
    const patches = await entries(s.gh, s.dir.id, '?method=patch');
    assert.ok(patches.length >= 4 && patches.every((e) => e.method === 'PATCH'));
    const none = await entries(s.gh, s.dir.id, `?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    assert.deepEqual(none, []);
  });
});

describe('SCIM inspector: Entra\'s requests and quirks replayed', { skip: VECTORS.skip }, () => {
  let s: NonNullable<Awaited<ReturnType<typeof startWithDirectory>>>;
  before(async () => {
    s = (await startWithDirectory({ directory: { type: 'azure-scim-v2' } }))!;
  });
  after(() => s.gh.close());

  test('the lifecycle: unquoted filter values, nulls, a malformed schema URN, op names in any case, a 404', async () => {
    const file = vector('entra/entra-scim-lifecycle.json');
    await replay(s.scim, file.steps);
    const log = (await entries(s.gh, s.dir.id)).reverse();
    const byName = new Map((file.steps as Step[]).map((st, i) => [st.name, log[i]!]));
    assert.equal(log.length, file.steps.length);
    assert.match(byName.get('query user by externalId (unquoted value, as in doc example 1)')!.verdict, /The filter compares `externalId` with an unquoted value: read as a string\./);
    const ex2 = byName.get('Create User (doc example 2: nulls and malformed enterprise URN)')!.verdict;
    assert.match(ex2, /^Created the user\./);
    assert.match(ex2, /Ignored the schema `urn:ietf:params:scim:schemas:extension:enterprise:2\.0User`/);
    assert.match(byName.get('Update User [single-valued]')!.verdict, /Entra wrote the operation name as "Replace": read in any case\./);
    assert.match(byName.get('Add manager (reference attribute, value array with $ref)')!.verdict, /`manager` sent without the enterprise extension's URN/);
    const missing = byName.get('Get User (not found)')!;
    assert.equal(missing.status, 404);
    assert.match(missing.verdict, /^Refused: user 5171a35d82074e068ce2 not found\.$/);
    assert.match(byName.get('Update Group [Remove Members] (legacy: value array, no filter)')!.verdict, /Entra named the members to remove in the value \(the legacy form\): only that member removed, not all\./);
    assert.match(byName.get('Update Group [Add Members] ($ref null)')!.verdict, /^Group members changed: 1 added, 0 removed\. .*Members with "\$ref": null were accepted\./);
    assert.equal(byName.get('Discover schema')!.verdict, 'Returned the schemas.');
  });

  test('Entra\'s "False" string: the verdict the IT admin reads', async () => {
    const quirks = vector('entra/entra-patch-quirks.json');
    const legacy = quirks.cases.find((c: { name: string }) => c.name === 'disable user - legacy');
    const id = (await s.scim('POST', '/Users', { userName: 'quirk@example.com', active: true })).body.id;
    assert.equal((await s.scim('PATCH', `/Users/${id}`, legacy.body)).status, 200);
    const [last] = await entries(s.gh, s.dir.id, '?limit=1');
    assert.equal(last!.verdict, 'Deactivated the user. Entra sent `active` as the string "False": accepted as false. Entra wrote the operation name as "Replace": read in any case.');
    assert.deepEqual(last!.notes.map((n) => n.kind), ['booleanString', 'opNameCase']);
  });

  test('a filter without a value is refused, and the verdict says which', async () => {
    const r = await s.scim('GET', '/Users?filter=userName%20eq');
    assert.equal(r.status, 400);
    assert.equal(r.body.scimType, 'invalidFilter');
    const [last] = await entries(s.gh, s.dir.id, '?status=4xx&limit=1');
    assert.equal(last!.verdict, 'Refused: the filter `userName eq` has no value.');
    assert.equal(last!.query.filter, 'userName eq');
  });

  test('a wrong bearer token is recorded for the directory (sparingly), an unknown directory never', async () => {
    const bad = await s.gh.app.inject({ method: 'GET', url: `${s.dir.path}/Users`, headers: { authorization: 'Bearer not-the-token-0123456789' } });
    assert.equal(bad.statusCode, 401);
    await s.gh.app.inject({ method: 'GET', url: `${s.dir.path}/Users`, headers: { authorization: 'Bearer not-the-token-0123456789' } });
    await s.gh.app.inject({ method: 'GET', url: '/api/scim/v2.0/no-such-directory/Users', headers: { authorization: 'Bearer x' } });
    const refused = (await entries(s.gh, s.dir.id, '?status=401'));
    assert.equal(refused.length, 1, 'one entry per directory every 10 s');
    assert.match(refused[0]!.verdict, /^Refused: the bearer token is not valid for this directory\. Check the bearer token in the identity provider\.$/);
    assert.ok(!JSON.stringify(refused).includes('not-the-token-0123456789'));
    assert.equal((await s.gh.ctx.db.selectFrom('scim_requests').select('id').where('directory_id', '=', 'no-such-directory').execute()).length, 0);
  });
});

describe('SCIM inspector: Okta replacing a group\'s members with PUT', () => {
  test('"Okta replaced the group\'s members with PUT: 3 added, 1 removed."', async (t) => {
    const s = await startWithDirectory({ directory: { type: 'okta-scim-v2' } });
    if (!s) return t.skip('no database');
    try {
      const ids: string[] = [];
      for (const n of [1, 2, 3, 4]) ids.push((await s.scim('POST', '/Users', { userName: `u${n}@okta.local`, active: true })).body.id);
      const g = (await s.scim('POST', '/Groups', { displayName: 'Engineering', members: [{ value: ids[0] }, { value: 'not-yet-provisioned' }] })).body;
      const put = await s.scim('PUT', `/Groups/${g.id}`, { displayName: 'Engineering', members: ['not-yet-provisioned', ids[1], ids[2], ids[3]].map((value) => ({ value })) });
      assert.equal(put.status, 200);
      const [last, created] = await entries(s.gh, s.dir.id, '?limit=2');
      assert.equal(last!.verdict, 'Okta replaced the group\'s members with PUT: 3 added, 1 removed.');
      assert.equal(created!.verdict, 'Created the group with 2 members (1 not provisioned yet, kept until the user arrives).');
    } finally {
      await s.gh.close();
    }
  });
});
