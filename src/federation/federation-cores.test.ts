/** The pure cores of Identity Federation: reading an app's AuthnRequest, and the attributes an app receives. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { GatehouseError } from '../errors.ts';
import { buildAuthnRequestXml, redirectBindingUrl } from '../sso/saml/authn-request.ts';
import { readAppAuthnRequest } from './authn-request.ts';
import { attributesFor } from './finish.ts';

const request = (over: Partial<Parameters<typeof buildAuthnRequestXml>[0]> = {}) =>
  buildAuthnRequestXml({ id: '_abc123', issueInstant: Date.UTC(2026, 0, 1), spEntityId: 'https://app.example.test/sp', acsUrl: 'https://app.example.test/acs', destination: 'https://gh.example.test/api/identity-federation/sso', ...over });
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as GatehouseError).code;
  }
  return 'no error';
};

describe('readAppAuthnRequest', () => {
  test('HTTP-Redirect: ID, Issuer, ACS URL, binding and RelayState', () => {
    const r = readAppAuthnRequest({ binding: 'redirect', url: redirectBindingUrl('https://gh.example.test/api/identity-federation/sso', request(), 'state 1') });
    assert.deepEqual(r, { id: '_abc123', issuer: 'https://app.example.test/sp', acsUrl: 'https://app.example.test/acs', protocolBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', relayState: 'state 1' });
  });

  test('HTTP-POST: plain base64, or DEFLATEd as node-saml sends it', () => {
    const plain = readAppAuthnRequest({ binding: 'post', samlRequest: Buffer.from(request()).toString('base64'), relayState: 'r' });
    const deflated = readAppAuthnRequest({ binding: 'post', samlRequest: deflateRawSync(Buffer.from(request())).toString('base64'), relayState: '' });
    assert.equal(plain.issuer, 'https://app.example.test/sp');
    assert.equal(plain.relayState, 'r');
    assert.equal(deflated.id, '_abc123');
    assert.equal(deflated.relayState, null);
  });

  test('what is not an AuthnRequest is FEDERATION_REQUEST_INVALID', () => {
    const post = (xml: string, relayState: unknown = null) => () => readAppAuthnRequest({ binding: 'post', samlRequest: Buffer.from(xml).toString('base64'), relayState });
    assert.equal(code(post('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x"/>')), 'FEDERATION_REQUEST_INVALID');
    assert.equal(code(post(request().replace(/<saml:Issuer>[^<]*<\/saml:Issuer>/, ''))), 'FEDERATION_REQUEST_INVALID', 'no Issuer');
    assert.equal(code(post(request().replace('ID="_abc123"', 'ID="1bad"'))), 'FEDERATION_REQUEST_INVALID', 'not an xs:ID');
    assert.equal(code(post(`<!DOCTYPE x [<!ENTITY e "e">]>${request()}`)), 'FEDERATION_REQUEST_INVALID', 'DTD');
    assert.equal(code(post(request(), 'x'.repeat(1025))), 'FEDERATION_REQUEST_INVALID', 'RelayState too long');
    assert.equal(code(() => readAppAuthnRequest({ binding: 'post', samlRequest: 'not base64!', relayState: null })), 'FEDERATION_REQUEST_INVALID');
    assert.equal(code(() => readAppAuthnRequest({ binding: 'post', samlRequest: Buffer.from('garbage').toString('base64'), relayState: null })), 'FEDERATION_REQUEST_INVALID');
    assert.equal(code(() => readAppAuthnRequest({ binding: 'redirect', url: '/api/identity-federation/sso' })), 'FEDERATION_REQUEST_INVALID', 'no SAMLRequest');
  });
});

describe('attributesFor', () => {
  const profile = { id: 'nameid-1', email: 'a@acme.com', firstName: 'Ann', lastName: null, groups: ['g1', 'g2'], roles: [], raw: { email: 'a@acme.com', dept: 'R&D', uid: ['u1'] } };

  test('the normalised profile first, then the IdP attributes as sent; empty ones are left out', () => {
    assert.deepEqual([...attributesFor(profile, [])], [['id', ['nameid-1']], ['email', ['a@acme.com']], ['firstName', ['Ann']], ['groups', ['g1', 'g2']], ['dept', ['R&D']], ['uid', ['u1']]]);
  });

  test('mappings rename an IdP attribute (value → key), as Jackson does', () => {
    const out = attributesFor(profile, [{ key: 'department', value: 'dept' }, { key: 'username', value: 'uid' }]);
    assert.deepEqual(out.get('department'), ['R&D']);
    assert.deepEqual(out.get('username'), ['u1']);
    assert.equal(out.has('dept'), false);
    assert.equal(out.has('uid'), false);
  });
});
