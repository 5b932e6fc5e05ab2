/**
 * GET /api/v1/events on every dialect, fed by connection changes made through the management API: exactly the
 * expected events with their data (never a secret), newest last; cursor paging; the types, tenant and product
 * filters; 400s in problem JSON for a bad cursor, types or limit.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL } from '../support/saml-flow.ts';

type Ev = { id: string; type: string; tenant: string; product: string; createdAt: string; data: Record<string, unknown> };

for (const dialect of testDialects()) {
  describe(`GET /api/v1/events: ${dialect}`, () => {
    let gh: RunningGatehouse | null = null;
    let idp: TestIdp;
    let idp2: TestIdp;
    let acme = { clientID: '', clientSecret: '' };
    let globex = { clientID: '', clientSecret: '' };
    before(async () => {
      gh = await startGatehouse({ dialect });
      idp = await createTestIdp();
      idp2 = await createTestIdp();
    });
    after(async () => gh?.close());

    const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      gh!.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
    const events = async (qs = '') => {
      const r = await api('GET', `/api/v1/events${qs}`);
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as { data: Ev[]; nextCursor: string | null };
    };
    /** The events `fn` produced, by reading on from the stream's current end. */
    const producedBy = async (fn: () => Promise<void>) => {
      let cursor = (await events('?limit=500')).nextCursor;
      for (let page = await events(cursor ? `?after=${cursor}` : ''); page.data.length; page = await events(`?after=${cursor}`)) cursor = page.nextCursor;
      await fn();
      return (await events(cursor ? `?after=${cursor}` : '')).data;
    };
    const it = (name: string, fn: () => Promise<void>) => test(name, async (t) => (gh ? fn() : t.skip(`${dialect} unreachable`)));
    const base = { product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] };

    it('creating connections: one connection.created each, naming the connection and no secret', async () => {
      const evs = await producedBy(async () => {
        const a = await api('POST', '/api/v1/sso', { ...base, tenant: 'acme.com', name: 'Acme Okta', rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) });
        assert.equal(a.statusCode, 200, a.body);
        acme = a.json();
        const g = await api('POST', '/api/v1/sso', { ...base, tenant: 'globex.com', name: 'Globex', rawMetadata: idp2.metadataXml({ ssoUrl: IDP_SSO_URL }) });
        assert.equal(g.statusCode, 200, g.body);
        globex = g.json();
      });
      assert.deepEqual(evs.map((e) => [e.type, e.tenant, e.product]), [['connection.created', 'acme.com', 'crm'], ['connection.created', 'globex.com', 'crm']]);
      assert.deepEqual(evs[0]!.data, { clientID: acme.clientID, name: 'Acme Okta', kind: 'saml', idpEntityId: idp.entityId, active: true });
      assert.deepEqual(Object.keys(evs[0]!).sort(), ['createdAt', 'data', 'id', 'product', 'tenant', 'type']);
      assert.ok(!Number.isNaN(Date.parse(evs[0]!.createdAt)));
      assert.ok(!JSON.stringify(evs).includes(acme.clientSecret), 'no client secret in events');
    });

    it('updates: changed fields only; a PATCH that changes nothing announces nothing; active flips announce (de)activation', async () => {
      const renamed = await producedBy(async () => void (await api('PATCH', '/api/v1/sso', { clientID: acme.clientID, clientSecret: acme.clientSecret, name: 'Acme Entra', description: 'moved' })));
      assert.deepEqual(renamed.map((e) => e.type), ['connection.updated']);
      assert.deepEqual(renamed[0]!.data.changed, ['name', 'description']);
      assert.equal(renamed[0]!.data.name, 'Acme Entra');
      assert.deepEqual(await producedBy(async () => void (await api('PATCH', '/api/v1/sso', { clientID: acme.clientID, name: 'Acme Entra' }))), []);
      const off = await producedBy(async () => void (await api('PATCH', '/api/v1/sso', { clientID: acme.clientID, deactivated: true })));
      assert.deepEqual(off.map((e) => [e.type, e.data.clientID]), [['connection.deactivated', acme.clientID]]);
      const on = await producedBy(async () => void (await api('PATCH', '/api/v1/sso', { clientID: acme.clientID, deactivated: false, redirectUrl: [APP_CALLBACK, 'https://app.example.test/other'] })));
      assert.deepEqual(on.map((e) => e.type), ['connection.updated', 'connection.activated']);
      assert.deepEqual(on[0]!.data.changed, ['redirectUrl']);
      const reposted = await producedBy(async () => void (await api('POST', '/api/v1/sso', { ...base, tenant: 'globex.com', name: 'Globex SSO', rawMetadata: idp2.metadataXml({ ssoUrl: IDP_SSO_URL }) })));
      assert.deepEqual(reposted.map((e) => [e.type, e.data.changed]), [['connection.updated', ['name']]], 'posting the same IdP again is an update');
    });

    it('deleting: one connection.deleted', async () => {
      const evs = await producedBy(async () => assert.equal((await api('DELETE', `/api/v1/sso?clientID=${globex.clientID}&clientSecret=${globex.clientSecret}`)).statusCode, 204));
      assert.deepEqual(evs.map((e) => [e.type, e.tenant, e.data.clientID]), [['connection.deleted', 'globex.com', globex.clientID]]);
    });

    it('newest last, paged by an opaque cursor, filtered by types, tenant and product', async () => {
      const all = (await events('?limit=500')).data;
      assert.deepEqual(all.map((e) => e.type), ['connection.created', 'connection.created', 'connection.updated', 'connection.deactivated', 'connection.updated', 'connection.activated', 'connection.updated', 'connection.deleted']);
      assert.ok(all.every((e, i) => i === 0 || Date.parse(e.createdAt) >= Date.parse(all[i - 1]!.createdAt)));
      const paged: Ev[] = [];
      let cursor: string | null = null;
      for (let n = 0; n < 10; n++) {
        const page = await events(`?limit=3${cursor ? `&after=${cursor}` : ''}`);
        paged.push(...page.data);
        if (page.data.length === 0) {
          assert.equal(page.nextCursor, cursor, 'an empty page keeps the cursor, to poll with');
          break;
        }
        assert.ok(page.nextCursor && !/^\d+$/.test(page.nextCursor), 'the cursor is opaque');
        cursor = page.nextCursor;
      }
      assert.deepEqual(paged.map((e) => e.id), all.map((e) => e.id));
      assert.deepEqual((await events('?types=connection.deleted,connection.activated')).data.map((e) => e.type), ['connection.activated', 'connection.deleted']);
      assert.deepEqual(new Set((await events('?tenant=globex.com')).data.map((e) => e.tenant)), new Set(['globex.com']));
      assert.equal((await events('?tenant=globex.com&product=crm')).data.length, 3);
      assert.equal((await events('?product=hr')).data.length, 0);
    });

    it('a bad cursor, types or limit is a 400 naming the parameter, as problem JSON', async () => {
      for (const [qs, field] of [['?after=nope', 'after'], [`?after=${Buffer.from('ev1.x').toString('base64url')}`, 'after'], ['?types=connection.exploded', 'types'], ['?types=,', 'types'], ['?limit=0', 'limit'], ['?limit=501', 'limit'], ['?tenant=a&tenant=b', 'tenant']] as const) {
        const r = await api('GET', `/api/v1/events${qs}`);
        assert.equal(r.statusCode, 400, `${qs}: ${r.body}`);
        assert.match(String(r.headers['content-type']), /application\/problem\+json/);
        assert.equal(r.json().field, field, qs);
      }
    });
  });
}
