/**
 * Issue 11, finding 11: a password or TOTP change ends the account's other sessions (not the one that made
 * it), and enrolling or turning off TOTP asks for the current password in the same request.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAdminGatehouse, login, testClock, PASSWORD, type AdminClient } from './support.ts';
import { totpCode } from '../../src/admin/totp.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';

describe('account sessions after password and TOTP changes', () => {
  const clock = testClock(Date.UTC(2026, 3, 1, 9));
  let gh: RunningGatehouse;
  before(async () => {
    const s = await startAdminGatehouse({ now: clock.now, env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } });
    gh = s.gh;
    await s.account('pat@example.com', 'admin');
  });
  after(() => gh.close());
  const alive = async (c: AdminClient) => (await c.req('GET', '/api/admin/session')).statusCode === 200;

  test('TOTP setup and disable take the current password in the body', async () => {
    const me = await login(gh, 'pat@example.com');
    const none = await me.req('POST', '/api/admin/me/totp/setup');
    assert.equal(none.statusCode, 400);
    assert.equal(none.json().field, 'password');
    const wrong = await me.req('POST', '/api/admin/me/totp/setup', { password: 'not my password' });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().field, 'password');
    const setup = await me.req('POST', '/api/admin/me/totp/setup', { password: PASSWORD });
    assert.equal(setup.statusCode, 200, setup.body);
    const secret = setup.json().secret as string;
    assert.equal((await me.req('POST', '/api/admin/me/totp/enable', { code: totpCode(secret, clock.now()) })).statusCode, 204);
    clock.advance(30_000);
    const noPassword = await me.req('POST', '/api/admin/me/totp/disable', { code: totpCode(secret, clock.now()) });
    assert.equal(noPassword.statusCode, 400);
    assert.equal(noPassword.json().field, 'password');
    assert.equal((await me.req('GET', '/api/admin/session')).json().user.totpEnabled, true, 'a code alone does not turn TOTP off');
    assert.equal((await me.req('POST', '/api/admin/me/totp/disable', { password: PASSWORD, code: totpCode(secret, clock.now()) })).statusCode, 204);
  });

  test('turning TOTP on or off ends the other sessions, not this one', async () => {
    const here = await login(gh, 'pat@example.com');
    const laptop = await login(gh, 'pat@example.com');
    const secret = (await here.req('POST', '/api/admin/me/totp/setup', { password: PASSWORD })).json().secret as string;
    assert.ok(await alive(laptop), 'setting up alone changes nothing yet');
    clock.advance(30_000);
    assert.equal((await here.req('POST', '/api/admin/me/totp/enable', { code: totpCode(secret, clock.now()) })).statusCode, 204);
    assert.ok(await alive(here));
    assert.ok(!(await alive(laptop)), 'the other session ended');

    clock.advance(30_000);
    const phone = await login(gh, 'pat@example.com', PASSWORD, totpCode(secret, clock.now()));
    clock.advance(30_000);
    assert.equal((await here.req('POST', '/api/admin/me/totp/disable', { password: PASSWORD, code: totpCode(secret, clock.now()) })).statusCode, 204);
    assert.ok(await alive(here));
    assert.ok(!(await alive(phone)));
  });

  test('a password change ends the other sessions, not this one; it is audited', async () => {
    const here = await login(gh, 'pat@example.com');
    const stolen = await login(gh, 'pat@example.com');
    assert.equal((await here.req('POST', '/api/admin/me/password', { current: PASSWORD, password: 'a brand new password' })).statusCode, 204);
    assert.ok(await alive(here));
    assert.ok(!(await alive(stolen)), 'a session opened with the old password is gone');
    const rows = await gh.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'admin.session.others_ended').execute();
    assert.ok(rows.some((r) => JSON.parse(r.summary).after.sessions === 1));
  });
});
