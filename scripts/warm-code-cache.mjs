#!/usr/bin/env node
// Writes the server bundle's V8 code cache (docs/decisions/0060-restart-code-cache.md) ahead of the first start: starts
// dist/server/main.mjs once with the start command's flags (SERVER_NODE_FLAGS) on a throwaway SQLite file, and stops it
// once the cache is written. The Docker image runs it at build, so every container's first start already has the cache
// (the key is the bundle, the Node build and the flags: the image's CMD must use SERVER_NODE_FLAGS and no NODE_OPTIONS).
//   node scripts/warm-code-cache.mjs    exit 0 when the cache is written (or was already there), 1 otherwise
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_DIR, SERVER_ENV, SERVER_NODE_FLAGS, ensureServerBundle } from './build-server.mjs';

const freePort = () => new Promise((resolve, reject) => {
  const probe = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

await ensureServerBundle();
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-warm-'));
const port = await freePort();
const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(SERVER_DIR, 'main.mjs')], {
  env: { PATH: process.env.PATH ?? '', ...SERVER_ENV, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), EXTERNAL_URL: `http://127.0.0.1:${port}`, DATABASE_URL: `sqlite:${join(dir, 'warm.db')}`, ENCRYPTION_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
const outcome = await new Promise((resolve) => {
  const timer = setTimeout(() => resolve('the server did not write its code cache within 60 s'), 60_000);
  child.once('exit', (code) => resolve(`the server exited (${code}) before writing its code cache`));
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
    const done = /"codeCache":"accepted"|V8 code cache written/.test(output) ? null : /V8 code cache not written[^\n]*/.exec(output)?.[0];
    if (done === null || done) {
      clearTimeout(timer);
      resolve(done ?? 'ok');
    }
  });
});
child.kill('SIGTERM');
await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
rmSync(dir, { recursive: true, force: true });
if (outcome !== 'ok') {
  console.error(`warm-code-cache: ${outcome}\n${output.slice(-2000)}`);
  process.exit(1);
}
console.log(`warm-code-cache: the V8 code cache is in place beside ${join(SERVER_DIR, 'server.cjs')}`);
