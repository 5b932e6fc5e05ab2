/** Helpers for the admin API tests: a Gatehouse with accounts, and a signed-in client that sends cookie and CSRF header. */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { createAdmin } from '../../src/admin/accounts.ts';
import type { AdminRole } from '../../src/policy/roles.ts';
import type { Caller } from '../../src/policy/caller.ts';

/** Who creates the accounts a test starts with (audited as the system). */
export const SETUP: Caller = { type: 'system', id: 'system', label: 'test setup' };

export const PASSWORD = 'correct horse battery staple';

export interface AdminClient {
  cookie: string;
  csrf: string;
  req(method: InjectOptions['method'], url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

/** A clock tests can move. */
export function testClock(start = Date.now()) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms), set: (ms: number) => void (t = ms) };
}

export async function startAdminGatehouse(opts: Parameters<typeof startGatehouse>[0] = {}) {
  const gh = (await startGatehouse(opts))!;
  const account = (email: string, role: AdminRole, password: string | null = PASSWORD) => createAdmin(gh.ctx, SETUP, { email, role, ...(password ? { password } : {}) });
  return { gh, account };
}

/** The set-up most portal tests share: a Gatehouse with an owner and a viewer, both signed in (guessing not throttled). */
export async function startWithOwnerAndViewer(opts: Parameters<typeof startGatehouse>[0] = {}) {
  const s = await startAdminGatehouse({ ...opts, env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000', ...opts.env } });
  await s.account('owner@example.com', 'owner');
  await s.account('viewer@example.com', 'viewer');
  const [owner, viewer] = await Promise.all([login(s.gh, 'owner@example.com'), login(s.gh, 'viewer@example.com')]);
  return { ...s, owner, viewer };
}

export function clientFrom(gh: RunningGatehouse, cookie: string, csrf: string): AdminClient {
  return {
    cookie, csrf,
    req: (method, url, payload, headers = {}) =>
      gh.app.inject({ method, url, headers: { cookie: `gh_admin=${cookie}`, 'x-csrf-token': csrf, ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) }),
  };
}

export async function login(gh: RunningGatehouse, email: string, password = PASSWORD, totp?: string): Promise<AdminClient> {
  const res = await gh.app.inject({ method: 'POST', url: '/api/admin/login', payload: { email, password, ...(totp ? { totp } : {}) } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'gh_admin')!.value;
  return clientFrom(gh, cookie, res.json().csrfToken);
}
