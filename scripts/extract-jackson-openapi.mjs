#!/usr/bin/env node
// Extracts the API shapes SAML Jackson documents in its published package (the `@openapi` JSDoc blocks of
// `@boxyhq/saml-jackson/dist/**/*.d.ts`) into test/jackson-api/jackson-openapi.json: one entry per documented
// endpoint (method, path, parameters, request body, responses), every `$ref` resolved. The shapes suite
// (test/jackson-api/documented-shapes.test.ts) runs each entry against Gatehouse.
// Regenerate after upgrading the package: `node scripts/extract-jackson-openapi.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PKG = '@boxyhq/saml-jackson';
const pkgDir = dirname(createRequire(join(ROOT, 'package.json')).resolve(`${PKG}/package.json`));
const FILES = [
  'dist/controller/api.d.ts',
  'dist/controller/setup-link.d.ts',
  'dist/controller/oauth.d.ts',
  'dist/directory-sync/scim/DirectoryConfig.d.ts',
  'dist/directory-sync/scim/Users.d.ts',
  'dist/directory-sync/scim/Groups.d.ts',
  'dist/directory-sync/scim/WebhookEventsLogger.d.ts',
  'dist/sso-traces/index.d.ts',
  'dist/ee/identity-federation/app.d.ts',
];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The `@openapi` blocks of a file, each as YAML text without the comment stars. */
function openapiBlocks(source) {
  const blocks = [];
  for (const [, body] of source.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
    const at = lines.findIndex((l) => l.trim() === '@openapi');
    if (at >= 0) blocks.push(lines.slice(at + 1).join('\n'));
  }
  return blocks;
}

// ---- A YAML subset: block maps and lists, plain or quoted scalars, `{}`/`[]`; enough for these blocks. ----
function scalar(text) {
  const t = text.trim();
  if (/^".*"$/.test(t) || /^'.*'$/.test(t)) return t.slice(1, -1);
  if (t === '{}') return {};
  if (t === '[]') return [];
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null' || t === '~') return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}
const KEY = /^("[^"]*"|'[^']*'|[^:'"][^:]*?):(?:\s+(.*))?$/;
const isItem = (text) => text === '-' || text.startsWith('- ');

function parseYaml(text) {
  const lines = text.split('\n').filter((l) => l.trim() !== '').map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
  const node = (i, indent) => (isItem(lines[i].text) ? list(i, indent) : map(i, indent));
  function map(i, indent) {
    const out = {};
    while (i < lines.length && lines[i].indent === indent && !isItem(lines[i].text)) {
      const m = KEY.exec(lines[i].text);
      if (!m) throw new Error(`not a key: ${lines[i].text}`);
      const key = String(scalar(m[1]));
      i++;
      if (m[2] !== undefined && m[2] !== '') out[key] = scalar(m[2]);
      else if (i < lines.length && (lines[i].indent > indent || (lines[i].indent === indent && isItem(lines[i].text)))) [out[key], i] = node(i, lines[i].indent);
      else out[key] = null;
    }
    return [out, i];
  }
  function list(i, indent) {
    const out = [];
    while (i < lines.length && lines[i].indent === indent && isItem(lines[i].text)) {
      const content = lines[i].text.slice(1).trim();
      if (KEY.test(content) && !/^["']/.test(content)) {
        lines[i] = { indent: indent + 2, text: content };
        const [v, next] = map(i, indent + 2);
        out.push(v);
        i = next;
      } else {
        out.push(scalar(content));
        i++;
      }
    }
    return [out, i];
  }
  return lines.length ? node(0, lines[0].indent)[0] : {};
}

function deepMerge(into, from) {
  for (const [k, v] of Object.entries(from)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && into[k] && typeof into[k] === 'object') deepMerge(into[k], v);
    else into[k] = v;
  }
  return into;
}

// ---- Read the package ----
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const doc = { components: {}, paths: {} };
const sourceOf = new Map();
for (const file of FILES) {
  for (const block of openapiBlocks(readFileSync(join(pkgDir, file), 'utf8'))) {
    const parsed = parseYaml(block);
    for (const [key, value] of Object.entries(parsed)) {
      if (key === 'components') deepMerge(doc.components, value);
      else {
        doc.paths[key] ??= {};
        for (const [method, op] of Object.entries(value)) {
          doc.paths[key][method] = op;
          sourceOf.set(`${method} ${key}`, file);
        }
      }
    }
  }
}

/** Resolves `$ref`s, merges `allOf`, and keeps only what the suite checks (types, properties, items, required). */
function resolve(node, seen = []) {
  if (Array.isArray(node)) return node.map((n) => resolve(n, seen));
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    if (seen.includes(ref)) throw new Error(`circular ${ref}`);
    const target = ref.replace(/^#\//, '').split('/').reduce((o, k) => o?.[k], doc);
    if (!target) throw new Error(`unresolved ${ref}`);
    const { $ref: _, ...rest } = node;
    return resolve({ ...target, ...rest }, [...seen, ref]);
  }
  if (Array.isArray(node.allOf)) {
    const { allOf, ...rest } = node;
    const parts = allOf.map((p) => resolve(p, seen));
    const merged = { type: 'object', properties: {}, required: [] };
    for (const p of [...parts, resolve(rest, seen)]) {
      Object.assign(merged.properties, p.properties ?? {});
      merged.required.push(...(p.required ?? []));
    }
    if (!merged.required.length) delete merged.required;
    return merged;
  }
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'example' || k === 'tags' || k === 'x-ory-ratelimit-bucket') continue;
    out[k] = resolve(v, seen);
  }
  return out;
}

/** The schema of a response or request body: its JSON content's schema, or none. */
const jsonSchema = (content) => (content && content['application/json']?.schema) || (content && content['application/x-www-form-urlencoded']?.schema) || null;

const endpoints = [];
for (const [path, ops] of Object.entries(doc.paths)) {
  for (const method of METHODS) {
    const op = ops[method];
    if (!op) continue;
    const r = resolve(op);
    const requestSchema = r.requestBody ? jsonSchema(r.requestBody.content) : null;
    endpoints.push({
      method: method.toUpperCase(),
      path,
      operationId: r.operationId ?? null,
      summary: r.summary ?? null,
      source: `${PKG}/${sourceOf.get(`${method} ${path}`)}`,
      parameters: (r.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required === true, type: p.schema?.type ?? 'string' })),
      requestBody: requestSchema ? { contentType: Object.keys(r.requestBody.content)[0], required: requestSchema.required ?? [], properties: Object.fromEntries(Object.entries(requestSchema.properties ?? {}).map(([k, v]) => [k, v.type ?? 'string'])) } : null,
      responses: Object.fromEntries(Object.entries(r.responses ?? {}).map(([status, res]) => [String(status), { description: res.description ?? null, schema: jsonSchema(res.content) }])),
    });
  }
}
endpoints.sort((a, b) => a.path.localeCompare(b.path) || METHODS.indexOf(a.method.toLowerCase()) - METHODS.indexOf(b.method.toLowerCase()));

const out = {
  $comment: 'Generated by scripts/extract-jackson-openapi.mjs from the @openapi blocks of the published package; do not edit by hand.',
  package: PKG,
  version,
  files: FILES,
  endpoints,
};
const target = join(ROOT, 'test/jackson-api/jackson-openapi.json');
writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
console.log(`${endpoints.length} endpoints from ${PKG}@${version} → ${target}`);
