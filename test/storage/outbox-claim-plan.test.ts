/**
 * Decision 0063: the outbox claim's pick, prepared on a connection while the outbox was small, still walks only as
 * far as its batch once the outbox is large. A connection keeps the generic plan it made on the small table
 * (decision 0048; the sittings' server never ANALYZEs), so this grows the table under that statement and reads the
 * plan the connection holds: EXPLAIN (ANALYZE, BUFFERS) of the prepared pick, counted in buffers and plan nodes, not
 * in time. Before 0063 the cached plan's probe read every pending row for every candidate (~70,000 buffers for a
 * claim of 100 with 1,900 pending).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { openDatabase, migrateToLatest, directoryEventsRepo, type Database } from '../../src/storage/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

const BATCH = 50;
const PENDING = 1_500;
const SETTLED = 1_500;

interface PlanNode { 'Node Type': string; 'Index Name'?: string; 'Index Cond'?: string; 'Shared Hit Blocks'?: number; 'Shared Read Blocks'?: number; Plans?: PlanNode[] }
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe('outbox claim plan on a growing outbox (postgres)', async () => {
  const test_ = await createTestDatabase('postgres');
  if (!test_) return;
  const testDb: TestDatabase = test_;
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let clock = 1_790_000_000_000;
  let n = 0;
  const append = (count: number) =>
    directoryEventsRepo.append(db, Array.from({ length: count }, () => {
      const i = n++;
      return { id: `evt_${i}`, directory_id: 'dir', resource_key: `user:${i % 700}`, event: 'group.user_added', payload: `{"i":${i},"x":"${'p'.repeat(300)}"}`, status: 'pending' as const, attempts: 0, next_attempt_at: clock, deadline_at: clock + 86_400_000, created_at: clock };
    }));
  const round = async (limit: number) => {
    clock += 5;
    const claimed = await directoryEventsRepo.claim(db, 'postgres', `c${clock}`, clock, 60_000, limit);
    await directoryEventsRepo.settle(db, `c${clock}`, claimed.map((e) => ({ seq: e.seq, result: 'delivered' as const, status: 200, at: clock })), []);
    return claimed.length;
  };

  before(async () => {
    // One connection, prepared statements on (the default): the deliverer's connection, as in a sitting.
    ({ db, close } = await openDatabase(testDb.url, 1));
    await migrateToLatest(db, 'postgres');
    for (let r = 0; r < 10; r++) {
      await append(3);
      await round(BATCH);
    }
    // Grown under the same statement, settled as the deliverer settles (each settle leaves a dead row version).
    while (n < PENDING + SETTLED) {
      await append(100);
      if (n > PENDING) assert.equal(await round(100), 100);
    }
  });
  after(async () => {
    await close?.();
    await testDb.drop();
  });

  test('the pick the connection prepared while the outbox was small walks only as far as its batch', async () => {
    const prepared = await sql<{ name: string; parameter_types: string; generic_plans: number }>`select name, parameter_types::text, generic_plans from pg_prepared_statements where statement ilike '%for update skip locked%'`.execute(db);
    assert.equal(prepared.rows.length, 1, 'the pick is a prepared statement of this connection');
    const pick = prepared.rows[0]!;
    assert.ok(Number(pick.generic_plans) > 0, 'a generic plan was cached while the outbox was small');
    const pending = Number((await sql<{ n: number }>`select count(*)::int as n from directory_events where status = 'pending'`.execute(db)).rows[0]!.n);
    assert.ok(pending >= PENDING - 100, `${pending} pending`);
    const types = pick.parameter_types.replace(/[{}]/g, '').split(',');
    const values = types.map((_, i) => (i === types.length - 1 ? String(BATCH) : String(clock + 5)));
    for (const mode of ['auto', 'force_generic_plan']) {
      await sql.raw(`set plan_cache_mode = ${mode}`).execute(db);
      const out = await sql.raw<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`explain (analyze, buffers, format json) execute ${pick.name}(${values.join(', ')})`).execute(db);
      const plan = out.rows[0]!['QUERY PLAN'][0]!.Plan;
      const all = nodes(plan);
      const buffers = (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
      assert.ok(!all.some((x) => x['Node Type'] === 'Sort'), `${mode}: no sort of every pending event`);
      const probe = all.find((x) => x['Node Type'].startsWith('Index') && x['Index Name'] === 'directory_events_resource_pending');
      assert.ok(probe && /directory_id/.test(probe['Index Cond'] ?? '') && /resource_key/.test(probe['Index Cond'] ?? ''), `${mode}: each candidate is probed by its directory and resource`);
      // A walk of the batch reads a few buffers per candidate; reading the pending rows per candidate is ~BATCH × pending.
      assert.ok(buffers < BATCH * 12, `${mode}: ${buffers} buffers for a claim of ${BATCH} with ${pending} pending`);
    }
    await sql.raw('set plan_cache_mode = auto').execute(db);
  });
});
