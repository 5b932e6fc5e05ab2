/**
 * The outbox claim on one PostgreSQL connection while the outbox grows (decisions 0058 and 0063):
 *
 *   node --import tsx bench/outbox-claim-growth.ts [--events 40000] [--backlog 2000] [--batch 100] [--base path/to/directory-events.ts] [--explain]
 *
 * A pool of one connection (the deliverer's, with its prepared statements) first claims and settles rounds of a few
 * events on an empty outbox, so the statements are prepared and their plans cached while the table is small; then
 * the outbox grows to `--events` in appends of 40 (a +40 group PATCH's), claimed `--batch` at a time and settled as
 * delivered (the settle's non-HOT update leaves each event's old row version behind, as in a first sync), keeping
 * about `--backlog` pending. Reports the claim's and the settle's time at each tenth of the way, this process's CPU
 * and the backend's (from /proc). No ANALYZE is run (the sittings' server has autovacuum off). With `--explain`, the
 * claim's pick is then EXPLAINed (ANALYZE, BUFFERS) on that connection: when prepared, with the plan the connection
 * would use, a generic and a custom one; when sent with its values in its text, as planned afresh.
 * With `--base`, another copy of the repository (e.g. main's) runs the same on a database of its own, after this one.
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { openDatabase, migrateToLatest, directoryEventsRepo, type Database } from '../src/storage/index.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import { markdownTable, percentile } from './support/stats.ts';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '40000' }, backlog: { type: 'string', default: '2000' }, batch: { type: 'string', default: '100' }, base: { type: 'string' }, explain: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false }, label: { type: 'string', default: 'this branch' } } });
const [EVENTS, BACKLOG, BATCH] = [Number(args.events), Number(args.backlog), Number(args.batch)];
type Repo = typeof directoryEventsRepo;

const payload = (i: number) => JSON.stringify({ event: 'group.user_added', data: { user: { id: `user-${i}`, userName: `user${i}@bench.test` }, group: { id: 'g' } }, x: 'p'.repeat(900) });
const backendCpuMs = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
};

async function run(label: string, repo: Repo): Promise<string[][]> {
  const test = (await createTestDatabase('postgres')) ?? (() => { throw new Error('postgres unreachable'); })();
  const { db, close, statements } = await openDatabase(test.url, 1);
  let lastPick = '';
  statements.tap = (text) => { if (/skip locked/i.test(text)) lastPick = text; };
  try {
    await migrateToLatest(db, 'postgres');
    const pid = Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid);
    let n = 0;
    let clock = Date.now();
    const append = async (count: number) => {
      const rows = Array.from({ length: count }, () => { const i = n++; return { id: `evt_${i}`, directory_id: 'dir_bench', resource_key: `user:${i % 5000}`, event: 'group.user_added', payload: payload(i), status: 'pending' as const, attempts: 0, next_attempt_at: clock, deadline_at: clock + 86_400_000, created_at: clock }; });
      await directoryEventsRepo.append(db, rows);
    };
    const round = async () => {
      clock += 5;
      const t0 = performance.now();
      const claimed = await repo.claim(db, 'postgres', `c${clock}`, clock, 60_000, BATCH);
      const t1 = performance.now();
      await repo.settle(db, `c${clock}`, claimed.map((e) => ({ seq: e.seq, result: 'delivered' as const, status: 200, at: clock })), claimed.map((e) => ({ event_id: e.id, directory_id: e.directory_id, attempt: 1, status_code: 200, latency_ms: 3, response_excerpt: null, error: null, created_at: clock })));
      return [t1 - t0, performance.now() - t1, claimed.length] as const;
    };
    // Small: statements prepared (a generic plan after five runs) while the outbox holds a handful of events.
    for (let r = 0; r < 12; r++) { await append(5); await round(); }
    const out: string[][] = [];
    let claims: number[] = [], settles: number[] = [];
    let cpu0 = process.cpuUsage(), be0 = backendCpuMs(pid), claimedSince = 0;
    const step = Math.ceil(EVENTS / 10);
    let next = step;
    while (n < EVENTS) {
      await append(40);
      if (n - settled < BACKLOG) continue;
      const [c, s, k] = await round();
      claims.push(c); settles.push(s); claimedSince += k; settled += k;
      if (n >= next) {
        const cpu = process.cpuUsage(cpu0), be = backendCpuMs(pid) - be0;
        out.push([label, String(n), String(n - settled), percentile(claims, 50).toFixed(1), percentile(claims, 100).toFixed(1), percentile(settles, 50).toFixed(1), (((cpu.user + cpu.system) / 1000) / claimedSince * 1000).toFixed(0), ((be / claimedSince) * 1000).toFixed(0), loadavg()[0]!.toFixed(1)]);
        claims = []; settles = []; claimedSince = 0; cpu0 = process.cpuUsage(); be0 = backendCpuMs(pid);
        next += step;
      }
    }
    if (args.explain) await explain(db, clock, lastPick);
    return out;
  } finally {
    await close();
    if (args.keep) process.stdout.write(`kept: ${test.url}\n`);
    else await test.drop();
  }
}
let settled = 0;

/**
 * The claim's pick as this connection prepared it (pg_prepared_statements), EXPLAINed (ANALYZE, BUFFERS) with the
 * plan the connection would use (auto), a generic one and a custom one. Parameters: text ones are the status, the
 * last is the limit, the others the clock.
 */
async function explain(db: Kysely<Database>, now: number, lastPick: string) {
  if (!/\$1/.test(lastPick)) {
    const plan = await sql.raw(`explain (analyze, buffers) ${lastPick}`).execute(db);
    process.stdout.write(`\nunprepared pick, planned afresh:\n${lastPick}\n${(plan.rows as Record<string, string>[]).map((r) => r['QUERY PLAN']).join('\n')}\n`);
  }
  const found = await sql<{ name: string; statement: string; parameter_types: string; generic_plans: number; custom_plans: number }>`select name, statement, parameter_types::text, generic_plans, custom_plans from pg_prepared_statements where statement ilike '%skip locked%'`.execute(db);
  for (const st of found.rows) {
    const types = st.parameter_types.replace(/[{}]/g, '').split(',').filter(Boolean);
    const values = types.map((t, i) => (t === 'text' || t.startsWith('character') ? `'pending'` : i === types.length - 1 ? String(BATCH) : String(now)));
    process.stdout.write(`\n${st.name}: ${st.generic_plans} generic, ${st.custom_plans} custom plans so far\n${st.statement}\n`);
    for (const mode of ['auto', 'force_generic_plan', 'force_custom_plan']) {
      await sql.raw(`set plan_cache_mode = ${mode}`).execute(db);
      const plan = await sql.raw(`explain (analyze, buffers) execute ${st.name}(${values.join(', ')})`).execute(db);
      process.stdout.write(`-- plan_cache_mode = ${mode}\n${(plan.rows as Record<string, string>[]).map((r) => r['QUERY PLAN']).join('\n')}\n`);
    }
    await sql.raw('set plan_cache_mode = auto').execute(db);
  }
}

const rows: string[][] = [];
if (args.base) rows.push(...(await run('base', (await import(args.base)).directoryEventsRepo as Repo)));
settled = 0;
rows.push(...(await run(args.label, directoryEventsRepo)));
process.stdout.write(`${markdownTable(['Variant', 'Events', 'Pending', 'Claim p50 ms', 'Claim max ms', 'Settle p50 ms', 'Node µs/event', 'Backend µs/event', 'Load'], rows)}\n`);
