/**
 * What one rate-limiter hit costs with the shared store (docs/decisions/0405-shared-rate-limits.md):
 *
 *   node --import tsx bench/rate-limit-store.ts [--backend sqlite|postgres|mysql|redis|local]… [--hits 4000] [--concurrency 16]
 *
 * Method: the store is driven directly, as @fastify/rate-limit drives it (incr(key, cb, 60000, max)), on a
 * fresh migrated database (or a unique Redis prefix); `local` is @fastify/rate-limit's in-memory LocalStore,
 * the per-instance store used before, for comparison. Three cases per backend:
 *   - exact:   a budget under 1,000 a window (sign-in, setup links): one shared-store round trip per hit;
 *              100 client keys in turn, never over budget.
 *   - leased:  a budget of 60,000 a window (the SCIM default): 1% (600) reserved per round trip, one client key.
 *   - refused: a key already over budget: answered from the instance's refusal cache until the window ends.
 * For each: wall time per hit when hits are made one after another (p50 / p95, µs), process CPU per hit (µs:
 * user + system of this process only, so a database server's own CPU is not in it) and hits per second with
 * `--concurrency` hits in flight. After 200 warm-up hits. Prints a markdown table.
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createRequire } from 'node:module';
import { openDatabase, migrateToLatest } from '../src/storage/index.ts';
import { rateLimitsRepo } from '../src/storage/repositories/rate-limits.ts';
import { sharedStore, type SharedCounter } from '../src/http/rate-limit-store.ts';
import { redisCounter } from '../src/http/rate-limits.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import { markdownTable, percentile } from './support/stats.ts';
import { describeMachine } from './support/machine.ts';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', multiple: true },
    hits: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '16' },
  },
});
const backends = args.backend ?? ['local', 'sqlite', 'postgres', 'redis'];
const HITS = Number(args.hits);
const CONCURRENCY = Number(args.concurrency);
const WINDOW = 60_000;
/** @fastify/rate-limit's in-memory store (untyped CommonJS). */
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, size: number) => Store;

interface Store {
  incr(key: string, cb: (err: Error | null, r?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void;
}
const hit = (s: Store, key: string, max: number) => new Promise<number>((resolve, reject) => s.incr(key, (err, r) => (err ? reject(err) : resolve(r!.current)), WINDOW, max));

async function openBackend(name: string): Promise<{ counter: SharedCounter | null; close(): Promise<void> } | null> {
  if (name === 'local') return { counter: null, close: async () => {} };
  if (name === 'redis') {
    const { counter, close } = await redisCounter('redis://127.0.0.1:6379', `gh-bench-${randomBytes(4).toString('hex')}:`, pino());
    return { counter, close };
  }
  const test = await createTestDatabase(name as 'sqlite' | 'postgres' | 'mysql');
  if (!test) return null;
  const opened = await openDatabase(test.url);
  await migrateToLatest(opened.db, opened.dialect);
  return {
    counter: { kind: 'database', add: (k, n, w, now) => rateLimitsRepo.add(opened.db, opened.dialect, k, n, w, now) },
    close: async () => { await opened.close(); await test.drop(); },
  };
}

function storeFor(counter: SharedCounter | null, name: string): Store {
  if (!counter) return new LocalStore(false, false, 5000);
  return new (sharedStore(counter, Date.now, pino({ level: 'silent' })))().child({ name });
}

async function measure(store: Store, keyOf: (i: number) => string, max: number) {
  for (let i = 0; i < 200; i++) await hit(store, keyOf(i), max);
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < HITS; i++) {
    const t = performance.now();
    await hit(store, keyOf(200 + i), max);
    lat.push((performance.now() - t) * 1000);
  }
  const cpu = process.cpuUsage(cpu0);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < HITS) await hit(store, keyOf(200 + HITS + next++), max);
  }));
  const perSecond = HITS / ((performance.now() - t0) / 1000);
  return { p50: percentile(lat, 50), p95: percentile(lat, 95), cpu: (cpu.user + cpu.system) / HITS, perSecond };
}

const rows: string[][] = [];
for (const name of backends) {
  const backend = await openBackend(name);
  if (!backend) {
    rows.push([name, 'unreachable', '', '', '', '']);
    continue;
  }
  const run = randomBytes(3).toString('hex');
  const cases: [string, Store, (i: number) => string, number][] = [
    ['exact (max 999, 100 clients)', storeFor(backend.counter, `exact-${run}`), (i) => `198.51.100.${i % 100}`, 999],
    ['leased (max 60,000, 1 client)', storeFor(backend.counter, `leased-${run}`), () => '198.51.100.1', 60_000],
    ['refused (over budget)', storeFor(backend.counter, `refused-${run}`), () => '198.51.100.2', 1],
  ];
  for (const [label, store, keyOf, max] of cases) {
    const m = await measure(store, keyOf, max);
    rows.push([name, label, m.p50.toFixed(1), m.p95.toFixed(1), m.cpu.toFixed(1), Math.round(m.perSecond).toLocaleString('en-US')]);
  }
  await backend.close();
}

console.log(describeMachine());
console.log(`${HITS} hits per case after 200 warm-up hits; throughput with ${CONCURRENCY} in flight.\n`);
console.log(markdownTable(['store', 'case', 'p50 µs', 'p95 µs', 'CPU µs/hit', `hits/s @${CONCURRENCY}`], rows));
