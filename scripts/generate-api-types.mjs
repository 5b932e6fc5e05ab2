#!/usr/bin/env node
// Writes the TypeScript types of Gatehouse's OpenAPI document (decision 0041) to the two places that use them:
// web/src/shared/api.gen.ts (the portal and setup-link pages) and packages/node/src/api.gen.ts (the Node SDK).
//   node scripts/generate-api-types.mjs           write both files
//   node scripts/generate-api-types.mjs --check   write nothing; exit 1, naming the file, when either differs from what
//                                                 would be written (test/openapi/generated-types.test.ts runs this)
// Run it after changing an answer view or an operation row under src/http/openapi/. The document is built the way
// GET /api/openapi.json builds it (`buildOpenApiDocument`, no boot and no database); openapi-typescript's Node API
// turns it into `paths`, `components` and `operations`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import openapiTS, { astToString } from 'openapi-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
export const TARGETS = ['web/src/shared/api.gen.ts', 'packages/node/src/api.gen.ts'].map((p) => join(root, p));

const HEADER = `/**
 * The types of Gatehouse's HTTP API, generated from its OpenAPI 3.1 document (GET /api/openapi.json, decisions 0032
 * and 0041) by scripts/generate-api-types.mjs with openapi-typescript. Do not edit: change the answer views or the
 * operation rows under src/http/openapi/, then run \`node scripts/generate-api-types.mjs\` (\`--check\` in npm test).
 */

`;

/** The file's text: the document as the server builds it, through openapi-typescript. */
export async function generatedTypes() {
  const { buildOpenApiDocument } = await tsImport('../src/http/openapi/document.ts', import.meta.url);
  // The server's URL and version do not reach the types; fixed values keep the output the same everywhere.
  const doc = buildOpenApiDocument({ externalUrl: 'http://localhost:5225', version: '0.0.0' });
  const ast = await openapiTS(structuredClone(doc), { silent: true });
  return HEADER + astToString(ast);
}

async function main() {
  const check = process.argv.includes('--check');
  const text = await generatedTypes();
  const stale = [];
  for (const file of TARGETS) {
    const now = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (now === text) continue;
    if (check) {
      stale.push(relative(root, file));
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${relative(root, file)}`);
  }
  if (stale.length) {
    console.error(`Out of date with the OpenAPI document: ${stale.join(', ')}. Run: node scripts/generate-api-types.mjs`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
