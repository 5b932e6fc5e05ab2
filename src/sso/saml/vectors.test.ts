/**
 * Every response row of ../shared/vectors/saml/MANIFEST.tsv (real IdP captures and other
 * libraries' attack fixtures) through parseSamlResponse + validateSamlResponse.
 *
 * Policy note: the ssoready okta capture (expected "valid-if-assertion-sig-only") has a valid
 * Assertion signature and a broken Response signature. SSOReady accepts it because it only checks
 * the assertion; Gatehouse requires EVERY signature present to verify, so we REJECT it with
 * SAML_SIGNATURE_INVALID, as the row's reference_policy says.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorCode } from '../../errors.ts';
import { parseSamlResponse, validateSamlResponse, type ValidateSamlOptions } from './validate-response.ts';
import { sharedVectors } from '../../../test/support/shared-vectors.ts';
import { samlVectorReader, type ManifestRow as Row } from '../../../test/support/saml-vectors.ts';
import { recordValidation } from '../../../test/support/saml-verdicts.ts';

const VECTORS = sharedVectors('saml', 'the SAML response vector tests (src/sso/saml/vectors.test.ts)');
const { responseRows, responseXml, optionsFor } = samlVectorReader(VECTORS);

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

function run(row: Row, overrides: Partial<ValidateSamlOptions> = {}) {
  const xml = responseXml(row.file!);
  const opts = { ...optionsFor(row, xml), ...overrides };
  const parsed = parseSamlResponse(xml);
  return recordValidation(xml, opts, parsed.ok ? validateSamlResponse(parsed.parsed, opts) : parsed);
}

describe('SAML response vectors (MANIFEST.tsv)', { skip: VECTORS.skip }, () => {
  const rows = responseRows();

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
});
