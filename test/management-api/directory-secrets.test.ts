/**
 * Issue 13, "Secrets on read": under JACKSON_COMPAT, `GET /api/v1/dsync/:id` (and the lists) and `PATCH` answer
 * `scim.secret` and `webhook.secret` as Jackson does, to callers that may read secrets only; without the switch
 * no read carries them. The SCIM secret is kept sealed (bound to its directory) beside its hash, on every
 * dialect (migration 011); SCIM authentication still compares the hash. Everything through HTTP but the row checks.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { login, startAdminGatehouse, type AdminClient } from '../admin-api/support.ts';
import { scimClient } from '../support/scim.ts';
import { tokenHash } from '../../src/crypto/secrets.ts';

const WEBHOOK_SECRET = 'whsec_jackson_0123456789abcdef';
const BODY = { tenant: 'acme.com', product: 'crm', name: 'Acme Okta', type: 'okta-scim-v2', webhook_url: 'http://127.0.0.1:9/hook', webhook_secret: WEBHOOK_SECRET };

type Dir = { id: string; scim: { path: string; endpoint: string; secret?: string }; webhook: { endpoint: string; secret?: string } };

async function setUp(opts: Parameters<typeof startAdminGatehouse>[0]) {
  const s = await startAdminGatehouse({ ...opts, env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000', ...opts?.env } });
  await s.account('owner@example.com', 'owner');
  await s.account('viewer@example.com', 'viewer');
  const [owner, viewer] = [await login(s.gh, 'owner@example.com'), await login(s.gh, 'viewer@example.com')];
  return { gh: s.gh, owner, viewer };
}

function client(gh: RunningGatehouse) {
  const api = (key: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    gh.app.inject({ method, url, headers: { authorization: `Api-Key ${key}` }, ...(payload ? { payload } : {}) });
  /** Every read of the management API that answers directory `id`: by id, by tenant+product, by product. */
  const reads = async (key: string, id: string): Promise<Dir[]> => {
    const out: Dir[] = [];
    for (const url of [`/api/v1/dsync/${id}`, '/api/v1/dsync?tenant=acme.com&product=crm', '/api/v1/dsync/product?product=crm']) {
      const r = await api(key, 'GET', url);
      assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
      assert.match(String(r.headers['cache-control']), /no-store/, url);
      const data = r.json().data;
      const d = (Array.isArray(data) ? data : [data]).find((x: Dir) => x.id === id);
      assert.ok(d, `${url} lists the directory`);
      out.push(d);
    }
    return out;
  };
  const mint = async (owner: AdminClient, permissions: string[]) => {
    const r = await owner.req('POST', '/api/admin/api-keys', { name: permissions.join('+'), kind: 'scoped', scopes: { permissions } });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().data.key as string;
  };
  const row = (id: string) => gh.ctx.db.selectFrom('directories').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const scimStatus = async (d: Dir, secret: string) => (await scimClient(gh, { id: d.id, secret, endpoint: d.scim.endpoint, path: d.scim.path })('GET', '/Users')).status;
  return { api, reads, mint, row, scimStatus };
}

for (const dialect of testDialects()) {
  describe(`JACKSON_COMPAT=true: directory secrets on reads, on ${dialect}`, () => {
    let gh: RunningGatehouse;
    let owner: AdminClient, viewer: AdminClient;
    let c: ReturnType<typeof client>;
    let dir: Dir;
    let secret: string;
    before(async () => {
      ({ gh, owner, viewer } = await setUp({ dialect, env: { JACKSON_COMPAT: 'true' } }));
      c = client(gh);
      const r = await c.api(API_KEY, 'POST', '/api/v1/dsync', BODY);
      assert.equal(r.statusCode, 201, r.body);
      dir = r.json().data;
      secret = dir.scim.secret!;
    });
    after(() => gh?.close());

    test('creation answers both secrets; the row keeps the SCIM secret hashed and sealed, never in plaintext', async () => {
      assert.ok(secret.length >= 43);
      assert.equal(dir.webhook.secret, WEBHOOK_SECRET, 'Jackson answers the webhook secret it was given');
      const row = await c.row(dir.id);
      assert.equal(row.scim_secret_hash, tokenHash(secret), 'authentication reads the hash');
      assert.match(row.scim_secret_sealed!, /^v1\.[0-9a-f]{8}\./);
      for (const column of Object.values(row)) assert.ok(!String(column).includes(secret), 'no column holds the plaintext');
      assert.ok(!String(row.webhook_secret_enc).includes(WEBHOOK_SECRET));
      assert.throws(() => gh.ctx.secrets.decrypt(row.scim_secret_sealed!), 'the sealed copy opens only with its directory bound in');
    });

    test('GET by id, by tenant+product and by product answer the SCIM secret that authenticates, and the webhook secret (no-store)', async () => {
      for (const d of await c.reads(API_KEY, dir.id)) {
        assert.equal(d.scim.secret, secret);
        assert.equal(d.webhook.secret, WEBHOOK_SECRET);
        assert.equal(await c.scimStatus(d, d.scim.secret!), 200, 'the secret read back is the one SCIM accepts');
      }
      assert.equal(await c.scimStatus(dir, `${secret}x`), 401);
    });

    test('PATCH answers the SCIM and webhook secrets; a directory without a webhook answers webhook.secret ""', async () => {
      const r = await c.api(API_KEY, 'PATCH', `/api/v1/dsync/${dir.id}`, { name: 'Renamed' });
      assert.equal(r.statusCode, 200, r.body);
      assert.match(String(r.headers['cache-control']), /no-store/);
      assert.equal(r.json().data.name, 'Renamed');
      assert.equal(r.json().data.scim.secret, secret);
      assert.equal(r.json().data.webhook.secret, WEBHOOK_SECRET);
      const bare = await c.api(API_KEY, 'POST', '/api/v1/dsync', { tenant: 'bare.com', product: 'crm' });
      const read = (await c.api(API_KEY, 'GET', `/api/v1/dsync/${bare.json().data.id}`)).json().data;
      assert.deepEqual(read.webhook, { endpoint: '', secret: '' });
      assert.equal(read.scim.secret, bare.json().data.scim.secret);
    });

    test('a client that sends back what it read keeps the webhook secret, even a short one stored before the 16-byte rule', async () => {
      const legacy = (await c.api(API_KEY, 'POST', '/api/v1/dsync', { tenant: 'legacy.com', product: 'crm' })).json().data as Dir;
      await gh.ctx.db.updateTable('directories').set({ webhook_url: 'http://127.0.0.1:9/legacy', webhook_secret_enc: gh.ctx.secrets.encrypt('short') }).where('id', '=', legacy.id).execute();
      const read = (await c.api(API_KEY, 'GET', `/api/v1/dsync/${legacy.id}`)).json().data;
      assert.equal(read.webhook.secret, 'short');
      const back = await c.api(API_KEY, 'PATCH', `/api/v1/dsync/${legacy.id}`, { ...read, name: 'Legacy' });
      assert.equal(back.statusCode, 200, back.body);
      assert.deepEqual(back.json().data.webhook, { endpoint: 'http://127.0.0.1:9/legacy', secret: 'short' });
      const changed = await c.api(API_KEY, 'PATCH', `/api/v1/dsync/${legacy.id}`, { webhook: { endpoint: 'http://127.0.0.1:9/legacy', secret: 'short2' } });
      assert.equal(changed.statusCode, 400, 'a new short secret is still refused');
      assert.equal(changed.json().field, 'webhook_secret');
    });

    test('only callers that may read secrets get them: not a read-only key, a write key without sso:secrets, a viewer or a setup link', async () => {
      const readOnly = await c.mint(owner, ['dsync:read']);
      for (const d of await c.reads(readOnly, dir.id)) assert.deepEqual([d.scim.secret, d.webhook.secret, d.scim.endpoint], [undefined, undefined, dir.scim.endpoint]);
      const writer = await c.mint(owner, ['dsync:read', 'dsync:write']);
      const patched = await c.api(writer, 'PATCH', `/api/v1/dsync/${dir.id}`, { name: 'By writer' });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.deepEqual([patched.json().data.scim.secret, patched.json().data.webhook.secret], [undefined, undefined]);
      const withSecrets = await c.mint(owner, ['dsync:read', 'sso:secrets']);
      for (const d of await c.reads(withSecrets, dir.id)) assert.deepEqual([d.scim.secret, d.webhook.secret], [secret, WEBHOOK_SECRET]);

      const asViewer = await viewer.req('GET', `/api/admin/directories/${dir.id}`);
      assert.equal(asViewer.statusCode, 200, asViewer.body);
      assert.deepEqual([asViewer.json().data.scim.secret, asViewer.json().data.webhook.secret], [undefined, undefined]);
      const asOwner = await owner.req('GET', `/api/admin/directories/${dir.id}`);
      assert.equal(asOwner.json().data.scim.secret, secret, 'the portal follows the same rule');

      const link = await c.api(API_KEY, 'POST', '/api/v1/dsync/setuplinks', { tenant: 'acme.com', product: 'crm' });
      assert.equal(link.statusCode, 201, link.body);
      const token = String(link.json().data.url).split('/setup/')[1];
      const listed = await gh.app.inject({ url: `/api/setup/${token}/directory-sync` });
      assert.equal(listed.statusCode, 200, listed.body);
      assert.ok(listed.json().data.some((d: Dir) => d.id === dir.id));
      assert.ok(!listed.body.includes(secret) && !listed.body.includes(WEBHOOK_SECRET), 'a setup link never reads them');
    });

    test('a row from before migration 011 answers without scim.secret; rotating fills the sealed copy and reads answer the new secret', async () => {
      await gh.ctx.db.updateTable('directories').set({ scim_secret_sealed: null }).where('id', '=', dir.id).execute();
      for (const d of await c.reads(API_KEY, dir.id)) {
        assert.equal(d.scim.secret, undefined);
        assert.equal(d.webhook.secret, WEBHOOK_SECRET);
      }
      assert.equal(await c.scimStatus(dir, secret), 200, 'the old secret still authenticates: the hash is untouched');
      const rotated = await c.api(API_KEY, 'POST', `/api/v1/dsync/${dir.id}/scim-secret`);
      assert.equal(rotated.statusCode, 200, rotated.body);
      const fresh = rotated.json().data.scim.secret as string;
      assert.ok(fresh && fresh !== secret);
      for (const d of await c.reads(API_KEY, dir.id)) assert.equal(d.scim.secret, fresh);
      assert.equal(await c.scimStatus(dir, fresh), 200);
      assert.equal(await c.scimStatus(dir, secret), 401);
      secret = fresh;
    });

    test('a sealed secret copied into another directory\'s row does not open there: that read leaves the secret out', async () => {
      const other = (await c.api(API_KEY, 'POST', '/api/v1/dsync', { tenant: 'acme.com', product: 'crm', name: 'Other' })).json().data as Dir;
      const sealed = (await c.row(dir.id)).scim_secret_sealed;
      await gh.ctx.db.updateTable('directories').set({ scim_secret_sealed: sealed }).where('id', '=', other.id).execute();
      const r = await c.api(API_KEY, 'GET', `/api/v1/dsync/${other.id}`);
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().data.scim.secret, undefined);
      assert.ok(!r.body.includes(secret));
    });
  });
}

describe('without JACKSON_COMPAT: no directory read answers a secret', () => {
  let gh: RunningGatehouse;
  let c: ReturnType<typeof client>;
  before(async () => {
    ({ gh } = await setUp({}));
    c = client(gh);
  });
  after(() => gh?.close());

  test('the SCIM secret is shown on creation and rotation only, the webhook secret never; it is still kept sealed', async () => {
    const created = await c.api(API_KEY, 'POST', '/api/v1/dsync', BODY);
    assert.equal(created.statusCode, 201, created.body);
    const dir = created.json().data as Dir;
    assert.ok(dir.scim.secret);
    assert.equal(dir.webhook.secret, undefined);
    for (const d of await c.reads(API_KEY, dir.id)) assert.deepEqual([d.scim.secret, d.webhook.secret], [undefined, undefined]);
    const patched = await c.api(API_KEY, 'PATCH', `/api/v1/dsync/${dir.id}`, { name: 'Renamed' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.ok(!patched.body.includes(dir.scim.secret!) && !patched.body.includes(WEBHOOK_SECRET));
    assert.match((await c.row(dir.id)).scim_secret_sealed!, /^v1\./, 'sealed in both modes, so turning the switch on later finds it');
    const rotated = await c.api(API_KEY, 'POST', `/api/v1/dsync/${dir.id}/scim-secret`);
    const fresh = rotated.json().data.scim.secret as string;
    assert.ok(fresh && fresh !== dir.scim.secret);
    assert.equal(await c.scimStatus(dir, fresh), 200);
    for (const d of await c.reads(API_KEY, dir.id)) assert.equal(d.scim.secret, undefined);
  });
});
