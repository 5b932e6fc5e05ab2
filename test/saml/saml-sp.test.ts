/** SP metadata, signed AuthnRequests over HTTP-Redirect, the HTTP-POST binding form, and stateless flows across instances. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, createVerify, X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { APP_CALLBACK, createSamlConnection, locationParams, postToAcs, startLogin } from '../support/saml-flow.ts';
import { buildSamlResponseBase64 } from '../support/saml-idp.ts';
import { parseRedirectBindingRequest } from '../../src/sso/saml/authn-request.ts';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

describe('SAML SP surface', () => {
  let gh: RunningGatehouse;
  let idp: TestIdp;
  before(async () => {
    gh = (await startGatehouse({ env: { SAML_SP_ENTITY_ID: 'https://sso.vendor.test/saml' } }))!;
    idp = await createTestIdp();
  });
  after(async () => gh.close());

  test('SP metadata: entity ID word for word, one HTTP-POST ACS at EXTERNAL_URL/api/oauth/saml, signing and encryption keys', async () => {
    const res = await gh.app.inject({ url: '/.well-known/sp-metadata' });
    assert.equal(res.statusCode, 200);
    const doc = new DOMParser().parseFromString(res.body, 'text/xml');
    const ed = doc.documentElement!;
    assert.equal(ed.getAttribute('entityID'), 'https://sso.vendor.test/saml');
    const acs = Array.from(doc.getElementsByTagNameNS(MD, 'AssertionConsumerService'));
    assert.equal(acs.length, 1);
    assert.equal(acs[0]!.getAttribute('Location'), `${gh.baseUrl}/api/oauth/saml`);
    assert.equal(acs[0]!.getAttribute('Binding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    const uses = Array.from(doc.getElementsByTagNameNS(MD, 'KeyDescriptor')).map((k) => k.getAttribute('use'));
    assert.ok(uses.includes('signing') && uses.includes('encryption'));
    const cer = await gh.app.inject({ url: '/.well-known/saml.cer' });
    assert.ok(new X509Certificate(cer.body).publicKey);
    const enc = await gh.app.inject({ url: '/.well-known/sp-metadata?encryption=true' });
    assert.match(enc.body, /use="encryption"/);
  });

  test('when the IdP wants signed requests, the Redirect carries SigAlg rsa-sha256 and a Signature that verifies with the SP cert', async () => {
    const conn = await createSamlConnection(gh.app, idp, { product: 'signed' }, { ssoUrl: 'https://idp.example.test/sso?tenant=1', wantAuthnRequestsSigned: true });
    const start = await startLogin(gh.app, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's' });
    assert.ok(start.location!.startsWith('https://idp.example.test/sso?tenant=1&SAMLRequest='));
    const r = parseRedirectBindingRequest(start.location!);
    assert.equal(r.sigAlg, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    const cert = (await gh.app.inject({ url: '/.well-known/saml.cer' })).body;
    const ok = createVerify('RSA-SHA256').update(r.signedOctets!).verify(createPublicKey(new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'pem' })), r.signature!);
    assert.equal(ok, true);
    const doc = new DOMParser().parseFromString(r.xml, 'text/xml').documentElement!;
    assert.equal(doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Issuer')[0]!.textContent, 'https://sso.vendor.test/saml');
    assert.equal(doc.getAttribute('AssertionConsumerServiceURL'), `${gh.baseUrl}/api/oauth/saml`);
    assert.equal(doc.getAttribute('ProtocolBinding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    assert.equal(doc.getAttribute('IsPassive'), null);
  });

  test('when the IdP does not ask, the Redirect is unsigned', async () => {
    const conn = await createSamlConnection(gh.app, idp, { product: 'unsigned' });
    const start = await startLogin(gh.app, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's' });
    const r = parseRedirectBindingRequest(start.location!);
    assert.equal(r.signature, null);
  });

  test('an IdP that offers only HTTP-POST gets an auto-submitting form that works without JavaScript', async () => {
    const conn = await createSamlConnection(gh.app, idp, { product: 'post' }, { ssoUrl: 'https://idp.example.test/post-sso', postOnly: true });
    const res = await gh.app.inject({ url: `/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's' })}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form[^>]+action="https:\/\/idp\.example\.test\/post-sso"/);
    assert.match(res.body, /name="SAMLRequest"/);
    assert.match(res.body, /name="RelayState"/);
    assert.match(res.body, /<noscript>[\s\S]*type="submit"/);
    assert.match(res.body, /<script src="\/assets\/autosubmit\.js"><\/script>/);
    assert.doesNotMatch(res.body, /<script>(?!<\/script>)/);
    assert.doesNotMatch(res.headers['content-security-policy'] as string, /form-action/);
    assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.equal((await gh.app.inject({ url: '/assets/autosubmit.js' })).statusCode, 200);
  });

  test('a login started on one instance completes on another sharing the database (no in-memory state)', async () => {
    const conn = await createSamlConnection(gh.app, idp, { product: 'multi' });
    const second = (await startGatehouse({ databaseUrl: gh.db.url, env: { SAML_SP_ENTITY_ID: 'https://sso.vendor.test/saml', ENCRYPTION_KEY: gh.ctx.config.encryptionKeys[0]!.toString('hex') } }))!;
    try {
      const start = await startLogin(gh.app, { response_type: 'code', client_id: conn.clientID, redirect_uri: APP_CALLBACK, state: 's', scope: 'openid' });
      const b64 = buildSamlResponseBase64({ idp, spEntityId: 'https://sso.vendor.test/saml', acsUrl: gh.ctx.config.acsUrl, inResponseTo: start.requestId, nameId: 'bob@acme.com' });
      const acs = await postToAcs(second.app, b64, start.relayState);
      const code = locationParams(acs).get('code');
      assert.ok(code, acs.body);
      const tok = await gh.app.inject({ method: 'POST', url: '/api/oauth/token', payload: new URLSearchParams({ grant_type: 'authorization_code', code: code!, client_id: conn.clientID, client_secret: conn.clientSecret, redirect_uri: APP_CALLBACK }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(tok.statusCode, 200, tok.body);
      const again = await second.app.inject({ method: 'POST', url: '/api/oauth/token', payload: new URLSearchParams({ grant_type: 'authorization_code', code: code!, client_id: conn.clientID, client_secret: conn.clientSecret }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(again.statusCode, 400);
      assert.equal(again.json().error, 'invalid_grant');
      const jwks1 = (await gh.app.inject({ url: '/oauth/jwks' })).json();
      const jwks2 = (await second.app.inject({ url: '/oauth/jwks' })).json();
      assert.deepEqual(jwks1, jwks2);
    } finally {
      await second.close();
    }
  });

  test('health answers 200', async () => {
    assert.equal((await gh.app.inject({ url: '/api/health' })).statusCode, 200);
    assert.equal((await gh.app.inject({ url: '/api/ready' })).statusCode, 200);
  });
});
