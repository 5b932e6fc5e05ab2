/**
 * Rule-by-rule tests of the SAML Response validator, part 2: encrypted assertions, issuer, audience,
 * destination, recipient, time window, InResponseTo, the subject and the result (part 1:
 * validate-response.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { createRequire } from 'node:module';
import { signSamlElement } from '../../../test/support/saml-idp.ts';
import { parseSamlResponse, publicKeyFromCertificate, validateSamlResponse, type ValidateSamlOptions } from './validate-response.ts';
import { SP, ACS, REQUEST, NOW, SKEW, idp, otherIdp, sp, idpKey, spKey, assertionIdOf, build, check, accepted, refused } from './validate-response.fixtures.ts';

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
