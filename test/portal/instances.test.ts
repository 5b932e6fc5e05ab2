/**
 * The portal on two instances sharing one database (PostgreSQL, MariaDB; decision 0033): a link minted on one opens
 * on the other, the session works on both (nothing in memory), racing opens on both start one session, and a second
 * open anywhere answers 410.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startGatehouse, API_KEY, type RunningGatehouse } from '../support/gatehouse.ts';

for (const dialect of ['postgres', 'mysql'] as const) {
  describe(`portal on two instances: ${dialect}`, () => {
    let a: RunningGatehouse | null = null;
    let b: RunningGatehouse | null = null;
    before(async () => {
      const env = { ENCRYPTION_KEY: randomBytes(32).toString('hex') };
      a = await startGatehouse({ dialect, env });
      if (!a) return;
      b = await startGatehouse({ dialect, env, databaseUrl: a.db.url });
      const p = await a.app.inject({ method: 'POST', url: '/api/v1/products', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { product: 'crm', defaultRedirectUrl: 'https://crm.example.test/cb' } });
      assert.equal(p.statusCode, 201, p.body);
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });
    const mint = async (gh: RunningGatehouse) => {
      const r = await gh.app.inject({ method: 'POST', url: '/api/v1/portal/links', headers: { authorization: `Api-Key ${API_KEY}` }, payload: { tenant: 'acme.com', product: 'crm', intent: 'audit_log' } });
      assert.equal(r.statusCode, 201, r.body);
      return new URL(r.json().data.url).pathname;
    };

    test('minted on one, opened on the other, used on both; the second open anywhere is 410', async (t) => {
      if (!a || !b) return t.skip(`${dialect} unreachable`);
      const path = await mint(a);
      const opened = await b.app.inject({ method: 'GET', url: path });
      assert.equal(opened.statusCode, 303);
      const cookie = String(opened.headers['set-cookie']).split(';')[0]!;
      for (const gh of [a, b]) assert.equal((await gh.app.inject({ method: 'GET', url: '/api/portal/audit-log', headers: { cookie } })).statusCode, 200);
      for (const gh of [a, b]) assert.equal((await gh.app.inject({ method: 'GET', url: path })).statusCode, 410);
    });

    test('opens racing on both instances start exactly one session', async (t) => {
      if (!a || !b) return t.skip(`${dialect} unreachable`);
      const path = await mint(b);
      const answers = await Promise.all([a, b, a, b, a, b].map((gh) => gh.app.inject({ method: 'GET', url: path })));
      assert.deepEqual(answers.map((r) => r.statusCode).sort(), [303, 410, 410, 410, 410, 410]);
    });
  });
}
