/**
 * Shared by the validator's rule-by-rule tests (validate-response.test.ts and
 * validate-response-assertion.test.ts): a test IdP, the SP's values, a response builder, and
 * `check` / `accepted` / `refused` around parse + validate with a fixed clock.
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import type { ErrorCode } from '../../errors.ts';
import { buildSamlResponse, createTestIdp, type ResponseOptions } from '../../../test/support/saml-idp.ts';
import { recordValidation } from '../../../test/support/saml-verdicts.ts';
import { parseSamlResponse, publicKeyFromCertificate, validateSamlResponse, type SamlAssertionResult, type ValidateSamlOptions } from './validate-response.ts';

export const SP = 'https://sp.gatehouse.test/metadata';
export const ACS = 'https://sp.gatehouse.test/api/oauth/saml';
export const REQUEST = '_request-1';
export const NOW = Date.parse('2030-01-01T12:00:00Z');
export const SKEW = 90;

export const idp = await createTestIdp({ entityId: 'https://idp.acme.test/saml' });
export const otherIdp = await createTestIdp({ entityId: 'https://idp.acme.test/saml' }); // same name, different key
export const sp = await createTestIdp({ entityId: SP }); // only its key pair is used, as the SP encryption credentials
export const idpKey = publicKeyFromCertificate(idp.certPem);
export const spKey = createPrivateKey(sp.privateKeyPem);

export function build(over: Partial<ResponseOptions> = {}): string {
  return buildSamlResponse({
    idp, spEntityId: SP, acsUrl: ACS, inResponseTo: REQUEST, nameId: 'alice@acme.com', now: NOW,
    attributes: { email: 'alice@acme.com', groups: ['admins', 'staff'] }, ...over,
  });
}

export type Result = ReturnType<typeof validateSamlResponse>;
export function check(xml: string, over: Partial<ValidateSamlOptions> = {}): Result {
  const opts: ValidateSamlOptions = {
    trustedKeys: [idpKey], spEntityId: SP, acsUrl: ACS, idpEntityId: idp.entityId, expectedInResponseTo: REQUEST,
    decryptionKeys: [spKey], now: NOW, skewSeconds: SKEW, allowSha1: false, ...over,
  };
  const parsed = parseSamlResponse(xml);
  return recordValidation(xml, opts, parsed.ok ? validateSamlResponse(parsed.parsed, opts) : parsed);
}
export function accepted(result: Result): SamlAssertionResult {
  assert.ok(result.ok, `expected acceptance, got ${result.ok ? '' : `${result.code}: ${result.detail}`}`);
  return result.assertion;
}
export function refused(result: Result, code: ErrorCode, detail?: RegExp): void {
  assert.ok(!result.ok, `expected ${code}, but it was accepted for ${result.ok ? result.assertion.nameId : ''}`);
  assert.equal(result.code, code, result.detail);
  if (detail) assert.match(result.detail, detail);
}
export const assertionIdOf = (xml: string): string => /<saml:Assertion [^>]*ID="([^"]+)"/.exec(xml)![1]!;
export const responseIdOf = (xml: string): string => /<samlp:Response [^>]*ID="([^"]+)"/.exec(xml)![1]!;
