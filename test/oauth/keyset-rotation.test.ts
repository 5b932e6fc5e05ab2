/**
 * Issue 18, "JWKS rotation reaches every instance": `gatehouse rotate-signing-key` (the real CLI, a separate
 * process) adds a key on the shared database; two running instances pick it up within KEYSET_REFRESH_SECONDS with
 * no restart: both JWKS list it first, then both sign new id_tokens with it; every token either issues meanwhile
 * verifies against the JWKS of both. Retiring the
 * old key takes it out of both JWKS; the newest key cannot be retired. On every dialect.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createSamlConnection } from '../support/saml-flow.ts';
import { signInToApp } from '../support/app-sign-in.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

for (const dialect of testDialects()) {
  describe(`signing key rotation reaches every instance on ${dialect}`, () => {
    const env = { ENCRYPTION_KEY: randomBytes(32).toString('hex'), KEYSET_REFRESH_SECONDS: '1' };
    let a: RunningGatehouse | null;
    let b: RunningGatehouse;
    let idp: TestIdp;
    let conn: { clientID: string; clientSecret: string };
    before(async () => {
      a = await startGatehouse({ dialect, env });
      if (!a) return;
      b = (await startGatehouse({ dialect, databaseUrl: a.db.url, env }))!;
      idp = await createTestIdp();
      conn = await createSamlConnection(a.app, idp);
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });

    const cli = (...args: string[]) => {
      const r = spawnSync(process.execPath, ['bin/gatehouse.mjs', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATABASE_URL: a!.db.url, EXTERNAL_URL: a!.baseUrl, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 120_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const kids = async (gh: RunningGatehouse) => ((await gh.app.inject({ url: '/oauth/jwks' })).json().keys as { kid: string }[]).map((k) => k.kid);
    async function until(what: string, ok: () => Promise<boolean>) {
      for (let i = 0; i < 150; i++) {
        if (await ok()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`never: ${what}`);
    }
    const idToken = async (gh: RunningGatehouse) => (await signInToApp(gh, idp, conn, { nameId: 'alice@acme.com' })).idToken;

    test('rotate with the CLI: both instances list and sign with the new key, no restart; retire the old one', async (t) => {
      if (!a) return t.skip(`${dialect} is not available`);
      const [old] = await kids(a);
      assert.deepEqual(await kids(b), [old], 'both instances start on one key');

      const rotated = cli('rotate-signing-key');
      assert.equal(rotated.status, 0, rotated.stderr);
      const kid = /signing key (\S+):/.exec(rotated.stdout)?.[1];
      assert.ok(kid && kid !== old, rotated.stdout);
      // A request after the refresh interval starts the background look; a later one sees its result.
      for (const gh of [a, b]) await until(`${kid} in the JWKS`, async () => (await kids(gh)).includes(kid!));
      // The new key signs only once every instance publishes it: whatever kid a token carries, both JWKS verify it.
      for (const gh of [a, b]) {
        await until(`${kid} signing on an instance`, async () => {
          const token = await idToken(gh);
          for (const verifier of [a!, b]) await jwtVerify(token, createLocalJWKSet((await verifier.app.inject({ url: '/oauth/jwks' })).json()), { audience: conn.clientID });
          return decodeProtectedHeader(token).kid === kid;
        });
      }
      assert.ok((await kids(b)).includes(old!), 'the old key stays in the JWKS for tokens already issued');

      const newest = cli('retire-signing-key', '--kid', kid!);
      assert.equal(newest.status, 2, 'the key that signs cannot be retired');
      assert.match(newest.stderr, /newest key/);
      const retired = cli('retire-signing-key', '--kid', old!);
      assert.equal(retired.status, 0, retired.stderr);
      for (const gh of [a, b]) await until(`${old} gone from the JWKS`, async () => !(await kids(gh)).includes(old!));
      assert.deepEqual(await kids(a), [kid]);
    });
  });
}
