/**
 * Health at a glance (decision 0022) after real SAML sign-ins (authorize → IdP → ACS), on every dialect: the last
 * success, the last 24 h of sign-ins and failures by refusal code, certificate expiry and metadata freshness,
 * through the management API and the portal, read from the database; counts older than 24 h drop out.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWithOwnerAndViewer, testClock, type AdminClient } from '../admin-api/support.ts';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, samlRound } from '../support/saml-flow.ts';
import { pruneLoginCounts } from '../../src/vendor-events/retention.ts';

for (const dialect of testDialects()) {
  describe(`connection health: ${dialect}`, () => {
    const clock = testClock();
    let gh: RunningGatehouse | null = null;
    let viewer: AdminClient;
    let idp: TestIdp, impostor: TestIdp;
    let conn: { clientID: string };
    before(async () => {
      clock.set(Date.now()); // the test IdP stamps responses with the real time: start from it, not from when the file loaded
      try {
        ({ gh, viewer } = await startWithOwnerAndViewer({ dialect, now: clock.now }));
      } catch { gh = null; }
      if (!gh) return;
      [idp, impostor] = await Promise.all([createTestIdp(), createTestIdp()]);
      conn = await createSamlConnection(gh.app, idp, { tenant: 'acme.com' });
    });
    after(() => gh?.close());

    const signIn = async (ok: boolean) => {
      const { acs } = await samlRound(gh!, idp, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's' }, ok ? {} : { idp: impostor, issuer: idp.entityId });
      assert.equal(locationParams(acs).has('code'), ok, acs.headers.location as string);
      return locationParams(acs).get('error');
    };
    const api = (url: string) => gh!.app.inject({ method: 'GET', url, headers: { authorization: `Api-Key ${API_KEY}` } });

    test('sign-ins and refusals are counted by reason; certificates and metadata are shown', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const fresh = (await api(`/api/v1/sso/health?clientID=${conn.clientID}`)).json().data;
      assert.equal(fresh.lastSuccessAt, null, 'never signed in');
      assert.deepEqual(fresh.last24h, { signIns: 0, failures: 0, byReason: {} });

      await signIn(true);
      const successAt = new Date(clock.now()).toISOString();
      await signIn(true);
      await signIn(false);
      await signIn(false);
      await signIn(false);
      const res = await api(`/api/v1/sso/health?clientID=${conn.clientID}`);
      assert.equal(res.statusCode, 200, res.body);
      const h = res.json().data;
      assert.equal(h.clientID, conn.clientID);
      assert.equal(h.lastSuccessAt, successAt);
      assert.equal(h.last24h.signIns, 5);
      assert.equal(h.last24h.failures, 3);
      const reasons = Object.keys(h.last24h.byReason);
      assert.equal(reasons.length, 1);
      assert.match(reasons[0]!, /^SAML_/);
      assert.equal(h.last24h.byReason[reasons[0]!], 3);

      const view = (await api(`/api/v1/sso?clientID=${conn.clientID}`)).json()[0];
      const cert = view.idpMetadata.certificates[0];
      assert.deepEqual(h.certificates, [{ fingerprint: cert.fingerprintSha256, notAfter: cert.notAfter, daysLeft: Math.floor((Date.parse(cert.notAfter) - clock.now()) / 86_400_000) }]);
      assert.ok(h.certificates[0].daysLeft > 0);
      assert.deepEqual(h.metadata, { source: 'pasted', refreshedAt: null, error: null, refreshSeconds: null });

      const portal = await viewer.req('GET', `/api/admin/connections/${conn.clientID}/health`);
      assert.equal(portal.statusCode, 200, portal.body);
      assert.deepEqual(portal.json().data, h, 'the portal shows what the API shows');
    });

    test('bad requests get clear 4xx answers', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const missing = await api('/api/v1/sso/health');
      assert.equal(missing.statusCode, 400, missing.body);
      assert.match(missing.body, /clientID/);
      assert.equal((await api('/api/v1/sso/health?clientID=nope')).statusCode, 404);
      assert.equal((await viewer.req('GET', '/api/admin/connections/nope/health')).statusCode, 404);
    });

    test('after 24 hours the counts drop out; the last success stays', async (t) => {
      if (!gh) return t.skip(`${dialect} unreachable`);
      const before = (await api(`/api/v1/sso/health?clientID=${conn.clientID}`)).json().data;
      clock.advance(24 * 3_600_000 + 60_000);
      const later = (await api(`/api/v1/sso/health?clientID=${conn.clientID}`)).json().data;
      assert.deepEqual(later.last24h, { signIns: 0, failures: 0, byReason: {} });
      assert.equal(later.lastSuccessAt, before.lastSuccessAt);
      assert.ok(await pruneLoginCounts(gh.ctx) > 0, 'the old counts are pruned');
    });
  });
}
