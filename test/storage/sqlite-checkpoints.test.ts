/**
 * WAL checkpoints on a worker thread (src/storage/sqlite-checkpoints.ts): while it runs, the server's
 * connection only checkpoints past 10,000 pages, yet committed pages reach the database file; when the
 * worker cannot run, the connection goes back to SQLite's default and the problem is reported.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../src/storage/index.ts';
import { CHECKPOINT_THREAD_LIMITS, startSqliteCheckpoints } from '../../src/storage/sqlite-checkpoints.ts';
import { commitWalPages } from '../support/wal-pages.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ckpt-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('committed pages reach the database file through the worker, not through the commits', async () => {
  const file = join(dir, 'worker.db');
  const opened = await openDatabase(`sqlite:${file}`);
  assert.ok(opened.startBackgroundCheckpoints, 'a SQLite file offers background checkpoints');
  const problems: string[] = [];
  const checkpoints = opened.startBackgroundCheckpoints({ intervalMs: 20, onProblem: (m) => problems.push(m) });
  try {
    await commitWalPages(opened.db);
    await pause(200);
    assert.ok(statSync(file).size > 1_400_000, `the database file holds the rows (${statSync(file).size} bytes), so the worker checkpointed them`);
    assert.deepEqual(problems, []);
  } finally {
    await checkpoints.stop();
    await opened.close();
  }
  const check = new BetterSqlite3(file, { readonly: true });
  assert.equal((check.prepare('select count(*) as n from blobs').get() as { n: number }).n, 500);
  check.close();
});

test('a worker that cannot open the database: the connection checkpoints itself again and the problem is reported', async () => {
  const database = new BetterSqlite3(join(dir, 'fallback.db'));
  database.pragma('journal_mode = WAL');
  const problems: string[] = [];
  const checkpoints = startSqliteCheckpoints(database, join(dir, 'missing', 'nothing.db'), { intervalMs: 20, onProblem: (m) => problems.push(m) });
  for (let i = 0; i < 100 && problems.length === 0; i++) await pause(20);
  assert.match(problems[0] ?? '', /checkpoint thread (failed|exited).*back on the server's connection/);
  assert.equal(database.pragma('wal_autocheckpoint', { simple: true }), 1000);
  await checkpoints.stop();
  database.close();
});

test('the checkpoint thread runs with a small V8 heap (decision 0054): its limits are the ones Node applies', async () => {
  const file = join(dir, 'limits.db');
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  const problems: string[] = [];
  const checkpoints = startSqliteCheckpoints(database, file, { intervalMs: 20, onProblem: (m) => problems.push(m) });
  try {
    await pause(100);
    const limits = checkpoints.resourceLimits() ?? {};
    assert.equal(limits.maxOldGenerationSizeMb, CHECKPOINT_THREAD_LIMITS.maxOldGenerationSizeMb);
    assert.equal(limits.maxYoungGenerationSizeMb, CHECKPOINT_THREAD_LIMITS.maxYoungGenerationSizeMb);
    assert.ok(CHECKPOINT_THREAD_LIMITS.maxOldGenerationSizeMb <= 8);
    assert.deepEqual(problems, [], 'the thread runs its checkpoints within those limits');
  } finally {
    await checkpoints.stop();
    database.close();
  }
});
