/**
 * Rule-by-rule tests of the SAML Response validator, part 1: parsing, structure and signatures, with
 * responses from the test IdP (test/support/saml-idp.ts). Part 2 (decryption, issuer, audience,
 * destination, recipient, time, InResponseTo, the result) is validate-response-assertion.test.ts;
 * third-party captures and attack fixtures are in vectors.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type BinaryLike, type KeyLike, type KeyObject } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { XSW_EVIL_NAME_ID, signSamlElement } from '../../../test/support/saml-idp.ts';
import { parseSamlResponse, publicKeyFromCertificate, validateSamlResponse, type ValidateSamlOptions } from './validate-response.ts';
import { SP, ACS, REQUEST, NOW, SKEW, idp, otherIdp, sp, idpKey, assertionIdOf, responseIdOf, build, check, accepted, refused } from './validate-response.fixtures.ts';

// ---- parsing -------------------------------------------------------------------------------

test('parse reads the header fields without validating', () => {
  const parsed = parseSamlResponse(build());
  assert.ok(parsed.ok);
  assert.equal(parsed.parsed.inResponseTo, REQUEST);
  assert.equal(parsed.parsed.issuer, idp.entityId);
  assert.equal(parsed.parsed.destination, ACS);
  assert.match(parsed.parsed.responseId ?? '', /^_/);
});

test('any DOCTYPE or ENTITY is refused (SAML_DOCTYPE_FORBIDDEN)', () => {
  const body = build();
  for (const prologue of [
    '<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>',
    '<!doctype samlp:Response SYSTEM "http://evil.example/x.dtd">',
    '<!DOCTYPE x>',
  ]) {
    const parsed = parseSamlResponse(`<?xml version="1.0"?>${prologue}${body}`);
    assert.ok(!parsed.ok);
    assert.equal(parsed.code, 'SAML_DOCTYPE_FORBIDDEN');
  }
});

test('malformed XML is SAML_MALFORMED, a non-Response root SAML_NOT_A_RESPONSE', () => {
  for (const xml of ['', 'not xml', '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">', '<a><b></a>', '<x:Response/>', '<a b="1" b="2"/>']) {
    const parsed = parseSamlResponse(xml);
    assert.ok(!parsed.ok, xml);
    assert.equal(parsed.code, 'SAML_MALFORMED', `${xml}: ${parsed.detail}`);
  }
  for (const xml of [
    '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"/>',
    '<Response xmlns="urn:oasis:names:tc:SAML:1.0:protocol"/>',
  ]) {
    const parsed = parseSamlResponse(xml);
    assert.ok(!parsed.ok);
    assert.equal(parsed.code, 'SAML_NOT_A_RESPONSE');
  }
});

test('absurdly deep nesting is SAML_MALFORMED before any recursive work', () => {
  const deep = `${'<x>'.repeat(500)}${'</x>'.repeat(500)}`;
  refused(check(build().replace('</samlp:Response>', `<samlp:Extensions>${deep}</samlp:Extensions></samlp:Response>`)), 'SAML_MALFORMED', /deeply/);
});

test('a 5 MB body is refused in milliseconds with SAML_MALFORMED (size), without parsing', () => {
  const genuine = build();
  const padding = genuine.slice(genuine.indexOf('<saml:Assertion'), genuine.indexOf('</saml:Assertion>') + 17);
  const copies = Math.ceil((5 * 1024 * 1024) / padding.length);
  const huge = genuine.replace('</samlp:Response>', `<samlp:Extensions>${padding.repeat(copies)}</samlp:Extensions></samlp:Response>`);
  assert.ok(huge.length > 5 * 1024 * 1024);
  const started = performance.now();
  const parsed = parseSamlResponse(huge);
  assert.ok(performance.now() - started < 50, 'took too long');
  assert.ok(!parsed.ok);
  assert.equal(parsed.code, 'SAML_MALFORMED');
});

test('a 1 MB body of assertion copies (under the size cap) is SAML_ASSERTION_COUNT before any signature work', () => {
  const genuine = build({ sign: 'assertion' });
  const copy = genuine.slice(genuine.indexOf('<saml:Assertion'), genuine.indexOf('</saml:Assertion>') + 17);
  const copies = Array.from({ length: 300 }, (_, i) => copy.replace(/ID="[^"]+"/, `ID="_copy${i}"`)).join('');
  const big = genuine.replace('</samlp:Response>', `<samlp:Extensions>${copies}</samlp:Extensions></samlp:Response>`);
  assert.ok(big.length > 1024 * 1024 && big.length < 2 * 1024 * 1024, String(big.length));
  refused(check(big), 'SAML_ASSERTION_COUNT', /301 assertions/);
});

// ---- status and assertion count ---------------------------------------------------------------

test('a non-Success status is refused with its code and message', () => {
  refused(check(build({ statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder' })), 'SAML_STATUS_NOT_SUCCESS', /status:Responder: Sign-in refused by the test IdP/);
});

test('two genuinely signed assertions are refused (SAML_ASSERTION_COUNT)', () => {
  refused(check(build({ extraAssertion: true })), 'SAML_ASSERTION_COUNT');
});

test('XSW7: a signed assertion hidden in Extensions plus an evil one is never accepted as anyone', () => {
  const xml = build({ wrapXsw7: true, sign: 'assertion' });
  assert.ok(xml.includes(XSW_EVIL_NAME_ID));
  refused(check(xml), 'SAML_ASSERTION_COUNT');
});

test('assertions hidden in ds:Object or in another assertion\'s Advice are counted', () => {
  const signed = build({ sign: 'both' });
  const inner = `<saml:Assertion ID="_hidden" Version="2.0" IssueInstant="2030-01-01T12:00:00Z"><saml:Issuer>x</saml:Issuer></saml:Assertion>`;
  refused(check(signed.replace('</ds:Signature>', `<ds:Object>${inner}</ds:Object></ds:Signature>`)), 'SAML_ASSERTION_COUNT');
  const unsigned = build({ sign: 'none' });
  const withAdvice = unsigned.replace('<saml:AuthnStatement', `<saml:Advice>${inner}</saml:Advice><saml:AuthnStatement`);
  refused(check(signSamlElement(withAdvice, assertionIdOf(withAdvice), idp)), 'SAML_ASSERTION_COUNT');
});

test('no assertion at all, or one that is not a child of the Response, is SAML_ASSERTION_COUNT', () => {
  const xml = build({ sign: 'assertion' });
  const start = xml.indexOf('<saml:Assertion');
  const assertion = xml.slice(start, xml.indexOf('</saml:Assertion>') + 17);
  refused(check(xml.replace(assertion, '')), 'SAML_ASSERTION_COUNT', /0 assertions/);
  refused(check(xml.replace(assertion, '').replace('<samlp:Status>', `<samlp:Extensions>${assertion}</samlp:Extensions><samlp:Status>`)), 'SAML_ASSERTION_COUNT', /not a direct child/);
});

test('a duplicated ID anywhere in the document is refused (SAML_MALFORMED)', () => {
  const xml = build({ sign: 'assertion' });
  refused(check(xml.replace('<samlp:Status>', `<samlp:Extensions><x ID="${assertionIdOf(xml)}"/></samlp:Extensions><samlp:Status>`)), 'SAML_MALFORMED', /appears more than once/);
});

// ---- signatures ------------------------------------------------------------------------------

test('Response signed only, Assertion signed only, and both are accepted; unsigned is SAML_SIGNATURE_MISSING', () => {
  assert.deepEqual(accepted(check(build({ sign: 'response' }))).signed, { response: true, assertion: false });
  assert.deepEqual(accepted(check(build({ sign: 'assertion' }))).signed, { response: false, assertion: true });
  assert.deepEqual(accepted(check(build({ sign: 'both' }))).signed, { response: true, assertion: true });
  refused(check(build({ sign: 'none' })), 'SAML_SIGNATURE_MISSING');
});

test('a signature by a key that is not trusted is SAML_SIGNATURE_INVALID (the KeyInfo certificate is never used)', () => {
  const forged = build({ idp: otherIdp }); // carries otherIdp's certificate in KeyInfo
  refused(check(forged), 'SAML_SIGNATURE_INVALID', /any trusted certificate/);
  refused(check(forged, { trustedKeys: [] }), 'SAML_SIGNATURE_INVALID');
});

test('key rotation: with several trusted keys, a response signed by the second one is accepted', () => {
  const otherKey = publicKeyFromCertificate(otherIdp.certPem);
  accepted(check(build(), { trustedKeys: [otherKey, idpKey] }));
  accepted(check(build({ idp: otherIdp }), { trustedKeys: [idpKey, otherKey] }));
});

test('SHA-1 is refused by default (SAML_SIGNATURE_ALGORITHM) and accepted when allowed', () => {
  for (const sign of ['response', 'assertion'] as const) {
    const xml = build({ sign, signatureAlgorithm: 'sha1' });
    refused(check(xml), 'SAML_SIGNATURE_ALGORITHM');
    accepted(check(xml, { allowSha1: true }));
  }
});

test('content changed after signing is SAML_SIGNATURE_INVALID', () => {
  refused(check(build({ sign: 'assertion' }).replace('alice@acme.com</saml:NameID>', 'mallory@acme.com</saml:NameID>')), 'SAML_SIGNATURE_INVALID', /digest/);
  refused(check(build({ sign: 'response' }).replace('alice@acme.com</saml:NameID>', 'mallory@acme.com</saml:NameID>')), 'SAML_SIGNATURE_INVALID', /digest/);
});

test('every signature present must verify: a broken Response signature fails even when the Assertion one is valid', () => {
  const xml = build({ sign: 'both' });
  const tampered = xml.replace(/(<samlp:Response [^>]*IssueInstant=")[^"]+/, '$12030-01-01T12:00:01.000Z');
  refused(check(tampered), 'SAML_SIGNATURE_INVALID', /Response digest/);
});

test('inclusive c14n, #WithComments and an InclusiveNamespaces prefix bound only on the Response all verify', () => {
  const variants: Array<{ c14n: string; prefixes?: string[] }> = [
    { c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315' },
    { c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments' },
    { c14n: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments' },
    { c14n: 'http://www.w3.org/2001/10/xml-exc-c14n#', prefixes: ['samlp'] },
  ];
  for (const { c14n, prefixes } of variants) {
    const unsigned = build({ sign: 'none' });
    const id = assertionIdOf(unsigned);
    const signer = new SignedXml({ privateKey: idp.privateKeyPem, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: c14n });
    signer.addReference({ xpath: `//*[@ID='${id}']`, digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256', transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', c14n], inclusiveNamespacesPrefixList: prefixes });
    signer.computeSignature(unsigned, { prefix: 'ds', location: { reference: `//*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' } });
    const signed = signer.getSignedXml();
    if (prefixes) assert.match(signed, /PrefixList="samlp"/);
    const parsed = parseSamlResponse(signed);
    assert.ok(parsed.ok);
    const before = parsed.parsed.document.toString();
    const opts: ValidateSamlOptions = { trustedKeys: [idpKey], spEntityId: SP, acsUrl: ACS, expectedInResponseTo: REQUEST, now: NOW, skewSeconds: SKEW, allowSha1: false };
    assert.deepEqual(accepted(validateSamlResponse(parsed.parsed, opts)).signed, { response: false, assertion: true }, c14n);
    assert.equal(parsed.parsed.document.toString(), before, 'the temporary namespace declaration was removed');
    // Accepting the PrefixList variant proves the ancestor's binding was rendered as the signer did.
  }
});

test('a signature anywhere but directly under the Response or its Assertion is refused', () => {
  const xml = build({ sign: 'assertion' });
  const signature = xml.slice(xml.indexOf('<ds:Signature'), xml.indexOf('</ds:Signature>') + 15);
  const moved = xml.replace('<samlp:Status>', `<samlp:Extensions>${signature}</samlp:Extensions><samlp:Status>`);
  refused(check(moved), 'SAML_SIGNATURE_INVALID', /covers neither/);
});

test('a Response-level signature whose Reference points at the Assertion is refused', () => {
  const unsigned = build({ sign: 'none' });
  const signer = new SignedXml({ privateKey: idp.privateKeyPem, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
  signer.addReference({ xpath: `//*[@ID='${assertionIdOf(unsigned)}']`, digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256', transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'] });
  signer.computeSignature(unsigned, { prefix: 'ds', location: { reference: `//*[@ID='${responseIdOf(unsigned)}']/*[local-name(.)='Issuer']`, action: 'after' } });
  refused(check(signer.getSignedXml()), 'SAML_SIGNATURE_INVALID', /instead of its parent/);
});

test('unknown SignatureMethod, DigestMethod or transform is SAML_SIGNATURE_INVALID', () => {
  const xml = build({ sign: 'assertion' });
  refused(check(xml.replace('xmldsig-more#rsa-sha256', 'xmldsig-more#rsa-bogus')), 'SAML_SIGNATURE_INVALID', /unsupported SignatureMethod/);
  refused(check(xml.replace('xmlenc#sha256"', 'xmlenc#bogus"')), 'SAML_SIGNATURE_INVALID', /unsupported DigestMethod/);
  refused(check(xml.replace('<ds:Transforms>', '<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"/>')), 'SAML_SIGNATURE_INVALID', /unsupported transforms/);
});

test('a comment injected inside DigestValue is refused, though c14n would leave SignedInfo verifying', () => {
  const xml = build({ sign: 'assertion' });
  const injected = xml.replace(/<ds:DigestValue>(.{4})/, '<ds:DigestValue>$1<!-- injected -->');
  refused(check(injected), 'SAML_SIGNATURE_INVALID', /DigestValue holds something other than text/);
  refused(check(xml.replace(/<ds:SignatureValue>(.{4})/, '<ds:SignatureValue>$1<!---->')), 'SAML_SIGNATURE_INVALID', /SignatureValue holds something other than text/);
});

test('two signatures on the Assertion, or a signature on the EncryptedAssertion element, are refused', () => {
  const xml = build({ sign: 'assertion' });
  const signature = xml.slice(xml.indexOf('<ds:Signature'), xml.indexOf('</ds:Signature>') + 15);
  refused(check(xml.replace(signature, signature + signature)), 'SAML_SIGNATURE_INVALID', /more than one signature/);
  const encrypted = build({ sign: 'assertion', encryptFor: { certPem: sp.certPem } });
  refused(check(encrypted.replace('<xenc:EncryptedData', `${signature}<xenc:EncryptedData`)), 'SAML_SIGNATURE_INVALID', /covers neither/);
});

test('an ECDSA (P-256) signature verifies with an EC key; an RSA-only trust list refuses it', () => {
  const ecdsa = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const unsigned = build({ sign: 'none' });
  const id = assertionIdOf(unsigned);
  const signer = new SignedXml({ privateKey, signatureAlgorithm: ecdsa, canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
  // xml-crypto cannot sign with ECDSA; XMLDSig wants the raw r||s form.
  signer.SignatureAlgorithms[ecdsa] = class {
    getSignature(signedInfo: BinaryLike, key: KeyLike) { return sign('sha256', Buffer.from(signedInfo as string), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' }).toString('base64'); }
    verifySignature() { return false; }
    getAlgorithmName() { return ecdsa; }
  } as never;
  signer.addReference({ xpath: `//*[@ID='${id}']`, digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256', transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'] });
  signer.computeSignature(unsigned, { prefix: 'ds', location: { reference: `//*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' } });
  const signed = signer.getSignedXml();
  assert.match(signed, /ecdsa-sha256/);
  accepted(check(signed, { trustedKeys: [idpKey, publicKey] }));
  refused(check(signed), 'SAML_SIGNATURE_INVALID', /any trusted certificate/);
});

test('NameID is the full text: a comment inserted after signing neither breaks the signature nor truncates it', () => {
  const xml = build({ sign: 'assertion' }).replace('alice@acme.com</saml:NameID>', 'alice@acme<!-- x -->.com</saml:NameID>');
  assert.equal(accepted(check(xml)).nameId, 'alice@acme.com');
});

test('a processing instruction anywhere inside is refused: it must not truncate a signed NameID', () => {
  // xml-crypto's exc-c14n rendered a PI's data as text, so this still verified and the NameID read "alice@acme.com".
  const signed = build({ sign: 'both', nameId: 'alice@acme.com.evil.test', attributes: { email: 'alice@acme.com.evil.test' } });
  refused(check(signed.replace('alice@acme.com.evil.test</saml:NameID>', 'alice@acme.com<?x .evil.test?></saml:NameID>')), 'SAML_MALFORMED', /processing instruction/);
  refused(check(build().replace('<saml:Subject>', '<?pi data?><saml:Subject>')), 'SAML_MALFORMED', /processing instruction/);
  accepted(check(`<?xml version="1.0"?><?xml-stylesheet href="a.xsl"?>${build().replace(/^<\?xml[^>]*\?>/, '')}`)); // before the root: outside every signature
});

// ---- encryption ------------------------------------------------------------------------------

for (const algorithm of ['aes128-cbc', 'aes256-cbc', 'aes128-gcm', 'aes256-gcm'] as const) {
  test(`an EncryptedAssertion with ${algorithm} (rsa-oaep-mgf1p) is decrypted and its signatures verified`, () => {
    for (const sign of ['both', 'assertion', 'response'] as const) {
      const result = accepted(check(build({ sign, encryptFor: { certPem: sp.certPem, algorithm } })));
      assert.equal(result.encrypted, true);
      assert.equal(result.nameId, 'alice@acme.com');
    }
  });
}
