#!/usr/bin/env node
// Bundles the server (src/) into dist/server with esbuild, so Gatehouse starts as plain JavaScript:
// one module graph read from a few files instead of ~1,000 resolved and transpiled one by one
// (docs/decisions/0008-ship-a-bundled-server.md).
//   node scripts/build-server.mjs               build; exit 1 on failure (npm run build:server)
//   node scripts/build-server.mjs --if-stale    build only when dist/server is missing or older than src/
//   node scripts/build-server.mjs --postinstall from `npm ci`/`npm install`: never fails the install
// Also used as a module: ensureServerBundle() (scripts/start.mjs, bin/gatehouse.mjs, npm test).
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { newestMtime } from './newest-mtime.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_DIR = join(root, 'dist', 'server');
/**
 * V8 flags every start command uses (package.json `start`, the Dockerfile, the cluster tests, the
 * benchmarks): a 256 MiB old-generation ceiling and 2 MiB young-generation semi-spaces. The live heap
 * after thousands of logins is ~25 MiB; without a ceiling V8 sizes its heap from the machine's memory
 * and lets garbage reach ~60 MiB before collecting (docs/benchmarks.md, "Peak RSS").
 */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=2'];
/**
 * Environment every start command sets (package.json `start` unless already set, the Dockerfile, the benchmarks):
 * glibc's malloc gives each thread that allocates an arena of its own (up to 8 per core), and memory freed in one is
 * seldom returned; two arenas took 4.5–11.5 MiB off the peak RSS under logins (decision 0050).
 */
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2' };
const STAMP = join(SERVER_DIR, 'build.json');

/**
 * ES module entry points: the server's entry (main.mjs, which runs server.cjs through V8's code cache), the CLI, and
 * the worker threads (the webhook sender's, the SP certificate's, SAML validation), each loaded beside its caller.
 */
const ENTRIES = {
  main: 'src/server-entry.ts',
  cli: 'src/cli.ts',
  'sender-worker': 'src/directory-sync/webhooks/sender-worker.ts',
  'sp-cert-worker': 'src/sso/saml/sp-cert-worker.ts',
  'validate-worker': 'src/sso/saml/validate-worker.ts',
};
/**
 * The server itself (src/main.ts) as one CommonJS script, so it can run through `vm.Script` with a V8 code cache
 * (Node 20 has none for ES modules without a flag; decision 0060). Its dynamic import()s become require()s of
 * modules bundled into it (evaluated on first use, as the chunks were) or of the externals in node_modules.
 */
const SERVER_SCRIPT = { server: 'src/main.ts' };

/** What the bundle was built from: the newest mtime under src/ and of the lockfile (dependency changes rebuild too). */
function sourceStamp() {
  const lock = join(root, 'package-lock.json');
  return { src: newestMtime(join(root, 'src'), (name) => name.endsWith('.test.ts')), lock: existsSync(lock) ? statSync(lock).mtimeMs : 0 };
}

export function isStale() {
  if (!existsSync(STAMP) || !existsSync(join(SERVER_DIR, 'main.mjs')) || !existsSync(join(SERVER_DIR, 'server.cjs'))) return true;
  try {
    const built = JSON.parse(readFileSync(STAMP, 'utf8'));
    const now = sourceStamp();
    return built.src !== now.src || built.lock !== now.lock;
  } catch {
    return true;
  }
}

export async function buildServer({ quiet = false } = {}) {
  const started = Date.now();
  const stamp = sourceStamp();
  const esbuild = await import('esbuild');
  rmSync(SERVER_DIR, { recursive: true, force: true });
  const common = {
    absWorkingDir: root,
    outdir: SERVER_DIR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Native addons, optional drivers and piscina (it starts its own worker file from node_modules) stay in node_modules.
    external: ['better-sqlite3', 'pg-native', 'xml-encryption', 'piscina'],
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked', // node --enable-source-maps maps stack traces back to src/ (server.cjs then runs without its code cache)
    legalComments: 'none',
    logLevel: 'warning',
  };
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: ENTRIES,
      splitting: true, // dynamic import()s (rarely used modules, the database drivers) become chunks loaded on first use
      format: 'esm',
      outExtension: { '.js': '.mjs' },
      // Chunks sit beside the entries, so `new URL('./sender-worker.mjs', import.meta.url)` resolves from any of them.
      chunkNames: '[name]-[hash]',
      // CommonJS dependencies call require() for Node built-ins; ESM output has none of its own.
      banner: { js: "import { createRequire as __gatehouseRequire } from 'node:module'; const require = __gatehouseRequire(import.meta.url);" },
    }),
    esbuild.build({
      ...common,
      entryPoints: SERVER_SCRIPT,
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
      supported: { 'dynamic-import': false },
      // import.meta.url (worker files beside the bundle, createRequire) is this file's URL, as in the ES module build.
      define: { 'import.meta.url': '__gatehouseModuleUrl' },
      banner: { js: "const __gatehouseModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    }),
  ]);
  writeFileSync(STAMP, `${JSON.stringify({ ...stamp, builtAt: new Date().toISOString() })}\n`);
  if (!quiet) console.log(`build-server: server bundled into dist/server in ${Date.now() - started} ms`);
}

/** Rebuilds when src/ (or the lockfile) changed since the last build, so `npm start` never runs stale code. */
export async function ensureServerBundle() {
  if (isStale()) await buildServer();
  return join(SERVER_DIR, 'main.mjs');
}

const invokedDirectly = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url;
if (invokedDirectly) {
  const postinstall = process.argv.includes('--postinstall');
  try {
    if (process.argv.includes('--if-stale')) await ensureServerBundle();
    else await buildServer();
  } catch (err) {
    console.error(`build-server: the server failed to build: ${err?.message ?? err}`);
    if (postinstall) {
      console.error('build-server: continuing the install; `npm start` builds again and shows the error.');
      process.exit(0);
    }
    process.exit(1);
  }
}
