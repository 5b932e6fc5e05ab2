/**
 * Every response row of ../shared/vectors/saml/MANIFEST.tsv (real IdP captures and other
 * libraries' attack fixtures) through parseSamlResponse + validateSamlResponse.
 *
 * Policy note: the ssoready okta capture (expected "valid-if-assertion-sig-only") has a valid
 * Assertion signature and a broken Response signature. SSOReady accepts it because it only checks
 * the assertion; Gatehouse requires EVERY signature present to verify, so we REJECT it with
 * SAML_SIGNATURE_INVALID, as the row's reference_policy says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import type { ErrorCode } from '../../errors.ts';
import { parseSamlResponse, publicKeyFromCertificate, validateSamlResponse, type ValidateSamlOptions } from './validate-response.ts';

const VECTORS = new URL('../../../../shared/vectors/saml/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, VECTORS), 'utf8');

type Row = Record<string, string>;
function manifest(): Row[] {
  const [header, ...lines] = read('MANIFEST.tsv').split('\n').filter((l) => l.trim() !== '');
  const columns = header!.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** Reasons of the reference policy, mapped to the codes our validator may answer with. */
const REASON_CODES: Record<string, ErrorCode[]> = {
  'a-signature-is-invalid': ['SAML_SIGNATURE_INVALID'],
  'not-signed-by-trusted-key': ['SAML_SIGNATURE_MISSING', 'SAML_SIGNATURE_INVALID'],
  'assertions=2': ['SAML_ASSERTION_COUNT'],
  'no-consumable-assertion': ['SAML_ASSERTION_COUNT'],
  'audience-mismatch': ['SAML_AUDIENCE_MISMATCH'],
  'destination-mismatch': ['SAML_DESTINATION_MISMATCH'],
  'response-issuer-mismatch': ['SAML_ISSUER_MISMATCH'],
  'assertion-issuer-mismatch': ['SAML_ISSUER_MISMATCH'],
  'before-NotBefore': ['SAML_NOT_YET_VALID'],
  'after-NotOnOrAfter': ['SAML_EXPIRED'],
  'after-SCD-NotOnOrAfter': ['SAML_EXPIRED'],
};

function acceptableCodes(policy: string): Set<ErrorCode> {
  const m = /^reject\((.*)\)$/.exec(policy);
  assert.ok(m, `reference_policy "${policy}" is not reject(...)`);
  const codes = new Set<ErrorCode>();
  for (const reason of m[1]!.split(',')) {
    const mapped = REASON_CODES[reason.trim()];
    assert.ok(mapped, `unmapped reason "${reason}" in the manifest`);
    mapped.forEach((c) => codes.add(c));
  }
  return codes;
}

function responseXml(file: string): string {
  const raw = read(file);
  return /\.(b64|base64)$/.test(file) ? Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8') : raw;
}

/** Signing certificates of an IdP metadata file: KeyDescriptors (not use="encryption") of the IDPSSODescriptor. */
function metadataSigningCerts(xml: string): string[] {
  const root = new DOMParser({ onError: () => undefined }).parseFromString(xml.replace(/^\uFEFF/, ''), 'text/xml').documentElement!;
  const certs = new Set<string>();
  const walk = (el: Element, inIdp: boolean, inSigningKey: boolean): void => {
    const idp = inIdp || el.localName === 'IDPSSODescriptor';
    const key = inSigningKey || (idp && el.localName === 'KeyDescriptor' && el.getAttribute('use') !== 'encryption');
    if (key && el.localName === 'X509Certificate') certs.add((el.textContent ?? '').replace(/\s+/g, ''));
    for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) walk(n as Element, idp, key);
  };
  walk(root, false, false);
  return [...certs];
}

function trustedKeys(file: string): KeyObject[] {
  const text = read(file);
  const certs = file.endsWith('.xml') ? metadataSigningCerts(text) : [text];
  assert.ok(certs.length > 0, `no certificate in ${file}`);
  return certs.map(publicKeyFromCertificate);
}

function optionsFor(row: Row, xml: string): ValidateSamlOptions {
  const audience = row.sp_entity_id_audience!.startsWith('(any')
    ? /<(?:[\w-]+:)?Audience>([^<]*)<\/(?:[\w-]+:)?Audience>/.exec(xml)![1]!.trim()
    : row.sp_entity_id_audience!;
  return {
    trustedKeys: trustedKeys(row.trust!),
    spEntityId: audience,
    acsUrl: row.acs_destination!,
    idpEntityId: row.idp_entity_id || undefined,
    expectedInResponseTo: row.in_response_to || null,
    decryptionKeys: row.decrypt_key ? [createPrivateKey(read(row.decrypt_key))] : [],
    now: Date.parse(row.clock_utc!),
    skewSeconds: 90,
    // Several real captures are rsa-sha1; Gatehouse refuses SHA-1 unless a connection allows it.
    allowSha1: true,
    skipRecipientCheck: row.skip_recipient_check === 'yes',
  };
}

function run(row: Row, overrides: Partial<ValidateSamlOptions> = {}) {
  const xml = responseXml(row.file!);
  const parsed = parseSamlResponse(xml);
  if (!parsed.ok) return parsed;
  return validateSamlResponse(parsed.parsed, { ...optionsFor(row, xml), ...overrides });
}

const rows = manifest().filter((r) => r.kind === 'response');

test('the manifest lists the response vectors', () => {
  assert.ok(rows.length >= 55, `only ${rows.length} response rows`);
});

for (const row of rows) {
  const name = `${row.file}${row.scenario ? ` [${row.scenario}]` : ''} (${row.expected})`;
  test(name, () => {
    const result = run(row);
    if (row.expected === 'valid' || row.expected === 'valid-nameid-check') {
      assert.ok(result.ok, `expected acceptance, got ${result.ok ? '' : `${result.code}: ${result.detail}`}`);
      assert.equal(result.assertion.nameId, row.nameid);
      return;
    }
    // "invalid", and "valid-if-assertion-sig-only", which our every-signature-must-verify policy rejects.
    assert.ok(row.expected === 'invalid' || row.expected === 'valid-if-assertion-sig-only', `unknown expectation ${row.expected}`);
    assert.ok(!result.ok, `expected rejection (${row.reference_policy}), but it was accepted as ${result.ok ? result.assertion.nameId : ''}`);
    const codes = acceptableCodes(row.reference_policy!);
    assert.ok(codes.has(result.code), `got ${result.code} (${result.detail}); acceptable: ${[...codes].join(', ')}`);
  });
}

test('the ssoready okta capture is rejected only because of its broken Response signature', () => {
  const row = rows.find((r) => r.expected === 'valid-if-assertion-sig-only')!;
  const result = run(row);
  assert.ok(!result.ok);
  assert.equal(result.code, 'SAML_SIGNATURE_INVALID');
  assert.match(result.detail, /Response digest/);
});

test('a SHA-1 signed vector is refused with SAML_SIGNATURE_ALGORITHM when allowSha1 is false', () => {
  const row = rows.find((r) => r.file === 'crewjam/onelogin-response.b64' && r.expected === 'valid')!;
  assert.ok(run(row).ok, 'accepted with allowSha1');
  const result = run(row, { allowSha1: false });
  assert.ok(!result.ok);
  assert.equal(result.code, 'SAML_SIGNATURE_ALGORITHM');
});
