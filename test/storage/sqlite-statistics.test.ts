/**
 * SQLite's planner statistics (src/storage/sqlite-statistics.ts): a connection opened by openDatabase samples its
 * ANALYZE, `refreshSqliteStatistics` fills `sqlite_stat1` for tables that need it, and with statistics a
 * deactivation's session lookup (tenant, product, emails or NameID keys: appSessionsRepo.findOpen) is answered by the
 * email and NameID indexes instead of a walk over every session of the tenant. A second refresh with nothing changed
 * leaves the statistics as they were. The outbox's claim and the retention sweep's read, tuned before statistics
 * existed, keep their index plans once statistics exist.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../src/storage/dialect.ts';
import { migrateToLatest } from '../../src/storage/index.ts';
import { appSessionsRepo } from '../../src/storage/repositories/app-sessions.ts';
import { directoryEventsRepo } from '../../src/storage/index.ts';
import BetterSqlite3 from 'better-sqlite3';
import { ANALYSIS_LIMIT, refreshSqliteStatistics } from '../../src/storage/sqlite-statistics.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

let testDb: TestDatabase | null = null;
let opened: OpenedDatabase | null = null;
after(async () => {
  await opened?.close();
  await testDb?.drop();
});

test('statistics make the deactivation lookup use the email and NameID indexes', async () => {
  testDb = await createTestDatabase('sqlite');
  assert.ok(testDb, 'a SQLite file');
  opened = await openDatabase(testDb.url);
  const { db } = opened;
  await migrateToLatest(db, 'sqlite');
  assert.equal((await sql<{ analysis_limit: number }>`pragma analysis_limit`.execute(db)).rows[0]?.analysis_limit, ANALYSIS_LIMIT);

  // One tenant with 2,000 sessions (a quarter ended), as a long-running deployment has.
  const now = Date.now();
  const rows = Array.from({ length: 2000 }, (_, i) => ({
    sid: `sid-${i}`, connection_id: `conn-${i % 3}`, tenant: 'acme.test', product: 'crm', client_id: `conn-${i % 3}`, sub: `sub-${i}`,
    nameid: `user${i}@acme.test`, nameid_key: `key-${i}`, nameid_format: null, session_index: null, email: `user${i}@acme.test`,
    created_at: now - 1000 + i, expires_at: now + 3_600_000, ended_at: i % 4 === 0 ? now - 10 : null, end_reason: i % 4 === 0 ? 'logout' : null,
  }));
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('app_sessions').values(rows.slice(i, i + 200)).execute();

  const planOf = async () => {
    const selector = { tenant: 'acme.test', product: 'crm', emails: ['user7@acme.test'], nameidKeys: ['key-9'] };
    let text = '';
    const tap = opened!.statements.tap;
    opened!.statements.tap = (s) => (text ||= s);
    const found = await appSessionsRepo.findOpen(db, selector, now);
    opened!.statements.tap = tap;
    assert.deepEqual(found.map((r) => r.sid).sort(), ['sid-7', 'sid-9']);
    // The statement as sent: now, tenant, product, the email, the NameID key, and its LIMIT.
    assert.equal(text.match(/\?/g)?.length, 6, text);
    const explained = sql.raw<{ detail: string }>(text.replace(/^select/i, 'explain query plan select')).compile(db);
    const parameters = [now, 'acme.test', 'crm', 'user7@acme.test', 'key-9', 1000];
    return (await db.executeQuery<{ detail: string }>({ ...explained, parameters })).rows.map((r) => r.detail).join('\n');
  };

  await refreshSqliteStatistics(db);
  const stats = (await sql<{ idx: string | null }>`select idx from sqlite_stat1 where tbl = 'app_sessions'`.execute(db)).rows.map((r) => r.idx);
  assert.ok(stats.includes('app_sessions_user_email') && stats.includes('app_sessions_user_nameid'), `statistics for the session indexes: ${stats.join(', ')}`);
  const plan = await planOf();
  assert.match(plan, /app_sessions_user_email/, plan);
  assert.match(plan, /app_sessions_user_nameid/, plan);

  const before = (await sql<{ stat: string }>`select stat from sqlite_stat1 order by tbl, idx`.execute(db)).rows;
  await refreshSqliteStatistics(db);
  assert.deepEqual((await sql<{ stat: string }>`select stat from sqlite_stat1 order by tbl, idx`.execute(db)).rows, before, 'nothing changed, nothing re-analysed');
});

test('with statistics, the outbox claim and the retention read keep their index plans', async () => {
  assert.ok(testDb && opened, 'the first test opened the database');
  const { db } = opened;
  const now = Date.now();
  const rows = Array.from({ length: 20_000 }, (_, i) => {
    const pending = i % 50 === 0;
    return {
      id: `evt_${String(i).padStart(6, '0')}`, directory_id: `dir${i % 5}`, resource_key: `user:${i % 3000}`, event: 'user.updated', payload: '{}',
      status: pending ? 'pending' as const : 'delivered' as const, attempts: 1, next_attempt_at: now - 1000, deadline_at: now + 86_400_000,
      created_at: now - 1_000_000 + i, delivered_at: pending ? null : now - 100_000,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await directoryEventsRepo.append(db, rows.slice(i, i + 500));
  await refreshSqliteStatistics(db);

  const captured: string[] = [];
  const tap = opened.statements.tap;
  opened.statements.tap = (text) => captured.push(text);
  assert.equal((await directoryEventsRepo.claim(db, 'sqlite', 'claim-1', now, 60_000, 100)).length, 100);
  await directoryEventsRepo.deleteDeliveredBefore(db, 'sqlite', now - 86_400_000);
  opened.statements.tap = tap;

  // A new connection reads the statistics when it opens, as the server's does after a restart.
  const raw = new BetterSqlite3(testDb.url.replace(/^sqlite:/, ''), { readonly: true });
  try {
    const planOf = (text: string) => (raw.prepare(`explain query plan ${text}`).all(Array.from({ length: (text.match(/\?/g) ?? []).length }, () => now)) as { detail: string }[]).map((r) => r.detail).join('\n');
    const claim = captured.find((t) => /^update "directory_events" set "lease_owner"/.test(t));
    const sweepRead = captured.find((t) => /^select "seq", "id", "delivered_at"/.test(t));
    assert.ok(claim && sweepRead, `the claim and the sweep's read were sent:\n${captured.join('\n')}`);
    const claimPlan = planOf(claim);
    assert.match(claimPlan, /SEARCH e USING INDEX directory_events_pending \(status=\?\)/, claimPlan);
    assert.match(claimPlan, /USING INDEX directory_events_resource_pending/, claimPlan);
    assert.doesNotMatch(claimPlan, /SCAN/, claimPlan);
    assert.match(planOf(sweepRead), /SEARCH directory_events USING INDEX directory_events_pending \(status=\? AND seq>\?\)/);
  } finally {
    raw.close();
  }
});

test('a running server refreshes the statistics on its own, soon after start (scheduleSweeps)', async () => {
  const { startGatehouse } = await import('../support/gatehouse.ts');
  const { scheduleSweeps } = await import('../../src/maintenance.ts');
  const gh = await startGatehouse();
  assert.ok(gh);
  const stop = scheduleSweeps(gh.ctx, 3_600_000, 10);
  try {
    const analysed = async () => (await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(gh.ctx.db)).rows[0]?.n === 1;
    assert.equal(await analysed(), false, 'no statistics before the first refresh');
    for (let i = 0; i < 1000 && !(await analysed()); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await analysed(), true, 'the first refresh ran');
  } finally {
    stop();
    await gh.close();
  }
});
