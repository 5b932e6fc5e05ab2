/**
 * Cold start to ready, and peak RSS under a login load:
 *
 *   node --import tsx bench/startup.ts [--runs 15] [--logins 2000] [--dialect sqlite|postgres]… [--workers 0|1|auto]…
 *
 * Spawns Gatehouse as it ships — `node <SERVER_NODE_FLAGS> dist/server/main.mjs`, the esbuild bundle
 * (docs/decisions/0008) — with NODE_ENV=production, a free PORT, ENCRYPTION_KEY, API_KEYS and
 * LOG_LEVEL=info, and times spawn → first 200 from GET /api/health:
 *   - a restart: a new instance on a database that already exists (every start but the very first:
 *     deploys, restarts, scale-out), through the bundle and through `npm start`'s script
 *     (scripts/start.mjs: checks the bundle is fresh, then loads it), and once more with no V8 code cache
 *     (the first start after a build; it writes the cache: decision 0060);
 *   - a first boot on a fresh SQLite file (migrations run, the SP and id_token RSA keys are generated);
 *   - the development path, src/main.ts through tsx, for comparison;
 *   - the floor: `node` running an empty module.
 * Runs are interleaved (each kind once per round), so a noisy moment of this shared machine hits all.
 * Then, on a fresh instance, it runs N logins over HTTP (concurrency 16) and reads the server's
 * VmHWM (peak RSS) from /proc/<pid>/status: with the shipped flags, and without them.
 */
import { parseArgs } from 'node:util';
import { createTestIdp } from '../test/support/saml-idp.ts';
import type { DialectName } from '../src/storage/dialect.ts';
import { markdownTable, median, percentile } from './support/stats.ts';
import { describeMachine } from './support/machine.ts';
import { SERVER_NODE_FLAGS } from '../scripts/build-server.mjs';
import { coldStarts, peakRss, type Boot, type Memory, type Runner } from './support/startup-runs.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    logins: { type: 'string', default: '2000' },
    dialect: { type: 'string', multiple: true },
    // Extra SQLite peak-RSS rows with these WORKERS values (e.g. --workers 0 --workers 1), after the default rows.
    workers: { type: 'string', multiple: true },
  },
});
const RUNS = Number(args.runs);
const LOGINS = Number(args.logins);
const dialects = (args.dialect ?? ['sqlite', 'postgres']) as DialectName[];

const started = performance.now();
const kinds = await coldStarts({ runs: RUNS });
const floors = kinds.floors;

const memory: Memory[] = [];
const idp = await createTestIdp();
const memoryRuns: { dialect: DialectName; runner: Runner; flags?: string[]; workers?: string }[] = [
  ...dialects.map((dialect) => ({ dialect, runner: 'bundle' as const })),
  ...(args.workers ?? []).map((workers) => ({ dialect: 'sqlite' as const, runner: 'bundle' as const, workers })),
  { dialect: 'sqlite', runner: 'bundle', flags: [] },
  { dialect: 'sqlite', runner: 'tsx' },
];
for (const run of memoryRuns) {
  const m = await peakRss({ ...run, logins: LOGINS, idp });
  if (m) memory.push(m);
  else process.stderr.write(`${run.dialect} unreachable; skipped\n`);
}

const fmt = (xs: number[]) => `${median(xs).toFixed(0)} / ${percentile(xs, 90).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
const logged = (bs: Boot[]) => (bs.every((b) => b.loggedMs !== null) ? fmt(bs.map((b) => b.loggedMs!)) : 'not logged');
const startup = markdownTable(
  ['Start', 'Runs', '**spawn → /api/health 200, ms**: median / p90 (min–max)', 'CPU when ready (all threads), ms', 'startupMs logged by the server, ms', 'RSS when ready, MiB', 'V8 code cache'],
  [
    ...([
      ['**restart** (database exists): `node <flags> dist/server/main.mjs` (Docker image)', kinds.restartBundle],
      ['restart with no V8 code cache (the first start after a build): the bundle', kinds.restartNoCache],
      ['**restart**: `npm start`\'s script (`node <flags> scripts/start.mjs`: freshness check, then the bundle)', kinds.restartStart],
      ['**first boot**, fresh SQLite (migrations, two RSA-2048 keys): the bundle', kinds.firstBundle],
      ['restart, development path: `node --import tsx src/main.ts`', kinds.restartTsx],
    ] as const).map(([label, bs]) => [label, String(bs.length), fmt(bs.map((b) => b.readyMs)), fmt(bs.map((b) => b.cpuMs)), logged(bs), fmt(bs.map((b) => b.rssMiB)), [...new Set(bs.map((b) => b.codeCache ?? '—'))].join(', ')]),
    ['floor: `node` on an empty module (spawn → exit)', String(floors.length), fmt(floors), '—', '—', '—', '—'],
  ],
);
// The ready line's per-step times (decision 0050): median of each step over the runs that logged them.
const phaseKinds = [['restart, bundle', kinds.restartBundle], ['first boot, bundle', kinds.firstBundle]] as const;
const phaseNames = [...new Set(phaseKinds.flatMap(([, bs]) => bs.flatMap((b) => Object.keys(b.phases ?? {}))))];
const phaseMedian = (bs: readonly Boot[], name: string) => {
  const xs = bs.map((b) => b.phases?.[name]).filter((x): x is number => x !== undefined);
  return xs.length ? median(xs).toFixed(1) : '—';
};
const phases = markdownTable(['Step (ms, median)', ...phaseKinds.map(([label]) => label)], phaseNames.map((name) => [name, ...phaseKinds.map(([, bs]) => phaseMedian(bs, name))]));

const rss = markdownTable(
  ['Database', 'Runner', 'Logins over HTTP (c=16)', 'Failures', 'Logins/s during the load', 'server CPU ms/login', 'RSS when ready, MiB', '**Peak RSS (VmHWM), MiB**', 'RSS after the load, MiB'],
  memory.map((m) => [m.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL', m.runner, String(LOGINS), String(m.failures), m.loginsPerSecond.toFixed(0), m.cpuMsPerLogin.toFixed(2), m.readyRss.toFixed(0), `**${m.peakRss.toFixed(0)}**`, m.afterRss.toFixed(0)]),
);

process.stdout.write(`
## Cold start and memory

Machine: ${describeMachine()}

### Cold start to ready

${startup}

### Where the time goes: the server's own steps

${phases}

### Peak RSS under a login load

${rss}

Method:
- Each start spawns the server with only PATH, HOME, NODE_ENV=production, HOST=127.0.0.1, a free PORT, EXTERNAL_URL,
  DATABASE_URL, ENCRYPTION_KEY, API_KEYS and LOG_LEVEL=info in its environment (no NODE_EXTRA_CA_CERTS: on this
  machine that alone adds ~40 ms to every Node start, reading the CA bundle), and polls GET /api/health every 5 ms;
  the time is from spawn() to the first 200, as an orchestrator's readiness probe would see it. It includes Node's
  own start, loading the bundle, boot (config, open the database, migrations, SP and id_token keys), listen, and
  the first request. \`<flags>\` are SERVER_NODE_FLAGS: \`${SERVER_NODE_FLAGS.join(' ')}\`.
- ${RUNS} rounds, each running every kind once (restart, restart with no code cache, \`npm start\` script, first boot, tsx),
  after waiting for the machine to be quiet; a restart reuses one database file created before the rounds. The bundle's
  entry runs the server on a V8 code cache written by an earlier start (decision 0060); "no V8 code cache" deletes it
  first, as a fresh build or a new Node would leave it, and that start writes it again once it has answered.
- "CPU when ready" is the server process's user + system time (every thread, /proc/<pid>/stat) at its first 200:
  on a shared machine it moves far less than the wall time. The steps are the ready line's \`startupPhases\`:
  \`nodeAndModules\` is performance.now() at main.ts's first statement (Node's start and loading the bundle), then
  each boot step in turn (config, database open, migration check, deployment keys, app context, bootstrap admin,
  building the Fastify app, listen).
- "startupMs logged by the server" is the number main.ts logs in its ready line: performance.now() from the first
  statement of main.ts's body — after all its imports were loaded — to listen(); it leaves out Node and module loading.
- Peak RSS: a fresh server (first boot) gets ${LOGINS} full logins over HTTP (node:http keep-alive client, concurrency 16,
  batches of 500, the IdP's signing done between the authorize and ACS phases of each batch as in bench/login.ts) with
  the rate limit off and LOG_LEVEL=info (every request logged to a pipe the benchmark drains); then VmHWM, the
  kernel's high-water mark of the server process's resident set, is read from /proc/<pid>/status.
  --max-old-space-size=256 gives V8 a heap ceiling (without one it sizes its old generation from the machine's
  24 GiB and lets garbage pile up to ~60 MiB before a full collection; the live heap after the load is ~25 MiB);
  --max-semi-space-size=2 caps each of the two young-generation semi-spaces at 2 MiB (Node 20 grows them to 16 MiB).
- Whole run ${((performance.now() - started) / 1000).toFixed(0)} s.
`);
