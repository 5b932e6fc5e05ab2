/**
 * Rule-by-rule tests of the SAML Response validator, with responses from the test IdP
 * (test/support/saml-idp.ts). Third-party captures and attack fixtures are in vectors.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type BinaryLike, type KeyLike, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { SignedXml } from 'xml-crypto';
import type { ErrorCode } from '../../errors.ts';
import { XSW_EVIL_NAME_ID, buildSamlResponse, createTestIdp, signSamlElement, type ResponseOptions } from '../../../test/support/saml-idp.ts';
import {
  parseSamlResponse,
  publicKeyFromCertificate,
  validateSamlResponse,
  type SamlAssertionResult,
  type ValidateSamlOptions,
} from './validate-response.ts';

const SP = 'https://sp.gatehouse.test/metadata';
const ACS = 'https://sp.gatehouse.test/api/oauth/saml';
const REQUEST = '_request-1';
const NOW = Date.parse('2030-01-01T12:00:00Z');
const SKEW = 90;

const idp = await createTestIdp({ entityId: 'https://idp.acme.test/saml' });
const otherIdp = await createTestIdp({ entityId: 'https://idp.acme.test/saml' }); // same name, different key
const sp = await createTestIdp({ entityId: SP }); // only its key pair is used, as the SP encryption credentials
const idpKey = publicKeyFromCertificate(idp.certPem);
const spKey = createPrivateKey(sp.privateKeyPem);

function build(over: Partial<ResponseOptions> = {}): string {
  return buildSamlResponse({
    idp, spEntityId: SP, acsUrl: ACS, inResponseTo: REQUEST, nameId: 'alice@acme.com', now: NOW,
    attributes: { email: 'alice@acme.com', groups: ['admins', 'staff'] }, ...over,
  });
}

type Result = ReturnType<typeof validateSamlResponse>;
function check(xml: string, over: Partial<ValidateSamlOptions> = {}): Result {
  const parsed = parseSamlResponse(xml);
  if (!parsed.ok) return parsed;
  return validateSamlResponse(parsed.parsed, {
    trustedKeys: [idpKey], spEntityId: SP, acsUrl: ACS, idpEntityId: idp.entityId, expectedInResponseTo: REQUEST,
    decryptionKeys: [spKey], now: NOW, skewSeconds: SKEW, allowSha1: false, ...over,
  });
}
function accepted(result: Result): SamlAssertionResult {
  assert.ok(result.ok, `expected acceptance, got ${result.ok ? '' : `${result.code}: ${result.detail}`}`);
  return result.assertion;
}
function refused(result: Result, code: ErrorCode, detail?: RegExp): void {
  assert.ok(!result.ok, `expected ${code}, but it was accepted for ${result.ok ? result.assertion.nameId : ''}`);
  assert.equal(result.code, code, result.detail);
  if (detail) assert.match(result.detail, detail);
}
const assertionIdOf = (xml: string): string => /<saml:Assertion [^>]*ID="([^"]+)"/.exec(xml)![1]!;
const responseIdOf = (xml: string): string => /<samlp:Response [^>]*ID="([^"]+)"/.exec(xml)![1]!;

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

test('xmlenc11 rsa-oaep key transport (OAEP SHA-256, MGF1 SHA-1) is accepted', () => {
  accepted(check(build({ encryptFor: { certPem: sp.certPem, keyTransport: 'rsa-oaep' } })));
});

test('an assertion encrypted by xml-encryption\'s own encrypt() is accepted; 3DES and RSA 1.5 are not', async () => {
  const xmlenc = createRequire(import.meta.url)('xml-encryption') as {
    encrypt(content: string, options: Record<string, unknown>, cb: (e: Error | null, r?: string) => void): void;
  };
  const encrypt = (content: string, encryptionAlgorithm: string, keyEncryptionAlgorithm: string) =>
    new Promise<string>((resolve, reject) => xmlenc.encrypt(content, {
      rsa_pub: sp.certPem, pem: sp.certPem, encryptionAlgorithm, keyEncryptionAlgorithm,
      disallowEncryptionWithInsecureAlgorithm: false, warnInsecureAlgorithm: false,
    }, (e, r) => (e ? reject(e) : resolve(r!))));
  const xml = build({ sign: 'assertion' });
  const assertion = xml.slice(xml.indexOf('<saml:Assertion'), xml.indexOf('</saml:Assertion>') + 17);
  const wrap = (data: string) => xml.replace(assertion, `<saml:EncryptedAssertion>${data}</saml:EncryptedAssertion>`);
  accepted(check(wrap(await encrypt(assertion, 'http://www.w3.org/2009/xmlenc11#aes256-gcm', 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p'))));
  refused(check(wrap(await encrypt(assertion, 'http://www.w3.org/2001/04/xmlenc#tripledes-cbc', 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p'))), 'SAML_DECRYPTION_FAILED', /not accepted/);
  refused(check(wrap(await encrypt(assertion, 'http://www.w3.org/2009/xmlenc11#aes128-gcm', 'http://www.w3.org/2001/04/xmlenc#rsa-1_5'))), 'SAML_DECRYPTION_FAILED', /not accepted/);
  // The decrypted content must be exactly one Assertion too.
  const nested = assertion.replace('<saml:AuthnStatement', '<saml:Advice><saml:Assertion ID="_inner"/></saml:Advice><saml:AuthnStatement');
  refused(check(wrap(await encrypt(nested, 'http://www.w3.org/2009/xmlenc11#aes128-gcm', 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p'))), 'SAML_ASSERTION_COUNT', /2 assertions/);
});

test('decryption failures: no SP key, a wrong key, a tampered ciphertext (SAML_DECRYPTION_FAILED); the second of two keys works', () => {
  const xml = build({ sign: 'assertion', encryptFor: { certPem: sp.certPem, algorithm: 'aes128-gcm' } });
  refused(check(xml, { decryptionKeys: [] }), 'SAML_DECRYPTION_FAILED', /no SP decryption key/);
  const wrongKey = createPrivateKey(otherIdp.privateKeyPem);
  refused(check(xml, { decryptionKeys: [wrongKey] }), 'SAML_DECRYPTION_FAILED');
  accepted(check(xml, { decryptionKeys: [wrongKey, spKey] }));
  const tampered = xml.replace(/(<xenc:CipherValue>)([A-Za-z0-9+/]{8})/, (_m, open: string, head: string) => `${open}${head === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'}`);
  refused(check(tampered), 'SAML_DECRYPTION_FAILED');
});

test('the Response signature is verified on the original document, before decryption', () => {
  const xml = build({ sign: 'response', encryptFor: { certPem: sp.certPem } });
  const tampered = xml.replace(/(<xenc:CipherValue>)([A-Za-z0-9+/]{8})/, (_m, open: string, head: string) => `${open}${head === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'}`);
  refused(check(tampered), 'SAML_SIGNATURE_INVALID', /Response digest/);
});

// ---- issuer, audience, destination, recipient -----------------------------------------------

test('issuers must equal idpEntityId when it is set', () => {
  refused(check(build({ issuer: 'https://evil.example/idp' })), 'SAML_ISSUER_MISMATCH', /Response Issuer/);
  const assertionIssuerWrong = check(build({ issuer: 'https://evil.example/idp' }), { idpEntityId: undefined });
  assert.equal(accepted(assertionIssuerWrong).issuer, 'https://evil.example/idp');
});

test('a Response Issuer that differs from idpEntityId is refused even when only the Assertion is signed', () => {
  const xml = build({ sign: 'assertion' });
  const responseIssuer = `<saml:Issuer>${idp.entityId}</saml:Issuer>`;
  const changed = xml.replace(responseIssuer, '<saml:Issuer>https://evil.example/idp</saml:Issuer>');
  assert.notEqual(changed, xml);
  refused(check(changed), 'SAML_ISSUER_MISMATCH', /Response Issuer/);
});

test('Audience must name our SP entity ID; an assertion without AudienceRestriction is refused', () => {
  refused(check(build({ audience: 'https://other-sp.example' })), 'SAML_AUDIENCE_MISMATCH');
  const unsigned = build({ sign: 'none' }).replace(/<saml:AudienceRestriction>.*<\/saml:AudienceRestriction>/, '');
  refused(check(signSamlElement(unsigned, assertionIdOf(unsigned), idp)), 'SAML_AUDIENCE_MISMATCH', /no AudienceRestriction/);
});

test('a wrong Destination is refused; an absent one is allowed', () => {
  refused(check(build({ destination: 'https://evil.example/acs' })), 'SAML_DESTINATION_MISMATCH');
  accepted(check(build({ destination: null })));
});

test('a wrong Recipient is refused unless skipRecipientCheck', () => {
  const xml = build({ recipient: 'https://evil.example/acs' });
  refused(check(xml), 'SAML_RECIPIENT_MISMATCH');
  accepted(check(xml, { skipRecipientCheck: true }));
});

// ---- time window -----------------------------------------------------------------------------

test('expired SubjectConfirmationData is refused even when Conditions are still valid', () => {
  refused(check(build({ scdNotOnOrAfter: NOW - 5 * 60_000 })), 'SAML_EXPIRED', /SubjectConfirmationData/);
});

test('skew edges: NotOnOrAfter + skew - 1 s is accepted, + skew + 1 s is SAML_EXPIRED', () => {
  const xml = build({ lifetimeSeconds: 300 });
  const notOnOrAfter = NOW + 300_000;
  accepted(check(xml, { now: notOnOrAfter + SKEW * 1000 - 1000 }));
  refused(check(xml, { now: notOnOrAfter + SKEW * 1000 + 1000 }), 'SAML_EXPIRED');
  refused(check(xml, { now: notOnOrAfter + SKEW * 1000 }), 'SAML_EXPIRED');
});

test('skew edges: NotBefore - skew + 1 s is accepted, - skew - 1 s is SAML_NOT_YET_VALID', () => {
  const xml = build();
  accepted(check(xml, { now: NOW - SKEW * 1000 + 1000 }));
  refused(check(xml, { now: NOW - SKEW * 1000 - 1000 }), 'SAML_NOT_YET_VALID');
});

// ---- InResponseTo ----------------------------------------------------------------------------

test('InResponseTo: mismatch, missing when expected, and present when unsolicited are all refused', () => {
  refused(check(build({ inResponseTo: '_other-request' })), 'SAML_IN_RESPONSE_TO_MISMATCH');
  refused(check(build({ inResponseTo: null })), 'SAML_IN_RESPONSE_TO_MISMATCH', /no InResponseTo/);
  refused(check(build(), { expectedInResponseTo: null }), 'SAML_IN_RESPONSE_TO_MISMATCH', /unsolicited/);
  assert.equal(accepted(check(build({ inResponseTo: null }), { expectedInResponseTo: null })).inResponseTo, null);
});

test('a SubjectConfirmationData InResponseTo that disagrees is refused even when the Response one matches', () => {
  const unsigned = build({ sign: 'none' }).replace(`<saml:SubjectConfirmationData InResponseTo="${REQUEST}"`, '<saml:SubjectConfirmationData InResponseTo="_other"');
  refused(check(signSamlElement(unsigned, assertionIdOf(unsigned), idp)), 'SAML_IN_RESPONSE_TO_MISMATCH', /SubjectConfirmationData/);
});

// ---- subject and data ------------------------------------------------------------------------

test('an assertion without NameID is SAML_SUBJECT_MISSING', () => {
  const unsigned = build({ sign: 'none' }).replace(/<saml:NameID[^>]*>[^<]*<\/saml:NameID>/, '');
  refused(check(signSamlElement(unsigned, assertionIdOf(unsigned), idp)), 'SAML_SUBJECT_MISSING');
});

test('the result carries the subject, session, attributes (names as sent, values as arrays) and time bounds', () => {
  const result = accepted(check(build({
    attributes: { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'alice@acme.com', groups: ['a', 'b & c'], ['__proto__']: 'x' },
    lifetimeSeconds: 600, scdNotOnOrAfter: NOW + 120_000, nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  })));
  assert.equal(result.nameId, 'alice@acme.com');
  assert.equal(result.nameIdFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
  assert.equal(result.issuer, idp.entityId);
  assert.equal(result.inResponseTo, REQUEST);
  assert.equal(result.notOnOrAfter, NOW + 120_000);
  assert.equal(result.authnInstant, NOW);
  assert.match(result.sessionIndex ?? '', /^_/);
  assert.match(result.assertionId, /^_/);
  assert.deepEqual(result.attributes['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'], ['alice@acme.com']);
  assert.deepEqual(result.attributes.groups, ['a', 'b & c']);
  assert.deepEqual(Object.getOwnPropertyDescriptor(result.attributes, '__proto__')?.value, ['x']);
});

test('validation leaves the parsed DOM as it found it, so it can be validated again', () => {
  const parsed = parseSamlResponse(build({ sign: 'both' }));
  assert.ok(parsed.ok);
  const before = parsed.parsed.document.toString();
  const opts: ValidateSamlOptions = { trustedKeys: [idpKey], spEntityId: SP, acsUrl: ACS, idpEntityId: idp.entityId, expectedInResponseTo: REQUEST, now: NOW, skewSeconds: SKEW, allowSha1: false };
  accepted(validateSamlResponse(parsed.parsed, opts));
  accepted(validateSamlResponse(parsed.parsed, opts));
  assert.equal(parsed.parsed.document.toString(), before);
});

// ---- keys ------------------------------------------------------------------------------------

test('publicKeyFromCertificate takes PEM, bare base64 DER with whitespace, or a PUBLIC KEY PEM', () => {
  const body = idp.certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const spki = idpKey.export({ type: 'spki', format: 'der' });
  for (const input of [idp.certPem, `  ${body.replace(/(.{40})/g, '$1\n   ')}  `, createPublicKey(idp.certPem).export({ type: 'spki', format: 'pem' }) as string]) {
    assert.ok(publicKeyFromCertificate(input).export({ type: 'spki', format: 'der' }).equals(spki));
  }
  assert.throws(() => publicKeyFromCertificate('not a certificate!'));
  assert.throws(() => publicKeyFromCertificate(sp.privateKeyPem));
});
