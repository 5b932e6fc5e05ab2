#!/usr/bin/env node
// Builds the admin portal (web/) into dist/web with Vite.
//   node scripts/build-web.mjs               build; exit 1 on failure (npm run build:web)
//   node scripts/build-web.mjs --postinstall  build from `npm ci`/`npm install`; never fails the install: when the
//                                             build tools are absent (--omit=dev) or the build breaks, it says so
//                                             loudly and Gatehouse serves a "portal not built" page instead
//   node scripts/build-web.mjs --if-stale     build only when dist/web is missing or older than web/ (npm test)
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from './newest-mtime.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const webDir = join(root, 'web');
const indexHtml = join(root, 'dist', 'web', 'index.html');
const postinstall = process.argv.includes('--postinstall');
const ifStale = process.argv.includes('--if-stale');

if (!existsSync(webDir)) process.exit(0);
if (ifStale && existsSync(indexHtml) && statSync(indexHtml).mtimeMs >= newestMtime(webDir, (name) => name === 'node_modules')) process.exit(0);

let vite;
try {
  vite = await import('vite');
} catch {
  const msg = 'build-web: Vite is not installed (dev dependencies omitted?); the admin portal was not built. Run `npm install && npm run build:web`.';
  if (postinstall) {
    console.warn(msg);
    process.exit(0);
  }
  console.error(msg);
  process.exit(1);
}

const started = Date.now();
try {
  await vite.build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  console.log(`build-web: admin portal built into dist/web in ${Date.now() - started} ms`);
} catch (err) {
  console.error(`build-web: the admin portal failed to build: ${err?.message ?? err}`);
  if (postinstall) {
    console.error('build-web: continuing the install without it; `npm run build:web` shows the error again.');
    process.exit(0);
  }
  process.exit(1);
}
