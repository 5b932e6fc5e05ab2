/**
 * TRUST_PROXY (issue 11, finding 2): a client's X-Forwarded-For never picks its own rate-limit identity or
 * the audit log's `ip`. Off by default (the socket's address); with a hop count the entry the last proxy
 * appended counts, never the ones further left that the client wrote; with a CIDR list, only listed
 * proxies are believed. `true` is refused at boot.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAdminGatehouse, PASSWORD } from '../admin-api/support.ts';
import type { RunningGatehouse } from '../support/gatehouse.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';

const KEY = '0'.repeat(64);

async function signIn(gh: RunningGatehouse, remoteAddress: string, xff: string | undefined, email: string, password: string) {
  return gh.app.inject({ method: 'POST', url: '/api/admin/login', remoteAddress, headers: xff ? { 'x-forwarded-for': xff } : {}, payload: { email, password } });
}

async function auditIps(gh: RunningGatehouse, email: string): Promise<(string | null)[]> {
  const rows = await gh.ctx.db.selectFrom('audit_events').select(['ip']).where('action', '=', 'admin.session.created').where('actor_label', '=', email).execute();
  return rows.map((r) => r.ip);
}

/** Five wrong sign-ins, each with a new forged left-most X-Forwarded-For entry built by `xff(i)`. */
async function rotatingGuesses(gh: RunningGatehouse, remoteAddress: string, xff: (i: number) => string): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < 5; i++) codes.push((await signIn(gh, remoteAddress, xff(i), 'nobody@example.com', 'wrong-password-123')).statusCode);
  return codes;
}

describe('TRUST_PROXY unset (the default): the socket address is the client', () => {
  let gh: RunningGatehouse;
  before(async () => {
    const s = await startAdminGatehouse({ env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '3' } });
    gh = s.gh;
    await s.account('owner@example.com', 'owner');
  });
  after(() => gh.close());

  test('a client rotating X-Forwarded-For still hits the sign-in limit', async () => {
    assert.deepEqual(await rotatingGuesses(gh, '203.0.113.9', (i) => `198.51.100.${i + 1}`), [401, 401, 401, 429, 429]);
  });

  test('the audit log records the socket address, not the forged header', async () => {
    const ok = await signIn(gh, '203.0.113.10', '198.51.100.77', 'owner@example.com', PASSWORD);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(await auditIps(gh, 'owner@example.com'), ['203.0.113.10']);
  });
});

describe('TRUST_PROXY=1 (one load balancer in front)', () => {
  let gh: RunningGatehouse;
  before(async () => {
    const s = await startAdminGatehouse({ env: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '3', TRUST_PROXY: '1' } });
    gh = s.gh;
    await s.account('owner@example.com', 'owner');
  });
  after(() => gh.close());

  test('the address the load balancer appended is the identity; a forged left-most entry changes nothing', async () => {
    assert.deepEqual(await rotatingGuesses(gh, '10.0.0.2', (i) => `198.51.100.${i + 1}, 203.0.113.50`), [401, 401, 401, 429, 429]);
    // Another client behind the same load balancer keeps its own budget.
    assert.equal((await signIn(gh, '10.0.0.2', '203.0.113.51', 'nobody@example.com', 'wrong-password-123')).statusCode, 401);
  });

  test('the audit log records the client the load balancer saw', async () => {
    const ok = await signIn(gh, '10.0.0.2', '198.51.100.99, 203.0.113.52', 'owner@example.com', PASSWORD);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(await auditIps(gh, 'owner@example.com'), ['203.0.113.52']);
  });
});

describe('TRUST_PROXY as a CIDR list', () => {
  let gh: RunningGatehouse;
  before(async () => {
    const s = await startAdminGatehouse({ env: { TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' } });
    gh = s.gh;
    await s.account('owner@example.com', 'owner');
  });
  after(() => gh.close());

  test('listed proxies are skipped from the right; a client that is not a listed proxy is taken at its socket address', async () => {
    assert.equal((await signIn(gh, '10.0.0.2', '198.51.100.1, 203.0.113.60, 192.0.2.1, 10.1.2.3', 'owner@example.com', PASSWORD)).statusCode, 200);
    assert.equal((await signIn(gh, '203.0.113.70', '10.9.9.9', 'owner@example.com', PASSWORD)).statusCode, 200);
    assert.deepEqual((await auditIps(gh, 'owner@example.com')).sort(), ['203.0.113.60', '203.0.113.70']);
  });
});

describe('TRUST_PROXY values', () => {
  const load = (TRUST_PROXY?: string) => loadConfig({ NODE_ENV: 'test', ENCRYPTION_KEY: KEY, ...(TRUST_PROXY === undefined ? {} : { TRUST_PROXY }) }).TRUST_PROXY;

  test('off by default; a hop count; a list of addresses, CIDRs and named ranges', () => {
    assert.equal(load(), false);
    assert.equal(load('false'), false);
    assert.equal(load('0'), false);
    assert.equal(load('2'), 2);
    assert.deepEqual(load('10.0.0.0/8, 2001:db8::/32,loopback,192.0.2.7'), ['10.0.0.0/8', '2001:db8::/32', 'loopback', '192.0.2.7']);
  });

  test('`true`, malformed addresses and impossible prefixes stop the boot with a message naming TRUST_PROXY', () => {
    for (const bad of ['true', 'proxy.internal', '10.0.0.0/33', '10.0.0.0/8/1', '-1']) {
      assert.throws(() => load(bad), (err: Error) => err instanceof ConfigError && /TRUST_PROXY/.test(err.message), bad);
    }
  });
});
