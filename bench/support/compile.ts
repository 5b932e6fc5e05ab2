/**
 * Compiles src/ to plain JavaScript under bench/.build with the project's own TypeScript (type
 * checking off: this only measures what running compiled JS instead of tsx would change). Not how
 * Gatehouse ships today; it answers "what would a build step buy at startup?".
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = fileURLToPath(new URL('../.build/', import.meta.url));

/** Returns the path of the compiled src/main.js. */
export function compileToJs(): string {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}tsconfig.json`, JSON.stringify({
    extends: '../../tsconfig.json',
    compilerOptions: { noEmit: false, outDir: '.', rootDir: '../..', rewriteRelativeImportExtensions: true, noCheck: true, sourceMap: false, declaration: false },
    include: ['../../src'],
    exclude: ['../../src/**/*.test.ts'],
  }));
  const tsc = spawnSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-p', `${OUT}tsconfig.json`], { cwd: ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  return `${OUT}src/main.js`;
}
