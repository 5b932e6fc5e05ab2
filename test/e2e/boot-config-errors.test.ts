/**
 * What an operator sees when the environment is wrong, from the real start command (`npm start` runs
 * scripts/start.mjs, the bundled server): a short ADMIN_PASSWORD stops the boot with one line naming the variable
 * and the 12-character rule, as a bad PORT does (exit 78, no stack, no code dump). And outside production the
 * server binds 127.0.0.1 unless HOST says otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../scripts/build-server.mjs';
import { freePort } from '../support/gatehouse.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function startOnce(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-boot-'));
  try {
    return spawnSync(process.execPath, [...SERVER_NODE_FLAGS, 'scripts/start.mjs'], {
      cwd: ROOT, encoding: 'utf8', timeout: 120_000,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', EXTERNAL_URL: 'https://sso.example.com', DATABASE_URL: `sqlite:${join(dir, 'g.db')}`, ENCRYPTION_KEY: randomBytes(32).toString('hex'), PORT: '0', ...env },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a short ADMIN_PASSWORD: one short line on stderr naming the variable and the rule, like a bad PORT', () => {
  const port = startOnce({ PORT: 'eighty' });
  assert.equal(port.status, 78, port.stderr);
  const pw = startOnce({ ADMIN_EMAIL: 'owner@example.com', ADMIN_PASSWORD: 'hunter2-abc' });
  assert.equal(pw.status, 78, pw.stderr.slice(0, 2000));
  assert.equal(pw.stderr, 'Invalid configuration:\n  ADMIN_PASSWORD: must have at least 12 characters\n');
  assert.ok(pw.stderr.length < 200 && port.stderr.length < 200, 'no code dump');
  assert.ok(!pw.stderr.includes('hunter2-abc') && !pw.stdout.includes('hunter2-abc'), 'the password is never printed');
  assert.match(port.stderr, /^Invalid configuration:\n {2}PORT: /);
});

const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port, timeout: 2000 }, () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false)).on('timeout', () => (s.destroy(), resolve(false)));
  });

test('development without HOST binds 127.0.0.1 only; HOST=0.0.0.0 binds every interface', async (t) => {
  const lan = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (!lan) return t.skip('this machine has no non-loopback IPv4 address to probe');
  for (const [host, onLan] of [[undefined, false], ['0.0.0.0', true]] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-host-'));
    const port = await freePort();
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'scripts/start.mjs'], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', PORT: String(port), DATABASE_URL: `sqlite:${join(dir, 'g.db')}`, ENCRYPTION_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', ...(host ? { HOST: host } : {}) },
    });
    let out = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
    try {
      const deadline = Date.now() + 60_000;
      while (!(await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false))) {
        assert.equal(child.exitCode, null, out);
        assert.ok(Date.now() < deadline, `not ready:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(await reachable(lan, port), onLan, `HOST=${host ?? '(unset)'}: reachable on ${lan}?`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
