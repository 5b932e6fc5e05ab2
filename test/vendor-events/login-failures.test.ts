/**
 * `connection.login_failures` from real SAML sign-ins (authorize → IdP → ACS): a connection that worked and then
 * refuses most sign-ins is announced once per episode, with the reason and counts; a success ends the episode;
 * a connection never seen working is not announced. The portal's overview flags it while it fails, and the
 * Events view lists events newest first with a type filter for viewers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWithOwnerAndViewer, type AdminClient } from '../admin-api/support.ts';
import { API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, samlRound } from '../support/saml-flow.ts';
import { announceConnectionEvent } from '../../src/sso/connection-events.ts';

describe('connection.login_failures from real SAML sign-ins', () => {
  let gh: RunningGatehouse;
  let viewer: AdminClient;
  let idp: TestIdp, impostor: TestIdp, idp2: TestIdp;
  let conn: { clientID: string; tenant: string; product: string };
  before(async () => {
    ({ gh, viewer } = await startWithOwnerAndViewer());
    [idp, impostor, idp2] = await Promise.all([createTestIdp(), createTestIdp(), createTestIdp()]);
    conn = await createSamlConnection(gh.app, idp, { tenant: 'acme.com' });
  });
  after(() => gh.close());

  const query = (clientID: string) => ({ response_type: 'code', client_id: clientID, redirect_uri: APP_CALLBACK, state: 'st' });
  const signIn = async (clientID: string, ok: boolean) => {
    // A refusal: the response is signed by another key than the IdP's (as after an unannounced certificate rollover).
    const { acs } = await samlRound(gh, idp, query(clientID), ok ? {} : { idp: impostor, issuer: idp.entityId });
    assert.equal(acs.statusCode, 302, acs.body);
    assert.equal(locationParams(acs).has('code'), ok, acs.headers.location as string);
    return locationParams(acs).get('error');
  };
  const failuresEvents = async (tenant = 'acme.com') =>
    (await gh.app.inject({ method: 'GET', url: `/api/v1/events?tenant=${tenant}&types=connection.login_failures`, headers: { authorization: `Api-Key ${API_KEY}` } })).json().data as { type: string; data: Record<string, any> }[];
  const flags = async () => (await viewer.req('GET', '/api/admin/events/flags')).json().data as { clientID: string; events: { type: string }[] }[];

  test('worked, then most sign-ins fail: announced once, with the reason and counts', async () => {
    await signIn(conn.clientID, true);
    for (let i = 1; i <= 3; i++) await signIn(conn.clientID, false);
    assert.equal((await failuresEvents()).length, 0, '4 attempts: not yet');
    await signIn(conn.clientID, false);
    const evs = await failuresEvents();
    assert.equal(evs.length, 1, 'the 4th refusal (5 attempts, 4 refused) announces');
    const d = evs[0]!.data;
    assert.equal(d.clientID, conn.clientID);
    assert.match(d.reason, /^SAML_/);
    assert.equal(d.attempts, 5);
    assert.equal(d.failures, 4);
    assert.deepEqual(d.reasons, { [d.reason]: 4 });
    assert.equal(d.windowMinutes, 15);
    assert.ok(!Number.isNaN(Date.parse(d.lastSuccessAt)));
    for (let i = 0; i < 3; i++) await signIn(conn.clientID, false);
    assert.equal((await failuresEvents()).length, 1, 'once per episode');
    assert.deepEqual((await flags()).find((f) => f.clientID === conn.clientID)?.events.map((e) => e.type), ['connection.login_failures']);
  });

  test('a success ends the episode; a new run of refusals is a new episode', async () => {
    await signIn(conn.clientID, true);
    assert.equal((await flags()).find((f) => f.clientID === conn.clientID), undefined, 'no longer flagged');
    await signIn(conn.clientID, false);
    await signIn(conn.clientID, false);
    assert.equal((await failuresEvents()).length, 1, 'two refusals after a success are not yet an episode');
    await signIn(conn.clientID, false);
    const evs = await failuresEvents();
    assert.equal(evs.length, 2);
    assert.equal(evs[1]!.data.failuresSinceLastSuccess, 3);
  });

  test('a connection never seen working is not announced', async () => {
    const fresh = await createSamlConnection(gh.app, idp2, { tenant: 'fresh.com' });
    for (let i = 0; i < 6; i++) await signIn(fresh.clientID, false);
    assert.equal((await failuresEvents('fresh.com')).length, 0);
  });

  test('the overview flags certificate warnings until the IdP settings change; the Events view lists newest first by type', async () => {
    const certIdp = await createTestIdp();
    const other = await createSamlConnection(gh.app, certIdp, { tenant: 'cert.com' });
    await announceConnectionEvent(gh.ctx, { type: 'connection.certificate_expiring', tenant: 'cert.com', product: 'crm', connectionId: other.clientID, data: { clientID: other.clientID, daysLeft: 14 } });
    assert.deepEqual((await flags()).find((f) => f.clientID === other.clientID)?.events.map((e) => e.type), ['connection.certificate_expiring']);
    const list = await viewer.req('GET', '/api/admin/events?types=connection.certificate_expiring,connection.created&limit=2');
    assert.equal(list.statusCode, 200, list.body);
    const page = list.json();
    assert.deepEqual(page.data.map((e: { type: string }) => e.type), ['connection.certificate_expiring', 'connection.created']);
    assert.ok(page.nextCursor, 'more, older events');
    const older = (await viewer.req('GET', `/api/admin/events?types=connection.certificate_expiring,connection.created&limit=2&before=${page.nextCursor}`)).json();
    assert.ok(older.data.every((e: { type: string }) => e.type === 'connection.created'));
    // The IdP's new certificate, pasted by hand: the connection's settings change.
    const rolled = await createTestIdp({ entityId: certIdp.entityId });
    const res = await gh.app.inject({ method: 'PATCH', url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { clientID: other.clientID, rawMetadata: rolled.metadataXml({ ssoUrl: 'https://idp.example.test/sso' }) } });
    assert.equal(res.statusCode, 204, res.body);
    assert.equal((await flags()).find((f) => f.clientID === other.clientID), undefined, 'new IdP settings clear the certificate flag');
  });
});
