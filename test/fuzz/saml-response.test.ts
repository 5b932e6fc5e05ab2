/**
 * Fuzz slice of the SAML response validator (part of `npm test`): real responses from
 * ../shared/vectors/saml, mutated; never a thrown error, always a typed result, and a mutated
 * response accepted only when it yields exactly what the original yields (see saml-targets.ts).
 * Skips loudly without ../shared (fails in CI). The long run is bench/fuzz.ts.
 */
import { describe, test } from 'node:test';
import { sharedVectors } from '../support/shared-vectors.ts';
import { assertTarget } from './harness.ts';
import { samlResponseTarget } from './saml-targets.ts';

const VECTORS = sharedVectors('saml', 'the SAML response fuzz slice (test/fuzz/saml-response.test.ts)');
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

describe('fuzz: SAML response validator on mutated real responses', { skip: VECTORS.skip }, () => {
  test('never throws, always typed, accepts a mutation only when it yields the same data', () => assertTarget(samlResponseTarget(VECTORS), RUNS));
});
