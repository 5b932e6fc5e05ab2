/**
 * The management API for SSO connections (Jackson v1 shapes): create from each metadata source,
 * list, update, delete, and the 400s that name the field without storing anything.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { APP_CALLBACK, IDP_SSO_URL } from '../support/saml-flow.ts';

describe('management API: /api/v1/sso', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  let metadataServer: Server;
  let metadataUrl: string;
  before(async () => {
    gh = (await startGatehouse())!;
    idp = await createTestIdp({ entityId: 'https://idp.acme.test/metadata' });
    metadataServer = createServer((req, res) => {
      if (req.url === '/metadata.xml') res.writeHead(200, { 'content-type': 'application/xml' }).end(idp.metadataXml({ ssoUrl: IDP_SSO_URL }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => metadataServer.listen(0, '127.0.0.1', r));
    metadataUrl = `http://127.0.0.1:${(metadataServer.address() as { port: number }).port}/metadata.xml`;
  });
  after(async () => {
    metadataServer.close();
    await gh.close();
  });

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, form = false) =>
    gh.app.inject({
      method, url,
      headers: { authorization: `Api-Key ${API_KEY}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(payload !== undefined ? { payload: form ? new URLSearchParams(payload as Record<string, string>).toString() : (payload as object) } : {}),
    });
  const base = { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], name: 'Acme', description: 'Okta' };
  const count = async () => (await api('GET', '/api/v1/sso?tenant=acme.com&product=crm')).json().length as number;

  test('create from rawMetadata returns the connection with clientID and clientSecret (Jackson shape)', async () => {
    const res = await api('POST', '/api/v1/sso', { ...base, rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) });
    assert.equal(res.statusCode, 200, res.body); // Jackson's status (was 201 before issue 13)
    const c = res.json();
    assert.match(c.clientID, /^[0-9a-f]{40}$/);
    assert.ok(c.clientSecret.length >= 40);
    assert.equal(c.tenant, 'acme.com');
    assert.equal(c.idpMetadata.entityID, 'https://idp.acme.test/metadata');
    assert.equal(c.idpMetadata.sso.redirectUrl, IDP_SSO_URL);
    assert.deepEqual(c.redirectUrl, [APP_CALLBACK]);
  });

  test('posting the same IdP for the same tenant+product updates it and keeps the secret', async () => {
    const a = (await api('GET', '/api/v1/sso?tenant=acme.com&product=crm')).json()[0];
    const res = await api('POST', '/api/v1/sso', { ...base, name: 'Renamed', encodedRawMetadata: Buffer.from(idp.metadataXml({ ssoUrl: IDP_SSO_URL })).toString('base64') });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().clientID, a.clientID);
    assert.equal(res.json().clientSecret, a.clientSecret);
    assert.equal(res.json().name, 'Renamed');
    assert.equal(await count(), 1);
  });

  test('the same IdP entity ID for another tenant of the same product is a distinct connection', async () => {
    const res = await api('POST', '/api/v1/sso', { ...base, tenant: 'globex.com', metadataUrl });
    assert.equal(res.statusCode, 200, res.body); // Jackson's status (was 201 before issue 13)
    const mine = (await api('GET', '/api/v1/sso?tenant=acme.com&product=crm')).json();
    assert.notEqual(res.json().clientID, mine[0].clientID);
    assert.equal(res.json().metadataUrl, metadataUrl);
  });

  test('form-encoded bodies with redirectUrl as a JSON-array string work', async () => {
    const res = await api('POST', '/api/v1/sso', { ...base, product: 'billing', redirectUrl: JSON.stringify([APP_CALLBACK, 'https://app.example.test/cb2']), rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) }, true);
    assert.equal(res.statusCode, 200, res.body); // Jackson's status (was 201 before issue 13)
    assert.deepEqual(res.json().redirectUrl, [APP_CALLBACK, 'https://app.example.test/cb2']);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['bad XML', { rawMetadata: '<EntityDescriptor' }, 'rawMetadata'],
    ['metadata without a signing certificate', { rawMetadata: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.test/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>' }, 'rawMetadata'],
    ['metadata without an SSO URL', { rawMetadata: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"></md:IDPSSODescriptor></md:EntityDescriptor>' }, 'rawMetadata'],
    ['a plain-HTTP metadata URL', { metadataUrl: 'http://idp.example.com/metadata' }, 'metadataUrl'],
    ['a private-network metadata URL', { metadataUrl: 'https://10.1.2.3/metadata' }, 'metadataUrl'],
    ['a link-local metadata URL', { metadataUrl: 'https://169.254.169.254/latest/meta-data' }, 'metadataUrl'],
    ['no metadata at all', {}, 'rawMetadata'],
    ['a missing tenant', { tenant: '', rawMetadata: 'x' }, 'tenant'],
    ['a relative redirect URL', { redirectUrl: ['/callback'], rawMetadata: 'x' }, 'redirectUrl'],
  ];
  for (const [name, over, field] of bad) {
    test(`${name} → 400 naming "${field}", nothing stored`, async () => {
      const before = await count();
      const res = await api('POST', '/api/v1/sso', { ...base, ...over });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
      const body = res.json();
      assert.equal(body.field, field);
      assert.ok(body.detail.length > 10);
      assert.equal(body.error.message, body.detail);
      assert.equal(await count(), before);
    });
  }

  test('list by clientID, update with PATCH, delete', async () => {
    const [c] = (await api('GET', '/api/v1/sso?tenant=acme.com&product=crm')).json();
    const byId = await api('GET', `/api/v1/sso?clientID=${c.clientID}`);
    assert.equal(byId.json()[0].clientID, c.clientID);
    const upd = await api('PATCH', '/api/v1/sso', { clientID: c.clientID, clientSecret: c.clientSecret, name: 'New name', redirectUrl: '["https://app.example.test/new"]', defaultRedirectUrl: 'https://app.example.test/new', allowSha1: true });
    assert.equal(upd.statusCode, 204, upd.body); // Jackson answers 204 with no body (was 200 with the connection before issue 13)
    const updated = (await api('GET', `/api/v1/sso?clientID=${c.clientID}`)).json()[0];
    assert.equal(updated.name, 'New name');
    assert.equal(updated.allowSha1, true);
    assert.deepEqual(updated.redirectUrl, ['https://app.example.test/new']);
    const wrongSecret = await api('PATCH', '/api/v1/sso', { clientID: c.clientID, clientSecret: 'nope', name: 'x' });
    assert.equal(wrongSecret.statusCode, 400);
    const moveTenant = await api('PATCH', '/api/v1/sso', { clientID: c.clientID, tenant: 'evil.com' });
    assert.equal(moveTenant.statusCode, 400);
    const del = await api('DELETE', `/api/v1/sso?clientID=${c.clientID}&clientSecret=${encodeURIComponent(c.clientSecret)}`);
    assert.equal(del.statusCode, 204);
    assert.equal((await api('GET', `/api/v1/sso?clientID=${c.clientID}`)).json().length, 0);
    assert.equal((await api('DELETE', `/api/v1/sso?clientID=${c.clientID}`)).statusCode, 404);
  });

  test('client secrets are stored encrypted, never in plaintext', async () => {
    const res = await api('POST', '/api/v1/sso', { ...base, tenant: 'initech.com', rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) });
    const secret = res.json().clientSecret as string;
    const row = await gh.ctx.db.selectFrom('connections').selectAll().where('id', '=', res.json().clientID).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(secret));
    assert.match(row.client_secret_enc, /^v1\./);
  });
});

describe('audit log of management API changes', () => {
  test('create, update and delete of a connection are recorded with actor, IP and no secrets', async () => {
    const gh = (await startGatehouse())!;
    try {
      const idp = await createTestIdp();
      const api = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
      const c = (await api('POST', '/api/v1/sso', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK], rawMetadata: idp.metadataXml({ ssoUrl: IDP_SSO_URL }) })).json();
      await api('PATCH', '/api/v1/sso', { clientID: c.clientID, name: 'Renamed' });
      await api('DELETE', `/api/v1/sso?clientID=${c.clientID}`);
      const rows = await gh.ctx.db.selectFrom('audit_events').selectAll().orderBy('at').orderBy('id').execute();
      assert.deepEqual(rows.map((r) => r.action), ['sso.connection.created', 'sso.connection.updated', 'sso.connection.deleted']);
      for (const r of rows) {
        assert.equal(r.actor_type, 'api_key');
        assert.equal(r.target_id, c.clientID);
        assert.equal(r.tenant, 'acme.com');
        assert.ok(r.ip);
        assert.ok(!r.summary.includes(c.clientSecret), 'no client secret in the audit log');
        assert.ok(!r.actor_id.includes(API_KEY), 'no API key in the audit log');
      }
      assert.equal(JSON.parse(rows[1]!.summary).before.name, '');
      assert.equal(JSON.parse(rows[1]!.summary).after.name, 'Renamed');
    } finally {
      await gh.close();
    }
  });
});
