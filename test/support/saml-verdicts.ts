/**
 * Every validation the SAML validator tests make (fixtures `check`, the vector runner), recorded so that
 * src/sso/saml/validation-pool.test.ts can run the same inputs through the worker-thread pool afterwards and
 * require the same verdicts (decision 0038).
 */
import type { ValidateSamlOptions, validateSamlResponse } from '../../src/sso/saml/validate-response.ts';

export interface RecordedValidation {
  xml: string;
  opts: ValidateSamlOptions;
  result: ReturnType<typeof validateSamlResponse>;
}

export const recordedValidations: RecordedValidation[] = [];

export function recordValidation<R extends ReturnType<typeof validateSamlResponse>>(xml: string, opts: ValidateSamlOptions, result: R): R {
  recordedValidations.push({ xml, opts, result });
  return result;
}
