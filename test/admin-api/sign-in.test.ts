/**
 * Admin sign-in through the real HTTP surface: passwords, TOTP with real codes, server-side sessions with idle
 * and absolute timeouts on the injectable clock, CSRF, the sign-in rate limit, and the bootstrap owner.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAdminGatehouse, login, testClock, PASSWORD, clientFrom, SETUP } from './support.ts';
import { totpCode } from '../../src/admin/totp.ts';
import { ensureBootstrapAdmin } from '../../src/admin/accounts.ts';
import { tokenHash } from '../../src/crypto/secrets.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';

describe('admin sign-in', () => {
  const clock = testClock(Date.UTC(2026, 0, 5, 9));
  let gh: RunningGatehouse;
  before(async () => {
    ({ gh } = await startAdminGatehouse({ now: clock.now, env: { ADMIN_EMAIL: 'Owner@Example.com', ADMIN_PASSWORD: PASSWORD, RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } }));
    assert.equal(await ensureBootstrapAdmin(gh.ctx), 'created');
  });
  after(() => gh.close());
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => gh.app.inject({ method: 'POST', url, payload: payload as object, headers });

  test('the bootstrap owner is created once, idempotently (also when raced)', async () => {
    const again = await Promise.all([ensureBootstrapAdmin(gh.ctx), ensureBootstrapAdmin(gh.ctx)]);
    assert.deepEqual(again, ['exists', 'exists']);
  });

  test('a right password signs in: HttpOnly SameSite=Lax cookie, session answer with a CSRF token; the DB keeps only the hash', async () => {
    const res = await post('/api/admin/login', { email: 'owner@example.com', password: PASSWORD });
    assert.equal(res.statusCode, 200, res.body);
    const c = res.cookies.find((x) => x.name === 'gh_admin')!;
    assert.equal(c.httpOnly, true);
    assert.equal(c.sameSite, 'Lax');
    assert.equal(c.secure, undefined); // EXTERNAL_URL is http in tests
    const body = res.json();
    assert.equal(body.user.email, 'owner@example.com');
    assert.equal(body.user.role, 'owner');
    assert.equal(body.user.hasPassword, true);
    assert.ok(body.csrfToken.length > 20);
    const rows = await gh.ctx.db.selectFrom('admin_sessions').selectAll().execute();
    assert.ok(rows.some((r) => r.id_hash === tokenHash(c.value)));
    assert.ok(rows.every((r) => r.id_hash !== c.value));
    const session = await gh.app.inject({ method: 'GET', url: '/api/admin/session', headers: { cookie: `gh_admin=${c.value}` } });
    assert.equal(session.statusCode, 200);
    assert.equal(session.json().csrfToken, body.csrfToken);
  });

  test('a wrong password or unknown email is 401 ADMIN_BAD_CREDENTIALS; a missing field is named', async () => {
    for (const payload of [{ email: 'owner@example.com', password: 'wrong password!!' }, { email: 'nobody@example.com', password: PASSWORD }]) {
      const res = await post('/api/admin/login', payload);
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'ADMIN_BAD_CREDENTIALS');
    }
    const res = await post('/api/admin/login', { email: 'owner@example.com' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'password');
  });

  test('a form-encoded sign-in (what a cross-site form could send) is refused', async () => {
    const res = await gh.app.inject({ method: 'POST', url: '/api/admin/login', payload: `email=owner%40example.com&password=${encodeURIComponent(PASSWORD)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 415);
  });

  test('no session: 401; a state-changing request without or with a wrong x-csrf-token: 403 ADMIN_CSRF', async () => {
    assert.equal((await gh.app.inject({ method: 'GET', url: '/api/admin/admins' })).statusCode, 401);
    const me = await login(gh, 'owner@example.com');
    const noHeader = await gh.app.inject({ method: 'POST', url: '/api/admin/products', payload: { product: 'p1' }, headers: { cookie: `gh_admin=${me.cookie}` } });
    assert.equal(noHeader.statusCode, 403);
    assert.equal(noHeader.json().code, 'ADMIN_CSRF');
    const other = await login(gh, 'owner@example.com');
    const wrong = await clientFrom(gh, me.cookie, other.csrf).req('POST', '/api/admin/products', { product: 'p1' });
    assert.equal(wrong.json().code, 'ADMIN_CSRF');
    assert.equal((await me.req('POST', '/api/admin/products', { product: 'p1' })).statusCode, 201);
  });

  test('sessions end after 30 idle minutes, and after 12 hours however active', async () => {
    const me = await login(gh, 'owner@example.com');
    clock.advance(29 * 60_000);
    assert.equal((await me.req('GET', '/api/admin/session')).statusCode, 200);
    clock.advance(29 * 60_000); // 58 min since sign-in, 29 since last request
    assert.equal((await me.req('GET', '/api/admin/session')).statusCode, 200);
    clock.advance(31 * 60_000);
    assert.equal((await me.req('GET', '/api/admin/session')).statusCode, 401);

    const busy = await login(gh, 'owner@example.com');
    for (let i = 0; i < 12 * 3; i++) {
      clock.advance(20 * 60_000);
      const r = await busy.req('GET', '/api/admin/session');
      if (i < 12 * 3 - 1) assert.equal(r.statusCode, 200, `at ${(i + 1) * 20} min`);
      else assert.equal(r.statusCode, 401, 'at 12 h');
    }
  });

  test('logout ends the session on the server', async () => {
    const me = await login(gh, 'owner@example.com');
    assert.equal((await me.req('POST', '/api/admin/logout')).statusCode, 204);
    assert.equal((await me.req('GET', '/api/admin/session')).statusCode, 401);
  });

  test('TOTP: setup, enable with a real code, then required at sign-in; a code works once; disable', async () => {
    await gh.ctx.db.deleteFrom('admin_users').where('email', '=', 'totp@example.com').execute();
    const { createAdmin } = await import('../../src/admin/accounts.ts');
    await createAdmin(gh.ctx, SETUP, { email: 'totp@example.com', role: 'viewer', password: PASSWORD });
    const me = await login(gh, 'totp@example.com');
    const setup = await me.req('POST', '/api/admin/me/totp/setup', { password: PASSWORD }); // issue 11: the current password
    assert.equal(setup.statusCode, 200, setup.body);
    const { secret, otpauthUrl } = setup.json();
    assert.match(otpauthUrl, /^otpauth:\/\/totp\//);
    const stored = await gh.ctx.db.selectFrom('admin_users').select('totp_secret_enc').where('email', '=', 'totp@example.com').executeTakeFirstOrThrow();
    assert.ok(stored.totp_secret_enc && !stored.totp_secret_enc.includes(secret), 'the secret is sealed at rest');
    assert.equal((await me.req('POST', '/api/admin/me/totp/enable', { code: '000000' })).json().code, 'ADMIN_TOTP_INVALID');
    assert.equal((await me.req('POST', '/api/admin/me/totp/enable', { code: totpCode(secret, clock.now()) })).statusCode, 204);
    assert.equal((await me.req('GET', '/api/admin/session')).json().user.totpEnabled, true);

    clock.advance(30_000);
    const noCode = await post('/api/admin/login', { email: 'totp@example.com', password: PASSWORD });
    assert.equal(noCode.statusCode, 401);
    assert.equal(noCode.json().code, 'ADMIN_TOTP_REQUIRED');
    const badCode = await post('/api/admin/login', { email: 'totp@example.com', password: PASSWORD, totp: '123456' === totpCode(secret, clock.now()) ? '654321' : '123456' });
    assert.equal(badCode.json().code, 'ADMIN_TOTP_INVALID');
    const code = totpCode(secret, clock.now());
    assert.equal((await post('/api/admin/login', { email: 'totp@example.com', password: PASSWORD, totp: code })).statusCode, 200);
    assert.equal((await post('/api/admin/login', { email: 'totp@example.com', password: PASSWORD, totp: code })).json().code, 'ADMIN_TOTP_INVALID', 'a code is accepted once');
    const wrongPw = await post('/api/admin/login', { email: 'totp@example.com', password: 'not the password', totp: code });
    assert.equal(wrongPw.json().code, 'ADMIN_BAD_CREDENTIALS');

    clock.advance(30_000);
    assert.equal((await me.req('POST', '/api/admin/me/totp/disable', { password: PASSWORD, code: totpCode(secret, clock.now()) })).statusCode, 204);
    clock.advance(30_000);
    assert.equal((await post('/api/admin/login', { email: 'totp@example.com', password: PASSWORD })).statusCode, 200);
  });

  test('password change needs the current password', async () => {
    const me = await login(gh, 'totp@example.com');
    const bad = await me.req('POST', '/api/admin/me/password', { current: 'nope', password: 'a brand new password' });
    assert.equal(bad.json().field, 'current');
    const short = await me.req('POST', '/api/admin/me/password', { current: PASSWORD, password: 'short' });
    assert.equal(short.json().field, 'password');
    assert.equal((await me.req('POST', '/api/admin/me/password', { current: PASSWORD, password: 'a brand new password' })).statusCode, 204);
    await login(gh, 'totp@example.com', 'a brand new password');
  });
});

describe('admin sign-in rate limit', () => {
  test('sign-in attempts beyond RATE_LIMIT_SENSITIVE_PER_MINUTE get 429 ADMIN_RATE_LIMITED', async () => {
    const { gh } = await startAdminGatehouse({ env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await gh.app.inject({ method: 'POST', url: '/api/admin/login', payload: { email: 'x@example.com', password: 'wrong-password-123' } })).statusCode);
      assert.deepEqual(codes, [401, 401, 401, 429, 429]);
      const res = await gh.app.inject({ method: 'POST', url: '/api/admin/login', payload: { email: 'x@example.com', password: 'wrong-password-123' } });
      assert.equal(res.json().code, 'ADMIN_RATE_LIMITED');
    } finally {
      await gh.close();
    }
  });
});
