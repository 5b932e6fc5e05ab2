/**
 * What `npm start` and the Docker image run: the esbuild bundle in dist/server (npm test rebuilds it when
 * src/ changed), started with the shipped V8 flags. A first boot on a fresh SQLite file creates its keys
 * (selfsigned is loaded lazily), serves the SP metadata, the admin portal and its hashed assets (through
 * the lazily loaded @fastify/send), answers HEAD probes, refuses path escapes, and stops on SIGTERM.
 * The start commands (package.json, Dockerfile) carry the same flags as SERVER_NODE_FLAGS.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_DIR, SERVER_ENV, SERVER_NODE_FLAGS, isStale } from '../../scripts/build-server.mjs';
import { freePort } from '../support/gatehouse.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the shipped server bundle', () => {
  let child: ChildProcess;
  let baseUrl: string;
  let dir: string;
  let output = '';

  before(async () => {
    assert.equal(isStale(), false, 'npm test builds dist/server from the current src/ before running');
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-shipped-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(SERVER_DIR, 'main.mjs')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), EXTERNAL_URL: baseUrl, DATABASE_URL: `sqlite:${join(dir, 'gatehouse.db')}`, ENCRYPTION_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
    const deadline = Date.now() + 30_000;
    for (;;) {
      assert.equal(child.exitCode, null, `the bundle exited before it was ready:\n${output}`);
      const ok = await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      assert.ok(Date.now() < deadline, `not ready within 30 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  /** A GET sent byte for byte (no URL normalisation, no added headers). */
  const rawGet = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(baseUrl);
      get({ hostname, port, path, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body }));
      }).on('error', reject);
    });

  after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('first boot: migrations applied, SP certificate generated and served in the metadata', async () => {
    assert.match(output, /"migrations":\["001_sso_backbone"/);
    const metadata = await (await fetch(`${baseUrl}/.well-known/sp-metadata`)).text();
    assert.match(metadata, /<ds:X509Certificate>[A-Za-z0-9+/=\s]{500,}<\/ds:X509Certificate>/);
    const jwks = (await (await fetch(`${baseUrl}/oauth/jwks`)).json()) as { keys: { kty: string; alg: string }[] };
    assert.deepEqual(jwks.keys.map((k) => [k.kty, k.alg]), [['RSA', 'RS256']]);
  });

  test('the ready line times each boot step, in order (decision 0050)', () => {
    const ready = output.split('\n').map((l) => (l.startsWith('{') ? (JSON.parse(l) as { msg?: string; startupPhases?: Record<string, number> }) : {})).find((l) => l.startupPhases);
    assert.ok(ready, `no ready line with startupPhases:\n${output}`);
    const phases = ready.startupPhases!;
    assert.deepEqual(Object.keys(phases), ['nodeAndModules', 'config', 'openDatabase', 'migrations', 'keys', 'context', 'bootstrapAdmin', 'buildApp', 'listen']);
    for (const [name, ms] of Object.entries(phases)) assert.ok(Number.isFinite(ms) && ms >= 0, `${name}: ${ms}`);
  });

  test('HEAD probes on /api/health and /api/ready', async () => {
    for (const path of ['/api/health', '/api/ready']) {
      const res = await fetch(`${baseUrl}${path}`, { method: 'HEAD' });
      assert.equal(res.status, 200, path);
    }
  });

  test('the portal and its hashed assets: immutable caching, ETag revalidation, HEAD, no path escapes', async () => {
    const html = await (await fetch(`${baseUrl}/admin/`)).text();
    const asset = /\/admin\/assets\/[\w.-]+\.js/.exec(html)?.[0];
    assert.ok(asset, 'index.html references a hashed script');
    const res = await fetch(`${baseUrl}${asset}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    assert.match(res.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
    const body = await res.text();
    assert.equal(body, readFileSync(join(ROOT, 'dist', 'web', asset.replace('/admin/', '')), 'utf8'));
    const etag = res.headers.get('etag');
    assert.ok(etag);
    // node:http, not fetch: the Fetch standard makes a conditional request uncacheable (cache-control: no-cache).
    assert.equal((await rawGet(asset, { 'if-none-match': etag })).status, 304);
    assert.equal((await fetch(`${baseUrl}${asset}`, { method: 'HEAD' })).status, 200);
    for (const escape of ['/admin/assets/%2e%2e/index.html', '/admin/assets/..%2f..%2fpackage.json', '/admin/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json', '/admin/assets/missing.js', '/admin/assets/.hidden']) {
      const r = await rawGet(escape); // sent as written: fetch would resolve the dot segments itself
      assert.equal(r.status, 404, escape);
      assert.doesNotMatch(r.body, /"name": "gatehouse"/, escape);
    }
  });

  test('package.json `start` and the Dockerfile start with the same V8 flags and environment', () => {
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const envDefaults = Object.entries(SERVER_ENV).map(([k, v]) => `${k}=\${${k}:-${v}}`).join(' ');
    assert.equal(start, `${envDefaults} node ${SERVER_NODE_FLAGS.join(' ')} scripts/start.mjs`);
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    assert.deepEqual(JSON.parse(cmd!), ['node', ...SERVER_NODE_FLAGS, 'dist/server/main.mjs']);
    const runtimeEnv = /^ENV ((?:.*\\\n)*.*)$/m.exec(dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')))?.[1] ?? '';
    for (const [k, v] of Object.entries(SERVER_ENV)) assert.match(runtimeEnv, new RegExp(`(^|\\s)${k}=${v}(\\s|$)`), k);
  });

  test('SIGTERM drains and exits 0', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(output, /"msg":"stopped"/);
  });
});
