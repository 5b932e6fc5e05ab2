/**
 * The statements decision 0053 cut, measured alone on SQLite through Kysely and Gatehouse's driver:
 *
 *   node --import tsx bench/sqlite-limit-literals.ts
 *
 * A deactivation's session lookup (with `limit 1000` and, for reference, without a LIMIT) and the SCIM inspector's trim
 * read (2,000 entries: the rows one by one, and the two aggregates). CPU per call is `process.cpuUsage` (after 200
 * unmeasured calls), median of 5 interleaved rounds. Run it on two checkouts, A B A B, to compare (bench/README.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { GroupCommitSqliteDialect } from '../src/storage/sqlite-driver.ts';
import { describeMachine } from './support/machine.ts';
import { loadavg } from 'node:os';
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-limit-literals-'));
const database = new BetterSqlite3(join(dir, 'db.sqlite'));
database.pragma('journal_mode = WAL');
const db = new Kysely<any>({ dialect: new GroupCommitSqliteDialect(database) });
await sql`create table app_sessions (id text primary key, tenant text, product text, email text, nameid_key text, ended_at integer, expires_at integer, created_at integer)`.execute(db);
await sql`create index s1 on app_sessions (tenant, product, email)`.execute(db);
await sql`create index s2 on app_sessions (tenant, product, nameid_key)`.execute(db);
await sql`create index s3 on app_sessions (tenant, product, created_at)`.execute(db);
await sql`create table scim_requests (id text primary key, directory_id text, at integer, bytes integer)`.execute(db);
await sql`create index r1 on scim_requests (directory_id, at, id, bytes)`.execute(db);
await db.transaction().execute(async (trx) => { for (let i = 0; i < 2100; i += 100) await trx.insertInto('scim_requests').values(Array.from({ length: 100 }, (_, k) => ({ id: `r${String(i + k).padStart(6, '0')}`, directory_id: 'd', at: 1e12 + i + k, bytes: 1500 }))).execute(); });
const sessions = (limit: boolean) => { let q = db.selectFrom('app_sessions').selectAll().where('ended_at', 'is', null).where('expires_at', '>', 5).where('tenant', '=', 'seq.test').where('product', '=', 'crm').where((eb) => eb.or([eb('email', 'in', ['u@x']), eb('nameid_key', 'in', ['a', 'b'])])).orderBy('created_at'); if (limit) q = q.limit(1000); return q.execute(); };
const newest = () => db.selectFrom('scim_requests').where('directory_id', '=', 'd').orderBy('at', 'desc').orderBy('id', 'desc');
const oldTrim = () => newest().select(['at', 'id', 'bytes']).limit(2001).execute();
const newTrim = () => Promise.all([db.selectFrom(newest().select('bytes').limit(2000).as('n')).select((eb) => eb.fn.sum('n.bytes').as('t')).executeTakeFirst(), newest().select(['at', 'id']).limit(1).offset(2000).executeTakeFirst()]);
const cpu = async (n: number, f: () => Promise<unknown>) => { for (let i = 0; i < 200; i++) await f(); const c0 = process.cpuUsage(); for (let i = 0; i < n; i++) await f(); const d = process.cpuUsage(c0); return (d.user + d.system) / n; };
const variants: [string, number, () => Promise<unknown>][] = [['sessions lookup (limit 1000)', 20000, () => sessions(true)], ['sessions lookup, no limit (reference)', 20000, () => sessions(false)], ['inspector trim read, rows', 300, oldTrim], ['inspector trim read, two aggregates', 300, newTrim]];
const results = new Map<string, number[]>();
for (let r = 0; r < 5; r++) for (const [name, n, f] of variants) { if (!results.has(name)) results.set(name, []); results.get(name)!.push(await cpu(n, f)); }
process.stdout.write(`Machine: ${describeMachine()}; load average ${loadavg()[0]!.toFixed(2)}; SQLite file (WAL) through Kysely and GroupCommitSqliteDriver; CPU per call by process.cpuUsage, median of 5 interleaved rounds.\n`);
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const [name, a] of results) console.log(`${name}: median ${med(a).toFixed(1)} µs CPU per call (${a.map((x) => x.toFixed(1)).join(', ')})`);
await db.destroy();
rmSync(dir, { recursive: true, force: true });
