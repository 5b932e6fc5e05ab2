/**
 * Several IdP certificates by hand on a connection made from pasted metadata: add the IdP's next certificate beside
 * the current one (both sign in), remove the old one once the IdP has switched (it is refused from then on), never
 * the last one; through the management API and through a setup link. A connection made from a URL refuses both.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { APP_CALLBACK, IDP_SSO_URL, createSamlConnection, locationParams, samlRound } from '../support/saml-flow.ts';
import { metadataXmlWith, startMetadataServer, type MetadataServer } from '../support/metadata-server.ts';

const fingerprintOf = (idp: TestIdp) => new X509Certificate(idp.certPem).fingerprint256;

describe('several IdP certificates by hand', () => {
  let gh: RunningGatehouse;
  let oldKey: TestIdp;
  let newKey: TestIdp;
  let clientID: string;
  let server: MetadataServer;

  const api = (method: 'PATCH' | 'GET' | 'POST', url: string, payload?: unknown) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload: payload as object } : {}) });
  const trusted = async () => ((await api('GET', `/api/v1/sso?clientID=${clientID}`)).json() as { idpMetadata: { certificates: { fingerprintSha256: string }[] } }[])[0]!.idpMetadata.certificates.map((c) => c.fingerprintSha256);
  const signsIn = async (idp: TestIdp) => Boolean(locationParams((await samlRound(gh, idp, { response_type: 'code', client_id: clientID, redirect_uri: APP_CALLBACK, state: 's' })).acs).get('code'));

  before(async () => {
    gh = (await startGatehouse())!;
    oldKey = await createTestIdp();
    newKey = await createTestIdp({ entityId: oldKey.entityId });
    clientID = (await createSamlConnection(gh.app, oldKey)).clientID;
    server = await startMetadataServer(metadataXmlWith(oldKey.entityId, [oldKey.certPem], IDP_SSO_URL));
  });
  after(async () => {
    await gh?.close();
    await server?.close();
  });

  test('add the next certificate beside the current one: both sign in', async () => {
    const res = await api('PATCH', '/api/v1/sso', { clientID, addIdpCertificate: newKey.certPem });
    assert.equal(res.statusCode, 204, res.body);
    assert.deepEqual(await trusted(), [fingerprintOf(oldKey), fingerprintOf(newKey)]);
    assert.equal(await signsIn(oldKey), true);
    assert.equal(await signsIn(newKey), true);
  });

  test('adding it again changes nothing; a certificate that does not parse is a 400', async () => {
    assert.equal((await api('PATCH', '/api/v1/sso', { clientID, addIdpCertificate: newKey.certPem })).statusCode, 204);
    assert.equal((await trusted()).length, 2);
    const bad = await api('PATCH', '/api/v1/sso', { clientID, addIdpCertificate: '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----' });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(bad.body, /addIdpCertificate/);
  });

  test('remove the old one once the IdP has switched: it is refused from then on', async () => {
    const res = await api('PATCH', '/api/v1/sso', { clientID, removeIdpCertificate: fingerprintOf(oldKey).replaceAll(':', '').toLowerCase() });
    assert.equal(res.statusCode, 204, res.body);
    assert.deepEqual(await trusted(), [fingerprintOf(newKey)]);
    assert.equal(await signsIn(oldKey), false);
    assert.equal(await signsIn(newKey), true);
  });

  test('the last certificate, or one not trusted, cannot be removed', async () => {
    const last = await api('PATCH', '/api/v1/sso', { clientID, removeIdpCertificate: fingerprintOf(newKey) });
    assert.equal(last.statusCode, 400, last.body);
    assert.match(last.body, /only certificate/);
    const unknown = await api('PATCH', '/api/v1/sso', { clientID, removeIdpCertificate: fingerprintOf(oldKey) });
    assert.equal(unknown.statusCode, 400, unknown.body);
    assert.deepEqual(await trusted(), [fingerprintOf(newKey)]);
  });

  test('through a setup link, the IT admin adds and removes certificates the same way', async () => {
    const link = await api('POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] });
    assert.equal(link.statusCode < 300, true, link.body);
    const token = new URL((link.json() as { data: { url: string } }).data.url).pathname.split('/').pop()!;
    const patch = (body: Record<string, unknown>) => gh.app.inject({ method: 'PATCH', url: `/api/setup/${token}/sso-connection`, payload: { clientID, ...body } });
    const added = await patch({ addIdpCertificate: oldKey.certPem });
    assert.equal(added.statusCode, 200, added.body);
    assert.deepEqual(await trusted(), [fingerprintOf(newKey), fingerprintOf(oldKey)]);
    assert.equal((await patch({ removeIdpCertificate: fingerprintOf(oldKey) })).statusCode, 200);
    assert.deepEqual(await trusted(), [fingerprintOf(newKey)]);
  });

  test('a connection made from a metadata URL takes its certificates from the URL only', async () => {
    const other = await createSamlConnection(gh.app, oldKey, { tenant: 'url.example', rawMetadata: undefined, metadataUrl: server.url });
    const res = await api('PATCH', '/api/v1/sso', { clientID: other.clientID, addIdpCertificate: newKey.certPem });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.body, /metadata URL/);
  });
});
