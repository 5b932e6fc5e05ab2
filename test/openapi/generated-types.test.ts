/**
 * Decision 0041: the TypeScript types the portal (web/src/shared/api.gen.ts) and the Node SDK
 * (packages/node/src/api.gen.ts) use are what scripts/generate-api-types.mjs makes from the OpenAPI document the
 * server serves. A change to an answer view or an operation row without regenerating fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = `${root}scripts/generate-api-types.mjs`;

test('the generated API types are up to date with the OpenAPI document (node scripts/generate-api-types.mjs --check)', async () => {
  const run = await promisify(execFile)(process.execPath, [script, '--check'], { cwd: root }).then(() => ({ code: 0, stderr: '' }), (err: { code: number; stderr: string }) => err);
  assert.equal(run.code, 0, run.stderr);
});

test('the check is not vacuous: both files hold the document\'s types, byte for byte', async () => {
  const { TARGETS, generatedTypes } = (await import(script)) as { TARGETS: string[]; generatedTypes: () => Promise<string> };
  const text = await generatedTypes();
  assert.match(text, /ConnectionHealth: \{/);
  assert.match(text, /"\/api\/v1\/reconciliation": \{/);
  for (const file of TARGETS) assert.equal(readFileSync(file, 'utf8'), text, file);
});
