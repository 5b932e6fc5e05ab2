/**
 * Fuzz slice of the HTTP surface (part of `npm test`), on every test dialect: management API JSON
 * bodies (/api/v1/sso, /api/v1/dsync, setup links) and SCIM POST/PATCH/filtered GET. Properties:
 * no 5xx, no thrown error, nothing stored on a refusal, the same answer twice for a refusal.
 * A failure prints the seed (replay with FUZZ_SEED=<seed>). The long run is bench/fuzz.ts.
 */
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../support/databases.ts';
import { assertTarget } from './harness.ts';
import { httpTargets, startFuzzWorld, type FuzzWorld } from './http-targets.ts';

const RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 6);

for (const dialect of testDialects()) {
  describe(`fuzz: HTTP bodies and filters (${dialect})`, () => {
    let world: FuzzWorld | null = null;
    before(async () => {
      world = await startFuzzWorld(dialect);
    });
    after(() => world?.close());
    // The targets need the world's ids: build them lazily, one test per target name.
    const names = ['POST /api/v1/sso', 'PATCH /api/v1/sso', 'POST /api/v1/dsync', 'PATCH /api/v1/dsync/:id', 'POST /api/v1/sso/setuplinks', 'POST /api/v1/dsync/setuplinks',
      'POST /Users (SCIM)', 'POST /Groups (SCIM)', 'PATCH /Users/:id (SCIM)', 'PATCH /Groups/:id (SCIM)', 'GET /Users?filter= (SCIM)', 'GET /Groups?filter= (SCIM)'];
    for (const name of names) {
      test(`${name}: no 5xx, nothing stored on refusal, same refusal twice`, async (t) => {
        if (!world) return t.skip(`${dialect} server unreachable`);
        const target = httpTargets(world).find((x) => x.name === name);
        if (!target) throw new Error(`no fuzz target named ${name}`);
        await assertTarget(target, RUNS);
      });
    }
  });
}
