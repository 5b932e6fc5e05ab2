/**
 * The V8 code cache the shipped server starts through (src/code-cache.ts, decision 0060): a cache is used only for the
 * exact source, Node and V8 flags it was made for; one that is stale, corrupt or refused by V8 is not used, the
 * source runs as it is, and a new cache replaces it. Then the shipped bundle itself: a restart uses the cache its
 * first start wrote, and a corrupted cache file is not used and the server still serves.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeCacheFile, codeCacheKey, currentRuntime, runCommonJsWithCodeCache, type CodeCacheRuntime } from '../../src/code-cache.ts';
import { SERVER_DIR, SERVER_ENV, SERVER_NODE_FLAGS, isStale } from '../../scripts/build-server.mjs';
import { freePort } from '../support/gatehouse.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A script whose answer comes from a function compiled lazily (so it is in a cache made after running it). */
const script = (answer: number) => `exports.answer = function answer() { return ${answer}; };\nexports.ran = (exports.ran ?? 0) + 1;\n`;

describe('runCommonJsWithCodeCache', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'gatehouse-code-cache-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const load = (file: string, runtime?: CodeCacheRuntime) => {
    const loaded = runCommonJsWithCodeCache(file, { runtime });
    return { ...loaded, answer: (loaded.exports as { answer(): number }).answer() };
  };

  test('no cache: the script runs and a cache is written; the next load uses it and runs the same code', () => {
    const file = join(dir, 'fresh.cjs');
    writeFileSync(file, script(1));
    const first = load(file);
    assert.equal(first.codeCache, 'absent');
    assert.equal(first.answer, 1);
    assert.equal(first.saveCodeCache(), null);
    const second = load(file);
    assert.equal(second.codeCache, 'accepted');
    assert.equal(second.answer, 1);
    assert.equal((second.exports as { ran: number }).ran, 1, 'module-level code ran once, in its own module object');
  });

  test('a changed source of the same length does not use the old cache, and runs the new code', () => {
    const file = join(dir, 'changed.cjs');
    writeFileSync(file, script(1));
    const old = load(file);
    assert.equal(old.saveCodeCache(), null);
    writeFileSync(file, script(2)); // same length: V8's own check (the source's length) would accept the old bytes
    const changed = load(file);
    assert.notEqual(changed.cacheFile, old.cacheFile);
    assert.equal(changed.codeCache, 'absent');
    assert.equal(changed.answer, 2);
    // Even the old cache's bytes under the new key's file name are refused: its header names the old key.
    writeFileSync(changed.cacheFile, readFileSync(old.cacheFile));
    const renamed = load(file);
    assert.equal(renamed.codeCache, 'corrupt');
    assert.equal(renamed.answer, 2);
  });

  test('a corrupted or truncated cache is not used; the script still runs and a new cache replaces it', () => {
    const file = join(dir, 'corrupt.cjs');
    writeFileSync(file, script(3));
    const made = load(file);
    assert.equal(made.saveCodeCache(), null);
    const bytes = readFileSync(made.cacheFile);
    bytes[bytes.length - 8] ^= 0xff; // V8 would accept this silently: it keeps no checksum of its own in release builds
    writeFileSync(made.cacheFile, bytes);
    const corrupt = load(file);
    assert.equal(corrupt.codeCache, 'corrupt');
    assert.equal(corrupt.answer, 3);
    writeFileSync(made.cacheFile, bytes.subarray(0, bytes.length >> 1));
    assert.equal(load(file).codeCache, 'corrupt');
    assert.equal(corrupt.saveCodeCache(), null);
    assert.equal(load(file).codeCache, 'accepted');
  });

  test('a cache V8 refuses (made under other V8 flags) is reported as rejected and the script runs', () => {
    const file = join(dir, 'flags.cjs');
    writeFileSync(file, script(4));
    // The same key for both processes, so only V8's own check of its flags can tell them apart.
    const runtime: CodeCacheRuntime = { ...currentRuntime(), flags: ['test'] };
    const made = spawnSync(process.execPath, ['--no-opt', '--import', 'tsx', '--input-type=module', '-e', `
      import { runCommonJsWithCodeCache } from ${JSON.stringify(join(ROOT, 'src/code-cache.ts'))};
      const loaded = runCommonJsWithCodeCache(${JSON.stringify(file)}, { runtime: ${JSON.stringify(runtime)} });
      process.exit(loaded.saveCodeCache() === null ? 0 : 1);`], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const refused = load(file, runtime);
    assert.equal(refused.codeCache, 'rejected');
    assert.equal(refused.answer, 4);
  });

  test('a cache that cannot be written (a read-only or missing directory) is reported, not thrown', () => {
    const file = join(dir, 'readonly.cjs');
    writeFileSync(file, script(5));
    const loaded = runCommonJsWithCodeCache(file, { cacheDir: join(dir, 'no-such-dir') });
    assert.match(loaded.saveCodeCache() ?? '', /ENOENT/);
    assert.equal((loaded.exports as { answer(): number }).answer(), 5);
  });

  test('with source maps on, the script runs through Node\'s own loader (whose stack traces they map), no cache', () => {
    const file = join(dir, 'mapped.cjs');
    writeFileSync(file, script(6));
    const run = spawnSync(process.execPath, ['--enable-source-maps', '--import', 'tsx', '--input-type=module', '-e', `
      import { runCommonJsWithCodeCache } from ${JSON.stringify(join(ROOT, 'src/code-cache.ts'))};
      const loaded = runCommonJsWithCodeCache(${JSON.stringify(file)});
      process.stdout.write(JSON.stringify({ codeCache: loaded.codeCache, answer: loaded.exports.answer(), saved: loaded.saveCodeCache() }));`], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { codeCache: 'off', answer: 6, saved: 'source maps are on' });
  });

  test('the key covers the source, the Node build and the V8 flags', () => {
    const runtime = currentRuntime();
    const key = codeCacheKey(script(1), runtime);
    assert.notEqual(codeCacheKey(script(2), runtime), key);
    assert.notEqual(codeCacheKey(script(1), { ...runtime, flags: [...runtime.flags, '--max-semi-space-size=1'] }), key);
    assert.notEqual(codeCacheKey(script(1), { ...runtime, node: 'v0.0.0' }), key);
    assert.match(codeCacheFile('/x/server.cjs', key), new RegExp(`^/x/server\\.cjs\\.${key.slice(0, 16)}\\.v8cache$`));
  });
});

describe('the shipped server through its code cache', () => {
  // A copy of the bundle of its own (inside the project, so node_modules and package.json are found as from dist/server):
  // the other tests' servers share dist/server's cache.
  let bundle: string;
  let dbDir: string;
  const encryptionKey = randomBytes(32).toString('hex');
  before(() => {
    assert.equal(isStale(), false, 'npm test builds dist/server from the current src/ before running');
    bundle = mkdtempSync(join(ROOT, 'dist', 'code-cache-test-'));
    cpSync(SERVER_DIR, bundle, { recursive: true, filter: (src) => !src.endsWith('.v8cache') });
    dbDir = mkdtempSync(join(tmpdir(), 'gatehouse-code-cache-db-'));
  });
  after(() => {
    rmSync(bundle, { recursive: true, force: true });
    rmSync(dbDir, { recursive: true, force: true });
  });

  /** Starts the bundle copy, waits for /api/health (and, when `untilCacheWritten`, the cache), stops it; returns its log. */
  async function startAndStop(untilCacheWritten: boolean): Promise<string> {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(bundle, 'main.mjs')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...SERVER_ENV, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), EXTERNAL_URL: baseUrl, DATABASE_URL: `sqlite:${join(dbDir, 'gatehouse.db')}`, ENCRYPTION_KEY: encryptionKey, LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        assert.equal(child.exitCode, null, `the bundle exited before it was ready:\n${output}`);
        if (await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false)) break;
        assert.ok(Date.now() < deadline, `not ready within 30 s:\n${output}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      while (!output.includes('Gatehouse is ready') || (untilCacheWritten && !/V8 code cache (written|not written)/.test(output))) {
        assert.ok(Date.now() < deadline, `no ready line or cache line within 30 s:\n${output}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    return output;
  }
  const codeCacheOf = (log: string) => (JSON.parse(log.split('\n').find((l) => l.includes('Gatehouse is ready'))!) as { codeCache?: string }).codeCache;
  const cacheFiles = () => readdirSync(bundle).filter((f) => f.endsWith('.v8cache'));

  test('a first start writes the cache after it is ready; a restart uses it', async () => {
    const first = await startAndStop(true);
    assert.equal(codeCacheOf(first), 'absent');
    assert.match(first, /V8 code cache written/);
    assert.deepEqual(cacheFiles().length, 1);
    const restart = await startAndStop(false);
    assert.equal(codeCacheOf(restart), 'accepted');
    assert.doesNotMatch(restart, /V8 code cache written/);
  });

  test('a corrupted cache file is not used: the server starts, serves, and writes a good one', async () => {
    const [name] = cacheFiles();
    const file = join(bundle, name!);
    const bytes = readFileSync(file);
    for (let i = 200; i < bytes.length; i += 4096) bytes[i] ^= 0x5a;
    writeFileSync(file, bytes);
    const corrupt = await startAndStop(true);
    assert.equal(codeCacheOf(corrupt), 'corrupt');
    assert.match(corrupt, /V8 code cache written/);
    assert.equal(codeCacheOf(await startAndStop(false)), 'accepted');
  });
});
