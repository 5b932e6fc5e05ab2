/**
 * Decision 0048: statements prepared once per PostgreSQL connection (src/storage/pg-named-statements.ts), and the
 * outbox and membership writes whose text no longer depends on how many rows they write (unnest): the order and
 * values of what they write, on every dialect.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { namedStatementTable, nameStatementsOf } from '../../src/storage/pg-named-statements.ts';
import { openDatabase, migrateToLatest, directoriesRepo, directoryUsersRepo, directoryGroupsRepo, directoryEventsRepo } from '../../src/storage/index.ts';
import type { NewDirectoryEvent } from '../../src/storage/repositories/directory-events.ts';
import { traitsOf } from '../../src/storage/dialect.ts';
import { describeEachDialect } from '../support/each-dialect.ts';
import { createTestDatabase } from '../support/databases.ts';

const now = 1_790_000_000_000;
const DIR = 'dir-ps';

describe('named statements (unit)', () => {
  const fakeClient = () => {
    const calls: unknown[][] = [];
    let fail: unknown = null;
    const client = {
      query: (...args: unknown[]) => {
        calls.push(args);
        if (fail) {
          const e = fail;
          fail = null;
          return Promise.reject(e);
        }
        return Promise.resolve({ rows: [] });
      },
    };
    return { client, calls, failNext: (e: unknown) => (fail = e) };
  };

  /** A text is named the second time it is seen: `warm` sends each once on a connection of its own. */
  const warm = async (table: ReturnType<typeof namedStatementTable>, texts: string[]) => {
    const w = fakeClient();
    nameStatementsOf(w.client, table);
    for (const text of texts) await w.client.query(text, [0]);
    assert.ok(w.calls.every((c) => c.length === 2 && typeof c[0] === 'string'), 'a text seen once is sent unnamed');
  };

  test('a text with parameters gets one name, the same on every connection; others pass through unnamed', async () => {
    const table = namedStatementTable({ maxNames: 2, maxLength: 100, maxParams: 3 });
    await warm(table, ['select $1', 'select $1, $2', 'select $1, $2, $3']);
    const a = fakeClient();
    const b = fakeClient();
    nameStatementsOf(a.client, table);
    nameStatementsOf(b.client, table);
    await a.client.query('select $1', [1]);
    await b.client.query('select $1', [2]);
    await a.client.query('select $1, $2', [1, 2]);
    await a.client.query('begin', []); // no parameters: never named
    await a.client.query('select $1, $2, $3, $4', [1, 2, 3, 4]); // more than maxParams
    await a.client.query(`select $1 -- ${'x'.repeat(100)}`, [1]); // longer than maxLength
    await a.client.query('select $1, $2, $3', [1, 2, 3]); // a third text: the table is full
    await a.client.query({ text: 'select 1' }); // another call shape
    assert.deepEqual(a.calls[0], [{ name: 'gh1', text: 'select $1', values: [1] }]);
    assert.deepEqual(b.calls[0], [{ name: 'gh1', text: 'select $1', values: [2] }], 'the same text has the same name on another connection');
    assert.deepEqual(a.calls[1], [{ name: 'gh2', text: 'select $1, $2', values: [1, 2] }]);
    assert.deepEqual(a.calls.slice(2, 6).map((c) => c.length), [2, 2, 2, 2], 'passed on as (text, values), unnamed');
    assert.deepEqual(a.calls[6], [{ text: 'select 1' }]);
    assert.equal(table.size, 2);
  });

  test('a statement of every column is named outside a transaction only; a stale plan there is sent again unnamed, and the connection names afresh', async () => {
    const table = namedStatementTable();
    await warm(table, ['select * from t where id = $1', 'select a, b from t where id = $1']);
    const a = fakeClient();
    let status = 'I';
    const client = Object.assign(a.client, { getTransactionStatus: () => status });
    nameStatementsOf(client, table);
    const star = 'select * from t where id = $1';
    a.failNext(Object.assign(new Error('cached plan must not change result type'), { code: '0A000' }));
    await client.query(star, [1]);
    assert.deepEqual(a.calls[0], [{ name: 'gh1', text: star, values: [1] }]);
    assert.deepEqual(a.calls[1], [star, [1]], 'sent again, unnamed: the failure ran nothing');
    await client.query(star, [2]);
    assert.deepEqual(a.calls[2], [{ name: 'gh1_1', text: star, values: [2] }], 'a new generation of names');
    status = 'T';
    await client.query(star, [3]);
    assert.deepEqual(a.calls[3], [star, [3]], 'in a transaction, every-column statements are not named');
    await client.query('select a, b from t where id = $1', [4]);
    assert.equal((a.calls[4]![0] as { name: string }).name, 'gh2_1', 'explicit columns are named in a transaction too');
    a.failNext(Object.assign(new Error('cached plan must not change result type'), { code: '0A000' }));
    await assert.rejects(client.query('select a, b from t where id = $1', [5]) as Promise<unknown>, /cached plan/, 'in a transaction the failure surfaces (it aborted the transaction)');
    // Any other error leaves the names as they are.
    status = 'I';
    a.failNext(Object.assign(new Error('duplicate key'), { code: '23505' }));
    await assert.rejects(client.query(star, [6]) as Promise<unknown>, /duplicate/);
    await client.query(star, [7]);
    assert.equal((a.calls.at(-1)![0] as { name: string }).name, 'gh1_2');
  });

  test('a pooler that keeps no prepared statements (26000, 42P05): the statement is sent again unnamed and the connection stops naming', async () => {
    for (const code of ['26000', '42P05']) {
      const table = namedStatementTable();
      const text = 'select a from t where id = $1';
      await warm(table, [text]);
      const a = fakeClient();
      const client = Object.assign(a.client, { getTransactionStatus: () => 'I' });
      nameStatementsOf(client, table);
      a.failNext(Object.assign(new Error('prepared statement "gh1" does not exist'), { code }));
      await client.query(text, [1]);
      assert.deepEqual(a.calls[0], [{ name: 'gh1', text, values: [1] }]);
      assert.deepEqual(a.calls[1], [text, [1]], `${code}: sent again, unnamed`);
      await client.query(text, [2]);
      assert.deepEqual(a.calls[2], [text, [2]], `${code}: the connection names nothing more`);
      // In a transaction the failure aborted it: it surfaces.
      const b = fakeClient();
      const inTx = Object.assign(b.client, { getTransactionStatus: () => 'T' });
      nameStatementsOf(inTx, table);
      b.failNext(Object.assign(new Error('lost'), { code }));
      await assert.rejects(inTx.query(text, [3]) as Promise<unknown>, /lost/);
      assert.equal(b.calls.length, 1);
    }
  });

  test('a text seen once is not named, so one-off texts take no place from the hot ones', async () => {
    const table = namedStatementTable({ maxNames: 1, maxLength: 100, maxParams: 64 });
    const a = fakeClient();
    nameStatementsOf(a.client, table);
    await a.client.query('select $1 in ($2, $3)', [1, 2, 3]); // once
    await a.client.query('select $1', [1]);
    await a.client.query('select $1', [2]);
    assert.deepEqual(a.calls.map((c) => (typeof c[0] === 'string' ? null : (c[0] as { name: string }).name)), [null, null, 'gh1']);
    assert.equal(table.size, 1);
  });
});

describe('named statements on a PostgreSQL server', () => {
  for (const prepared of [true, false]) {
    test(`preparedStatements ${prepared ? 'on (the default)' : 'off'}: ${prepared ? 'prepared once per connection' : 'nothing prepared'}`, async (t) => {
      const tdb = await createTestDatabase('postgres');
      if (!tdb) return t.skip('postgres server unreachable');
      const opened = await openDatabase(tdb.url, 1, prepared ? {} : { preparedStatements: false });
      try {
        await migrateToLatest(opened.db, 'postgres');
        for (let i = 0; i < 3; i++) assert.equal(await directoriesRepo.findById(opened.db, `nope-${i}`), undefined);
        const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(opened.db);
        const directoryReads = rows.filter((r) => r.statement.includes('from "directories"'));
        assert.equal(directoryReads.length, prepared ? 1 : 0);
        // A column added by another connection (an expanding migration under traffic): every-column reads and
        // writes go on, in a transaction and out of one.
        await directoriesRepo.insert(opened.db, { id: 'd1', tenant: 't', product: 'p', name: 'D', type: 'okta-scim-v2', webhook_url: '', webhook_secret_enc: '', scim_secret_hash: 'h', scim_secret_sealed: null, log_webhook_events: 0, deactivated: 0, created_at: 1, updated_at: 1 } as never);
        const inTx = () => opened.db.transaction().execute((trx) => trx.selectFrom('directories').selectAll().where('id', '=', 'd1').forUpdate().executeTakeFirst());
        assert.equal((await directoriesRepo.findById(opened.db, 'd1'))?.name, 'D');
        assert.equal((await inTx())?.name, 'D');
        const other = await openDatabase(tdb.url, 1, { preparedStatements: false });
        await sql`alter table directories add column next_release_note text null`.execute(other.db);
        await other.close();
        assert.equal((await directoriesRepo.findById(opened.db, 'd1'))?.name, 'D');
        assert.equal((await inTx())?.name, 'D');
        assert.equal((await directoriesRepo.findById(opened.db, 'd1'))?.name, 'D');
      } finally {
        await opened.close();
        await tdb.drop();
      }
    });
  }
});

describeEachDialect('several outbox rows and members in one write keep their order and values (decision 0048)', (s) => {
  const { dialect, it } = s;
  const event = (id: string, over: Partial<NewDirectoryEvent> = {}): NewDirectoryEvent => ({
    id, directory_id: DIR, resource_key: 'g:g1', event: 'group.user_added', payload: `{"id":"${id}","ü":"✓"}`, status: 'pending', attempts: 0,
    next_attempt_at: now + 5, deadline_at: now + 86_400_000, lease_owner: null, lease_until: null, last_status: null, last_error: null,
    created_at: now, delivered_at: null, ...over,
  });

  it('events appended with a change are stored in the order given, every column as given', async () => {
    const db = s.opened.db;
    const inTx = <T>(fn: (d: typeof db) => Promise<T>) => (traitsOf(dialect).writesInOneStatement ? fn(db) : db.transaction().execute(fn));
    const group = { id: 'g1', directory_id: DIR, display_name: 'G', external_id: null, raw: '{}', created_at: now, updated_at: now, version: 1 };
    await directoryGroupsRepo.insert(db, group);
    // Ids deliberately not in sorted order: seq must follow the list, not the ids.
    const ids = ['e-3', 'e-1', 'e-9', 'e-2', 'e-0'];
    const rows = ids.map((id, i) => event(id, { resource_key: i % 2 ? 'g:g1' : `u:${id}`, event: i % 2 ? 'group.user_added' : 'user.updated' }));
    await inTx((d) => directoryEventsRepo.appendWith(d, dialect, directoryGroupsRepo.updateWrite(d, DIR, 'g1', { ...group, version: 2 }), rows));
    const stored = (await directoryEventsRepo.list(db, DIR, { limit: 10 })).reverse();
    assert.deepEqual(stored.map((r) => r.id), ids);
    for (const [i, r] of stored.entries()) {
      const { seq, ...rest } = r;
      assert.equal(typeof Number(seq), 'number');
      assert.deepEqual({ ...rest, attempts: Number(rest.attempts), next_attempt_at: Number(rest.next_attempt_at), deadline_at: Number(rest.deadline_at), created_at: Number(rest.created_at) }, rows[i]);
    }
    assert.equal((await directoryGroupsRepo.findById(db, DIR, 'g1'))?.version, 2);
  });

  it('members added in one write keep their displays (null or not) and say which are users', async () => {
    const db = s.opened.db;
    await directoryUsersRepo.insert(db, { id: 'm-u1', directory_id: DIR, user_name: 'm1@example.com', user_name_key: 'm1@example.com', external_id: null, display_name: 'M One', active: 1, raw: '{}', created_at: now, updated_at: now, version: 1 });
    const values = Array.from({ length: 45 }, (_, i) => (i === 7 ? 'm-u1' : `m-${i}`));
    const rows = values.map((v, i) => ({ group_id: 'g1', directory_id: DIR, member_value: v, display: i % 3 ? `Display ${i} ’` : null, created_at: now + i }));
    const r = await db.transaction().execute((trx) => directoryGroupsRepo.addNewMembers(trx, dialect, DIR, 'g1', rows));
    assert.deepEqual([...r.added].sort(), [...values].sort());
    if (r.users) {
      assert.equal(r.users.get('m-u1')?.display_name, 'M One');
      assert.equal(r.users.get('m-0'), null);
    }
    const members = await directoryGroupsRepo.membersOf(db, DIR, ['g1']);
    assert.deepEqual(members.map((m) => [m.member_value, m.display]), rows.map((m) => [m.member_value, m.display]));
    assert.equal(members.find((m) => m.member_value === 'm-u1')?.user_display, 'M One');
    const again = await db.transaction().execute((trx) => directoryGroupsRepo.addNewMembers(trx, dialect, DIR, 'g1', [...rows.slice(0, 2), { ...rows[0]!, member_value: 'm-new' }]));
    assert.deepEqual([...again.added], ['m-new'], 'those already there are not added again');
  });
});
