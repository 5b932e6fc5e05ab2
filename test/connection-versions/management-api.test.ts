/**
 * Draft, test, promote and roll back through the management API, with real sign-ins: the live version serves
 * while the draft exists; the draft's test signs in at the draft's IdP and issues no code; promote switches new
 * sign-ins to the draft's IdP while a sign-in started before it still completes; roll back returns in one call.
 * Each step is audited and announced; the IdP rule of a tenant+product and the portal-trust guard hold.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { APP_CALLBACK, createSamlConnection } from '../support/saml-flow.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';
import { portalTrustRepo } from '../../src/storage/repositories/admin-trust.ts';
import type { ConnectionEvent } from '../../src/sso/connection-events.ts';
import { api, assertCode, auditActions, begin, finish, hearEvents, SSO_A, SSO_B } from './support.ts';

describe('connection versions through the management API', () => {
  let gh: RunningGatehouse;
  let idpA: TestIdp;
  let idpB: TestIdp;
  let clientID: string;
  let heard: ConnectionEvent[];
  const codes = async () => Number((await gh.ctx.db.selectFrom('oauth_codes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())!.n);

  before(async () => {
    gh = (await startGatehouse())!;
    heard = hearEvents(gh);
    [idpA, idpB] = await Promise.all([createTestIdp({ entityId: 'https://idp-a.example.test' }), createTestIdp({ entityId: 'https://idp-b.example.test' })]);
    clientID = (await createSamlConnection(gh.app, idpA, {}, { ssoUrl: SSO_A })).clientID;
  });
  after(async () => gh?.close());

  test('no draft yet: GET answers 404, promote and roll back 409, versions show the live version 1', async () => {
    assert.equal((await api(gh, 'GET', `/api/v1/sso/drafts?clientID=${clientID}`)).statusCode, 404);
    assert.equal((await api(gh, 'POST', '/api/v1/sso/drafts/promote', { clientID })).statusCode, 409);
    assert.equal((await api(gh, 'POST', '/api/v1/sso/rollback', { clientID })).statusCode, 409);
    const v = await api(gh, 'GET', `/api/v1/sso/versions?clientID=${clientID}`);
    assert.deepEqual(v.json().data.map((x: { version: number; status: string }) => [x.version, x.status]), [[1, 'live']]);
    assert.equal((await api(gh, 'GET', '/api/v1/sso/versions?clientID=nope')).statusCode, 404);
  });

  test('a draft pointing to another IdP: 201, the live version keeps serving, and the draft IdP cannot sign in yet', async () => {
    const r = await api(gh, 'POST', '/api/v1/sso/drafts', { clientID, rawMetadata: idpB.metadataXml({ ssoUrl: SSO_B }) });
    assert.equal(r.statusCode, 201, r.body);
    const d = r.json().data;
    assert.deepEqual([d.clientID, d.version, d.status, d.connection.idpMetadata.entityID, d.createdBy], [clientID, 2, 'draft', idpB.entityId, 'Bootstrap API key (API_KEYS)']);
    assert.equal(d.connection.clientSecret, undefined);
    const live = await begin(gh, clientID);
    assert.equal(live.idpUrl, SSO_A);
    assertCode(await finish(gh, idpA, live), 'the live IdP while a draft exists');
    const wrong = await finish(gh, idpB, await begin(gh, clientID));
    assert.match(new URL(wrong.headers.location as string).searchParams.get('error_description') ?? '', /SAML_/);
  });

  test('posting again changes the one draft (200, same version); connection fields are refused, not dropped', async () => {
    const r = await api(gh, 'POST', '/api/v1/sso/drafts', { clientID, attributeMapping: { email: 'email' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual([r.json().data.version, r.json().data.connection.idpMetadata.entityID, r.json().data.connection.attributeMapping], [2, idpB.entityId, { email: 'email' }]);
    const named = await api(gh, 'POST', '/api/v1/sso/drafts', { clientID, name: 'Renamed' });
    assert.equal(named.statusCode, 400);
    assert.equal(named.json().field, 'name');
    const wrongSecret = await api(gh, 'POST', '/api/v1/sso/drafts', { clientID, clientSecret: 'not-it', attributeMapping: { email: 'x' } });
    assert.deepEqual([wrongSecret.statusCode, wrongSecret.json().field], [400, 'clientSecret']);
    const bad = await api(gh, 'POST', '/api/v1/sso/drafts', { clientID, rawMetadata: '<not-metadata/>' });
    assert.equal(bad.statusCode, 400);
    assert.equal((await api(gh, 'GET', `/api/v1/sso/drafts?clientID=${clientID}`)).json().data.version, 2);
  });

  test('testing the draft: the URL signs in at the draft IdP, lands on the result page with no code, and the result shows the attributes', async () => {
    const before = await codes();
    const t = await api(gh, 'POST', '/api/v1/sso/drafts/test', { clientID });
    assert.equal(t.statusCode, 201, t.body);
    const { testId, url, version } = t.json().data;
    assert.equal(version, 2);
    const open = await gh.app.inject({ method: 'GET', url: new URL(url).pathname });
    assert.equal(open.statusCode, 302, open.body);
    assert.equal(open.headers['cache-control'], 'no-store');
    assert.ok((open.headers.location as string).startsWith(SSO_B), 'the test goes to the draft IdP');
    const req = parseRedirectBindingRequest(open.headers.location as string);
    const acs = await finish(gh, idpB, { requestId: /\bID="([^"]+)"/.exec(req.xml)![1]!, relayState: req.relayState });
    assert.equal(acs.statusCode, 302, acs.body);
    const landed = new URL(acs.headers.location as string);
    assert.equal(landed.pathname, `/setup/test-result/${testId}`);
    assert.equal(landed.searchParams.get('code'), null);
    assert.equal(await codes(), before, 'a test issues no code');
    const result = (await api(gh, 'GET', `/api/v1/sso/tests/${testId}`)).json().data;
    assert.equal(result.status, 'succeeded');
    assert.equal(result.profile.email, 'alice@acme.com');
    assert.equal(result.attributes.firstName, 'Alice');
    assert.equal((await gh.app.inject({ method: 'GET', url: new URL(url).pathname })).statusCode, 404, 'a test runs once');
  });

  test('a failed test of the draft shows the diagnosis', async () => {
    const { url, testId } = (await api(gh, 'POST', '/api/v1/sso/drafts/test', { clientID })).json().data;
    const open = await gh.app.inject({ method: 'GET', url: new URL(url).pathname });
    const req = parseRedirectBindingRequest(open.headers.location as string);
    await finish(gh, idpA, { requestId: /\bID="([^"]+)"/.exec(req.xml)![1]!, relayState: req.relayState });
    const result = (await api(gh, 'GET', `/api/v1/sso/tests/${testId}`)).json().data;
    assert.equal(result.status, 'failed');
    assert.match(result.diagnosis.code, /^SAML_(ISSUER_MISMATCH|SIGNATURE_INVALID)$/);
    assert.ok(result.diagnosis.fix);
  });

  test('promote: a stale version is refused; then new sign-ins go to the draft IdP while one started before still completes', async () => {
    const startedBefore = await begin(gh, clientID);
    assert.equal((await api(gh, 'POST', '/api/v1/sso/drafts/promote', { clientID, version: 7 })).statusCode, 409);
    const p = await api(gh, 'POST', '/api/v1/sso/drafts/promote', { clientID, version: 2 });
    assert.equal(p.statusCode, 200, p.body);
    assert.deepEqual([p.json().data.version, p.json().data.previousVersion, p.json().data.connection.idpMetadata.entityID], [2, 1, idpB.entityId]);
    assertCode(await finish(gh, idpA, startedBefore), 'a sign-in started on version 1 and answered after the promote');
    const after = await begin(gh, clientID);
    assert.equal(after.idpUrl, SSO_B);
    assertCode(await finish(gh, idpB, after), 'a sign-in started after the promote');
    assert.equal((await api(gh, 'POST', '/api/v1/sso/drafts/promote', { clientID })).statusCode, 409, 'the draft was used up');
    const v = (await api(gh, 'GET', `/api/v1/sso/versions?clientID=${clientID}`)).json().data;
    assert.deepEqual(v.map((x: { version: number; status: string }) => [x.version, x.status]), [[2, 'live'], [1, 'retired']]);
    const listed = (await api(gh, 'GET', `/api/v1/sso?clientID=${clientID}`)).json()[0];
    assert.equal(listed.idpMetadata.entityID, idpB.entityId);
    // Posting the promoted IdP again updates this connection (one per IdP in a tenant+product), as before drafts.
    const again = await api(gh, 'POST', '/api/v1/sso', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idpB.metadataXml({ ssoUrl: SSO_B }) });
    assert.equal(again.json().clientID, clientID, again.body);
    assert.equal((await api(gh, 'GET', '/api/v1/sso?tenant=acme.com&product=crm')).json().length, 1);
  });

  test('roll back: in one call back to IdP A, a sign-in started on B still completes; nothing earlier to roll back to after that', async () => {
    const startedOnB = await begin(gh, clientID);
    const r = await api(gh, 'POST', '/api/v1/sso/rollback', { clientID });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual([r.json().data.version, r.json().data.previousVersion], [1, 2]);
    assertCode(await finish(gh, idpB, startedOnB), 'a sign-in started on version 2, answered after the roll back');
    const now = await begin(gh, clientID);
    assert.equal(now.idpUrl, SSO_A);
    assertCode(await finish(gh, idpA, now), 'after the roll back');
    assert.equal((await api(gh, 'POST', '/api/v1/sso/rollback', { clientID })).statusCode, 409);
    const v = (await api(gh, 'GET', `/api/v1/sso/versions?clientID=${clientID}`)).json().data;
    assert.deepEqual(v.map((x: { version: number; status: string }) => [x.version, x.status]), [[2, 'retired'], [1, 'live']]);
  });

  test('discard: 204, then 404; the version list keeps it as discarded; a new draft takes the next number', async () => {
    await api(gh, 'POST', '/api/v1/sso/drafts', { clientID, attributeMapping: { email: 'mail' } });
    assert.equal((await api(gh, 'DELETE', `/api/v1/sso/drafts?clientID=${clientID}`)).statusCode, 204);
    assert.equal((await api(gh, 'GET', `/api/v1/sso/drafts?clientID=${clientID}`)).statusCode, 404);
    assert.equal((await api(gh, 'DELETE', `/api/v1/sso/drafts?clientID=${clientID}`)).statusCode, 404);
    const v = (await api(gh, 'GET', `/api/v1/sso/versions?clientID=${clientID}`)).json().data;
    assert.deepEqual(v[0] && [v[0].version, v[0].status], [3, 'discarded']);
    const next = await api(gh, 'POST', '/api/v1/sso/drafts', { clientID, attributeMapping: { email: 'mail' } });
    assert.equal(next.json().data.version, 4);
    await api(gh, 'DELETE', `/api/v1/sso/drafts?clientID=${clientID}`);
  });

  test('every step is audited and announced, with no secret in the event data', async () => {
    const actions = (await auditActions(gh, clientID)).map((a) => a.action);
    for (const a of ['sso.connection.draft_created', 'sso.connection.test_started', 'sso.connection.draft_promoted', 'sso.connection.rolled_back', 'sso.connection.draft_discarded']) assert.ok(actions.includes(a), `${a} in ${actions}`);
    const mine = heard.filter((e) => e.connectionId === clientID).map((e) => e.type);
    // connection.created is the vendor event stream's announcement of the connection itself (decision 0018).
    assert.deepEqual([...new Set(mine)].sort(), ['connection.created', 'connection.draft_created', 'connection.draft_discarded', 'connection.draft_promoted', 'connection.rolled_back']);
    const promoted = heard.find((e) => e.type === 'connection.draft_promoted')!;
    assert.deepEqual([promoted.tenant, promoted.product, promoted.data.version, promoted.data.previousVersion], ['acme.com', 'crm', 2, 1]);
    const text = JSON.stringify(heard.map((e) => e.data));
    assert.ok(!/clientSecret|BEGIN|PRIVATE/.test(text), text);
  });

  test('the IdP rule of a tenant+product: a draft naming another connection\'s IdP is a 409, at creation and at promote', async () => {
    const idpC = await createTestIdp({ entityId: 'https://idp-c.example.test' });
    const idpD = await createTestIdp({ entityId: 'https://idp-d.example.test' });
    await createSamlConnection(gh.app, idpC);
    const early = await api(gh, 'POST', '/api/v1/sso/drafts', { clientID, rawMetadata: idpC.metadataXml({ ssoUrl: SSO_B }) });
    assert.equal(early.statusCode, 409, early.body);
    assert.match(early.json().detail, /idp-c\.example\.test/);
    assert.equal((await api(gh, 'POST', '/api/v1/sso/drafts', { clientID, rawMetadata: idpD.metadataXml({ ssoUrl: SSO_B }) })).statusCode, 201);
    await createSamlConnection(gh.app, idpD);
    const late = await api(gh, 'POST', '/api/v1/sso/drafts/promote', { clientID });
    assert.equal(late.statusCode, 409, late.body);
    assert.match(late.json().detail, /idp-d\.example\.test/);
    assert.equal((await begin(gh, clientID)).idpUrl, SSO_A, 'nothing changed');
    await api(gh, 'DELETE', `/api/v1/sso/drafts?clientID=${clientID}`);
  });

  test('a connection chosen for portal SSO: promote and roll back need an owner in the portal (403 CONNECTION_PORTAL_TRUSTED)', async () => {
    const idpE = await createTestIdp({ entityId: 'https://idp-e.example.test' });
    const trusted = (await createSamlConnection(gh.app, idpE, { tenant: 'gatehouse', product: 'portal', redirectUrl: [APP_CALLBACK] })).clientID;
    const row = (await gh.ctx.db.selectFrom('connections').select('created_at').where('id', '=', trusted).executeTakeFirst())!;
    await portalTrustRepo.replace(gh.ctx.db, [{ connection_id: trusted, connection_created_at: row.created_at, chosen_by: 'adm', chosen_at: Date.now() }]);
    assert.equal((await api(gh, 'POST', '/api/v1/sso/drafts', { clientID: trusted, attributeMapping: { email: 'mail' } })).statusCode, 201);
    for (const [url, body] of [['/api/v1/sso/drafts/promote', { clientID: trusted }], ['/api/v1/sso/rollback', { clientID: trusted }]] as const) {
      const r = await api(gh, 'POST', url, body);
      assert.equal(r.statusCode, 403, `${url}: ${r.body}`);
      assert.equal(r.json().code, 'CONNECTION_PORTAL_TRUSTED');
    }
    await portalTrustRepo.replace(gh.ctx.db, []);
  });

  test('deleting the connection deletes its versions', async () => {
    assert.equal((await api(gh, 'DELETE', `/api/v1/sso?clientID=${clientID}`)).statusCode, 204);
    assert.deepEqual(await gh.ctx.db.selectFrom('connection_versions').select('version').where('connection_id', '=', clientID).execute(), []);
  });
});
