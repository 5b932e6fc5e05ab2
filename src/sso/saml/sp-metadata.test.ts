import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { buildSpMetadataXml, type SpMetadataInput } from './sp-metadata.ts';
import { GatehouseError } from '../../errors.ts';
import { sharedVectors } from '../../../test/support/shared-vectors.ts';

const NS_MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const NS_DS = 'http://www.w3.org/2000/09/xmldsig#';

const VECTORS = sharedVectors('saml', 'the SP metadata tests (src/sso/saml/sp-metadata.test.ts), which use real IdP certificates');

/** Real certificates from the shared vectors, as PEM. */
function pemFromVector(path: string): string {
  if (VECTORS.skip) return '';
  const xml = readFileSync(new URL(path, VECTORS.url), 'utf8');
  const body = /<ds:X509Certificate>([^<]+)</.exec(xml)![1]!.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}
const SIGNING_PEM = pemFromVector('ssoready/okta/metadata.xml');
const ENCRYPTION_PEM = pemFromVector('ssoready/keycloak/metadata.xml');
const bodyOf = (pem: string): string => new X509Certificate(pem).raw.toString('base64');

const input: SpMetadataInput = {
  entityId: 'https://gatehouse.example.com/saml?x=1&y=2',
  acsUrl: 'https://gatehouse.example.com/api/oauth/saml',
  signingCertPem: SIGNING_PEM,
};

function parse(xml: string): Element {
  const doc = new DOMParser({ onError: (level, msg) => { throw new Error(`${level}: ${msg}`); } }).parseFromString(xml, 'application/xml');
  return doc.documentElement!;
}

const children = (el: Element, ns: string, name: string): Element[] => {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name) out.push(n as Element);
  }
  return out;
};
const only = (el: Element, ns: string, name: string): Element => {
  const found = children(el, ns, name);
  assert.equal(found.length, 1, `exactly one ${name}`);
  return found[0]!;
};
const certificateIn = (kd: Element): string =>
  only(only(only(kd, NS_DS, 'KeyInfo'), NS_DS, 'X509Data'), NS_DS, 'X509Certificate').textContent!;

describe('buildSpMetadataXml', { skip: VECTORS.skip }, () => {
  test('EntityDescriptor with the entity ID word for word', () => {
    const root = parse(buildSpMetadataXml(input));
    assert.equal(root.namespaceURI, NS_MD);
    assert.equal(root.localName, 'EntityDescriptor');
    assert.equal(root.getAttribute('entityID'), input.entityId);
    assert.equal(root.hasAttribute('validUntil'), false);
    const odd = ` urn:sp "quoted" <a> & 'b'\t`;
    assert.equal(parse(buildSpMetadataXml({ ...input, entityId: odd })).getAttribute('entityID'), odd);
  });

  test('one SAML 2.0 SPSSODescriptor, signed requests and assertions by default', () => {
    const sp = only(parse(buildSpMetadataXml(input)), NS_MD, 'SPSSODescriptor');
    assert.equal(sp.getAttribute('protocolSupportEnumeration'), 'urn:oasis:names:tc:SAML:2.0:protocol');
    assert.equal(sp.getAttribute('AuthnRequestsSigned'), 'true');
    assert.equal(sp.getAttribute('WantAssertionsSigned'), 'true');
    const off = only(parse(buildSpMetadataXml({ ...input, authnRequestsSigned: false, wantAssertionsSigned: false })), NS_MD, 'SPSSODescriptor');
    assert.equal(off.getAttribute('AuthnRequestsSigned'), 'false');
    assert.equal(off.getAttribute('WantAssertionsSigned'), 'false');
  });

  test('a signing KeyDescriptor with the certificate, and no encryption key unless given', () => {
    const sp = only(parse(buildSpMetadataXml(input)), NS_MD, 'SPSSODescriptor');
    const kd = only(sp, NS_MD, 'KeyDescriptor');
    assert.equal(kd.getAttribute('use'), 'signing');
    assert.equal(certificateIn(kd), bodyOf(SIGNING_PEM));
    assert.doesNotThrow(() => new X509Certificate(Buffer.from(certificateIn(kd), 'base64')));
  });

  test('an encryption KeyDescriptor when an encryption certificate is given', () => {
    const sp = only(parse(buildSpMetadataXml({ ...input, encryptionCertPem: ENCRYPTION_PEM })), NS_MD, 'SPSSODescriptor');
    const kds = children(sp, NS_MD, 'KeyDescriptor');
    assert.deepEqual(kds.map((k) => k.getAttribute('use')), ['signing', 'encryption']);
    assert.equal(certificateIn(kds[0]!), bodyOf(SIGNING_PEM));
    assert.equal(certificateIn(kds[1]!), bodyOf(ENCRYPTION_PEM));
    const methods = children(kds[1]!, NS_MD, 'EncryptionMethod').map((m) => m.getAttribute('Algorithm'));
    for (const alg of ['aes128-cbc', 'aes256-cbc', 'aes128-gcm', 'aes256-gcm', 'rsa-oaep-mgf1p']) {
      assert.ok(methods.some((m) => m?.endsWith(`#${alg}`)), alg);
    }
  });

  test('NameIDFormat emailAddress and unspecified', () => {
    const sp = only(parse(buildSpMetadataXml(input)), NS_MD, 'SPSSODescriptor');
    assert.deepEqual(children(sp, NS_MD, 'NameIDFormat').map((n) => n.textContent), [
      'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    ]);
  });

  test('exactly one HTTP-POST AssertionConsumerService at the ACS URL, index 0, default', () => {
    const sp = only(parse(buildSpMetadataXml(input)), NS_MD, 'SPSSODescriptor');
    const acs = only(sp, NS_MD, 'AssertionConsumerService');
    assert.equal(acs.getAttribute('Binding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    assert.equal(acs.getAttribute('Location'), input.acsUrl);
    assert.equal(acs.getAttribute('index'), '0');
    assert.equal(acs.getAttribute('isDefault'), 'true');
  });

  test('children in schema order: KeyDescriptor, NameIDFormat, AssertionConsumerService', () => {
    const sp = only(parse(buildSpMetadataXml({ ...input, encryptionCertPem: ENCRYPTION_PEM })), NS_MD, 'SPSSODescriptor');
    const names: string[] = [];
    for (let n = sp.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) names.push((n as Element).localName!);
    assert.deepEqual(names, ['KeyDescriptor', 'KeyDescriptor', 'NameIDFormat', 'NameIDFormat', 'AssertionConsumerService']);
  });

  test('validUntil as xs:dateTime in UTC', () => {
    const root = parse(buildSpMetadataXml({ ...input, validUntil: Date.parse('2030-05-06T07:08:09.123Z') }));
    assert.equal(root.getAttribute('validUntil'), '2030-05-06T07:08:09Z');
  });

  test('refuses a signing or encryption PEM that is not a certificate', () => {
    assert.throws(() => buildSpMetadataXml({ ...input, signingCertPem: 'not a pem' }), (e) => e instanceof GatehouseError && e.code === 'INTERNAL');
    assert.throws(() => buildSpMetadataXml({ ...input, encryptionCertPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }), GatehouseError);
  });
});

describe('SP metadata: single logout (decision 0030)', { skip: VECTORS.skip }, () => {
  test('SingleLogoutService for HTTP-Redirect and HTTP-POST at the SLO URL, after the KeyDescriptors and before NameIDFormat', () => {
    const sloUrl = 'https://gatehouse.example.com/api/oauth/saml/slo';
    const sp = children(parse(buildSpMetadataXml({ ...input, sloUrl })), NS_MD, 'SPSSODescriptor')[0]!;
    const slo = children(sp, NS_MD, 'SingleLogoutService');
    assert.deepEqual(slo.map((e) => [e.getAttribute('Binding'), e.getAttribute('Location')]), [
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', sloUrl],
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', sloUrl],
    ]);
    const order: string[] = [];
    for (let n = sp.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) order.push((n as Element).localName!);
    assert.deepEqual([...new Set(order)], ['KeyDescriptor', 'SingleLogoutService', 'NameIDFormat', 'AssertionConsumerService']);
    assert.equal(children(parse(buildSpMetadataXml(input)), NS_MD, 'SPSSODescriptor')[0]!.getElementsByTagNameNS(NS_MD, 'SingleLogoutService').length, 0);
  });
});
