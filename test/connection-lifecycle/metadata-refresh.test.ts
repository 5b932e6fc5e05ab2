/**
 * A SAML connection made from a metadata URL follows its IdP through a certificate rollover with no API call:
 * a real HTTP server publishes a second certificate (both trusted), the IdP signs with the new one, the old one
 * leaves the metadata (no longer trusted); the URL fails three ways (last good metadata kept, error recorded and
 * announced) and comes back. Rounds are run directly with a clock moved past each period; one test runs the
 * scheduler itself in real time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL, createSamlConnection, locationParams, samlRound } from '../support/saml-flow.ts';
import { metadataXmlWith, startMetadataServer, type MetadataServer } from '../support/metadata-server.ts';
import { refreshDueMetadata } from '../../src/sso/upkeep/upkeep.ts';
import { scheduleConnectionUpkeep } from '../../src/maintenance.ts';
import { metadataRefreshRepo } from '../../src/storage/repositories/connection-upkeep.ts';
import type { ConnectionEvent } from '../../src/sso/connection-events.ts';

const PERIOD_S = 5;
const fingerprintOf = (idp: TestIdp) => new X509Certificate(idp.certPem).fingerprint256;

describe('metadata URL refresh through a certificate rollover (sqlite)', () => {
  let gh: RunningGatehouse;
  let server: MetadataServer;
  let oldKey: TestIdp;
  let newKey: TestIdp;
  let clientID: string;
  let offset = 0;
  const events: Omit<ConnectionEvent, 'ctx'>[] = [];

  const nextPeriod = () => { offset += (PERIOD_S + 1) * 1000; };
  const signIn = (idp: TestIdp) => samlRound(gh, idp, { response_type: 'code', client_id: clientID, redirect_uri: APP_CALLBACK, state: 's' }, { now: gh.ctx.now() });
  const connection = async () => {
    const res = await gh.app.inject({ method: 'GET', url: `/api/v1/sso?clientID=${clientID}`, headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as Record<string, any>[])[0]!;
  };
  const eventsOf = (type: string) => events.filter((e) => e.type === type);

  before(async () => {
    oldKey = await createTestIdp();
    newKey = await createTestIdp({ entityId: oldKey.entityId });
    server = await startMetadataServer(metadataXmlWith(oldKey.entityId, [oldKey.certPem], IDP_SSO_URL));
    gh = (await startGatehouse({ env: { METADATA_REFRESH_SECONDS: String(PERIOD_S) }, now: () => Date.now() + offset }))!;
    gh.ctx.events.on('connection.event', ({ ctx: _ctx, ...e }) => { events.push(e); });
    clientID = (await createSamlConnection(gh.app, oldKey, { rawMetadata: undefined, metadataUrl: server.url })).clientID;
  });
  after(async () => {
    await gh?.close();
    await server?.close();
  });

  test('the connection is made from the URL and signs in with its certificate', async () => {
    assert.equal(server.fetches.length, 1);
    const c = await connection();
    assert.equal(c.metadataUrl, server.url);
    assert.equal(c.metadataRefreshSeconds, PERIOD_S);
    assert.ok(c.metadataRefreshedAt, 'the fetch at creation counts as a refresh');
    assert.equal(c.metadataRefreshError, null);
    const { acs } = await signIn(oldKey);
    assert.ok(locationParams(acs).get('code'), acs.body);
  });

  test('nothing is fetched before the period has passed', async () => {
    assert.deepEqual(await refreshDueMetadata(gh.ctx), {});
    assert.equal(server.fetches.length, 1);
  });

  test('a second certificate published beside the first: both are trusted', async () => {
    server.publish(metadataXmlWith(oldKey.entityId, [oldKey.certPem, newKey.certPem], IDP_SSO_URL));
    nextPeriod();
    assert.deepEqual(await refreshDueMetadata(gh.ctx), { [clientID]: 'changed' });
    const refreshed = eventsOf('connection.metadata_refreshed');
    assert.equal(refreshed.length, 1);
    assert.equal(refreshed[0]!.connectionId, clientID);
    assert.deepEqual((refreshed[0]!.data.certificatesAdded as { fingerprint: string }[]).map((c) => c.fingerprint), [fingerprintOf(newKey)]);
    assert.equal(refreshed[0]!.data.certificatesRemoved, undefined);
    assert.deepEqual((await connection()).idpMetadata.certificates.map((c: { fingerprintSha256: string }) => c.fingerprintSha256), [fingerprintOf(oldKey), fingerprintOf(newKey)]);
    const audit = await gh.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'sso.connection.metadata_refreshed').execute();
    assert.deepEqual(audit.map((a) => [a.actor_type, a.actor_label, a.target_id]), [['system', 'Metadata refresh', clientID]]);
    assert.match(audit[0]!.summary, new RegExp(fingerprintOf(newKey)));
    assert.ok(locationParams((await signIn(oldKey)).acs).get('code'), 'the old certificate still signs in');
    assert.ok(locationParams((await signIn(newKey)).acs).get('code'), 'the new certificate signs in');
  });

  test('unchanged metadata is asked for conditionally and answered 304: no event', async () => {
    nextPeriod();
    assert.deepEqual(await refreshDueMetadata(gh.ctx), { [clientID]: 'unchanged' });
    const last = server.fetches.at(-1)!;
    assert.ok(last.ifNoneMatch, 'If-None-Match was sent');
    assert.equal(last.status, 304);
    assert.equal(eventsOf('connection.metadata_refreshed').length, 1);
  });

  test('saving options only keeps the refresh schedule and its validators', async () => {
    const before = await metadataRefreshRepo.find(gh.ctx.db, clientID);
    assert.ok(before?.etag);
    const res = await gh.app.inject({ method: 'PATCH', url: '/api/v1/sso', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { clientID, name: 'Acme Okta (renamed)' } });
    assert.equal(res.statusCode, 204, res.body);
    assert.deepEqual(await metadataRefreshRepo.find(gh.ctx.db, clientID), before);
  });

  test('the old certificate leaves the metadata: it is no longer trusted', async () => {
    server.publish(metadataXmlWith(oldKey.entityId, [newKey.certPem], IDP_SSO_URL));
    nextPeriod();
    assert.deepEqual(await refreshDueMetadata(gh.ctx), { [clientID]: 'changed' });
    const removed = eventsOf('connection.metadata_refreshed').at(-1)!;
    assert.deepEqual((removed.data.certificatesRemoved as { fingerprint: string }[]).map((c) => c.fingerprint), [fingerprintOf(oldKey)]);
    const refused = (await signIn(oldKey)).acs;
    assert.equal(refused.statusCode, 302, refused.body);
    assert.equal(locationParams(refused).get('code'), null, 'no code for a response signed by the removed certificate');
    assert.match(locationParams(refused).get('error_code') ?? '', /^SAML_SIGNATURE_/);
    assert.ok(locationParams((await signIn(newKey)).acs).get('code'));
  });

  for (const [mode, reason] of [['http500', /HTTP 500/], ['badXml', /not usable/], ['otherEntity', /other-idp\.example\.test/]] as const) {
    test(`the URL fails (${mode}): the last good metadata is kept, the error recorded and announced`, async () => {
      const before = await connection();
      const failedBefore = eventsOf('connection.metadata_refresh_failed').length;
      server.mode = mode;
      nextPeriod();
      assert.deepEqual(await refreshDueMetadata(gh.ctx), { [clientID]: 'failed' });
      const c = await connection();
      assert.match(c.metadataRefreshError, reason);
      assert.equal(c.metadataRefreshedAt, before.metadataRefreshedAt, 'the last success is still the last success');
      assert.deepEqual(c.idpMetadata.certificates, before.idpMetadata.certificates);
      const failed = eventsOf('connection.metadata_refresh_failed');
      assert.equal(failed.length, failedBefore + 1);
      assert.match(String(failed.at(-1)!.data.reason), reason);
      assert.ok(locationParams((await signIn(newKey)).acs).get('code'), 'sign-in keeps working on the last good metadata');
    });
  }

  test('the same failure again is recorded but not announced again', async () => {
    const failedBefore = eventsOf('connection.metadata_refresh_failed').length;
    nextPeriod();
    assert.deepEqual(await refreshDueMetadata(gh.ctx), { [clientID]: 'failed' });
    assert.equal(eventsOf('connection.metadata_refresh_failed').length, failedBefore);
  });

  test('the URL comes back: the error is cleared and the refresh time moves on', async () => {
    const before = await connection();
    server.mode = 'ok';
    nextPeriod();
    assert.deepEqual(await refreshDueMetadata(gh.ctx), { [clientID]: 'unchanged' });
    const c = await connection();
    assert.equal(c.metadataRefreshError, null);
    assert.ok(Date.parse(c.metadataRefreshedAt) > Date.parse(before.metadataRefreshedAt));
  });

  test('Cache-Control: no-store keeps no validators: the next fetch is unconditional', async () => {
    server.headers = { 'cache-control': 'no-store' };
    server.publish(metadataXmlWith(oldKey.entityId, [newKey.certPem], `${IDP_SSO_URL}/moved`));
    nextPeriod();
    assert.deepEqual(await refreshDueMetadata(gh.ctx), { [clientID]: 'changed' });
    assert.deepEqual(eventsOf('connection.metadata_refreshed').at(-1)!.data, { changed: ['ssoRedirectUrl'] });
    assert.equal((await metadataRefreshRepo.find(gh.ctx.db, clientID))!.etag, null);
    nextPeriod();
    assert.deepEqual(await refreshDueMetadata(gh.ctx), { [clientID]: 'unchanged' });
    assert.equal(server.fetches.at(-1)!.ifNoneMatch, null, 'an unconditional GET after no-store');
    assert.equal(server.fetches.at(-1)!.status, 200);
    server.headers = {};
  });

  test('the scheduler follows a rollover by itself within the period', { timeout: 90_000 }, async () => {
    const third = await createTestIdp({ entityId: oldKey.entityId });
    server.publish(metadataXmlWith(oldKey.entityId, [newKey.certPem, third.certPem], IDP_SSO_URL));
    const stop = scheduleConnectionUpkeep(gh.ctx);
    try {
      const deadline = Date.now() + 80_000;
      while (!(await connection()).idpMetadata.certificates.some((c: { fingerprintSha256: string }) => c.fingerprintSha256 === fingerprintOf(third))) {
        assert.ok(Date.now() < deadline, 'the new certificate was not picked up');
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      stop();
    }
    assert.ok(locationParams((await signIn(third)).acs).get('code'));
  });
});
