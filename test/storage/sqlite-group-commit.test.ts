/**
 * Group commit on SQLite (src/storage/sqlite-driver.ts): transactions of one turn of the event loop share
 * one COMMIT; each resolves only once its rows are committed (a second connection sees them); a failed
 * transaction undoes only its own work; when the shared COMMIT fails, every transaction of the group fails
 * and none of their rows remain; a statement outside a transaction never sees a group's uncommitted work;
 * writes arriving one at a time commit at once (decision 0036), and concurrent ones go on sharing COMMITs.
 */
import { after, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql, type Generated } from 'kysely';
import { GroupCommitSqliteDialect } from '../../src/storage/sqlite-driver.ts';

interface Db {
  items: { id: Generated<number>; name: string };
  parents: { id: number };
  children: { id: Generated<number>; parent_id: number };
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-group-commit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite group commit', () => {
  let file: string;
  let db: Kysely<Db>;
  let dialect: GroupCommitSqliteDialect;
  let other: BetterSqlite3.Database;
  let n = 0;

  beforeEach(async () => {
    await db?.destroy();
    other?.close();
    file = join(dir, `db-${++n}.sqlite`);
    const database = new BetterSqlite3(file);
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    dialect = new GroupCommitSqliteDialect(database);
    db = new Kysely<Db>({ dialect });
    await sql`create table items (id integer primary key, name text not null unique)`.execute(db);
    await sql`create table parents (id integer primary key)`.execute(db);
    await sql`create table children (id integer primary key, parent_id integer not null references parents(id) deferrable initially deferred)`.execute(db);
    other = new BetterSqlite3(file, { readonly: true });
  });
  after(async () => {
    await db.destroy();
    other.close();
  });

  const count = (table: string) => (other.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  const insertItem = (name: string) =>
    db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ name }).execute();
      await new Promise((r) => setImmediate(r)); // a request's own work between statements
      return trx.selectFrom('items').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    });

  test('concurrent transactions share COMMITs, and each resolves with its rows committed', async () => {
    const before = { ...dialect.driver!.stats };
    await Promise.all(
      Array.from({ length: 64 }, async (_, i) => {
        await insertItem(`item-${i}`);
        // Resolved means committed: another connection sees the row.
        assert.equal((other.prepare('select count(*) as n from items where name = ?').get(`item-${i}`) as { n: number }).n, 1);
      }),
    );
    const stats = dialect.driver!.stats;
    assert.equal(stats.transactions - before.transactions, 64);
    assert.ok(stats.commits - before.commits < 16, `64 transactions in ${stats.commits - before.commits} commits`);
    assert.equal(count('items'), 64);
  });

  test('a failed transaction undoes only its own work; the rest of its group commits', async () => {
    await insertItem('taken');
    const results = await Promise.allSettled([insertItem('a'), insertItem('taken'), insertItem('b'), insertItem('c')]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    assert.match(String((results[1] as PromiseRejectedResult).reason), /UNIQUE constraint failed/);
    assert.deepEqual(other.prepare('select name from items order by id').all(), [{ name: 'taken' }, { name: 'a' }, { name: 'b' }, { name: 'c' }]);
  });

  test('when the shared COMMIT fails, every transaction of the group fails and none of their rows remain', async () => {
    // A deferred foreign key is checked at COMMIT: the orphan child makes the group's COMMIT fail.
    const results = await Promise.allSettled([
      insertItem('innocent'),
      db.transaction().execute((trx) => trx.insertInto('children').values({ parent_id: 42 }).execute()),
      insertItem('bystander'),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
    for (const r of results) assert.match(String((r as PromiseRejectedResult).reason), /FOREIGN KEY constraint failed/);
    assert.equal(count('items'), 0);
    assert.equal(count('children'), 0);
    // The driver goes on normally.
    await insertItem('after');
    assert.equal(count('items'), 1);
  });

  test('a statement outside a transaction first commits the group, so it never reads uncommitted work', async () => {
    await db.insertInto('parents').values({ id: 1 }).execute();
    const commitsBefore = dialect.driver!.stats.commits;
    const settled = (p: Promise<unknown>) => p.then(() => null, (err: Error) => err);
    const orphan = settled(db.transaction().execute((trx) => trx.insertInto('children').values({ parent_id: 99 }).execute()));
    const valid = settled(db.transaction().execute((trx) => trx.insertInto('children').values({ parent_id: 1 }).execute()));
    // Both transactions run and release their savepoints in microtasks (SQLite is synchronous); the group's
    // COMMIT waits for setImmediate, which cannot run before these microtask turns end: the group is open.
    for (let i = 0; i < 200; i++) await null;
    assert.equal(dialect.driver!.stats.commits, commitsBefore, 'the group is still open when the read comes');
    // Inside the open group this read would count 2 children; it commits the group first (which fails) and sees none.
    const seen = await db.selectFrom('children').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(seen.n), 0);
    assert.match(String(await orphan), /FOREIGN KEY constraint failed/);
    assert.match(String(await valid), /FOREIGN KEY constraint failed/);
  });

  const insertNow = (name: string) => db.transaction().execute((trx) => trx.insertInto('items').values({ name }).execute());

  test('writes arriving one at a time: each commits at once, without waiting a turn, and resolves committed', async () => {
    await insertNow('first'); // waits a turn: nobody joins it, so the driver takes writes to come one at a time
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 1));
    for (let i = 0; i < 5; i++) {
      const before = { ...dialect.driver!.stats };
      let turned = false;
      setImmediate(() => (turned = true));
      await insertNow(`alone-${i}`);
      assert.equal(turned, false, 'committed before the end of the turn');
      assert.equal(count('items'), i + 2, 'resolved means committed');
      assert.deepEqual({ commits: dialect.driver!.stats.commits - before.commits, transactions: dialect.driver!.stats.transactions - before.transactions }, { commits: 1, transactions: 1 });
      // The next request comes later: after this turn's check phase (which closes the lone commit's turn), then a timer.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 1));
    }
  });

  test('after writes one at a time, concurrent ones share COMMITs again', async () => {
    await insertNow('first');
    await new Promise((r) => setTimeout(r, 1));
    await insertNow('second'); // committed alone
    const before = { ...dialect.driver!.stats };
    await Promise.all(Array.from({ length: 64 }, (_, i) => insertItem(`item-${i}`)));
    const commits = dialect.driver!.stats.commits - before.commits;
    assert.equal(dialect.driver!.stats.transactions - before.transactions, 64);
    assert.ok(commits < 16, `64 transactions in ${commits} commits`);
    assert.equal(count('items'), 66);
  });

  test('a controlled transaction with a savepoint rolled back inside it', async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto('items').values({ name: 'outer' }).execute();
    const sp = await trx.savepoint('inner').execute();
    await sp.insertInto('items').values({ name: 'rolled back' }).execute();
    await sp.rollbackToSavepoint('inner').execute();
    await trx.commit().execute();
    assert.deepEqual(other.prepare('select name from items').all(), [{ name: 'outer' }]);
  });
});
