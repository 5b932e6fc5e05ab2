/**
 * The vendor event stream's storage on every dialect: appends come back oldest first with filters by tenant,
 * product and types and a seq cursor; concurrent appends all land, in seq order; sign-in counts add up under
 * concurrency and exactly one of many concurrent callers opens a failing episode, which a success closes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describeEachDialect } from '../support/each-dialect.ts';
import { vendorEventsRepo } from '../../src/storage/repositories/vendor-events.ts';
import { connectionLoginHealthRepo } from '../../src/storage/repositories/connection-login-health.ts';

const ev = (type: string, tenant: string, product: string, at: number) => ({ id: randomUUID(), type, tenant, product, connection_id: `${tenant}-${product}`, data: JSON.stringify({ at }), created_at: at });

describeEachDialect('vendor event store', (suite) => {
  suite.it('appends are read back oldest first, filtered, after a cursor', async () => {
    const { db, dialect } = suite.opened;
    const rows = [ev('connection.created', 'acme', 'crm', 1), ev('connection.updated', 'acme', 'crm', 2), ev('connection.created', 'globex', 'crm', 3), ev('connection.deleted', 'acme', 'hr', 4), ev('connection.login_failures', 'acme', 'crm', 5)];
    for (const r of rows) await vendorEventsRepo.append(db, dialect, r);
    const all = await vendorEventsRepo.list(db, { limit: 100 });
    assert.deepEqual(all.map((r) => r.id), rows.map((r) => r.id));
    assert.ok(all.every((r, i) => i === 0 || Number(r.seq) > Number(all[i - 1]!.seq)));
    assert.deepEqual((await vendorEventsRepo.list(db, { tenant: 'acme', product: 'crm', limit: 100 })).map((r) => r.created_at), [1, 2, 5]);
    assert.deepEqual((await vendorEventsRepo.list(db, { product: 'crm', types: ['connection.created'], limit: 100 })).map((r) => r.tenant), ['acme', 'globex']);
    const page1 = await vendorEventsRepo.list(db, { limit: 2 });
    const page2 = await vendorEventsRepo.list(db, { limit: 2, afterSeq: Number(page1[1]!.seq) });
    assert.deepEqual([...page1, ...page2].map((r) => r.created_at), [1, 2, 3, 4]);
    const since = await vendorEventsRepo.recentOfTypes(db, ['connection.login_failures', 'connection.deleted'], 4, 10);
    assert.deepEqual(since.map((r) => r.created_at), [5, 4]);
    assert.equal(await vendorEventsRepo.deleteOlderThan(db, 3), 2);
    assert.deepEqual((await vendorEventsRepo.list(db, { limit: 100 })).map((r) => r.created_at), [3, 4, 5]);
  });

  suite.it('concurrent appends all land, each with its own seq', async () => {
    const { db, dialect } = suite.opened;
    const before = (await vendorEventsRepo.list(db, { tenant: 'busy', limit: 500 })).length;
    const rows = Array.from({ length: 20 }, (_, i) => ev('connection.updated', 'busy', 'crm', 100 + i));
    await Promise.all(rows.map((r) => vendorEventsRepo.append(db, dialect, r)));
    const got = await vendorEventsRepo.list(db, { tenant: 'busy', limit: 500 });
    assert.equal(got.length - before, 20);
    assert.deepEqual(new Set(got.map((r) => r.id)), new Set(rows.map((r) => r.id)));
  });

  suite.it('sign-in counts add up; one episode opens once; a success ends it', async () => {
    const { db, dialect } = suite.opened;
    const c = `conn-${randomUUID()}`;
    await Promise.all(Array.from({ length: 8 }, () => connectionLoginHealthRepo.count(db, dialect, c, 1000, 'SAML_SIGNATURE_INVALID')));
    await connectionLoginHealthRepo.count(db, dialect, c, 1001, 'ok');
    await connectionLoginHealthRepo.count(db, dialect, c, 990, 'ok');
    assert.deepEqual(Object.fromEntries(await connectionLoginHealthRepo.window(db, c, 1000)), { SAML_SIGNATURE_INVALID: 8, ok: 1 });
    assert.equal(await connectionLoginHealthRepo.openEpisode(db, dialect, c, 5), false, 'no row yet: a connection never seen working has no episode');
    await connectionLoginHealthRepo.succeeded(db, dialect, c, 10);
    const opened = await Promise.all(Array.from({ length: 6 }, () => connectionLoginHealthRepo.openEpisode(db, dialect, c, 20)));
    assert.equal(opened.filter(Boolean).length, 1);
    await connectionLoginHealthRepo.failed(db, dialect, c);
    await connectionLoginHealthRepo.failed(db, dialect, c);
    assert.deepEqual(await connectionLoginHealthRepo.get(db, c), { lastSuccessAt: 10, failuresSinceSuccess: 2, failingSince: 20 });
    await connectionLoginHealthRepo.succeeded(db, dialect, c, 30);
    assert.deepEqual(await connectionLoginHealthRepo.get(db, c), { lastSuccessAt: 30, failuresSinceSuccess: 0, failingSince: null });
    assert.ok((await connectionLoginHealthRepo.deleteCountsBefore(db, 1000)) >= 1);
    assert.deepEqual(Object.fromEntries(await connectionLoginHealthRepo.window(db, c, 0)), { SAML_SIGNATURE_INVALID: 8, ok: 1 });
  });

  suite.it('a success is counted and remembered in one call, concurrently, and ends an episode (decision 0039)', async () => {
    const { db, dialect } = suite.opened;
    const c = `conn-${randomUUID()}`;
    await Promise.all(Array.from({ length: 8 }, (_, i) => connectionLoginHealthRepo.recordSuccess(db, dialect, c, 2000, 100 + i)));
    assert.deepEqual(Object.fromEntries(await connectionLoginHealthRepo.window(db, c, 2000)), { ok: 8 });
    const first = await connectionLoginHealthRepo.get(db, c);
    assert.equal(first.failuresSinceSuccess, 0);
    assert.equal(first.failingSince, null);
    assert.ok(first.lastSuccessAt !== null && first.lastSuccessAt >= 100 && first.lastSuccessAt <= 107);
    await connectionLoginHealthRepo.failed(db, dialect, c);
    assert.equal(await connectionLoginHealthRepo.openEpisode(db, dialect, c, 200), true);
    await connectionLoginHealthRepo.recordSuccess(db, dialect, c, 2001, 300);
    assert.deepEqual(await connectionLoginHealthRepo.get(db, c), { lastSuccessAt: 300, failuresSinceSuccess: 0, failingSince: null });
    assert.deepEqual(Object.fromEntries(await connectionLoginHealthRepo.window(db, c, 2000)), { ok: 9 });
  });
});
