/**
 * The SCIM inspector's limits and reach (decision 0027): the count and byte caps per directory (trimmed every
 * TRIM_EVERY inserts, and exactly by `trim`), the 7-day retention of the maintenance sweep, the API on SQLite,
 * PostgreSQL and MariaDB, and who may read a directory's log: its setup link only for its own directories,
 * a product-scoped API key only for its product.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWithDirectory, createDirectory, scimClient } from '../support/scim.ts';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { startWithOwnerAndViewer, testClock } from '../admin-api/support.ts';
import { TRIM_EVERY } from '../../src/directory-sync/inspector/recorder.ts';
import { sweepExpired } from '../../src/maintenance.ts';

const count = async (gh: RunningGatehouse, dir: string) =>
  Number((await gh.ctx.db.selectFrom('scim_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('directory_id', '=', dir).executeTakeFirstOrThrow()).n);

const read = async (gh: RunningGatehouse, url: string, headers: Record<string, string> = { authorization: `Api-Key ${API_KEY}` }) => {
  await gh.ctx.scimRequestLog.settled();
  const r = await gh.app.inject({ method: 'GET', url, headers });
  return { status: r.statusCode, body: r.json() };
};

describe('SCIM inspector caps', () => {
  test('the count cap: trimmed as it goes (never past cap + TRIM_EVERY), exactly to the cap by a trim, newest kept', async (t) => {
    const s = await startWithDirectory({ env: { SCIM_LOG_MAX_ENTRIES: '10' } });
    if (!s) return t.skip('no database');
    try {
      let most = 0;
      for (let i = 0; i < TRIM_EVERY + 20; i++) {
        await s.scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "n${i}@example.com"`)}`);
        await s.gh.ctx.scimRequestLog.settled();
        most = Math.max(most, await count(s.gh, s.dir.id));
      }
      assert.ok(most <= 10 + TRIM_EVERY, `at most ${10 + TRIM_EVERY}, saw ${most}`);
      assert.ok(await count(s.gh, s.dir.id) < TRIM_EVERY + 20, 'trimmed on the way');
      await s.gh.ctx.scimRequestLog.trim(s.dir.id);
      const left = (await read(s.gh, `/api/v1/dsync/${s.dir.id}/requests?limit=200`)).body.data;
      assert.equal(left.length, 10);
      assert.equal(left[0].query.filter, `userName eq "n${TRIM_EVERY + 19}@example.com"`, 'the newest are kept');
    } finally {
      await s.gh.close();
    }
  });

  test('the byte cap: big bodies are cut to 16 KiB each and the directory stays under SCIM_LOG_MAX_BYTES', async (t) => {
    const s = await startWithDirectory({ env: { SCIM_LOG_MAX_BYTES: String(64 * 1024) } });
    if (!s) return t.skip('no database');
    try {
      for (let i = 0; i < 8; i++) await s.scim('POST', '/Users', { userName: `big${i}@example.com`, title: 'x'.repeat(40_000) });
      await s.gh.ctx.scimRequestLog.settled();
      await s.gh.ctx.scimRequestLog.trim(s.dir.id);
      const rows = await s.gh.ctx.db.selectFrom('scim_requests').select(['bytes']).where('directory_id', '=', s.dir.id).execute();
      const total = rows.reduce((a, r) => a + Number(r.bytes), 0);
      assert.ok(total <= 64 * 1024, `${total} bytes`);
      assert.ok(rows.length >= 1 && rows.length < 8);
      const [newest] = (await read(s.gh, `/api/v1/dsync/${s.dir.id}/requests?limit=1`)).body.data;
      assert.equal(newest.request.truncated, true);
      assert.ok(newest.request.length > 40_000);
      assert.equal(newest.verdict, 'Created the user.');
    } finally {
      await s.gh.close();
    }
  });

  test('SCIM_LOG_MAX_ENTRIES=0 turns the log off', async (t) => {
    const s = await startWithDirectory({ env: { SCIM_LOG_MAX_ENTRIES: '0' } });
    if (!s) return t.skip('no database');
    try {
      await s.scim('GET', '/Users');
      await s.gh.ctx.scimRequestLog.settled();
      assert.equal(await count(s.gh, s.dir.id), 0);
    } finally {
      await s.gh.close();
    }
  });
});

describe('SCIM inspector retention', () => {
  test('entries are kept 7 days: the sweep removes older ones, and `since` never reaches past them', async (t) => {
    const clock = testClock();
    const gh = await startGatehouse({ now: clock.now });
    if (!gh) return t.skip('no database');
    try {
      const dir = await createDirectory(gh);
      const scim = scimClient(gh, dir);
      await scim('GET', '/Users');
      clock.advance(6 * 24 * 3600_000);
      await scim('GET', '/Groups');
      await gh.ctx.scimRequestLog.settled();
      clock.advance(2 * 24 * 3600_000);
      const swept = await sweepExpired(gh.ctx);
      assert.equal(swept.scimRequests, 1);
      const left = (await read(gh, `/api/v1/dsync/${dir.id}/requests?since=0`)).body.data;
      assert.deepEqual(left.map((e: { path: string }) => e.path), ['/Groups']);
    } finally {
      await gh.close();
    }
  });
});

for (const dialect of testDialects()) {
  describe(`SCIM inspector API on ${dialect}`, () => {
    let s: Awaited<ReturnType<typeof startWithDirectory>>;
    before(async () => {
      s = await startWithDirectory({ dialect });
    });
    after(() => s?.gh.close());

    test('filters by status, method and since; pages with nextCursor; bad filters are 400 naming the field', async (t) => {
      if (!s) return t.skip(`${dialect} is not reachable`);
      const u = (await s.scim('POST', '/Users', { userName: 'alice@example.com', active: 'True' })).body;
      await s.scim('POST', '/Users', { userName: 'alice@example.com' });
      await s.scim('PATCH', `/Users/${u.id}`, { Operations: [{ op: 'replace', path: 'active', value: 'nope' }] });
      await s.scim('GET', `/Users/${u.id}`);
      const base = `/api/v1/dsync/${s.dir.id}/requests`;
      const all = (await read(s.gh, base)).body;
      assert.equal(all.data.length, 4);
      assert.equal(all.data[3].verdict, 'Created the user. The identity provider sent `active` as the string "True": accepted as true.');
      for (const e of all.data) for (const k of ['at', 'method', 'path', 'status', 'verdict']) assert.ok(e[k] !== undefined, k);
      const refused = (await read(s.gh, `${base}?status=4xx`)).body.data;
      assert.deepEqual(refused.map((e: { status: number }) => e.status), [400, 409]);
      assert.equal(refused[0].verdict, 'Refused: "active" must be a boolean.');
      assert.deepEqual((await read(s.gh, `${base}?status=409`)).body.data.length, 1);
      assert.deepEqual((await read(s.gh, `${base}?method=GET`)).body.data.map((e: { path: string }) => e.path), [`/Users/${u.id}`]);
      const page1 = (await read(s.gh, `${base}?limit=3`)).body;
      assert.equal(page1.data.length, 3);
      const page2 = (await read(s.gh, `${base}?limit=3&cursor=${page1.nextCursor}`)).body;
      assert.deepEqual(page2.data.map((e: { id: string }) => e.id), [all.data[3].id]);
      assert.equal(page2.nextCursor, null);
      for (const q of ['status=abc', 'method=TRACE', 'since=yesterday', 'cursor=x']) {
        const r = await read(s.gh, `${base}?${q}`);
        assert.equal(r.status, 400, q);
        assert.equal(r.body.field, q.split('=')[0]);
      }
    });
  });
}

describe('SCIM inspector scoping', () => {
  let gh: RunningGatehouse;
  let owner: Awaited<ReturnType<typeof startWithOwnerAndViewer>>['owner'];
  let acme: Awaited<ReturnType<typeof createDirectory>>, globex: Awaited<ReturnType<typeof createDirectory>>, billing: Awaited<ReturnType<typeof createDirectory>>;
  let linkToken: string;
  before(async () => {
    ({ gh, owner } = await startWithOwnerAndViewer());
    acme = await createDirectory(gh, { tenant: 'acme.com', product: 'crm' });
    globex = await createDirectory(gh, { tenant: 'globex.com', product: 'crm' });
    billing = await createDirectory(gh, { tenant: 'acme.com', product: 'billing' });
    for (const d of [acme, globex, billing]) await scimClient(gh, d)('GET', '/Users');
    const link = await gh.app.inject({ method: 'POST', url: '/api/v1/dsync/setuplinks', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { tenant: 'acme.com', product: 'crm' } });
    assert.equal(link.statusCode, 201, link.body);
    linkToken = new URL(link.json().data.url).pathname.split('/').pop()!;
  });
  after(() => gh.close());

  test('a Directory Sync setup link reads its own directory\'s log, and no other', async () => {
    const own = await read(gh, `/api/setup/${linkToken}/directory-sync/${acme.id}/requests`, {});
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.data.length, 1);
    assert.equal(own.body.data[0].verdict, 'Listed users: 0 in all, 0 on this page.');
    for (const other of [globex.id, billing.id, 'no-such-directory']) {
      const r = await read(gh, `/api/setup/${linkToken}/directory-sync/${other}/requests`, {});
      assert.ok(r.status === 403 || r.status === 404, `${other}: ${r.status}`);
      assert.equal(r.body.data, undefined);
    }
  });

  test('an API key scoped to another product cannot read it; one scoped to the product can', async () => {
    const mint = async (products: string[]) => {
      const r = await owner.req('POST', '/api/admin/api-keys', { name: `k-${products[0]}`, kind: 'scoped', scopes: { products, permissions: ['dsync:read'] } });
      assert.equal(r.statusCode, 201, r.body);
      return r.json().data.key as string;
    };
    const billingKey = await mint(['billing']);
    const crmKey = await mint(['crm']);
    const denied = await read(gh, `/api/v1/dsync/${acme.id}/requests`, { authorization: `Api-Key ${billingKey}` });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.data, undefined);
    assert.equal((await read(gh, `/api/v1/dsync/${billing.id}/requests`, { authorization: `Api-Key ${billingKey}` })).status, 200);
    assert.equal((await read(gh, `/api/v1/dsync/${acme.id}/requests`, { authorization: `Api-Key ${crmKey}` })).body.data.length, 1);
  });

  test('the portal reads it through the admin API', async () => {
    const r = await owner.req('GET', `/api/admin/directories/${acme.id}/requests?status=2xx`);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().data.length, 1);
  });

  test('deleting a directory deletes its log', async () => {
    const r = await gh.app.inject({ method: 'DELETE', url: `/api/v1/dsync/${globex.id}`, headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.equal(r.statusCode, 200);
    assert.equal((await gh.ctx.db.selectFrom('scim_requests').select('id').where('directory_id', '=', globex.id).execute()).length, 0);
  });
});
