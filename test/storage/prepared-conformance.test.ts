/**
 * Queries compiled once (src/storage/prepared.ts, decision 0049) on SQLite, PostgreSQL and MySQL/MariaDB: each call
 * runs with its own values (never the previous call's, never a placeholder), inside and outside a transaction, the
 * same SQL Kysely builds per call, and a value the builder never used is a mistake caught at once.
 */
import assert from 'node:assert/strict';
import { prepared } from '../../src/storage/prepared.ts';
import { describeEachDialect } from '../support/each-dialect.ts';

const now = 1_790_000_000_000;

describeEachDialect('prepared queries conformance', (s) => {
  const { it } = s;

  it('each call binds its own values, with constants kept, on the root and in transactions, as the SQL built per call', async () => {
    const db = s.opened.db;
    for (const id of ['crm', 'hr', 'Ünï']) {
      await db.insertInto('products').values({ id, name: `N ${id}`, default_redirect_url: null, initiate_login_uri: null, session_settings: null, roles: id === 'hr' ? '[]' : null, created_at: now, updated_at: now }).execute();
    }
    const build = (d: typeof db, v: { id: string; name: string }) => d.selectFrom('products').select(['id', 'name']).where('id', '=', v.id).where((eb) => eb.or([eb('name', '=', v.name), eb('roles', '=', '[]')])).where('created_at', '=', now);
    const q = prepared<{ id: string; name: string }, { id: string; name: string }>(['id', 'name'], build);
    assert.deepEqual(await q.first(db, { id: 'crm', name: 'N crm' }), { id: 'crm', name: 'N crm' });
    assert.equal(await q.first(db, { id: 'crm', name: 'other' }), undefined, 'the second call binds its own name');
    assert.deepEqual(await q.rows(db, { id: 'hr', name: 'other' }), [{ id: 'hr', name: 'N hr' }], 'the constant ([]) is still bound');
    assert.deepEqual(await q.first(db, { id: 'Ünï', name: 'N Ünï' }), { id: 'Ünï', name: 'N Ünï' });
    await db.transaction().execute(async (trx) => {
      assert.deepEqual(await q.first(trx, { id: 'crm', name: 'N crm' }), { id: 'crm', name: 'N crm' });
      await trx.updateTable('products').set({ name: 'renamed' }).where('id', '=', 'crm').execute();
      assert.deepEqual(await q.first(trx, { id: 'crm', name: 'renamed' }), { id: 'crm', name: 'renamed' }, 'sees its transaction');
    });
    const [a, b] = await Promise.all([q.first(db, { id: 'crm', name: 'renamed' }), q.first(db, { id: 'hr', name: 'x' })]);
    assert.deepEqual([a?.id, b?.id], ['crm', 'hr'], 'concurrent calls keep their values apart');
    const sent: string[] = [];
    s.opened.statements.tap = (text) => sent.push(text);
    try {
      await q.first(db, { id: 'x', name: 'y' });
    } finally {
      s.opened.statements.tap = null;
    }
    assert.deepEqual(sent, [build(db, { id: 'x', name: 'y' }).compile().sql], 'the SQL Kysely builds per call, counted as one statement');
  });

  it('a read of the root while a transaction holds the connection never sees its work before the commit', async () => {
    // On SQLite such a read runs on the driver at once only when the connection is free (decision 0062); here it must
    // wait for the transaction, as Kysely's path does, and then read what was committed.
    const db = s.opened.db;
    await db.insertInto('products').values({ id: 'held', name: 'before', default_redirect_url: null, initiate_login_uri: null, session_settings: null, roles: null, created_at: now, updated_at: now }).execute();
    const q = prepared<{ id: string }, { id: string; name: string }>(['id'], (d, v) => d.selectFrom('products').select(['id', 'name']).where('id', '=', v.id));
    let read: Promise<{ id: string; name: string } | undefined> | undefined;
    let committed = false;
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('products').set({ name: 'after' }).where('id', '=', 'held').execute();
      read = q.first(db, { id: 'held' }).then((row) => {
        if (s.dialect === 'sqlite') assert.ok(committed, 'on SQLite the read waited for the connection');
        return row;
      });
      await new Promise((r) => setTimeout(r, 20));
      committed = true;
    });
    const row = await read!;
    if (s.dialect === 'sqlite') assert.equal(row?.name, 'after');
    else assert.ok(row?.name === 'before' || row?.name === 'after', `a committed state, not ${row?.name}`);
    assert.equal((await q.first(db, { id: 'held' }))?.name, 'after');
  });

  it('a value the query does not use is refused when it is first compiled', async () => {
    const q = prepared<{ id: string; unused: string }, unknown>(['id', 'unused'], (d, v) => d.selectFrom('products').select('id').where('id', '=', v.id));
    await assert.rejects(q.first(s.opened.db, { id: 'crm', unused: 'x' }), /the value unused is not a parameter/);
  });
});
