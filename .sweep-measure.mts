import { sql } from 'kysely';
import { openDatabase, migrateToLatest, directoryEventsRepo } from './src/storage/index.ts';
import { createTestDatabase } from './test/support/databases.ts';
const dialect = process.argv[2] as 'sqlite' | 'postgres' | 'mysql';
const OLD = 60_000, RECENT = 20_000, PEND = 2_000;
const now = 1_790_000_000_000, cutoff = now - 7 * 86_400_000;
const tdb = (await createTestDatabase(dialect))!;
const { db, close } = await openDatabase(tdb.url, 2);
await migrateToLatest(db, dialect);
let n = 0;
const ev = (status: any, d: number | null) => { const i = n++; return { id: `evt_${String(i).padStart(7, '0')}`, directory_id: 'dir', resource_key: `user:${i % 500}`, event: 'user.updated', payload: `{"i":${i},"x":"${'p'.repeat(200)}"}`, status, attempts: 1, next_attempt_at: 0, deadline_at: now, created_at: d ?? now, delivered_at: d }; };
const rows = [...Array.from({ length: OLD }, (_, i) => ev('delivered', cutoff - 86_400_000 + i)), ...Array.from({ length: RECENT }, (_, i) => ev('delivered', now - i)), ...Array.from({ length: PEND }, () => ev('pending', null))];
for (let i = 0; i < rows.length; i += 500) {
  await directoryEventsRepo.append(db, rows.slice(i, i + 500));
  await db.insertInto('directory_event_attempts').values(rows.slice(i, i + 500).map((r) => ({ event_id: r.id, directory_id: 'dir', attempt: 1, status_code: 200, latency_ms: 5, response_excerpt: null, error: null, created_at: 0 }))).execute();
}
if (dialect === 'postgres') await sql`analyze`.execute(db);
if (dialect === 'mysql') await sql`analyze table directory_events`.execute(db);
const q = dialect === 'postgres' ? sql`explain (analyze, buffers, format text) select seq, id from directory_events where status = 'delivered' and seq > 0 and delivered_at < ${cutoff} order by seq limit 1000`
  : dialect === 'mysql' ? sql`explain select seq, id from directory_events where status = 'delivered' and seq > 0 and delivered_at < ${cutoff} order by seq limit 1000`
  : sql`explain query plan select seq, id from directory_events where status = 'delivered' and seq > 0 and delivered_at < ${cutoff} order by seq limit 1000`;
console.log(JSON.stringify((await q.execute(db)).rows).slice(0, 600));
const calls: any[] = [];
const cpu0 = process.cpuUsage(); const t0 = performance.now();
for (;;) { const t = performance.now(); const r = await directoryEventsRepo.deleteDeliveredBefore(db, dialect, cutoff); calls.push({ ...r, ms: Math.round(performance.now() - t) }); if (r.done) break; }
const cpu = process.cpuUsage(cpu0);
console.log(dialect, JSON.stringify(calls), 'total ms', Math.round(performance.now() - t0), 'client cpu ms', Math.round((cpu.user + cpu.system) / 1000));
const t1 = performance.now(); const empty = await directoryEventsRepo.deleteDeliveredBefore(db, dialect, cutoff); console.log('no-backlog sweep', JSON.stringify(empty), Math.round(performance.now() - t1), 'ms');
const left = await db.selectFrom('directory_events').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
console.log('left', JSON.stringify(left), 'attempts', JSON.stringify(await db.selectFrom('directory_event_attempts').select((eb) => eb.fn.countAll<number>().as('n')).execute()));
await close(); await tdb.drop();
