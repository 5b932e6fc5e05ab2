/**
 * The SDK against a real Gatehouse (SQLite, real HTTP): products and tenants (listed across pages), a tenant's
 * domains verified on a real DNS server, SAML connections from metadata XML and OIDC connections from a real
 * provider's discovery document, login links, and the API's refusals as typed errors with the catalog's codes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDnsServer, type TestDnsServer } from '../../../test/support/dns-server.ts';
import { createTestIdp } from '../../../test/support/saml-idp.ts';
import { startOidcIdp, type TestOidcIdp } from '../../../test/support/oidc-idp.ts';
import {
  Gatehouse, GatehouseApiError, GatehouseAuthenticationError, GatehouseConflictError, GatehouseConnectionError,
  GatehouseNotFoundError, GatehouseValidationError,
} from '../src/index.ts';
import { startSdkHarness, type SdkHarness } from './support.ts';

const CALLBACK = 'https://crm.example.test/callback';

describe('SDK: products, tenants, domains and connections', () => {
  let h: SdkHarness;
  let dns: TestDnsServer;
  let oidc: TestOidcIdp;
  before(async () => {
    dns = await startDnsServer();
    h = await startSdkHarness({ DNS_SERVERS: dns.address });
    oidc = await startOidcIdp({ redirectUris: [`${h.gh.baseUrl}/api/oauth/oidc`] });
  });
  after(async () => {
    await h?.close();
    await dns?.close();
    await oidc?.close();
  });

  test('products: create, read, update, list across pages, delete', async () => {
    const { products } = h.gatehouse;
    const crm = await products.create({ product: 'crm', name: 'CRM', defaultRedirectUrl: CALLBACK });
    assert.equal(crm.product, 'crm');
    assert.equal(crm.defaultRedirectUrl, CALLBACK);
    for (const p of ['billing', 'wiki', 'chat']) await products.create({ product: p });
    const updated = await products.update('crm', { initiateLoginUri: 'https://crm.example.test/login' });
    assert.equal(updated.initiateLoginUri, 'https://crm.example.test/login');
    assert.equal((await products.get('crm')).name, 'CRM');

    const pages = [];
    for await (const page of products.list({ limit: 3 }).pages()) pages.push(page.items.map((p) => p.product));
    assert.equal(pages.length, 2, 'four products in pages of three');
    assert.deepEqual(pages.flat().sort(), ['billing', 'chat', 'crm', 'wiki']);
    assert.deepEqual((await products.list({ limit: 1 }).toArray()).map((p) => p.product).sort(), ['billing', 'chat', 'crm', 'wiki']);

    await products.delete('chat');
    await assert.rejects(products.get('chat'), (e: unknown) => e instanceof GatehouseNotFoundError && e.code === 'API_NOT_FOUND' && e.status === 404 && e.field === 'product');
  });

  test('tenants: create with an enterprise key, list with for await across pages, update, delete', async () => {
    const { tenants } = h.gatehouse;
    const acme = await tenants.create({ tenant: 'acme.com', name: 'Acme', enterpriseKey: 'acme' });
    assert.equal(acme.enterpriseKey, 'acme');
    await tenants.create({ tenant: 'globex.com' });
    await tenants.create({ tenant: 'initech.com' });
    const seen: string[] = [];
    for await (const t of tenants.list({ limit: 2 })) seen.push(t.tenant);
    assert.deepEqual(seen.sort(), ['acme.com', 'globex.com', 'initech.com']);
    assert.equal((await tenants.update('globex.com', { name: 'Globex' })).name, 'Globex');
    await tenants.delete('initech.com');
    await assert.rejects(tenants.get('initech.com'), GatehouseNotFoundError);
    const taken = await tenants.create({ tenant: 'acme.com' }).catch((e: unknown) => e);
    assert.ok(taken instanceof GatehouseConflictError);
    assert.equal(taken.code, 'API_CONFLICT');
    assert.equal(taken.field, 'tenant');
  });

  test('domains: add, verify on a real DNS server once the TXT record is there, list, remove', async () => {
    const { domains } = h.gatehouse.tenants;
    const added = await domains.add('acme.com', 'Acme.COM');
    assert.equal(added.domain, 'acme.com');
    assert.equal(added.verified, false);
    assert.equal(added.txtRecord.type, 'TXT');

    const early = await domains.verify('acme.com', 'acme.com').catch((e: unknown) => e);
    assert.ok(early instanceof GatehouseValidationError, `a missing TXT record is a validation error, got ${String(early)}`);
    assert.equal(early.code, 'API_VALIDATION');
    assert.equal(early.field, 'domain');
    assert.match(early.detail, /No TXT record/);

    dns.txt.set('acme.com', [added.txtRecord.value]);
    const verified = await domains.verify('acme.com', 'acme.com');
    assert.equal(verified.verified, true);
    assert.deepEqual((await domains.list('acme.com')).map((d) => [d.domain, d.verified]), [['acme.com', true]]);

    const consumer = await domains.add('acme.com', 'gmail.com').catch((e: unknown) => e);
    assert.ok(consumer instanceof GatehouseValidationError && consumer.field === 'domain');
    await domains.add('acme.com', 'acme.net');
    await domains.remove('acme.com', 'acme.net');
    assert.deepEqual((await domains.list('acme.com')).map((d) => d.domain), ['acme.com']);
  });

  test('a SAML connection from the IdP\'s metadata XML: created, listed, read, updated, linked, deleted', async () => {
    const { connections } = h.gatehouse;
    const idp = await createTestIdp({ entityId: 'http://www.okta.com/sdk-acme' });
    const conn = await connections.create({
      tenant: 'acme.com', product: 'crm', name: 'Acme Okta', defaultRedirectUrl: CALLBACK, redirectUrl: [CALLBACK],
      rawMetadata: idp.metadataXml({ ssoUrl: 'https://idp.example.test/sso' }),
    });
    assert.equal(conn.type, 'saml');
    assert.ok(conn.clientID && conn.clientSecret, 'the create answer has the app\'s client ID and secret');
    assert.equal(conn.idpMetadata?.entityID, 'http://www.okta.com/sdk-acme');

    const listed = await connections.list({ tenant: 'acme.com', product: 'crm' });
    assert.deepEqual(listed.map((c) => c.clientID), [conn.clientID]);
    assert.equal((await connections.get(conn.clientID))?.name, 'Acme Okta');
    assert.equal(await connections.get('no-such-client'), null);

    await connections.update({ clientID: conn.clientID, name: 'Acme Okta (prod)' });
    assert.equal((await connections.get(conn.clientID))?.name, 'Acme Okta (prod)');

    const links = await connections.loginLinks({ tenant: 'acme.com', product: 'crm' });
    assert.equal(links.oneClickUrl, `${h.gh.baseUrl}/login/sso?enterprise_key=acme&product=crm`);
    assert.ok(links.inviteUrl.startsWith(h.gh.baseUrl));

    const bad = await connections.create({ tenant: 'acme.com', product: 'crm', defaultRedirectUrl: CALLBACK, redirectUrl: [CALLBACK], rawMetadata: '<not-metadata/>' }).catch((e: unknown) => e);
    assert.ok(bad instanceof GatehouseValidationError, String(bad));
    assert.equal(bad.code, 'SAML_METADATA_INVALID');
    assert.equal(bad.status, 400);

    await connections.delete({ clientID: conn.clientID, clientSecret: conn.clientSecret! });
    assert.equal(await connections.get(conn.clientID), null);
  });

  test('an OIDC connection from a real provider\'s discovery URL; its client secret is never echoed', async () => {
    const { connections } = h.gatehouse;
    const conn = await connections.create({
      tenant: 'globex.com', product: 'crm', name: 'Globex OIDC', defaultRedirectUrl: CALLBACK, redirectUrl: [CALLBACK],
      oidcDiscoveryUrl: oidc.issuer, oidcClientId: oidc.clientId, oidcClientSecret: oidc.clientSecret,
    });
    assert.equal(conn.type, 'oidc');
    assert.equal(conn.oidcProvider?.clientId, oidc.clientId);
    assert.equal(conn.oidcProvider?.clientSecretSet, true);
    const [listed] = await connections.list({ tenant: 'globex.com', product: 'crm' });
    assert.equal(listed?.clientID, conn.clientID);
    assert.ok(!JSON.stringify(listed).includes(oidc.clientSecret), 'the upstream client secret is not in any answer');
    await connections.delete({ tenant: 'globex.com', product: 'crm' });
    assert.deepEqual(await connections.list({ tenant: 'globex.com', product: 'crm' }), []);
  });

  test('refusals are typed errors with the API\'s code, status, field and problem JSON', async () => {
    const missing = await h.gatehouse.connections.list({ tenant: 'acme.com', product: '' }).catch((e: unknown) => e);
    assert.ok(missing instanceof GatehouseValidationError);
    assert.equal(missing.code, 'API_VALIDATION');
    assert.equal(missing.field, 'product');
    assert.equal(missing.problem?.status, 400);
    assert.equal(missing.request, 'GET /api/v1/sso');

    const wrongKey = new Gatehouse({ url: h.gh.baseUrl, apiKey: 'not-a-key-0123456789' });
    const refused = await wrongKey.tenants.get('acme.com').catch((e: unknown) => e);
    assert.ok(refused instanceof GatehouseAuthenticationError && refused instanceof GatehouseApiError);
    assert.equal(refused.status, 401);
    assert.equal(refused.code, 'API_UNAUTHORIZED');

    const noDirectory = await h.gatehouse.directories.get('dir_nope').catch((e: unknown) => e);
    assert.ok(noDirectory instanceof GatehouseNotFoundError);
    assert.equal(noDirectory.code, 'DSYNC_DIRECTORY_NOT_FOUND');
    assert.match(noDirectory.message, /GET \/api\/v1\/dsync\/dir_nope: 404 DSYNC_DIRECTORY_NOT_FOUND/);

    const down = new Gatehouse({ url: 'http://127.0.0.1:9', apiKey: 'k' });
    await assert.rejects(down.products.get('crm'), GatehouseConnectionError);
  });
});
