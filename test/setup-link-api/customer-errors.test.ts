/**
 * The customer's IT admin reads the setup-link API's refusals in their own words: no environment variable, no
 * raw field name in the sentence, no XML parser output. The vendor's management API keeps the technical detail.
 * A metadata URL that answers a web page (a real HTTP server) says so. The `google` directory type is refused by
 * name on every surface (management API, portal, setup link).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';
import { startWithOwnerAndViewer } from '../admin-api/support.ts';
import { hasJargon } from '../../src/http/customer-errors.ts';

const RAW_FIELDS = /"?(rawMetadata|encodedRawMetadata|metadataUrl|oidcDiscoveryUrl|oidcMetadata|oidcClientId|webhook_url)"?/;

describe('setup-link errors in the customer\'s words', () => {
  let gh: RunningGatehouse;
  let page: http.Server;
  let pageUrl: string;
  let ssoToken: string;
  let dsyncToken: string;
  const api = (method: 'GET' | 'POST', url: string, payload?: object) => gh.app.inject({ method, url, headers: { authorization: `Api-Key ${API_KEY}` }, ...(payload ? { payload } : {}) });
  const createConnection = (payload: object) => gh.app.inject({ method: 'POST', url: `/api/setup/${ssoToken}/sso-connection`, payload });

  before(async () => {
    // Only the page server's host is allowed, so 10.0.0.1 and plain HTTP elsewhere meet the real guard.
    gh = (await startGatehouse({ env: { OUTBOUND_ALLOW_HOSTS: 'localhost' } }))!;
    page = http.createServer((req, res) => {
      if (req.url === '/missing') return res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html>\n<html lang="en"><head><title>Sign in</title></head><body><form>Sign in to Acme</form></body></html>');
    }).listen(0, '127.0.0.1');
    await new Promise((r) => page.once('listening', r));
    pageUrl = `http://localhost:${(page.address() as AddressInfo).port}`;
    ssoToken = (await api('POST', '/api/v1/sso/setuplinks', { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: 'https://crm.example.test/cb' })).json().data.url.split('/setup/')[1];
    dsyncToken = (await api('POST', '/api/v1/dsync/setuplinks', { tenant: 'acme.com', product: 'crm' })).json().data.url.split('/setup/')[1];
  });
  after(async () => {
    page.close();
    await gh.close();
  });

  const cases: { name: string; body: () => object; code: string; field: string; detail: RegExp }[] = [
    { name: 'plain http', body: () => ({ metadataUrl: 'http://idp.example.com/metadata' }), code: 'OUTBOUND_URL_REFUSED', field: 'metadataUrl', detail: /^The metadata URL must start with https:\/\/\.$/ },
    { name: 'not a URL', body: () => ({ metadataUrl: 'idp.example.com/metadata' }), code: 'OUTBOUND_URL_REFUSED', field: 'metadataUrl', detail: /^The metadata URL must be a full web address starting with https:\/\/\.$/ },
    { name: 'a private address', body: () => ({ metadataUrl: 'https://10.0.0.1/metadata' }), code: 'OUTBOUND_URL_REFUSED', field: 'metadataUrl', detail: /^The metadata URL points to a private network address/ },
    { name: 'an unknown host', body: () => ({ metadataUrl: 'https://idp.does-not-exist.invalid/metadata' }), code: 'OUTBOUND_FETCH_FAILED', field: 'metadataUrl', detail: /names a host that does not exist/ },
    { name: 'a URL that answers a web page', body: () => ({ metadataUrl: `${pageUrl}/app/sso/saml` }), code: 'SAML_METADATA_INVALID', field: 'metadataUrl', detail: /^This URL returned a web page, not SAML metadata\./ },
    { name: 'a URL that answers 404', body: () => ({ metadataUrl: `${pageUrl}/missing` }), code: 'OUTBOUND_FETCH_FAILED', field: 'metadataUrl', detail: /^The metadata URL answered with an error \(HTTP 404\)/ },
    { name: 'pasted HTML', body: () => ({ rawMetadata: '<html><body>Okta</body></html>' }), code: 'SAML_METADATA_INVALID', field: 'rawMetadata', detail: /^This is a web page \(HTML\), not SAML metadata\./ },
    { name: 'XML cut short', body: () => ({ rawMetadata: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor>' }), code: 'SAML_METADATA_INVALID', field: 'rawMetadata', detail: /^The metadata is not valid XML\. Check that you copied the whole file/ },
    { name: 'XML that is not metadata', body: () => ({ rawMetadata: '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>' }), code: 'SAML_METADATA_INVALID', field: 'rawMetadata', detail: /^This is not SAML metadata\./ },
    { name: 'metadata without a signing certificate', body: () => ({ rawMetadata: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.x"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.x/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>' }), code: 'SAML_METADATA_INVALID', field: 'rawMetadata', detail: /^The metadata has no signing certificate\./ },
    { name: 'a discovery URL that answers a web page', body: () => ({ oidcDiscoveryUrl: `${pageUrl}/.well-known/openid-configuration`, oidcClientId: 'app', oidcClientSecret: 'secret' }), code: 'OIDC_DISCOVERY_FAILED', field: 'oidcDiscoveryUrl', detail: /^The discovery URL did not return an OpenID Connect discovery document\./ },
    { name: 'OIDC details without endpoints', body: () => ({ oidcMetadata: { issuer: 'https://login.acme.test' }, oidcClientId: 'app', oidcClientSecret: 'secret' }), code: 'OIDC_DISCOVERY_FAILED', field: 'oidcMetadata', detail: /^The discovery document is incomplete: it has no authorization_endpoint\./ },
    { name: 'nothing given', body: () => ({}), code: 'API_VALIDATION', field: 'rawMetadata', detail: /^Give your identity provider's SAML metadata/ },
  ];
  for (const c of cases) {
    test(`SSO link, ${c.name}: ${c.code} naming the field for the form, a sentence without jargon`, async () => {
      const r = await createConnection(c.body());
      assert.equal(r.statusCode, 400, r.body);
      const p = r.json();
      assert.equal(p.code, c.code);
      assert.equal(p.field, c.field, 'the form still learns which input to mark');
      assert.match(p.detail, c.detail);
      for (const text of [p.title, p.detail, p.error.message]) {
        assert.ok(!hasJargon(text), `jargon in ${JSON.stringify(text)}`);
        assert.doesNotMatch(text, RAW_FIELDS);
        assert.doesNotMatch(text, /OUTBOUND_ALLOW_HOSTS|Reporting|fatalError|namespace/);
      }
    });
  }

  test('the vendor\'s management API keeps the technical detail for the same refusals', async () => {
    const base = { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: 'https://crm.example.test/cb', redirectUrl: ['https://crm.example.test/cb'] };
    const http1 = (await api('POST', '/api/v1/sso', { ...base, metadataUrl: 'http://idp.example.com/metadata' })).json();
    assert.match(http1.detail, /"metadataUrl" must use https:\/\/ \(plain HTTP only for hosts in OUTBOUND_ALLOW_HOSTS\)/);
    const cut = (await api('POST', '/api/v1/sso', { ...base, rawMetadata: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><a></md:EntityDescriptor>' })).json();
    assert.match(cut.detail, /not well-formed XML \(.+\)/, 'the parser\'s cause, for the developer');
  });

  test('Directory Sync link: "google" is refused by name, other unknown types list the choices in plain words', async () => {
    const g = await gh.app.inject({ method: 'POST', url: `/api/setup/${dsyncToken}/directory-sync`, payload: { type: 'google' } });
    assert.equal(g.statusCode, 400);
    assert.equal(g.json().field, 'type');
    assert.match(g.json().detail, /^Google Workspace directories are not supported yet\./);
    const bogus = (await gh.app.inject({ method: 'POST', url: `/api/setup/${dsyncToken}/directory-sync`, payload: { type: 'bogus' } })).json();
    assert.match(bogus.detail, /^The identity provider must be one of generic-scim-v2, okta-scim-v2/);
    assert.ok(!hasJargon(bogus.detail) && !hasJargon(g.json().detail));
    assert.equal((await gh.app.inject({ method: 'POST', url: `/api/setup/${dsyncToken}/directory-sync`, payload: { type: 'okta-scim-v2' } })).statusCode, 201);
  });

  test('management API: "google" → 400 naming the type, on create and on update; nothing stored', async () => {
    const r = await api('POST', '/api/v1/dsync', { tenant: 'g.com', product: 'crm', type: 'google' });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().field, 'type');
    assert.match(r.json().detail, /"type" is "google": Google Workspace directories are not supported yet/);
    assert.equal((await api('GET', '/api/v1/dsync?tenant=g.com&product=crm')).json().data.length, 0);
    const made = (await api('POST', '/api/v1/dsync', { tenant: 'g.com', product: 'crm' })).json().data;
    const patch = await gh.app.inject({ method: 'PATCH', url: `/api/v1/dsync/${made.id}`, headers: { authorization: `Api-Key ${API_KEY}` }, payload: { type: 'google' } });
    assert.equal(patch.statusCode, 400);
    assert.match(patch.json().detail, /Google Workspace/);
  });
});

test('portal: a directory of type "google" is refused by name', async () => {
  const { gh, owner } = await startWithOwnerAndViewer();
  try {
    const r = await owner.req('POST', '/api/admin/directories', { tenant: 'acme.com', product: 'crm', type: 'google' });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().field, 'type');
    assert.match(r.json().detail, /Google Workspace directories are not supported yet/);
  } finally {
    await gh.close();
  }
});
