/**
 * CPU per SCIM request, one in flight against 32 in flight, in-process on SQLite with webhooks on, measured in
 * interleaved rounds so that both columns see the same machine load (this is a shared machine: wall-clock rates
 * are noisy, CPU per request much less so):
 *
 *   node --import tsx bench/scim-sequential.ts [--rounds 4] [--n 1000] [--warmup 4000] [--profile dir] [--unbuffered-log]
 *
 * The method is in support/scim-sequential-rounds.ts. With --profile, the main thread's CPU profile of the
 * phases of the last round is written there (node:inspector), one file per phase and concurrency, for where the time goes.
 */
import { parseArgs } from 'node:util';
import { describeMachine } from './support/machine.ts';
import { markdownTable } from './support/stats.ts';
import { meanOf, runSequentialRounds } from './support/scim-sequential-rounds.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '4' }, n: { type: 'string', default: '1000' }, warmup: { type: 'string', default: '4000' }, profile: { type: 'string' }, 'unbuffered-log': { type: 'boolean', default: false } } });
const ROUNDS = Number(args.rounds);
const N = Number(args.n);
const { rows, events, delivered, duplicates } = await runSequentialRounds({ rounds: ROUNDS, n: N, warmup: Number(args.warmup), profile: args.profile, unbufferedLog: args['unbuffered-log'] });

const us = (v: number) => `${v.toFixed(0)} µs`;
const avg = (c: number, k: 'post' | 'get' | 'patch') => meanOf(rows, c, k);
const avgMain = (c: number, k: 'post' | 'get' | 'patch') => meanOf(rows.map((r) => ({ ...r, ...r.main })), c, k);
process.stdout.write(`Machine: ${describeMachine()}; in-process (app.inject), SQLite file, webhooks on, LOG_LEVEL=info to a file (${args['unbuffered-log'] ? 'one write per line' : 'buffered'}); ${ROUNDS} interleaved rounds of ${N} requests per phase.\n\n`);
process.stdout.write(`${markdownTable(['Round', 'Concurrency', 'POST /Users CPU', 'GET filter CPU', 'PATCH deactivate CPU', 'Load average (1 min)'], rows.map((r, i) => [String(Math.floor(i / 2) + 1), String(r.c), us(r.post), us(r.get), us(r.patch), r.load.toFixed(2)]))}\n\n`);
process.stdout.write(`${markdownTable(['Mean', 'POST /Users', 'GET filter', 'PATCH deactivate'], [['c=1', us(avg(1, 'post')), us(avg(1, 'get')), us(avg(1, 'patch'))], ['c=32', us(avg(32, 'post')), us(avg(32, 'get')), us(avg(32, 'patch'))], ['ratio c=1 / c=32', (avg(1, 'post') / avg(32, 'post')).toFixed(2), (avg(1, 'get') / avg(32, 'get')).toFixed(2), (avg(1, 'patch') / avg(32, 'patch')).toFixed(2)]])}\n\n`);
process.stdout.write(`${markdownTable(['Main thread only, mean', 'POST /Users', 'GET filter', 'PATCH deactivate'], [['c=1', us(avgMain(1, 'post')), us(avgMain(1, 'get')), us(avgMain(1, 'patch'))], ['c=32', us(avgMain(32, 'post')), us(avgMain(32, 'get')), us(avgMain(32, 'patch'))], ['ratio c=1 / c=32', (avgMain(1, 'post') / avgMain(32, 'post')).toFixed(2), (avgMain(1, 'get') / avgMain(32, 'get')).toFixed(2), (avgMain(1, 'patch') / avgMain(32, 'patch')).toFixed(2)]])}\n\n`);
process.stdout.write(`Webhooks: ${delivered} of ${events} events delivered, ${duplicates} more than once.\n`);
process.exit(delivered === events && duplicates === 0 ? 0 : 1);
