/**
 * The webhook outbox's claim, on its own, against a backlog:
 *
 *   node --import tsx bench/outbox-claim.ts [--dialect sqlite|postgres|mysql]… [--delivered 10000] [--pending 2000] [--batch 200] [--rounds 10]
 *
 * Fills a fresh database with `--delivered` delivered events and `--pending` due ones (3 events per
 * resource, as a user's create/update/delete), then claims `--batch` events `--rounds` times (each
 * claim's events released again, so every round faces the same backlog) and reports the time per
 * claim. This is the query the deliverer runs on every round; its cost once grew with the backlog.
 */
import { parseArgs } from 'node:util';
import { openDatabase, migrateToLatest, directoryEventsRepo } from '../src/storage/index.ts';
import type { DialectName } from '../src/storage/dialect.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import { markdownTable, percentile } from './support/stats.ts';
import { describeMachine } from './support/machine.ts';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', multiple: true },
    delivered: { type: 'string', default: '10000' },
    pending: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '10' },
  },
});
const dialects = (args.dialect ?? ['sqlite', 'postgres', 'mysql']) as DialectName[];
const DELIVERED = Number(args.delivered);
const PENDING = Number(args.pending);
const BATCH = Number(args.batch);
const ROUNDS = Number(args.rounds);

async function measure(dialect: DialectName): Promise<string[]> {
  const test = await createTestDatabase(dialect);
  if (!test) throw new Error(`${dialect} unreachable`);
  const { db } = await openDatabase(test.url);
  try {
    await migrateToLatest(db, dialect);
    const now = Date.now();
    const total = DELIVERED + PENDING;
    const rows = Array.from({ length: total }, (_, i) => {
      const delivered = i < DELIVERED;
      return { id: `evt_${i}`, directory_id: 'dir_bench', resource_key: `user:${Math.floor(i / 3)}`, event: 'user.updated', payload: '{"data":{}}', status: delivered ? ('delivered' as const) : ('pending' as const), attempts: delivered ? 1 : 0, next_attempt_at: now - 1000, deadline_at: now + 86_400_000, created_at: now - 1000, delivered_at: delivered ? now - 500 : null };
    });
    for (let i = 0; i < rows.length; i += 500) await directoryEventsRepo.append(db, rows.slice(i, i + 500));
    const ms: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const claimId = `bench:${r}`;
      const t = performance.now();
      const claimed = await directoryEventsRepo.claim(db, dialect, claimId, now, 60_000, BATCH);
      ms.push(performance.now() - t);
      if (claimed.length !== Math.min(BATCH, PENDING)) throw new Error(`claimed ${claimed.length}`);
      await directoryEventsRepo.settle(db, claimId, claimed.map((e) => ({ seq: e.seq, result: 'released' })), []);
    }
    return [dialect, String(DELIVERED), String(PENDING), String(BATCH), percentile(ms, 50).toFixed(1), percentile(ms, 100).toFixed(1)];
  } finally {
    await db.destroy();
    await test.drop();
  }
}

const rows: string[][] = [];
for (const d of dialects) rows.push(await measure(d));
process.stdout.write(`Machine: ${describeMachine()}\nClaims of one batch, each released again; the first claim includes preparing the statement.\n\n${markdownTable(['Database', 'Delivered events', 'Pending events', 'Batch', 'Claim p50 ms', 'Claim max ms'], rows)}\n`);
