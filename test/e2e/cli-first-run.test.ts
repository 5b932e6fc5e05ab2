/**
 * The CLI as an operator runs it first on a new deployment (`gatehouse create-admin` before the server ever
 * started): it succeeds, says nothing on stderr, and leaves the deployment's keys in the database — the keys a
 * boot starts making in the background are finished before the CLI closes the database.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('`gatehouse create-admin` on a new database creates the account and the deployment keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
  try {
    const file = join(dir, 'gatehouse.db');
    const env = { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: `sqlite:${file}`, ENCRYPTION_KEY: randomBytes(32).toString('hex'), EXTERNAL_URL: 'https://sso.example.com', GATEHOUSE_ADMIN_PASSWORD: 'correct horse battery staple 42' };
    const r = spawnSync(process.execPath, ['bin/gatehouse.mjs', 'create-admin', '--email', 'owner@example.com'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /Created owner owner@example\.com/);
    assert.equal(r.stderr, '');
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      assert.deepEqual(db.prepare('select id, use from signing_keys order by use').all(), [{ id: 'jwt-1', use: 'jwt' }, { id: 'saml-sp-1', use: 'saml_sp' }, { id: 'subject-1', use: 'subject' }]);
      assert.deepEqual(db.prepare('select email, role from admin_users').all(), [{ email: 'owner@example.com', role: 'owner' }]);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
