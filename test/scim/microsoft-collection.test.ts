/**
 * Microsoft's SCIM test collection (../shared/vectors/scim/microsoft, MIT) run with newman against a
 * real Gatehouse on SQLite over HTTP, every folder the vectors README lists, from an empty directory.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startWithDirectory } from '../support/scim.ts';
import { sharedVectors } from '../support/shared-vectors.ts';

const require = createRequire(import.meta.url);
const newman = require('newman') as { run(opts: object, cb: (err: Error | null, summary: any) => void): void };
const VECTORS = sharedVectors('scim', "Microsoft's SCIM test collection (test/scim/microsoft-collection.test.ts)");
const COLLECTION = new URL('microsoft/PostmanCollection.json', VECTORS.url);
export const FOLDERS = ['Endpoint tests', 'User tests', 'Group tests', 'ComplexAttribute tests', 'User tests with garbage', 'Group tests with garbage', 'Teardown garbage'];

describe('Microsoft SCIM test collection (newman)', { skip: VECTORS.skip }, () => {
  let s: NonNullable<Awaited<ReturnType<typeof startWithDirectory>>>;
  before(async () => {
    s = (await startWithDirectory({ listen: true }))!;
  });
  after(() => s.gh.close());

  test('every listed folder passes with zero failed assertions', async () => {
    const port = new URL(s.gh.baseUrl).port;
    const summary = await new Promise<any>((resolve, reject) =>
      newman.run(
        {
          collection: JSON.parse(readFileSync(COLLECTION, 'utf8')),
          folder: FOLDERS,
          environment: { values: [
            { key: 'Protocol', value: 'http' }, { key: 'Server', value: '127.0.0.1' }, { key: 'Port', value: `:${port}` },
            { key: 'Api', value: s.dir.path.replace(/^\//, '') }, { key: 'token', value: s.dir.secret },
          ] },
          reporters: [],
        },
        (err, sum) => (err ? reject(err) : resolve(sum)),
      ),
    );
    const stats = summary.run.stats;
    const failures = summary.run.failures.map((f: any) => `${f.source?.name}: ${f.error?.test ?? ''} ${f.error?.message}`);
    process.stdout.write(`# microsoft collection: ${stats.requests.total} requests, ${stats.assertions.total} assertions, ${stats.assertions.failed} failed\n`);
    assert.deepEqual(failures, []);
    assert.equal(stats.requests.failed, 0);
    assert.equal(stats.assertions.failed, 0);
    assert.ok(stats.requests.total >= 70, `ran ${stats.requests.total} requests`);
  });
});
