/**
 * Directory Sync throughput with webhooks on:
 *
 *   node --import tsx bench/scim.ts [--dialect sqlite|postgres]… [--mode http|in-process]… [--concurrency 32 --concurrency 1]
 *        [--users 2000] [--list-users 10000] [--warmup 5000] [--first-sync 10000] [--first-sync-groups 500] [--first-sync-only] [--quiet-wait 60]
 *        [--client node-http] [--client raw]
 *
 * Two ways of running Gatehouse against a fresh database, both with the webhook deliverer on (its POSTs on
 * a worker thread, as in main.ts) and SQLite's WAL checkpoints on their thread:
 *   - http: as deployed (the server bundle in its own process, NODE_ENV=production, LOG_LEVEL=info); this
 *     process is the SCIM client (node:http, keep-alive, `--concurrency` requests in flight);
 *   - in-process: boot() + buildApp() in this process, requests through app.inject() (how the reference
 *     numbers for SAML Jackson were taken), LOG_LEVEL=info to a file.
 * The webhook receiver is a child process (bench/support/webhook-receiver.mjs) on 127.0.0.1 answering 200.
 * Phases, each timed from first request to last answer: POST /Users, filtered GET (userName eq),
 * PATCH deactivate (Okta's path-less replace), POST /Groups, PATCH group adding 40 members, then the
 * directory is filled to `--list-users` and listed by pages of 100 one at a time (on PostgreSQL, again once
 * autovacuum has analyzed the loaded table). After the load,
 * the time for the webhook backlog to drain is reported; every event is checked to arrive exactly once.
 * Each `--concurrency` (default 32 and 1) runs on a fresh database, and a summary puts them side by side.
 *
 * Then, unless `--first-sync 0`, a large tenant's first sync in Okta's order, one request at a time on a fresh
 * directory: for each of `--first-sync` users a filtered GET (userName eq, answering no match) then a POST; then
 * `--first-sync-groups` groups, each a POST /Groups then a PATCH adding its 20 members. Timed end to end, and
 * every webhook event it causes (user.created, group.created, group.user_added) is counted at the receiver.
 * Over HTTP the first sync's client is node:http's keep-alive agent (`--client node-http`, the default) or a lean
 * HTTP/1.1 keep-alive client on raw sockets (`--client raw`, support/scim-raw-client.ts: why it is a fair measure is
 * written there); given both, the first sync runs once with each, node:http first, each on a fresh database.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import type { DialectName } from '../src/storage/dialect.ts';
import { markdownTable, percentile } from './support/stats.ts';
import { describeMachine } from './support/machine.ts';
import { runDirectoryBench, runFirstSync, type ClientKind, type Mode } from './support/scim-runs.ts';
import type { PhaseResult } from './support/scim-phases.ts';

const { values: args } = parseArgs({
  options: {
    dialect: { type: 'string', multiple: true },
    mode: { type: 'string', multiple: true },
    users: { type: 'string', default: '2000' },
    groups: { type: 'string', default: '200' },
    concurrency: { type: 'string', multiple: true },
    'first-sync': { type: 'string', default: '10000' },
    'first-sync-groups': { type: 'string', default: '500' },
    'list-users': { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '5000' },
    'no-webhooks': { type: 'boolean', default: false },
    /** Only the first sync (no phases). */
    'first-sync-only': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    /** Seconds each phase waits at most for the rest of the machine to go quiet (a shared machine: lower it). */
    'quiet-wait': { type: 'string', default: '60' },
    /** The first sync's client over HTTP: node-http (default), raw, or both. */
    client: { type: 'string', multiple: true },
  },
});
const dialects = (args.dialect ?? ['sqlite', 'postgres']) as DialectName[];
const modes = (args.mode ?? ['http', 'in-process']) as Mode[];
const CONCURRENCIES = (args.concurrency ?? ['32', '1']).map(Number);
const CLIENTS = (args.client ?? ['node-http']) as ClientKind[];
const FIRST_SYNC_USERS = Number(args['first-sync']);
const FIRST_SYNC_GROUPS = Number(args['first-sync-groups']);
const FIRST_SYNC_MEMBERS = 20;
const common = { warmup: Number(args.warmup), logLevel: args['log-level'], quietWaitMs: Number(args['quiet-wait']) * 1000 };

const machine = describeMachine();
const loadAvg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const title = (dialect: string, mode: Mode) => `${dialect}, ${mode === 'http' ? 'over HTTP (the server bundle in its own process, a keep-alive node:http client)' : 'in-process (app.inject)'}`;
const out: string[] = [`Machine: ${machine}`, `Concurrency ${CONCURRENCIES.join(' and ')}, webhooks on (receiver: a child process on 127.0.0.1), LOG_LEVEL=${args['log-level']}.`, ''];
for (const dialect of dialects) {
  for (const mode of modes) {
    const byConcurrency: { c: number; results: PhaseResult[] }[] = [];
    for (const c of args['first-sync-only'] ? [] : CONCURRENCIES) {
      const load0 = loadAvg();
      const r = await runDirectoryBench(dialect, mode, { ...common, users: Number(args.users), groups: Number(args.groups), listUsers: Number(args['list-users']), concurrency: c, webhooks: !args['no-webhooks'] });
      byConcurrency.push({ c, results: r.results });
      out.push(`### ${title(dialect, mode)}, concurrency ${c}`);
      out.push(`Load average before / after: ${load0} / ${loadAvg()}.`, '');
      out.push(markdownTable(['Phase', 'Requests', 'Per second', 'p50 ms', 'p95 ms', mode === 'http' ? 'Gatehouse CPU / request' : 'Process CPU / request (Gatehouse + inject)', 'PostgreSQL CPU / request', 'Webhooks done after', 'Other load (cores)'], r.results.map((p) => [p.name, String(p.n), (p.n / p.seconds).toFixed(0), percentile(p.latencies, 50).toFixed(2), percentile(p.latencies, 95).toFixed(2), `${(p.serverCpuUs / 1000).toFixed(2)} ms`, dialect === 'postgres' ? `${(p.postgresCpuUs / 1000).toFixed(2)} ms` : '—', p.drainS === undefined ? '—' : `+${p.drainS.toFixed(1)} s`, p.otherCores.toFixed(2)])));
      out.push('');
      out.push(`Webhooks: ${r.events} of ${r.expectedEvents} events delivered, ${r.duplicates} more than once. Peak RSS ${r.rss.toFixed(0)} MiB${mode === 'http' ? ' (server)' : ' (this process)'}.`);
      out.push('');
      process.stdout.write(`${out.slice(-7).join('\n')}\n`);
    }
    if (byConcurrency.length > 1) {
      // Side by side: rate, p50 and CPU per request at each concurrency, and the CPU ratio to the first.
      const [first, ...rest] = byConcurrency;
      out.push(`### ${title(dialect, mode)}: concurrency ${byConcurrency.map((b) => b.c).join(' vs ')}`, '');
      out.push(markdownTable(['Phase', ...byConcurrency.flatMap((b) => [`c=${b.c} /s`, `c=${b.c} p50 ms`, `c=${b.c} CPU / request`]), ...rest.map((b) => `CPU c=${b.c} / c=${first!.c}`)],
        first!.results.map((p, i) => [p.name, ...byConcurrency.flatMap((b) => {
          const q = b.results[i]!;
          return [(q.n / q.seconds).toFixed(0), percentile(q.latencies, 50).toFixed(2), `${(q.serverCpuUs / 1000).toFixed(2)} ms`];
        }), ...rest.map((b) => (b.results[i]!.serverCpuUs / p.serverCpuUs).toFixed(2))])));
      out.push('');
    }
    for (const clientKind of FIRST_SYNC_USERS > 0 ? (mode === 'http' ? CLIENTS : ['node-http' as const]) : []) {
      const load0 = loadAvg();
      const f = await runFirstSync(dialect, mode, { ...common, users: FIRST_SYNC_USERS, groups: FIRST_SYNC_GROUPS, members: FIRST_SYNC_MEMBERS, client: clientKind });
      const heading = mode === 'http' ? `${dialect}, over HTTP (the server bundle in its own process, ${clientKind === 'raw' ? 'a lean keep-alive HTTP/1.1 client on raw sockets' : 'a keep-alive node:http client'})` : title(dialect, mode);
      out.push(`### ${heading}: first sync in Okta's order, one request at a time`);
      out.push(`Load average before / after: ${load0} / ${loadAvg()}.`, '');
      out.push(markdownTable(['Step', 'Requests', 'p50 ms', 'p95 ms', 'mean ms', 'sum s'], f.steps.map((x) => { const sum = x.latencies.reduce((a, b) => a + b, 0); return [x.name, String(x.latencies.length), percentile(x.latencies, 50).toFixed(2), percentile(x.latencies, 95).toFixed(2), (sum / x.latencies.length).toFixed(2), (sum / 1000).toFixed(1)]; })));
      out.push('', `CPU during the first sync, s: ${Object.entries(f.cpuByPart).filter(([, ms]) => ms >= 5).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(2)}`).join(', ')}.`);
      out.push('');
      out.push(`${FIRST_SYNC_USERS} users (GET filter + POST each) and ${FIRST_SYNC_GROUPS} groups (POST + PATCH of ${FIRST_SYNC_MEMBERS} members each): ${f.requests} requests in ${f.seconds.toFixed(1)} s (users ${f.userSeconds.toFixed(1)} s, groups ${f.groupSeconds.toFixed(1)} s), ${(f.cpuUs / 1000).toFixed(2)} ms ${mode === 'http' ? 'Gatehouse' : 'process'} CPU per request${dialect === 'postgres' ? ` + ${(f.postgresCpuUs / 1000).toFixed(2)} ms PostgreSQL` : ''}. Webhooks: ${f.events} of ${f.expectedEvents} events delivered, ${f.duplicates} more than once, the last ${f.drainS.toFixed(1)} s after the last answer.`);
      out.push('');
      process.stdout.write(`${out.slice(-6).join('\n')}\n`);
    }
  }
}
process.stdout.write(`\n${out.join('\n')}\n`);
process.exit(0);
