/**
 * Rate-limit counters are shared by every instance (issue 11, finding 3): two instances on one database
 * (SQLite file, PostgreSQL, MariaDB) — or on two databases sharing one Redis — give one budget, not two.
 * Counters keep no IP or setup-link token in clear. When Redis is away, sign-in answers 503 (fails
 * closed) while the management API keeps answering (fails open).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { API_KEY, startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { sharedStore, leaseSize, type SharedCounter } from '../../src/http/rate-limit-store.ts';
import { rateLimitsRepo } from '../../src/storage/repositories/rate-limits.ts';

const CALLBACK = 'http://127.0.0.1:3366/callback';
const LIMITS = { RATE_LIMIT_SENSITIVE_PER_MINUTE: '4', RATE_LIMIT_SETUP_LINK_PER_MINUTE: '4' };

const guess = (gh: RunningGatehouse, remoteAddress = '203.0.113.5') =>
  gh.app.inject({ method: 'POST', url: '/api/admin/login', remoteAddress, payload: { email: 'nobody@example.com', password: 'wrong-password-123' } });

async function setupLinkToken(gh: RunningGatehouse): Promise<string> {
  const r = await gh.app.inject({ method: 'POST', url: '/api/v1/sso/setuplinks', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { tenant: 'acme.com', product: 'crm', defaultRedirectUrl: CALLBACK, redirectUrl: [CALLBACK] } });
  assert.ok(r.statusCode === 201 || r.statusCode === 200, r.body);
  return new URL(r.json().data.url).pathname.split('/').pop()!;
}

/** Sign-in guesses from one IP, alternating between the instances: N exhaust the budget, the next is 429 on both. */
async function assertOneSignInBudget(a: RunningGatehouse, b: RunningGatehouse) {
  const codes: number[] = [];
  for (let i = 0; i < 4; i++) codes.push((await guess(i % 2 ? b : a)).statusCode);
  assert.deepEqual(codes, [401, 401, 401, 401]);
  const [onA, onB] = [await guess(a), await guess(b)];
  assert.deepEqual([onA.statusCode, onB.statusCode], [429, 429]);
  assert.equal(onB.json().code, 'ADMIN_RATE_LIMITED');
  assert.equal((await guess(b, '203.0.113.6')).statusCode, 401, 'another client keeps its own budget');
}

for (const dialect of testDialects()) {
  describe(`two instances on one ${dialect} database share one rate-limit budget`, () => {
    let a: RunningGatehouse | null;
    let b: RunningGatehouse;
    before(async () => {
      a = await startGatehouse({ dialect, env: LIMITS });
      if (a) b = (await startGatehouse({ dialect, databaseUrl: a.db.url, env: { ...LIMITS, ENCRYPTION_KEY: a.ctx.config.encryptionKeys[0]!.toString('hex') } }))!;
    });
    after(async () => {
      if (!a) return;
      await b.close();
      await a.close();
    });

    test('sign-in: RATE_LIMIT_SENSITIVE_PER_MINUTE guesses split across both exhaust it; the next is 429 on either', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      await assertOneSignInBudget(a, b);
    });

    test('setup-link API: the per-token limit holds across instances, and no token or IP is stored in clear', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      const token = await setupLinkToken(a);
      // A new IP each time, so only the per-token limiter counts.
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push((await (i % 2 ? b : a).app.inject({ method: 'GET', url: `/api/setup/${token}`, remoteAddress: `198.51.100.${i + 1}` })).statusCode);
        // The first answer records the link's first use after it is sent (onResponse). Two instances in one process
        // on one SQLite file share an event loop: the other's write would wait on that open group commit while
        // blocking the loop that commits it (separate processes, as deployed, do not). Let it commit first.
        if (dialect === 'sqlite') await new Promise((r) => setTimeout(r, 25));
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
      const keys = (await a.ctx.db.selectFrom('rate_limits').select('limiter_key').execute()).map((r) => r.limiter_key);
      assert.ok(keys.length >= 7, `one row per limiter key (${keys.length})`);
      assert.ok(keys.every((k) => /^[A-Za-z0-9_-]{43}$/.test(k)), 'keys are hashes');
      assert.ok(!keys.some((k) => k.includes(token) || k.includes('198.51.100') || k.includes('203.0.113')));
    });

    test('leased budgets (≥ 1,000 a window): a concurrent burst is admitted, and two instances never admit more than the budget between them', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      const max = 1000;
      const counter = (gh: RunningGatehouse): SharedCounter => ({ kind: 'database', add: (k, n, w, now) => rateLimitsRepo.add(gh.ctx.db, gh.ctx.dialect, k, n, w, now) });
      // Same limiter name on both "instances".
      const name = `lease-${randomBytes(4).toString('hex')}`;
      const [sa, sb] = [a, b].map((gh) => new (sharedStore(counter(gh), Date.now, gh.ctx.log))().child({ name }));
      const hit = (s: typeof sa) => new Promise<boolean>((resolve, reject) => s!.incr('198.51.100.1', (err, r) => (err ? reject(err) : resolve(r!.current <= max)), 60_000, max));
      // 200 first requests at once on one instance share one reservation at a time (they must not each reserve 10).
      const burst = await Promise.all(Array.from({ length: 200 }, () => hit(sa)));
      assert.ok(burst.every(Boolean), `${burst.filter((x) => !x).length} of a concurrent burst of 200 refused`);
      let admitted = burst.length;
      for (let i = 0; i < 900; i++) if (await hit(i % 3 ? sa : sb)) admitted++;
      const slack = 2 * (leaseSize(max) - 1);
      assert.ok(admitted <= max && admitted >= max - slack, `admitted ${admitted} of ${max}`);
      assert.equal(await hit(sa), false);
      assert.equal(await hit(sb), false);
      const rows = await a.ctx.db.selectFrom('rate_limits').select('hits').execute();
      assert.ok(rows.some((r) => Number(r.hits) >= max), 'the shared count reached the budget');
    });
  });
}

describe('REDIS_URL: two instances on two databases share one budget through Redis', () => {
  let a: RunningGatehouse;
  let b: RunningGatehouse;
  before(async () => {
    const env = { ...LIMITS, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `gh-test-${randomBytes(6).toString('hex')}:` };
    [a, b] = (await Promise.all([startGatehouse({ env }), startGatehouse({ env })])) as RunningGatehouse[];
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  test('sign-in guesses split across both exhaust RATE_LIMIT_SENSITIVE_PER_MINUTE; nothing is counted in the databases', async () => {
    await assertOneSignInBudget(a, b);
    for (const gh of [a, b]) assert.equal((await gh.ctx.db.selectFrom('rate_limits').select('limiter_key').execute()).length, 0);
  });

  test('the setup-link per-token limit holds across instances', async () => {
    // The link lives in A's database only: B answers 404, but its requests count against the same token first.
    const token = await setupLinkToken(a);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await (i % 2 ? b : a).app.inject({ method: 'GET', url: `/api/setup/${token}`, remoteAddress: `198.51.100.${i + 1}` })).statusCode);
    assert.deepEqual(statuses, [200, 404, 200, 404, 429, 429]);
  });
});

describe('REDIS_URL unreachable', () => {
  let gh: RunningGatehouse;
  before(async () => {
    gh = (await startGatehouse({ env: { ...LIMITS, REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'gh-test-down:' } }))!;
  });
  after(() => gh.close());

  test('sign-in fails closed with 503; the management API fails open', async () => {
    const login = await guess(gh);
    assert.equal(login.statusCode, 503, login.body);
    assert.equal(login.json().code, 'SERVICE_UNAVAILABLE');
    const list = await gh.app.inject({ method: 'GET', url: '/api/v1/sso?tenant=acme.com&product=crm', headers: { authorization: `Api-Key ${API_KEY}` } });
    assert.equal(list.statusCode, 200, list.body);
  });
});

describe('a limit of 0 is off', () => {
  let gh: RunningGatehouse;
  before(async () => {
    gh = (await startGatehouse({ env: { RATE_LIMIT_API_PER_MINUTE: '0', RATE_LIMIT_SETUP_LINK_PER_MINUTE: '0' } }))!;
  });
  after(() => gh.close());

  test('no 429 and no counter is even asked', async () => {
    const token = await setupLinkToken(gh);
    for (let i = 0; i < 3; i++) {
      assert.equal((await gh.app.inject({ method: 'GET', url: '/api/v1/sso?tenant=acme.com&product=crm', headers: { authorization: `Api-Key ${API_KEY}` } })).statusCode, 200);
      assert.equal((await gh.app.inject({ method: 'GET', url: `/api/setup/${token}` })).statusCode, 200);
    }
    assert.deepEqual(await gh.ctx.db.selectFrom('rate_limits').select('limiter_key').execute(), []);
  });
});
