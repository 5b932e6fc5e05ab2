/**
 * Per-request state and stateless instances: 2 directories × 200 concurrent creates land every user
 * in its own directory (and nowhere else), and two Gatehouse instances sharing one PostgreSQL or
 * MariaDB database deliver each webhook event exactly once between them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse, type RunningGatehouse } from '../support/gatehouse.ts';
import { testDialects } from '../support/databases.ts';
import { startWebhookDeliverer } from '../../src/directory-sync/webhooks/deliverer.ts';
import { createDirectory, scimClient, startReceiver, waitFor } from '../support/scim.ts';

describe('per-request directory scope under concurrency', () => {
  let gh: RunningGatehouse;
  before(async () => {
    gh = (await startGatehouse())!;
  });
  after(() => gh.close());

  test('2 directories × 200 concurrent creates: every user in its own directory', async () => {
    const dirs = [await createDirectory(gh, { tenant: 'a.com' }), await createDirectory(gh, { tenant: 'b.com' })];
    const clients = dirs.map((d) => scimClient(gh, d));
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => clients.map((scim, k) => scim('POST', '/Users', { userName: `user${i}@shared.example`, externalId: `${k}-${i}` }))).flat(),
    );
    assert.ok(results.every((r) => r.status === 201), 'all created (the same userName in two directories is fine)');
    for (const [k, scim] of clients.entries()) {
      const list = await scim('GET', '/Users?count=1000');
      assert.equal(list.body.totalResults, 200);
      assert.ok(list.body.Resources.every((u: any) => u.externalId.startsWith(`${k}-`)), `directory ${k} holds only its users`);
      assert.ok(list.body.Resources.every((u: any) => u.meta.location.includes(dirs[k]!.id)));
    }
    // A directory's token never reads another directory.
    const cross = await gh.app.inject({ method: 'GET', url: `${dirs[1]!.path}/Users`, headers: { authorization: `Bearer ${dirs[0]!.secret}` } });
    assert.equal(cross.statusCode, 401);
    assert.equal(cross.json().status, '401');
  });
});

for (const dialect of testDialects().filter((d) => d !== 'sqlite')) {
  describe(`two instances on one ${dialect} database`, () => {
    let a: RunningGatehouse | null;
    let b: RunningGatehouse;
    before(async () => {
      a = await startGatehouse({ dialect });
      if (a) b = (await startGatehouse({ dialect, databaseUrl: a.db.url, env: { ENCRYPTION_KEY: a.ctx.config.encryptionKeys[0]!.toString('hex') } }))!;
    });
    after(async () => {
      if (!a) return;
      await b.close();
      await a.close();
    });

    test('each event is delivered exactly once, in order per resource, while both deliverers run', async (t) => {
      if (!a) return t.skip(`${dialect} unreachable`);
      const rx = await startReceiver('s3cret_0123456789', (_b, n) => (n % 7 === 0 ? 503 : 200));
      const dir = await createDirectory(a, { webhook_url: rx.url, webhook_secret: 's3cret_0123456789' });
      const opts = { pollMs: 10, batch: 10 };
      const deliverers = [startWebhookDeliverer({ ...a.ctx, config: { ...a.ctx.config, WEBHOOK_RETRY_BASE_MS: 20, WEBHOOK_RETRY_MAX_DELAY_MS: 100 } }, opts), startWebhookDeliverer({ ...b.ctx, config: { ...b.ctx.config, WEBHOOK_RETRY_BASE_MS: 20, WEBHOOK_RETRY_MAX_DELAY_MS: 100 } }, opts)];
      try {
        const clients = [scimClient(a, dir), scimClient(b, dir)];
        const ids = await Promise.all(Array.from({ length: 30 }, async (_, i) => (await clients[i % 2]!('POST', '/Users', { userName: `m${i}@x.test`, title: 't0' })).body.id as string));
        for (let v = 1; v <= 2; v++) await Promise.all(ids.map((id, i) => clients[(i + v) % 2]!('PATCH', `/Users/${id}`, { Operations: [{ op: 'replace', path: 'title', value: `t${v}` }] })));
        await waitFor(() => rx.received.length >= 90, 20_000);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(rx.received.length, 90);
        assert.equal(new Set(rx.received.map((r) => r.id)).size, 90);
        assert.ok(rx.received.every((r) => r.signatureOk), 'both instances sign with the shared secret');
        for (const id of ids) assert.deepEqual(rx.received.filter((r) => r.body.data.id === id).map((r) => r.body.data.raw.title), ['t0', 't1', 't2']);
      } finally {
        await Promise.all(deliverers.map((d) => d.stop()));
        await rx.close();
      }
    });
  });
}
