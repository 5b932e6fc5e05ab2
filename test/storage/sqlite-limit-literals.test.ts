/**
 * `limit ?` written as a literal on SQLite (src/storage/limit-literals.ts, decision 0053): the slots are found outside
 * quoted text, the right parameter is written in and dropped, a value that is not an integer leaves the statement as
 * it is, and through the driver every query with a LIMIT answers as before, whatever the values around it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql, type Generated } from 'kysely';
import { GroupCommitSqliteDialect } from '../../src/storage/sqlite-driver.ts';
import { LimitLiterals, limitSlots, withLimitLiterals } from '../../src/storage/limit-literals.ts';

describe('limit literals (pure)', () => {
  test('finds each `limit ?` by parameter index, and no other `?`', () => {
    assert.deepEqual(limitSlots('select * from t where a = ? and b = ? order by c limit ? offset ?').map((s) => s.param), [2]);
    assert.deepEqual(limitSlots('select * from t where a = ?'), []);
    assert.deepEqual(limitSlots('update t set x = ? where id in (select id from t where y = ? LIMIT  ?) returning *').map((s) => s.param), [2]);
    assert.deepEqual(limitSlots('select * from t where a = ? limit ? union all select * from u where b = ? limit ?').map((s) => s.param), [1, 3]);
  });
  test('a `?` or the word limit inside quotes is text, not a parameter', () => {
    const q = `select 'limit ?' as "limit ?", 'it''s ?' from t where a = ? limit ?`;
    assert.deepEqual(limitSlots(q).map((s) => s.param), [1]);
    assert.deepEqual(withLimitLiterals(q, ['x', 7], limitSlots(q)), { sql: `select 'limit ?' as "limit ?", 'it''s ?' from t where a = ? limit 7`, parameters: ['x'] });
  });
  test('a text with a comment is left as it is (a comment could hide a quote or a `?` from the scan)', () => {
    assert.deepEqual(limitSlots("select * from t -- it's\nwhere a = ? limit ?"), []);
    assert.deepEqual(limitSlots('select /* a ? */ * from t where a = ? limit ?'), []);
    assert.deepEqual(limitSlots("select '--' as d, '/*' as e from t where a = ? limit ?").map((s) => s.param), [1], 'inside quotes they are text');
  });
  test('writes safe integers (and bigints) in; anything else leaves the statement unchanged', () => {
    const q = 'select * from t where a = ? limit ? offset ?';
    const slots = limitSlots(q);
    assert.deepEqual(withLimitLiterals(q, ['a', 5, 10], slots), { sql: 'select * from t where a = ? limit 5 offset ?', parameters: ['a', 10] });
    assert.deepEqual(withLimitLiterals(q, ['a', 5n, 10], slots)?.sql, 'select * from t where a = ? limit 5 offset ?');
    assert.equal(withLimitLiterals(q, ['a', '5', 10], slots), null);
    assert.equal(withLimitLiterals(q, ['a', 1.5, 10], slots), null);
    assert.equal(withLimitLiterals(q, ['a', 2 ** 60, 10], slots), null);
    assert.equal(withLimitLiterals(q, ['a', '1; drop table t', 10], slots), null);
  });
  test('statements with values written in are prepared once per text', () => {
    const l = new LimitLiterals<{ sql: string }>();
    let prepared = 0;
    const prepare = (s: string) => (prepared++, { sql: s });
    const a = l.statement('select 1 limit 5', prepare);
    assert.equal(l.statement('select 1 limit 5', prepare), a);
    l.statement('select 1 limit 6', prepare);
    assert.equal(prepared, 2);
  });
});

interface Db {
  items: { id: Generated<number>; name: string; grp: string };
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-limit-literals-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('limit literals through the SQLite driver', () => {
  const database = new BetterSqlite3(join(dir, 'db.sqlite'));
  database.pragma('journal_mode = WAL');
  const db = new Kysely<Db>({ dialect: new GroupCommitSqliteDialect(database) });
  after(() => db.destroy());

  test('LIMIT queries answer as before, whatever the values beside them', async () => {
    await sql`create table items (id integer primary key, name text not null, grp text not null)`.execute(db);
    await db.insertInto('items').values(Array.from({ length: 30 }, (_, i) => ({ name: `n${i}`, grp: i % 2 ? 'odd' : 'even' }))).execute();
    const page = (grp: string, limit: number, offset: number) =>
      db.selectFrom('items').select('name').where('grp', '=', grp).orderBy('id').limit(limit).offset(offset).execute().then((r) => r.map((x) => x.name));
    assert.deepEqual(await page('odd', 3, 0), ['n1', 'n3', 'n5']);
    assert.deepEqual(await page('odd', 3, 0), ['n1', 'n3', 'n5']); // the cached statement, again
    assert.deepEqual(await page('even', 2, 4), ['n8', 'n10']);
    assert.deepEqual(await page('odd', 0, 0), []);
    // In a subquery of a write, inside a transaction (as the webhook deliverer claims).
    const renamed = await db.transaction().execute((trx) =>
      trx.updateTable('items').set({ name: sql`name || ${'!'}` }).where('id', 'in', trx.selectFrom('items').select('id').where('grp', '=', 'even').orderBy('id').limit(2)).returning('name').execute(),
    );
    assert.deepEqual(renamed.map((r) => r.name).sort(), ['n0!', 'n2!']);
    // A value SQLite must judge itself (not an integer) still goes to it as a parameter.
    await assert.rejects(db.selectFrom('items').select('name').limit(sql<number>`${'x'}`).execute(), /datatype mismatch/);
  });
});
