/**
 * A setup link's progress through the real HTTP surfaces, on each database: the first use (recorded and
 * audited once; later reads not audited), a connection or directory made through the link, each test
 * result (the latest wins; the first success completes), the first SCIM request and push, the status
 * filter of the vendor's lists, and a Directory Sync link's webhook URL checked when the link is made.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestIdp, buildSamlResponseBase64, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { IDP_SSO_URL, postToAcs } from '../support/saml-flow.ts';
import { waitFor } from '../support/scim.ts';
import { testDialects } from '../support/databases.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';
import { createAdmin } from '../../src/admin/accounts.ts';
import { startWebhookDeliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { login, PASSWORD, SETUP, type AdminClient } from '../admin-api/support.ts';

const CALLBACK = 'https://crm.example.test/callback';
const WEBHOOK_SECRET = 'whsec-0123456789abcdef';
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

for (const dialect of testDialects()) {
  describe(`setup-link progress (${dialect})`, () => {
    let gh: RunningGatehouse | null;
    let clock = Date.now();
    let idp: TestIdp;
    let sso: { setupID: string; token: string };
    let dsync: { setupID: string; token: string };
    let clientID: string;
    let owner: AdminClient;
    /** The portal's list (admin API), as the Setup Links screen asks for it. */
    const portalList = async (service: 'sso' | 'dsync', status: string) => {
      const r = await owner.req('GET', `/api/admin/setup-links?service=${service}&status=${status}`);
      assert.equal(r.statusCode, 200, r.body);
      return r.json().data;
    };

    const api = (method: Method, url: string, payload?: object) => gh!.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
    const link = (method: Method, token: string, path: string, payload?: object) => gh!.app.inject({ method, url: `/api/setup/${token}${path}`, ...(payload ? { payload } : {}) });
    const progressOf = async (service: 'sso' | 'dsync', tenant: string) => (await api('GET', `/api/v1/${service}/setuplinks?tenant=${tenant}&product=crm`)).json().data.progress;
    const audits = async (action: string, id: string) => (await gh!.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', action).where('target_id', '=', id).execute()).length;
    const makeLink = async (service: 'sso' | 'dsync', tenant: string, extra: object = {}) => {
      const r = await api('POST', `/api/v1/${service}/setuplinks`, { tenant, product: 'crm', defaultRedirectUrl: CALLBACK, ...extra });
      assert.equal(r.statusCode, 201, r.body);
      return { setupID: r.json().data.setupID as string, token: (r.json().data.url as string).split('/setup/')[1]! };
    };
    /** A test sign-in from the link page (of the draft with `path` '/draft/test'), answered by the IdP with `audience` (the SP's own when omitted). */
    const runTest = async (audience?: string, path = '/test') => {
      const t = (await link('POST', sso.token, `/sso-connection/${clientID}${path}`)).json().data;
      const start = await gh!.app.inject({ url: new URL(t.url).pathname });
      const req = parseRedirectBindingRequest(start.headers.location as string);
      const id = /\bID="([^"]+)"/.exec(req.xml)![1]!;
      await postToAcs(gh!.app, buildSamlResponseBase64({ idp, spEntityId: gh!.ctx.config.SAML_SP_ENTITY_ID, ...(audience ? { audience } : {}), acsUrl: gh!.ctx.config.acsUrl, inResponseTo: id, nameId: 'it@acme.com', attributes: { email: 'it@acme.com' }, now: clock }), req.relayState);
      return (await link('GET', sso.token, `/tests/${t.testId}`)).json().data;
    };

    before(async () => {
      gh = await startGatehouse({ dialect, now: () => clock });
      if (!gh) return;
      await createAdmin(gh.ctx, SETUP, { email: 'owner@example.com', role: 'owner', password: PASSWORD });
      owner = await login(gh, 'owner@example.com');
      // A distinct IdP per dialect: connection IDs derive from tenant, product and entity ID, and parsed keys are cached by ID.
      idp = await createTestIdp({ entityId: `https://idp.progress.test/${dialect}` });
    });
    after(async () => gh?.close());

    test('a new link has nothing yet: Not opened', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      sso = await makeLink('sso', 'acme.com');
      const r = await api('GET', `/api/v1/sso/setuplinks?id=${sso.setupID}`);
      assert.deepEqual(r.json().data.progress, { status: 'not_opened', openedAt: null, connectionCreatedAt: null, lastTest: null, firstScimRequestAt: null, completedAt: null });
    });

    test('the first use records openedAt and is audited once; reads after it are not audited', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const opened = clock;
      // The page's first load makes several requests at once: one of them wins.
      await Promise.all([link('GET', sso.token, ''), link('GET', sso.token, '/sso-connection'), link('GET', sso.token, '/links')]);
      await waitFor(async () => (await progressOf('sso', 'acme.com')).openedAt !== null);
      clock += 60_000;
      for (let i = 0; i < 5; i++) await link('GET', sso.token, '/sso-connection'); // polling
      const p = await progressOf('sso', 'acme.com');
      assert.equal(p.openedAt, new Date(opened).toISOString());
      assert.equal(p.status, 'opened');
      assert.equal(await audits('setup_link.opened', sso.setupID), 1);
      assert.equal(await audits('setup_link.used', sso.setupID), 0, 'reads are not audited');
    });

    test('a connection made through the link: Configured; a change attempt is audited', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const r = await link('POST', sso.token, '/sso-connection', { rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }), name: 'Acme IdP' });
      assert.equal(r.statusCode, 201, r.body);
      clientID = r.json().data.clientID;
      const p = await progressOf('sso', 'acme.com');
      assert.equal(p.connectionCreatedAt, new Date(clock).toISOString());
      assert.equal(p.status, 'configured');
      await waitFor(async () => (await audits('setup_link.used', sso.setupID)) === 1);
    });

    test('a failed test: Tested, with the reason in plain words; no completion, and the page does not say complete', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      clock += 1000;
      const r = await runTest('https://wrong-audience.test');
      assert.equal(r.status, 'failed');
      const p = await progressOf('sso', 'acme.com');
      assert.equal(p.status, 'tested');
      assert.deepEqual(p.lastTest, { at: new Date(clock).toISOString(), ok: false, reason: r.diagnosis.message });
      assert.match(p.lastTest.reason, /audience/i);
      assert.equal(p.completedAt, null);
      assert.equal((await link('GET', sso.token, '/links')).json().data.tested, false);
    });

    test('a successful test: Live, completedAt set, the page shows setup complete', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      clock += 1000;
      const done = clock;
      assert.equal((await runTest()).status, 'succeeded');
      const p = await progressOf('sso', 'acme.com');
      assert.equal(p.status, 'live');
      assert.deepEqual(p.lastTest, { at: new Date(done).toISOString(), ok: true, reason: null });
      assert.equal(p.completedAt, new Date(done).toISOString());
      assert.equal((await link('GET', sso.token, '')).json().data.tested, true);
    });

    test('a failed re-test: the status follows the latest test, completedAt stays the first success', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const firstSuccess = (await progressOf('sso', 'acme.com')).completedAt;
      clock += 1000;
      assert.equal((await runTest('https://wrong-audience.test')).status, 'failed');
      const p = await progressOf('sso', 'acme.com');
      assert.equal(p.status, 'tested');
      assert.equal(p.lastTest.ok, false);
      assert.equal(p.completedAt, firstSuccess);
      assert.equal((await link('GET', sso.token, '')).json().data.tested, false, 'the page no longer says complete');
      assert.equal((await link('GET', sso.token, '/links')).json().data.tested, false);
      clock += 1000;
      assert.equal((await runTest()).status, 'succeeded');
      assert.equal((await progressOf('sso', 'acme.com')).status, 'live');
    });

    test('a draft\'s test does not move the link: the live connection is what the status is about', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const before = await progressOf('sso', 'acme.com');
      assert.equal((await link('POST', sso.token, `/sso-connection/${clientID}/draft`, { attributeMapping: { email: 'mail' } })).statusCode, 201);
      clock += 1000;
      assert.equal((await runTest('https://wrong-audience.test', '/draft/test')).status, 'failed');
      assert.deepEqual(await progressOf('sso', 'acme.com'), before);
      assert.equal((await link('GET', sso.token, '/links')).json().data.tested, true);
    });

    test('regenerating the URL keeps the progress', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const before = await progressOf('sso', 'acme.com');
      const r = await api('POST', '/api/v1/sso/setuplinks/regenerate', { id: sso.setupID });
      assert.equal(r.json().data.progress.completedAt, before.completedAt);
      sso.token = (r.json().data.url as string).split('/setup/')[1]!;
    });

    test('a Directory Sync link whose webhook URL the server would refuse is refused when made, naming webhook_url', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      for (const url of ['http://hooks.example.test/in', 'https://10.20.30.40/in', 'https://192.168.1.9/in']) {
        const r = await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'acme.com', product: 'crm', webhook_url: url, webhook_secret: WEBHOOK_SECRET });
        assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${url}: ${r.statusCode}`);
        assert.equal(r.json().field, 'webhook_url', r.body);
      }
      const camel = await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'acme.com', product: 'crm', webhookUrl: 'https://10.20.30.40/in', webhookSecret: WEBHOOK_SECRET });
      assert.equal(camel.statusCode, 400);
      assert.equal(camel.json().field, 'webhookUrl');
      // Through the portal's API as well (the same service).
      assert.equal((await api('GET', '/api/v1/dsync/setuplinks?tenant=acme.com&product=crm')).statusCode, 404, 'no link was made');
    });

    test('Directory Sync: directory made through the link, first SCIM request (Tested), first push (Live)', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      dsync = await makeLink('dsync', 'acme.com', { webhook_url: 'http://127.0.0.1:9/hooks', webhook_secret: WEBHOOK_SECRET });
      const made = await link('POST', dsync.token, '/directory-sync', { name: 'Okta', type: 'okta-scim-v2' });
      assert.equal(made.statusCode, 201, made.body);
      const dir = made.json().data;
      let p = await progressOf('dsync', 'acme.com');
      assert.equal(p.directoryCreatedAt, new Date(clock).toISOString());
      assert.equal(p.connectionCreatedAt, undefined);
      assert.equal(p.status, 'configured');
      const scim = (method: Method, path: string, payload?: object) =>
        gh!.app.inject({ method, url: `/api/scim/v2.0/${dir.id}${path}`, headers: { authorization: `Bearer ${dir.scim.secret}`, 'content-type': 'application/scim+json' }, ...(payload ? { payload } : {}) });
      assert.equal((await scim('GET', '/Users?filter=userName%20eq%20%22jane%40acme.com%22')).statusCode, 200);
      await waitFor(async () => (await progressOf('dsync', 'acme.com')).firstScimRequestAt !== null);
      p = await progressOf('dsync', 'acme.com');
      assert.equal(p.status, 'tested');
      assert.equal(p.completedAt, null, 'a read is not a push');
      const firstAt = p.firstScimRequestAt;
      clock += 1000;
      assert.equal((await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] })).statusCode, 400, 'a refused push');
      clock += 1000;
      const pushed = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'jane@acme.com', active: true });
      assert.equal(pushed.statusCode, 201);
      await waitFor(async () => (await progressOf('dsync', 'acme.com')).completedAt !== null);
      p = await progressOf('dsync', 'acme.com');
      assert.equal(p.status, 'live');
      assert.equal(p.completedAt, new Date(clock).toISOString(), 'the successful push, not the refused one');
      assert.equal(p.firstScimRequestAt, firstAt, 'set once');
    });

    test('when the vendor\'s app does not receive the changes, the link page says so (and only that)', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const listed = async () => (await link('GET', dsync.token, '/directory-sync')).json().data[0];
      assert.equal((await listed()).status.deliveryFailing, false, 'nothing attempted yet');
      // The link's webhook is 127.0.0.1:9 (discard): nothing listens, every attempt fails.
      const deliverer = startWebhookDeliverer(gh!.ctx, { pollMs: 10 });
      try {
        await waitFor(async () => (await listed()).status.deliveryFailing === true);
      } finally {
        await deliverer.stop();
      }
      const body = JSON.stringify(await listed());
      assert.doesNotMatch(body, /127\.0\.0\.1:9|hooks|ECONNREFUSED/, 'the why stays with the vendor');
    });

    test('a link made after the directory got its first requests records them within a minute', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const d = await api('POST', '/api/v1/dsync', { tenant: 'initech.com', product: 'crm', name: 'Entra', type: 'azure-scim-v2' });
      assert.equal(d.statusCode, 201, d.body);
      const dir = d.json().data;
      const get = () => gh!.app.inject({ url: `/api/scim/v2.0/${dir.id}/Users`, headers: { authorization: `Bearer ${dir.scim.secret}` } });
      assert.equal((await get()).statusCode, 200);
      await makeLink('dsync', 'initech.com');
      assert.equal((await get()).statusCode, 200);
      assert.equal((await progressOf('dsync', 'initech.com')).firstScimRequestAt, null, 'not written on every request');
      clock += 61_000;
      const at = clock;
      assert.equal((await get()).statusCode, 200);
      await waitFor(async () => (await progressOf('dsync', 'initech.com')).firstScimRequestAt !== null);
      assert.equal((await progressOf('dsync', 'initech.com')).firstScimRequestAt, new Date(at).toISOString());
    });

    test('a link whose webhook URL is refused later: the customer is told to contact the vendor, in plain words', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const l = await makeLink('dsync', 'umbrella.com', { webhook_url: 'http://127.0.0.1:9/hooks', webhook_secret: WEBHOOK_SECRET });
      // What a change of DNS or of the allow-list after the link was made amounts to.
      await gh!.ctx.db.updateTable('setup_links').set({ defaults: JSON.stringify({ webhookUrl: 'https://10.20.30.40/in', webhookSecretEnc: gh!.ctx.secrets.encrypt(WEBHOOK_SECRET) }) }).where('id', '=', l.setupID).execute();
      const r = await link('POST', l.token, '/directory-sync', { name: 'Okta' });
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, r.body);
      assert.match(r.json().detail ?? r.json().title, /contact the vendor/i);
      assert.doesNotMatch(r.body, /OUTBOUND_ALLOW_HOSTS|webhook_url|10\.20\.30\.40/);
      assert.equal((await progressOf('dsync', 'umbrella.com')).directoryCreatedAt, null);
    });

    test('the lists filter by status (management API and the portal\'s admin API)', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      await makeLink('sso', 'globex.com'); // not opened
      const hoo = await makeLink('sso', 'hooli.com');
      await link('GET', hoo.token, '');
      await waitFor(async () => (await progressOf('sso', 'hooli.com')).openedAt !== null);
      const tenants = async (status: string) => (await api('GET', `/api/v1/sso/setuplinks/product?product=crm&status=${status}`)).json().data.map((l: { tenant: string }) => l.tenant).sort();
      assert.deepEqual(await tenants('not_opened'), ['globex.com']);
      assert.deepEqual(await tenants('opened'), ['hooli.com']);
      assert.deepEqual(await tenants('configured'), []);
      assert.deepEqual(await tenants('live'), ['acme.com']);
      const dTenants = async (status: string) => (await api('GET', `/api/v1/dsync/setuplinks/product?product=crm&status=${status}`)).json().data.map((l: { tenant: string }) => l.tenant).sort();
      assert.deepEqual(await dTenants('live'), ['acme.com']);
      assert.deepEqual(await dTenants('tested'), ['initech.com']);
      assert.deepEqual(await dTenants('opened'), ['umbrella.com'], 'opened by its refused request, nothing made');
      assert.deepEqual(await dTenants('not_opened'), []);
      const portal = await portalList('dsync', 'tested');
      assert.deepEqual(portal.map((l: { tenant: string }) => l.tenant), ['initech.com']);
      assert.equal(portal[0].progress.status, 'tested');
      const total = (await api('GET', '/api/v1/sso/setuplinks/product?product=crm&status=opened')).json().total;
      assert.equal(total, 1);
      const bad = await api('GET', '/api/v1/sso/setuplinks/product?product=crm&status=done');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().field, 'status');
    });
  });
}
