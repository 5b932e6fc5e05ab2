/**
 * Issue 11, findings 2 (per-account throttling) and 14 (failed sign-ins audited, aggregated per account), on
 * every dialect: two instances share one database, each guess comes from another IP, and the account is
 * throttled all the same, with a growing wait, a 429 in the admin API's format, and one audit event per window.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { createAdmin } from '../../src/admin/accounts.ts';
import { totpCode } from '../../src/admin/totp.ts';
import { login, PASSWORD, testClock, SETUP } from './support.ts';

for (const dialect of testDialects()) {
  describe(`per-account sign-in throttling: ${dialect}`, () => {
    const clock = testClock(Date.UTC(2026, 2, 1, 9));
    let a: RunningGatehouse | null = null;
    let b: RunningGatehouse;
    let ip = 0;
    before(async () => {
      const env = { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' };
      a = await startGatehouse({ dialect, now: clock.now, env });
      if (!a) return;
      b = (await startGatehouse({ dialect, now: clock.now, databaseUrl: a.db.url, env: { ...env, ENCRYPTION_KEY: a.ctx.config.encryptionKeys[0]!.toString('hex') } }))!;
      await createAdmin(a.ctx, SETUP, { email: 'owner@example.com', role: 'owner', password: PASSWORD });
      await createAdmin(a.ctx, SETUP, { email: 'viewer@example.com', role: 'viewer', password: PASSWORD });
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });
    /** A sign-in from a new IP each time, alternating between the two instances. */
    const signIn = (email: string, password: string, totp?: string) => {
      ip += 1;
      const gh = ip % 2 ? a! : b;
      return gh.app.inject({ method: 'POST', url: '/api/admin/login', remoteAddress: `198.51.100.${ip % 250}`, payload: { email, password, ...(totp ? { totp } : {}) } });
    };
    const failedEvents = async (email: string) => {
      const id = (await a!.ctx.db.selectFrom('admin_users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
      return a!.ctx.db.selectFrom('audit_events').selectAll().where('target_id', '=', id).where('action', 'like', 'admin.sign_in.%').orderBy('at').execute();
    };

    test('five wrong passwords from five IPs on two instances, then every guess waits: 1 s, 2 s, … (429 with Retry-After)', async (t) => {
      if (!a) return t.skip('database unreachable');
      for (let i = 0; i < 5; i++) assert.equal((await signIn('owner@example.com', `wrong password ${i}`)).statusCode, 401, `guess ${i + 1}`);
      const held = await signIn('owner@example.com', PASSWORD);
      assert.equal(held.statusCode, 429, 'during the wait even the right password is not checked');
      assert.match(String(held.headers['content-type']), /application\/problem\+json/);
      assert.equal(held.json().code, 'ADMIN_ACCOUNT_THROTTLED');
      assert.equal(held.headers['retry-after'], '1');
      clock.advance(1000);
      assert.equal((await signIn('owner@example.com', 'wrong again')).statusCode, 401);
      const longer = await signIn('owner@example.com', PASSWORD);
      assert.equal(longer.statusCode, 429);
      assert.equal(longer.headers['retry-after'], '2', 'the wait doubles');
      clock.advance(2000);
      assert.equal((await signIn('owner@example.com', PASSWORD)).statusCode, 200, 'after the wait the right password works');
      assert.equal((await signIn('owner@example.com', 'one typo')).statusCode, 401);
      assert.equal((await signIn('owner@example.com', PASSWORD)).statusCode, 200, 'a success ended the streak: one typo costs no wait');
    });

    test('failed sign-ins are audited once per account per window, with a count, and once when throttling starts', async (t) => {
      if (!a) return t.skip('database unreachable');
      const events = await failedEvents('owner@example.com');
      const failed = events.filter((e) => e.action === 'admin.sign_in.failed');
      assert.equal(failed.length, 1, 'seven failures, one event');
      assert.equal(JSON.parse(failed[0]!.summary).after.failures, 7);
      assert.equal(events.filter((e) => e.action === 'admin.sign_in.throttled').length, 1);
      clock.advance(61 * 60_000);
      assert.equal((await signIn('owner@example.com', 'next hour')).statusCode, 401);
      assert.equal((await failedEvents('owner@example.com')).filter((e) => e.action === 'admin.sign_in.failed').length, 2, 'a new window, a new event');
    });

    test('an unknown email is throttled the same way (a 429 tells nothing) and fills no audit log', async (t) => {
      if (!a) return t.skip('database unreachable');
      const before = (await a.ctx.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
      for (let i = 0; i < 5; i++) assert.equal((await signIn('nobody@example.com', `guess ${i}`)).statusCode, 401);
      assert.equal((await signIn('nobody@example.com', 'guess 6')).statusCode, 429);
      const after = (await a.ctx.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
      assert.equal(Number(after), Number(before));
    });

    test('TOTP guesses count too; the wait is capped at 15 minutes, so the real owner is never shut out for longer', async (t) => {
      if (!a) return t.skip('database unreachable');
      const me = await login(a, 'viewer@example.com');
      const secret = (await me.req('POST', '/api/admin/me/totp/setup', { password: PASSWORD })).json().secret as string;
      assert.equal((await me.req('POST', '/api/admin/me/totp/enable', { code: totpCode(secret, clock.now()) })).statusCode, 204);
      clock.advance(30_000);
      const wrong = () => (totpCode(secret, clock.now()) === '000000' ? '111111' : '000000');
      for (let i = 0; i < 5; i++) assert.equal((await signIn('viewer@example.com', PASSWORD, wrong())).json().code, 'ADMIN_TOTP_INVALID');
      assert.equal((await signIn('viewer@example.com', PASSWORD, totpCode(secret, clock.now()))).statusCode, 429);
      let wait = 0;
      for (let i = 0; i < 14; i++) {
        const held = await signIn('viewer@example.com', PASSWORD, wrong());
        wait = Number(held.headers['retry-after'] ?? 0);
        clock.advance(wait * 1000);
        assert.equal((await signIn('viewer@example.com', PASSWORD, wrong())).statusCode, 401);
      }
      const last = await signIn('viewer@example.com', PASSWORD, wrong());
      assert.equal(last.statusCode, 429);
      assert.equal(last.headers['retry-after'], '900', 'capped');
      clock.advance(900_000);
      const ok = await signIn('viewer@example.com', PASSWORD, totpCode(secret, clock.now()));
      assert.equal(ok.statusCode, 200, ok.body);
    });
  });
}
