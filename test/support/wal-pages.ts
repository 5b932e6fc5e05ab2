/**
 * WAL checkpoint tests (test/storage/sqlite-checkpoints.test.ts, src/sso/saml/validation-pool-checkpoints.test.ts):
 * commits enough pages that only a background checkpoint can have copied them into the database file.
 */
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/storage/schema.ts';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asserts the server's connection only checkpoints at the backstop, then commits ~1,500 pages in 500 commits (`blobs`). */
export async function commitWalPages(db: Kysely<Database>): Promise<void> {
  assert.deepEqual((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows, [{ wal_autocheckpoint: 10_000 }]);
  await sql`create table blobs (id integer primary key, body blob)`.execute(db);
  const body = Buffer.alloc(3000, 7);
  // Past SQLite's default 1,000-page checkpoint, below the 10,000-page backstop.
  for (let i = 0; i < 500; i++) {
    await db.transaction().execute((trx) => sql`insert into blobs (body) values (${body})`.execute(trx));
    if (i % 50 === 49) await pause(10);
  }
}
