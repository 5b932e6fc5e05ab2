/**
 * An outbox event's life on PostgreSQL, its CPU counted (decision 0058):
 *
 *   node --import tsx bench/outbox-round-cpu.ts [--rounds 6] [--patches 20] [--fillfactor 100 --fillfactor 50] [--base path/to/directory-events.ts]
 *
 * Per round: `--patches` appends of 40 membership events (~1.2 KB payloads, as a group PATCH writes them, each with
 * its group's update), then the deliverer's storage work for them: claims of 200 and the settle of each claim as
 * delivered with its attempts. CPU per event of this process (Node: Kysely, pg) and of the database's backends (read
 * from /proc), for each table fill factor and, with `--base`, for another copy of the outbox
 * repository (an older commit's, put beside the current one), rounds interleaved on databases of their own.
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { sql, type Kysely } from 'kysely';
import { openDatabase, migrateToLatest, directoryEventsRepo, directoryGroupsRepo, type Database } from '../src/storage/index.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import { backendsDelta, postgresBackendsCpu } from './support/cpu.ts';
import { markdownTable } from './support/stats.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '6' }, patches: { type: 'string', default: '20' }, fillfactor: { type: 'string', multiple: true }, base: { type: 'string' } } });
const ROUNDS = Number(args.rounds);
const PATCHES = Number(args.patches);
type Repo = typeof directoryEventsRepo;
const repos: [string, Repo][] = [['this branch', directoryEventsRepo]];
if (args.base) repos.unshift(['base', (await import(args.base)).directoryEventsRepo as Repo]);
const variants = (args.fillfactor ?? ['100', '50']).flatMap((ff) => repos.map(([name, repo]) => ({ label: `${name}, fillfactor ${ff}`, ff: Number(ff), repo })));

const payload = (i: number) => JSON.stringify({ directory_id: 'dir', event: 'group.user_added', tenant: 't', product: 'crm', data: { user: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: `user-${i}`, userName: `user${i}@bench.test`, name: { givenName: 'Given', familyName: `F${i}` }, emails: [{ primary: true, value: `user${i}@bench.test`, type: 'work' }], active: true, roles: [], raw: { locale: 'en-US', displayName: `User "${i}"` }, meta: { resourceType: 'User', location: `http://127.0.0.1/api/scim/v2.0/dir/Users/user-${i}`, version: 'W/"1"' } }, group: { id: 'g', displayName: 'Group' } }, x: 'p'.repeat(500) });

const opened = await Promise.all(variants.map(async (v) => {
  const test = (await createTestDatabase('postgres')) ?? (() => { throw new Error('postgres unreachable'); })();
  const { db } = await openDatabase(test.url);
  await migrateToLatest(db, 'postgres');
  await sql`alter table directory_events set (fillfactor = ${sql.lit(v.ff)})`.execute(db);
  await directoryGroupsRepo.insert(db, { id: 'g', directory_id: 'dir', display_name: 'G', external_id: null, raw: '{}', created_at: 0, updated_at: 0, version: 1 });
  return { ...v, test, db, name: new URL(test.url).pathname.slice(1), node: 0, pg: 0, events: 0 };
}));

async function round(v: (typeof opened)[number], r: number, db: Kysely<Database>) {
  const node0 = process.cpuUsage();
  const pg0 = postgresBackendsCpu(v.name);
  const now = Date.now();
  for (let p = 0; p < PATCHES; p++) {
    const rows = Array.from({ length: 40 }, (_, k) => ({ id: `e-${r}-${p}-${k}`, directory_id: 'dir', resource_key: `g:${r}-${p}`, event: 'group.user_added', payload: payload(k), status: 'pending' as const, attempts: 0, next_attempt_at: now, deadline_at: now + 86_400_000, created_at: now }));
    await db.transaction().execute((trx) => v.repo.appendWith(trx, 'postgres', directoryGroupsRepo.updateWrite(trx, 'dir', 'g', { display_name: 'G', external_id: null, raw: '{}', updated_at: now, version: r * PATCHES + p + 2 }), rows));
  }
  for (let left = PATCHES * 40; left > 0; ) {
    const claimId = `c-${r}-${left}`;
    const claimed = await v.repo.claim(db, 'postgres', claimId, now, 60_000, 200);
    if (claimed.length === 0) throw new Error('nothing claimed');
    const outcomes = claimed.map((e) => ({ seq: e.seq, result: 'delivered' as const, status: 200, at: now + 5 }));
    const attempts = claimed.map((e) => ({ event_id: e.id, directory_id: 'dir', attempt: 1, status_code: 200, latency_ms: 2, response_excerpt: 'ok', error: null, created_at: now + 5 }));
    await v.repo.settle(db, claimId, outcomes, attempts);
    left -= claimed.length;
  }
  const node = process.cpuUsage(node0);
  if (r === 0) return; // prepares, caches
  v.node += (node.user + node.system) / 1000;
  v.pg += backendsDelta(pg0, postgresBackendsCpu(v.name));
  v.events += PATCHES * 40;
}

try {
  const load0 = loadavg().map((l) => l.toFixed(2)).join(' ');
  for (let r = 0; r <= ROUNDS; r++) for (const v of opened) await round(v, r, v.db);
  const us = (ms: number, n: number) => ((ms * 1000) / n).toFixed(0);
  process.stdout.write(`PostgreSQL, ${PATCHES} appends of 40 events per round, claims of 200 settled as delivered, ${ROUNDS} rounds interleaved after one unmeasured. Load average before / after: ${load0} / ${loadavg().map((l) => l.toFixed(2)).join(' ')}.\n\n`);
  process.stdout.write(`${markdownTable(['Variant', 'Node CPU per event (µs)', 'PostgreSQL backend CPU per event (µs)'], opened.map((v) => [v.label, us(v.node, v.events), us(v.pg, v.events)]))}\n`);
} finally {
  for (const v of opened) {
    await v.db.destroy();
    await v.test.drop();
  }
}
