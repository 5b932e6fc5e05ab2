/**
 * The supported runtime (decision 0035): the image builds and runs on Node 24, CI runs Node 20, and the code has no
 * version-specific branch. The build stage's smoke step (the bundle loads, better-sqlite3 opens a database, every
 * migration applies) is run here word for word, so the step the image runs on 24 is known to pass on this Node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServerBundle } from '../../scripts/build-server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

test('both stages of the image are on Node 24; engines still admits Node 20', () => {
  assert.deepEqual(dockerfile.match(/^FROM \S+/gm), ['FROM node:24-bookworm-slim', 'FROM node:24-bookworm-slim']);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  assert.equal(pkg.engines.node, '>=20');
});

test("the build stage's smoke step passes on this Node against the bundle", async () => {
  await ensureServerBundle();
  const step = /^RUN (set -e;(?:[^\n]*\\\n)*[^\n]*)/m.exec(dockerfile)?.[1];
  assert.ok(step, 'the Dockerfile has the smoke step');
  assert.match(step, /node dist\/server\/cli\.mjs migrate/);
  const out = execFileSync('sh', ['-c', step.replace(/\\\n/g, ' ')], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  assert.match(out, /Applied: 001_sso_backbone/);
});

test('src/ has no Node-version branch', () => {
  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') && !f.endsWith('.test.ts') ? [join(dir, f)] : []));
  // The one use allowed is data, not a branch: the restart's code cache is keyed by the exact Node and V8 build
  // (decision 0060), so a cache made by another build is never run. Those two lines are taken out before the check.
  const KEY_LINES = ['  node: process.version,\n', '  v8: process.versions.v8,\n'];
  const textOf = (f: string) => {
    const text = readFileSync(f, 'utf8');
    if (!f.endsWith(join('src', 'code-cache.ts'))) return text;
    for (const line of KEY_LINES) assert.ok(text.includes(line), `code-cache.ts keys its cache by ${line.trim()}`);
    return KEY_LINES.reduce((t, line) => t.replace(line, ''), text);
  };
  const found = files(join(ROOT, 'src')).filter((f) => /process\.versions?\b/.test(textOf(f)));
  assert.deepEqual(found, []);
});
