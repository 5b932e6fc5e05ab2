/**
 * The package as a consumer gets it: its sources import only each other and `node:` built-ins (never the server's
 * src/), its package.json declares no dependencies, and the build (tsc → dist/) is ESM that plain Node imports and
 * declarations that type-check a consumer's code strictly, with a wrong request body refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(PKG, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('the SDK imports only its own files and node: built-ins', () => {
  const files = sources(join(PKG, 'src'));
  assert.ok(files.length >= 10);
  const offenders: string[] = [];
  for (const f of files) {
    for (const [, spec] of readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const inside = spec!.startsWith('.') && !relative(join(PKG, 'src'), resolve(dirname(f), spec!)).startsWith('..');
      if (!inside && !spec!.startsWith('node:')) offenders.push(`${relative(PKG, f)}: ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('package.json: ESM, Node 20+, exports with types, no dependencies', () => {
  const pkg = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
  assert.equal(pkg.name, '@gatehouse/node');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.engines.node, '>=20');
  assert.deepEqual(pkg.exports['.'], { types: './dist/index.d.ts', import: './dist/index.js' });
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) assert.equal(pkg[field], undefined, field);
});

test('the build: plain Node imports the ESM output, and a consumer type-checks against the declarations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-sdk-'));
  try {
    const installed = join(dir, 'node_modules/@gatehouse/node');
    execFileSync(process.execPath, [TSC, '-p', join(PKG, 'tsconfig.build.json'), '--outDir', join(installed, 'dist')], { stdio: 'pipe' });
    cpSync(join(PKG, 'package.json'), join(installed, 'package.json'));
    mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');

    // Plain Node, no tsx: the package resolves by name and verifies a webhook signed the way Gatehouse signs.
    const body = '{"id":"ev_1","event":"user.created"}';
    const t = Date.now();
    const sig = `t=${t},s=${createHmac('sha256', 'whsec_0123456789abcdef0123').update(`${t}.${body}`).digest('hex')}`;
    writeFileSync(join(dir, 'run.mjs'), `import { Gatehouse, verifyWebhook, GatehouseNotFoundError } from '@gatehouse/node';
const g = new Gatehouse({ url: 'http://127.0.0.1:1', apiKey: 'k' });
const e = verifyWebhook(${JSON.stringify(body)}, { 'gatehouse-signature': ${JSON.stringify(sig)} }, 'whsec_0123456789abcdef0123');
console.log(JSON.stringify({ event: e.event, areas: Object.keys(g).sort(), error: typeof GatehouseNotFoundError }));`);
    const out = JSON.parse(execFileSync(process.execPath, [join(dir, 'run.mjs')], { cwd: dir, encoding: 'utf8' }));
    assert.deepEqual(out, { event: 'user.created', areas: ['connections', 'directories', 'events', 'portalLinks', 'products', 'request', 'setupLinks', 'tenants'], error: 'function' });

    // A consumer's strict type-check: answers are typed, and a body the document does not allow is an error.
    writeFileSync(join(dir, 'app.ts'), `import { Gatehouse, type Directory } from '@gatehouse/node';
const g = new Gatehouse({ url: 'https://sso.example.com', apiKey: 'k' });
export async function f(): Promise<Directory> {
  const tenant = await g.tenants.create({ tenant: 'acme.com' });
  const key: string = tenant.enterpriseKey;
  for await (const user of g.directories.users.list({ tenant: 'acme.com', product: 'crm' })) console.log(key, user.email);
  // @ts-expect-error "tenant" is required and "nope" is not a field
  await g.tenants.create({ nope: 1 });
  return g.directories.create({ tenant: 'acme.com', product: 'crm', type: 'okta-scim-v2' });
}
`);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] }, files: ['app.ts'] }));
    execFileSync(process.execPath, [TSC, '-p', dir], { stdio: 'pipe' });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    assert.fail(`${String(err)}\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
