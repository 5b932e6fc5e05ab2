/**
 * The pure SLO cores (decision 0030): LogoutRequest/LogoutResponse built and signed by logout-messages.ts, read by
 * logout-bindings.ts and validated by validate-logout.ts, with the IdP's key from a test IdP. The attacks the
 * sign-in validator refuses (decision 0002, the XSW fixtures of ../shared/vectors/saml) are refused here too:
 * unsigned, wrongly signed, signature not on the root, signed element moved into Extensions with an evil root,
 * an assertion smuggled in, duplicate IDs, comments in the signed text, replay of the time window, and no
 * response capture of the vector suite passes as a LogoutRequest.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createTestIdp, type TestIdp } from '../../../test/support/saml-idp.ts';
import { sharedVectors } from '../../../test/support/shared-vectors.ts';
import { samlVectorReader } from '../../../test/support/saml-vectors.ts';
import { redirectBindingUrl } from './authn-request.ts';
import { buildLogoutRequestXml, buildLogoutResponseXml, signEnveloped, STATUS_REQUESTER, STATUS_SUCCESS } from './logout-messages.ts';
import { readPostBinding, readRedirectBinding } from './logout-bindings.ts';
import { parseLogoutMessage, validateLogoutRequest, validateLogoutResponse, type LogoutValidationOptions } from './validate-logout.ts';
import { publicKeyFromCertificate } from './validate-response.ts';
import { idpSloEndpoint } from './sp-logout.ts';
import type { SamlSettings } from '../connection-settings.ts';

const SLO_URL = 'https://gatehouse.example.test/api/oauth/saml/slo';
const NOW = Date.parse('2026-12-01T10:00:00Z');

let idp: TestIdp;
let idpKey: KeyObject;
let opts: LogoutValidationOptions;

before(async () => {
  idp = await createTestIdp({ entityId: 'https://idp.example.test/slo' });
  idpKey = createPrivateKey(idp.privateKeyPem);
  opts = { trustedKeys: [publicKeyFromCertificate(idp.certPem)], allowSha1: false, idpEntityId: idp.entityId, destinations: [SLO_URL], now: NOW, skewSeconds: 90 };
});

const requestXml = (over: Partial<Parameters<typeof buildLogoutRequestXml>[0]> = {}) =>
  buildLogoutRequestXml({ id: '_req1', now: NOW, issuer: idp.entityId, destination: SLO_URL, nameId: 'alice@acme.com', nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', sessionIndex: '_sess1', ...over });

/** The HTTP-POST binding as an IdP sends it: enveloped signature, base64 form field. */
function viaPost(xml: string) {
  const read = readPostBinding({ SAMLRequest: Buffer.from(xml).toString('base64'), RelayState: 'rs' });
  assert.ok(read.ok);
  return read.message;
}

/** The HTTP-Redirect binding: query signed with the IdP key (or `key`), read back from the URL's query. */
function viaRedirect(xml: string, key: KeyObject | null = idpKey, message: 'SAMLRequest' | 'SAMLResponse' = 'SAMLRequest') {
  const url = redirectBindingUrl(SLO_URL, xml, 'rs', key ?? undefined, message);
  const read = readRedirectBinding(url.slice(url.indexOf('?') + 1));
  assert.ok(read.ok, JSON.stringify(read));
  return read.message;
}

function validateRequest(received: ReturnType<typeof viaPost>, o: Partial<LogoutValidationOptions> = {}) {
  const parsed = parseLogoutMessage(received.xml);
  if (!parsed.ok) return { ...parsed, verified: false };
  return validateLogoutRequest(parsed.parsed, received, { ...opts, ...o });
}

describe('LogoutRequest validation', () => {
  test('a POST request with an enveloped signature and a Redirect request with a query signature are accepted', () => {
    for (const received of [viaPost(signEnveloped(requestXml(), '_req1', idpKey, idp.certPem)), viaRedirect(requestXml())]) {
      const v = validateRequest(received);
      assert.ok(v.ok, JSON.stringify(v));
      assert.equal(v.value.nameId, 'alice@acme.com');
      assert.equal(v.value.nameIdFormat, 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
      assert.deepEqual(v.value.sessionIndexes, ['_sess1']);
      assert.equal(v.value.id, '_req1');
      assert.ok(v.value.acceptableUntil > NOW);
      assert.equal(received.relayState, 'rs');
    }
  });

  test('unsigned requests are refused, by either binding, before anything is trusted', () => {
    for (const received of [viaPost(requestXml()), viaRedirect(requestXml(), null)]) {
      const v = validateRequest(received);
      assert.equal(v.ok, false);
      assert.equal(!v.ok && v.code, 'SAML_SIGNATURE_MISSING');
      assert.equal(!v.ok && v.verified, false);
    }
  });

  test('a request signed by another key is refused (forged), by either binding', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const post = validateRequest(viaPost(signEnveloped(requestXml(), '_req1', other, idp.certPem)));
    assert.equal(!post.ok && post.code, 'SAML_SIGNATURE_INVALID');
    const redirect = validateRequest(viaRedirect(requestXml(), other));
    assert.equal(!redirect.ok && redirect.code, 'SAML_SIGNATURE_INVALID');
  });

  test('a signed request changed after signing is refused (NameID swapped; query parameter swapped)', () => {
    const signed = signEnveloped(requestXml(), '_req1', idpKey, idp.certPem).replace('alice@acme.com', 'bob@acme.com');
    const v = validateRequest(viaPost(signed));
    assert.equal(!v.ok && v.code, 'SAML_SIGNATURE_INVALID');
    // The query's SAMLRequest replaced by another message, SigAlg and Signature kept.
    const goodUrl = redirectBindingUrl(SLO_URL, requestXml(), 'rs', idpKey);
    const evilValue = /SAMLRequest=([^&]*)/.exec(redirectBindingUrl(SLO_URL, requestXml({ nameId: 'bob@acme.com' }), null))![1]!;
    const tampered = goodUrl.replace(/SAMLRequest=[^&]*/, `SAMLRequest=${evilValue}`);
    const read = readRedirectBinding(tampered.slice(tampered.indexOf('?') + 1));
    assert.ok(read.ok);
    const r = validateRequest(read.message);
    assert.equal(!r.ok && r.code, 'SAML_SIGNATURE_INVALID');
  });

  test('XSW: the genuinely signed request hidden in Extensions under an evil root is refused', () => {
    const genuine = signEnveloped(requestXml(), '_req1', idpKey, idp.certPem).replace(/^<samlp:LogoutRequest [^>]*>/, (m) => m.replace(/ xmlns:samlp="[^"]*" xmlns:saml="[^"]*"/, ''));
    const evil = requestXml({ id: '_evil', nameId: 'victim@acme.com' }).replace('</saml:Issuer>', `</saml:Issuer><samlp:Extensions>${genuine}</samlp:Extensions>`);
    const v = validateRequest(viaPost(evil));
    assert.equal(v.ok, false);
    assert.ok(!v.ok && ['SAML_SIGNATURE_INVALID', 'SAML_SIGNATURE_MISSING'].includes(v.code), !v.ok ? v.code : '');
  });

  test('a signature that references another element, an assertion smuggled in, and duplicate IDs are refused', () => {
    const signed = signEnveloped(requestXml(), '_req1', idpKey, idp.certPem);
    const retargeted = signed.replace('URI="#_req1"', 'URI="#_other"').replace('<saml:NameID', '<saml:NameID ID="_other"');
    assert.equal((validateRequest(viaPost(retargeted)) as { code?: string }).code, 'SAML_SIGNATURE_INVALID');
    const withAssertion = signed.replace('</samlp:LogoutRequest>', '<saml:Assertion ID="_a1"/></samlp:LogoutRequest>');
    assert.equal((validateRequest(viaPost(withAssertion)) as { code?: string }).code, 'SAML_MALFORMED');
    const duplicate = signed.replace('<saml:NameID', '<saml:NameID ID="_req1"');
    assert.equal((validateRequest(viaPost(duplicate)) as { code?: string }).code, 'SAML_MALFORMED');
  });

  test('a comment inside the NameID changes nothing: the whole signed text is read', () => {
    const signed = signEnveloped(requestXml({ nameId: 'alice@acme.com.evil.example' }), '_req1', idpKey, idp.certPem).replace('alice@acme.com.evil.example', 'alice@acme.com<!---->.evil.example');
    const v = validateRequest(viaPost(signed));
    assert.ok(v.ok, JSON.stringify(v));
    assert.equal(v.value.nameId, 'alice@acme.com.evil.example');
  });

  test('expired, not yet valid, wrongly addressed and foreign-issued requests are refused after the signature verified', () => {
    const expired = validateRequest(viaRedirect(requestXml({ now: NOW - 10 * 60_000 })));
    assert.equal(!expired.ok && expired.code, 'SAML_LOGOUT_EXPIRED');
    assert.equal(!expired.ok && expired.verified, true);
    const future = validateRequest(viaRedirect(requestXml({ now: NOW + 5 * 60_000 })));
    assert.equal(!future.ok && future.code, 'SAML_LOGOUT_EXPIRED');
    const inSkew = validateRequest(viaRedirect(requestXml({ now: NOW - 5 * 60_000 - 60_000 })));
    assert.ok(inSkew.ok, 'NotOnOrAfter passed by less than the skew');
    const elsewhere = validateRequest(viaRedirect(requestXml({ destination: 'https://other.example.test/slo' })));
    assert.equal(!elsewhere.ok && elsewhere.code, 'SAML_LOGOUT_DESTINATION_MISMATCH');
    assert.equal(!elsewhere.ok && elsewhere.verified, true);
    const noDestination = validateRequest(viaRedirect(requestXml().replace(/ Destination="[^"]*"/, '')));
    assert.equal(!noDestination.ok && noDestination.code, 'SAML_LOGOUT_DESTINATION_MISMATCH');
    const foreign = validateRequest(viaRedirect(requestXml({ issuer: 'https://evil.example.test' })));
    assert.equal(!foreign.ok && foreign.code, 'SAML_ISSUER_MISMATCH');
  });

  test('SHA-1 query signatures are refused unless the connection allows them', () => {
    const url = redirectBindingUrl(SLO_URL, requestXml(), null, idpKey);
    const sha1 = url.replace(encodeURIComponent('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'), encodeURIComponent('http://www.w3.org/2000/09/xmldsig#rsa-sha1'));
    const read = readRedirectBinding(sha1.slice(sha1.indexOf('?') + 1));
    assert.ok(read.ok);
    const v = validateRequest(read.message);
    assert.equal(!v.ok && v.code, 'SAML_SIGNATURE_ALGORITHM');
  });

  test('DOCTYPE, other roots, a repeated parameter and both messages at once are refused', () => {
    assert.equal((parseLogoutMessage('<!DOCTYPE x [<!ENTITY a "b">]><x/>') as { code?: string }).code, 'SAML_DOCTYPE_FORBIDDEN');
    assert.equal((parseLogoutMessage('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>') as { code?: string }).code, 'SAML_NOT_A_LOGOUT_MESSAGE');
    assert.equal((readRedirectBinding('SAMLRequest=a&SAMLRequest=b') as { code?: string }).code, 'SAML_MALFORMED');
    assert.equal((readPostBinding({ SAMLRequest: 'AA==', SAMLResponse: 'AA==' }) as { code?: string }).code, 'SAML_MALFORMED');
    assert.equal((readPostBinding({}) as { code?: string }).code, 'SAML_NOT_A_LOGOUT_MESSAGE');
  });
});

describe('LogoutResponse validation', () => {
  const responseXml = (over: Partial<Parameters<typeof buildLogoutResponseXml>[0]> = {}) =>
    buildLogoutResponseXml({ id: '_resp1', now: NOW, issuer: idp.entityId, destination: SLO_URL, inResponseTo: '_ours', status: { code: STATUS_SUCCESS }, ...over });
  const validate = (received: ReturnType<typeof viaPost>, expected = '_ours') => {
    const parsed = parseLogoutMessage(received.xml);
    assert.ok(parsed.ok);
    return validateLogoutResponse(parsed.parsed, received, { ...opts, expectedInResponseTo: expected });
  };
  const post = (xml: string) => {
    const read = readPostBinding({ SAMLResponse: Buffer.from(xml).toString('base64') });
    assert.ok(read.ok);
    return read.message;
  };

  test('a signed Success answer to our request is accepted by either binding; a non-success status is read', () => {
    const r1 = validate(viaRedirect(responseXml(), idpKey, 'SAMLResponse'));
    assert.deepEqual(r1, { ok: true, value: { inResponseTo: '_ours', success: true } });
    const r2 = validate(post(signEnveloped(responseXml({ status: { code: STATUS_REQUESTER, subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied', message: 'no' } }), '_resp1', idpKey, idp.certPem)));
    assert.ok(r2.ok && !r2.value.success && /Requester \/ .*RequestDenied: no/.test(r2.value.status));
  });

  test('unsigned, foreign-signed, wrong InResponseTo, wrong Destination and wrong Issuer answers are refused', () => {
    assert.equal((validate(post(responseXml())) as { code?: string }).code, 'SAML_SIGNATURE_MISSING');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    assert.equal((validate(viaRedirect(responseXml(), other, 'SAMLResponse')) as { code?: string }).code, 'SAML_SIGNATURE_INVALID');
    assert.equal((validate(viaRedirect(responseXml(), idpKey, 'SAMLResponse'), '_another') as { code?: string }).code, 'SAML_LOGOUT_UNKNOWN_REQUEST');
    assert.equal((validate(viaRedirect(responseXml({ destination: 'https://elsewhere.test/slo' }), idpKey, 'SAMLResponse')) as { code?: string }).code, 'SAML_LOGOUT_DESTINATION_MISMATCH');
    assert.equal((validate(viaRedirect(responseXml({ issuer: 'https://evil.test' }), idpKey, 'SAMLResponse')) as { code?: string }).code, 'SAML_ISSUER_MISMATCH');
  });
});

const VECTORS = sharedVectors('saml', 'the SLO validator against the SAML response vectors (src/sso/saml/validate-logout.test.ts)');

describe('SAML vectors never pass as logout messages', { skip: VECTORS.skip }, () => {
  test('every response capture and attack fixture of MANIFEST.tsv is refused by the LogoutRequest validator', () => {
    const { responseRows, responseXml } = samlVectorReader(VECTORS);
    const rows = responseRows();
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const xml = responseXml(row.file!);
      const parsed = parseLogoutMessage(xml);
      if (!parsed.ok) continue;
      const v = validateLogoutRequest(parsed.parsed, { binding: 'post', querySignature: null }, { ...opts, idpEntityId: row.idp_entity_id || 'x' });
      assert.equal(v.ok, false, `${row.file} was accepted as a LogoutRequest`);
    }
  });
});

describe('which IdP endpoint a logout message goes to', () => {
  const settings = (slo: SamlSettings['slo'], sloResponse?: SamlSettings['sloResponse']) => ({ slo, sloResponse }) as SamlSettings;
  test('none for a connection saved before SLO endpoints were kept; HTTP-Redirect preferred; responses to the ResponseLocation', () => {
    assert.equal(idpSloEndpoint({} as SamlSettings, 'request'), null);
    assert.equal(idpSloEndpoint(settings({}), 'response'), null);
    assert.deepEqual(idpSloEndpoint(settings({ redirectUrl: 'https://i/r', postUrl: 'https://i/p' }), 'request'), { binding: 'redirect', url: 'https://i/r' });
    assert.deepEqual(idpSloEndpoint(settings({ postUrl: 'https://i/p' }, { postUrl: 'https://i/p-resp' }), 'response'), { binding: 'post', url: 'https://i/p-resp' });
    assert.deepEqual(idpSloEndpoint(settings({ redirectUrl: 'https://i/r' }, {}), 'response'), { binding: 'redirect', url: 'https://i/r' });
  });
});
