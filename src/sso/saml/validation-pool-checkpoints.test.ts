/**
 * Decision 0056: with a validation pool, a SQLite file's WAL checkpoints run on the pool's resident thread (its own
 * connection), not on a thread of their own; committed pages reach the database file through it, and a failed
 * checkpoint puts them back on the server's connection.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../storage/index.ts';
import { startSqliteCheckpoints } from '../../storage/sqlite-checkpoints.ts';
import { createSamlValidationPool } from './validation-pool.ts';
import { commitWalPages } from '../../../test/support/wal-pages.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-pool-ckpt-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the pool hosts the checkpoints: one thread, started by them, copies committed pages into the database file', async () => {
  const file = join(dir, 'pooled.db');
  const opened = await openDatabase(`sqlite:${file}`);
  const pool = createSamlValidationPool(2);
  assert.ok(pool.checkpointHost, 'a pool with threads hosts checkpoints');
  const problems: string[] = [];
  const checkpoints = opened.startBackgroundCheckpoints!({ intervalMs: 20, onProblem: (m) => problems.push(m), host: pool.checkpointHost });
  try {
    await commitWalPages(opened.db);
    // Up to 10 s: the first checkpoint starts the pool, whose thread loads tsx on a loaded machine; the loop ends early.
    for (let i = 0; i < 500 && statSync(file).size <= 1_400_000; i++) await pause(20);
    assert.ok(statSync(file).size > 1_400_000, `the database file holds the rows (${statSync(file).size} bytes), so the pool's thread checkpointed them`);
    assert.equal(pool.liveThreads(), 1, 'no sign-in happened: the checkpoints started the pool, and one thread runs them');
    assert.deepEqual(problems, []);
  } finally {
    await checkpoints.stop();
    await pool.close();
    await opened.close();
  }
  const reader = new BetterSqlite3(file, { readonly: true });
  try {
    assert.equal(reader.prepare('select count(*) as n from blobs').pluck().get(), 500);
  } finally {
    reader.close();
  }
  // Closed is closed: a late checkpoint (or sign-in) during shutdown does not start the threads again.
  await assert.rejects(pool.checkpointHost!.checkpoint(file), /closed/);
  assert.equal(pool.liveThreads(), 0);
});

test('a checkpoint that fails on the pool (the file cannot be opened there): the connection checkpoints itself again, reported once', async () => {
  const database = new BetterSqlite3(join(dir, 'fallback.db'));
  database.pragma('journal_mode = WAL');
  const pool = createSamlValidationPool(1);
  const problems: string[] = [];
  const checkpoints = startSqliteCheckpoints(database, join(dir, 'missing', 'nothing.db'), { intervalMs: 20, onProblem: (m) => problems.push(m), host: pool.checkpointHost });
  try {
    for (let i = 0; i < 250 && problems.length === 0; i++) await pause(20);
    assert.match(problems[0] ?? '', /WAL checkpoint failed on the validation thread: .*back on the server's connection/);
    assert.equal(database.pragma('wal_autocheckpoint', { simple: true }), 1000);
    await pause(100);
    assert.equal(problems.length, 1, 'the checkpoints stopped after the first failure');
  } finally {
    await checkpoints.stop();
    await pool.close();
    database.close();
  }
});
