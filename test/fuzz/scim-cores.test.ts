/**
 * Fuzz slice of the pure SCIM cores (part of `npm test`): filters through parser, matcher and the
 * SQL compiler of every dialect; PATCH bodies through readPatchBody + applyScimPatch. A failure
 * prints the seed (replay with FUZZ_SEED=<seed>) and the shrunk input. The long run is bench/fuzz.ts.
 */
import { describe, test } from 'node:test';
import { assertTarget } from './harness.ts';
import { scimCoreTargets } from './scim-targets.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

describe('fuzz: SCIM filter and PATCH cores', () => {
  for (const target of scimCoreTargets()) {
    test(`${target.name}: typed refusals only, never a thrown error`, () => assertTarget(target, RUNS));
  }
});
