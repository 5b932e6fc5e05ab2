/**
 * Cold start to ready, and peak RSS under a login load:
 *
 *   node --import tsx bench/startup.ts [--runs 15] [--logins 2000] [--dialect sqlite|postgres]…
 *
 * Spawns Gatehouse as it ships — `node <SERVER_NODE_FLAGS> dist/server/main.mjs`, the esbuild bundle
 * (docs/decisions/0008) — with NODE_ENV=production, a free PORT, ENCRYPTION_KEY, API_KEYS and
 * LOG_LEVEL=info, and times spawn → first 200 from GET /api/health:
 *   - a restart: a new instance on a database that already exists (every start but the very first:
 *     deploys, restarts, scale-out), through the bundle and through `npm start`'s script
 *     (scripts/start.mjs: checks the bundle is fresh, then loads it);
 *   - a first boot on a fresh SQLite file (migrations run, the SP and id_token RSA keys are generated);
 *   - the development path, src/main.ts through tsx, for comparison;
 *   - the floor: `node` running an empty module.
 * Runs are interleaved (each kind once per round), so a noisy moment of this shared machine hits all.
 * Then, on a fresh instance, it runs N logins over HTTP (concurrency 16) and reads the server's
 * VmHWM (peak RSS) from /proc/<pid>/status: with the shipped flags, and without them.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestIdp } from '../test/support/saml-idp.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import type { DialectName } from '../src/storage/dialect.ts';
import { startServerProcess } from './support/server-process.ts';
import { createConnection, runLogins } from './support/login-flow.ts';
import { nodeHttpTransport } from './support/transport.ts';
import { markdownTable, median, percentile } from './support/stats.ts';
import { describeMachine } from './support/machine.ts';
import { waitForQuiet } from './support/cpu.ts';
import { SERVER_NODE_FLAGS, ensureServerBundle } from '../scripts/build-server.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    logins: { type: 'string', default: '2000' },
    dialect: { type: 'string', multiple: true },
  },
});
const RUNS = Number(args.runs);
const LOGINS = Number(args.logins);
const dialects = (args.dialect ?? ['sqlite', 'postgres']) as DialectName[];
const ROOT = fileURLToPath(new URL('../', import.meta.url));

const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  return { url: `sqlite:${join(dir, 'gatehouse.db')}`, drop: () => rmSync(dir, { recursive: true, force: true }) };
};

/** spawn → exit of `node <empty module>`: Node's own start. */
function floorMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '--eval', ''], { cwd: ROOT, stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } });
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - start));
  });
}

interface Boot {
  readyMs: number;
  loggedMs: number | null;
  rssMiB: number;
}
type Runner = 'bundle' | 'npm-start' | 'tsx';

/** `keys`: before stopping, wait for the SP and id_token keys a first boot makes in the background (they answer these two URLs). */
async function boot(databaseUrl: string, encryptionKey: string, runner: Runner, keys = false): Promise<Boot> {
  const server = await startServerProcess({ databaseUrl, encryptionKey, runner });
  const b = { readyMs: server.readyMs, loggedMs: server.loggedStartupMs, rssMiB: server.rssMiB() };
  if (keys) for (const path of ['/.well-known/saml.cer', '/oauth/jwks']) if (!(await fetch(server.baseUrl + path)).ok) throw new Error(`${path} did not answer`);
  await server.stop();
  return b;
}

const started = performance.now();
await ensureServerBundle();
const kinds = {
  restartBundle: [] as Boot[],
  restartStart: [] as Boot[],
  firstBundle: [] as Boot[],
  restartTsx: [] as Boot[],
};
const floors: number[] = [];
const existing = fresh();
const existingKey = randomBytes(32).toString('hex');
await boot(existing.url, existingKey, 'bundle', true); // creates the database (and its keys) the restarts find
await boot(existing.url, existingKey, 'tsx'); // fills tsx's transpile cache, as a developer's second start would have
await waitForQuiet(null, 10_000);
for (let i = 0; i < RUNS; i++) {
  floors.push(await floorMs());
  kinds.restartBundle.push(await boot(existing.url, existingKey, 'bundle'));
  kinds.restartStart.push(await boot(existing.url, existingKey, 'npm-start'));
  const db = fresh();
  try {
    kinds.firstBundle.push(await boot(db.url, randomBytes(32).toString('hex'), 'bundle'));
  } finally {
    db.drop();
  }
  kinds.restartTsx.push(await boot(existing.url, existingKey, 'tsx'));
}
existing.drop();

interface Memory {
  dialect: DialectName;
  runner: string;
  readyRss: number;
  peakRss: number;
  afterRss: number;
  loginsPerSecond: number;
  cpuMsPerLogin: number;
  failures: number;
}
const memory: Memory[] = [];
const idp = await createTestIdp();
const memoryRuns: { dialect: DialectName; runner: Runner; flags?: string[] }[] = [
  ...dialects.map((dialect) => ({ dialect, runner: 'bundle' as const })),
  { dialect: 'sqlite', runner: 'bundle', flags: [] },
  { dialect: 'sqlite', runner: 'tsx' },
];
for (const { dialect, runner, flags } of memoryRuns) {
  const db = dialect === 'sqlite' ? (() => { const f = fresh(); return { url: f.url, drop: async () => f.drop() }; })() : await createTestDatabase(dialect);
  if (!db) {
    process.stderr.write(`${dialect} unreachable; skipped\n`);
    continue;
  }
  await waitForQuiet(null, 10_000);
  const server = await startServerProcess({ databaseUrl: db.url, runner, nodeFlags: flags });
  try {
    const readyRss = server.rssMiB();
    const transport = nodeHttpTransport(server.baseUrl, 16);
    const client = await createConnection(transport, idp);
    const target = { transport, idp, client, spEntityId: server.baseUrl, acsUrl: `${server.baseUrl}/api/oauth/saml` };
    let ok = 0;
    let failures = 0;
    let ms = 0;
    let cpu = 0;
    for (let done = 0; done < LOGINS; done += 500) {
      const r = await runLogins(target, { logins: Math.min(500, LOGINS - done), concurrency: 16, tag: `rss-${dialect}-${done}`, serverPid: server.pid });
      failures += r.failures;
      ok += r.logins - r.failures;
      ms += r.authorizePhaseMs + r.completePhaseMs;
      cpu += r.gatehouseCpuMsPerLogin * r.logins;
    }
    const runnerLabel = runner === 'tsx' ? 'tsx (development)' : `bundle, ${(flags ?? SERVER_NODE_FLAGS).length ? `\`${(flags ?? SERVER_NODE_FLAGS).join(' ')}\`${flags ? '' : ' (as shipped)'}` : 'no V8 flags'}`;
    memory.push({ dialect, runner: runnerLabel, readyRss, peakRss: server.peakRssMiB(), afterRss: server.rssMiB(), loginsPerSecond: (ok / ms) * 1000, cpuMsPerLogin: cpu / LOGINS, failures });
  } finally {
    await server.stop();
    await db.drop();
  }
}

const fmt = (xs: number[]) => `${median(xs).toFixed(0)} / ${percentile(xs, 90).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
const logged = (bs: Boot[]) => (bs.every((b) => b.loggedMs !== null) ? fmt(bs.map((b) => b.loggedMs!)) : 'not logged');
const startup = markdownTable(
  ['Start', 'Runs', '**spawn → /api/health 200, ms**: median / p90 (min–max)', 'startupMs logged by the server, ms', 'RSS when ready, MiB'],
  [
    ...([
      ['**restart** (database exists): `node <flags> dist/server/main.mjs` (Docker image)', kinds.restartBundle],
      ['**restart**: `npm start`\'s script (`node <flags> scripts/start.mjs`: freshness check, then the bundle)', kinds.restartStart],
      ['**first boot**, fresh SQLite (migrations, two RSA-2048 keys): the bundle', kinds.firstBundle],
      ['restart, development path: `node --import tsx src/main.ts`', kinds.restartTsx],
    ] as const).map(([label, bs]) => [label, String(bs.length), fmt(bs.map((b) => b.readyMs)), logged(bs), fmt(bs.map((b) => b.rssMiB))]),
    ['floor: `node` on an empty module (spawn → exit)', String(floors.length), fmt(floors), '—', '—'],
  ],
);
const rss = markdownTable(
  ['Database', 'Runner', 'Logins over HTTP (c=16)', 'Failures', 'Logins/s during the load', 'server CPU ms/login', 'RSS when ready, MiB', '**Peak RSS (VmHWM), MiB**', 'RSS after the load, MiB'],
  memory.map((m) => [m.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL', m.runner, String(LOGINS), String(m.failures), m.loginsPerSecond.toFixed(0), m.cpuMsPerLogin.toFixed(2), m.readyRss.toFixed(0), `**${m.peakRss.toFixed(0)}**`, m.afterRss.toFixed(0)]),
);

process.stdout.write(`
## Cold start and memory

Machine: ${describeMachine()}

### Cold start to ready

${startup}

### Peak RSS under a login load

${rss}

Method:
- Each start spawns the server with only PATH, HOME, NODE_ENV=production, HOST=127.0.0.1, a free PORT, EXTERNAL_URL,
  DATABASE_URL, ENCRYPTION_KEY, API_KEYS and LOG_LEVEL=info in its environment (no NODE_EXTRA_CA_CERTS: on this
  machine that alone adds ~40 ms to every Node start, reading the CA bundle), and polls GET /api/health every 5 ms;
  the time is from spawn() to the first 200, as an orchestrator's readiness probe would see it. It includes Node's
  own start, loading the bundle, boot (config, open the database, migrations, SP and id_token keys), listen, and
  the first request. \`<flags>\` are SERVER_NODE_FLAGS: \`${SERVER_NODE_FLAGS.join(' ')}\`.
- ${RUNS} rounds, each running every kind once (restart, \`npm start\` script, first boot, tsx), after waiting for the
  machine to be quiet; a restart reuses one database file created before the rounds.
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
