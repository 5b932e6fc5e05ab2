/**
 * Issue 14 §4, the rest of decision 0022, on every dialect with real SAML sign-ins: Test connection of the live
 * connection for the vendor (management API and portal; signs in at the live IdP, issues no code, shows the
 * attributes or the diagnosis, audited); the setup link's Health, scoped to its tenant+product; and
 * `intent: "certificate_renewal"` setup links that reach their one connection only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWithOwnerAndViewer, type AdminClient } from '../admin-api/support.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, samlRound } from '../support/saml-flow.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';
import { api, auditActions, finish } from '../connection-versions/support.ts';

const requestOf = (location: string) => {
  const req = parseRedirectBindingRequest(location);
  return { requestId: /\bID="([^"]+)"/.exec(req.xml)![1]!, relayState: req.relayState };
};
const tokenOf = (url: string) => url.split('/setup/')[1]!;

for (const dialect of testDialects()) {
  describe(`Test connection, setup-link health and renewal links: ${dialect}`, () => {
    let gh: RunningGatehouse | null = null;
    let owner: AdminClient, viewer: AdminClient;
    let idp: TestIdp, second: TestIdp, impostor: TestIdp;
    let clientID: string, sibling: string, otherTenant: string;
    const codes = async () => Number((await gh!.ctx.db.selectFrom('oauth_codes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())!.n);
    const link = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload?: object) =>
      gh!.app.inject({ method, url: `/api/setup/${token}${path}`, ...(payload ? { payload } : {}) });
    const newLink = (payload: object) => api(gh!, 'POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, ...payload });

    before(async () => {
      try {
        ({ gh, owner, viewer } = await startWithOwnerAndViewer({ dialect }));
      } catch { gh = null; }
      if (!gh) return;
      [idp, second, impostor] = await Promise.all([createTestIdp({ entityId: 'https://idp.acme.test' }), createTestIdp({ entityId: 'https://idp-2.acme.test' }), createTestIdp()]);
      clientID = (await createSamlConnection(gh.app, idp)).clientID;
      sibling = (await createSamlConnection(gh.app, second, { name: 'Second IdP' })).clientID;
      otherTenant = (await createSamlConnection(gh.app, await createTestIdp(), { tenant: 'globex.com' })).clientID;
    });
    after(() => gh?.close());

    test('the live connection\'s test: 201 with a URL; it signs in at the live IdP, issues no code, and the result shows the attributes', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const before = await codes();
      const r = await api(gh, 'POST', '/api/v1/sso/test', { clientID });
      assert.equal(r.statusCode, 201, r.body);
      const { testId, url, resultUrl, version } = r.json().data;
      assert.deepEqual([r.json().data.clientID, version], [clientID, null]);
      assert.equal(new URL(resultUrl).pathname, `/setup/test-result/${testId}`);
      assert.equal((await api(gh, 'GET', `/api/v1/sso/tests/${testId}`)).json().data.status, 'pending');
      const open = await gh.app.inject({ method: 'GET', url: new URL(url).pathname });
      assert.equal(open.statusCode, 302, open.body);
      assert.equal(open.headers['cache-control'], 'no-store');
      const acs = await finish(gh, idp, requestOf(open.headers.location as string));
      const landed = new URL(acs.headers.location as string);
      assert.equal(landed.pathname, `/setup/test-result/${testId}`);
      assert.equal(landed.searchParams.get('code'), null);
      assert.equal(await codes(), before, 'a test issues no code');
      const result = (await api(gh, 'GET', `/api/v1/sso/tests/${testId}`)).json().data;
      assert.deepEqual([result.status, result.profile.email, result.attributes.firstName], ['succeeded', 'alice@acme.com', 'Alice']);
      assert.equal((await gh.app.inject({ method: 'GET', url: new URL(url).pathname })).statusCode, 404, 'a test runs once');
      assert.ok((await auditActions(gh, clientID)).some((a) => a.action === 'sso.connection.test_started' && a.actor === 'api_key'), 'audited as the key');
    });

    test('a failed live test shows the plain-language diagnosis', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const { url, testId } = (await api(gh, 'POST', '/api/v1/sso/test', { clientID })).json().data;
      const open = await gh.app.inject({ method: 'GET', url: new URL(url).pathname });
      await finish(gh, impostor, requestOf(open.headers.location as string));
      const result = (await api(gh, 'GET', `/api/v1/sso/tests/${testId}`)).json().data;
      assert.equal(result.status, 'failed');
      assert.match(result.diagnosis.code, /^SAML_/);
      assert.ok(result.diagnosis.fix.length > 20, result.diagnosis.fix);
    });

    test('bad test requests: clientID missing 400 naming it, unknown 404', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const missing = await api(gh, 'POST', '/api/v1/sso/test', {});
      assert.deepEqual([missing.statusCode, missing.json().field], [400, 'clientID']);
      assert.equal((await api(gh, 'POST', '/api/v1/sso/test', { clientID: 'nope' })).statusCode, 404);
      assert.equal((await owner.req('POST', '/api/admin/connections/nope/test', {})).statusCode, 404);
    });

    test('the portal: an admin starts the test, a viewer may read its result but not start one', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      assert.equal((await viewer.req('POST', `/api/admin/connections/${clientID}/test`, {})).statusCode, 403);
      const r = await owner.req('POST', `/api/admin/connections/${clientID}/test`, {});
      assert.equal(r.statusCode, 201, r.body);
      const { testId, url } = r.json().data;
      const open = await gh.app.inject({ method: 'GET', url: new URL(url).pathname });
      await finish(gh, idp, requestOf(open.headers.location as string));
      const seen = await viewer.req('GET', `/api/admin/connection-tests/${testId}`);
      assert.deepEqual([seen.statusCode, seen.json().data.status], [200, 'succeeded']);
      assert.ok((await auditActions(gh, clientID)).some((a) => a.action === 'sso.connection.test_started' && a.actor === 'admin'));
    });

    test('the setup link shows the health of its own connections only, as the API does', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      await samlRound(gh, idp, { response_type: 'code', client_id: clientID, redirect_uri: APP_CALLBACK, state: 's' });
      const token = tokenOf((await newLink({})).json().data.url);
      const r = await link(token, 'GET', `/sso-connection/${clientID}/health`);
      assert.equal(r.statusCode, 200, r.body);
      const h = r.json().data;
      assert.ok(h.lastSuccessAt, 'the sign-in is seen');
      assert.deepEqual(h.last24h, { signIns: 1, failures: 0, byReason: {} }, 'the one app sign-in; the test sign-ins before it are not counted');
      assert.equal(h.certificates.length, 1);
      assert.deepEqual(h, (await api(gh, 'GET', `/api/v1/sso/health?clientID=${clientID}`)).json().data);
      assert.equal((await link(token, 'GET', `/sso-connection/${otherTenant}/health`)).statusCode, 404, 'another tenant\'s connection');
      assert.equal((await gh.app.inject({ method: 'GET', url: `/api/setup/${'x'.repeat(43)}/sso-connection/${clientID}/health` })).statusCode, 404, 'an unknown token');
    });

    test('renewal links: intent and clientID checked, 400 naming the field', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const cases: [object, string][] = [
        [{ intent: 'certificate_renewal' }, 'clientID'],
        [{ intent: 'certificate_renewal', clientID: otherTenant }, 'clientID'],
        [{ intent: 'certificate_renewal', clientID: 'nope' }, 'clientID'],
        [{ intent: 'rotate' }, 'intent'],
        [{ intent: 7 }, 'intent'],
        [{ clientID }, 'clientID'],
      ];
      for (const [payload, field] of cases) {
        const r = await newLink(payload);
        assert.deepEqual([r.statusCode, r.json().field], [400, field], `${JSON.stringify(payload)}: ${r.body}`);
      }
      const dsync = await api(gh, 'POST', '/api/v1/dsync/setuplinks', { tenant: 'acme.com', product: 'crm', intent: 'certificate_renewal' });
      assert.deepEqual([dsync.statusCode, dsync.json().field], [400, 'intent']);
    });

    test('a renewal link reaches its one connection: add the new certificate, draft, test; no create, delete or other connection', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const general = (await newLink({ regenerate: true })).json().data;
      assert.equal(general.intent, 'setup');
      const made = await api(gh, 'POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', intent: 'certificate_renewal', clientID });
      assert.equal(made.statusCode, 201, made.body);
      assert.deepEqual([made.json().data.intent, made.json().data.clientID], ['certificate_renewal', clientID]);
      assert.equal((await link(tokenOf(general.url), 'GET', '')).statusCode, 404, 'one link per tenant+product: the renewal link replaced the full one');
      const again = await newLink({ intent: 'certificate_renewal', clientID });
      assert.deepEqual([again.statusCode, again.json().data.url], [200, made.json().data.url], 'the live renewal link is returned');
      const listed = (await api(gh, 'GET', '/api/v1/sso/setuplinks?tenant=acme.com&product=crm')).json().data;
      assert.deepEqual([listed.intent, listed.clientID], ['certificate_renewal', clientID]);

      const token = tokenOf(made.json().data.url);
      const info = (await link(token, 'GET', '')).json().data;
      assert.deepEqual([info.intent, info.clientID], ['certificate_renewal', clientID]);
      assert.deepEqual((await link(token, 'GET', '/sso-connection')).json().data.map((c: { clientID: string }) => c.clientID), [clientID]);
      for (const r of [await link(token, 'GET', `/sso-connection/${sibling}`), await link(token, 'GET', `/sso-connection/${sibling}/health`), await link(token, 'POST', `/sso-connection/${sibling}/test`), await link(token, 'PATCH', '/sso-connection', { clientID: sibling, name: 'x' })]) {
        assert.equal(r.statusCode, 404, r.body);
      }
      const create = await link(token, 'POST', '/sso-connection', { rawMetadata: (await createTestIdp()).metadataXml({ ssoUrl: 'https://idp-3.acme.test/sso' }) });
      assert.deepEqual([create.statusCode, create.json().code], [403, 'SETUP_LINK_RENEWAL_ONLY'], create.body);
      assert.equal((await link(token, 'DELETE', `/sso-connection?clientID=${clientID}`)).statusCode, 403);

      const next = await createTestIdp();
      const added = await link(token, 'PATCH', '/sso-connection', { clientID, addIdpCertificate: next.certPem });
      assert.equal(added.statusCode, 200, added.body);
      assert.equal(added.json().data.idpMetadata.certificates.length, 2, 'the new certificate beside the old one');
      assert.equal((await link(token, 'GET', `/sso-connection/${clientID}/health`)).json().data.certificates.length, 2);
      const draft = await link(token, 'POST', `/sso-connection/${clientID}/draft`, { attributeMapping: { email: 'mail' } });
      assert.equal(draft.statusCode, 201, draft.body);
      assert.equal((await link(token, 'DELETE', `/sso-connection/${clientID}/draft`)).statusCode, 204);
      const tested = await link(token, 'POST', `/sso-connection/${clientID}/test`);
      assert.equal(tested.statusCode, 201, tested.body);
      const full = await newLink({});
      assert.equal(full.statusCode, 201, 'a full link replaces the renewal link');
      assert.equal((await link(token, 'GET', '')).statusCode, 404);
    });
  });
}
