/**
 * Where Gatehouse's own files are, whether it runs from src/ through tsx or bundled into dist/server
 * (scripts/build-server.mjs): the project root is the nearest folder above this module whose
 * package.json names the package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gatehouse') return dir;
    if (dirname(dir) === dir) throw new Error(`Gatehouse's package.json was not found above ${from}`);
  }
}

const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
/** The admin portal, built by scripts/build-web.mjs. */
export const WEB_ROOT = join(PROJECT_ROOT, 'dist', 'web');

/** The version in package.json (the OpenAPI document's `info.version`). */
export const GATEHOUSE_VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
