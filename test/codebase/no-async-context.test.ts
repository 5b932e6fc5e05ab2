/**
 * Per-request state travels explicitly (the request's logger as an argument, the branding on the
 * request), never through an async context: on Node 20, AsyncLocalStorage and async hooks, once
 * entered, put a hook on every promise of every request (~7 % of a SCIM create's CPU).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

test('no server code uses AsyncLocalStorage or async hooks', () => {
  const files = sources(new URL('../../src', import.meta.url).pathname);
  assert.ok(files.length > 50);
  const offenders = files.filter((f) => /from 'node:async_hooks'|require\('(node:)?async_hooks'\)|AsyncLocalStorage\s*\(|createHook\s*\(/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});
