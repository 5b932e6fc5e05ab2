/**
 * Cold start to ready, and peak RSS under a login load:
 *
 *   node --import tsx bench/startup.ts [--runs 5] [--logins 2000] [--dialect sqlite|postgres]…
 *
 * Spawns `node --import tsx src/main.ts` (NODE_ENV=production, a free PORT, ENCRYPTION_KEY and
 * API_KEYS set, LOG_LEVEL=info) and times spawn → first 200 from GET /api/health:
 *   - first boot on a fresh SQLite file (migrations run, the SP key/certificate and the id_token
 *     signing key are generated), then a second boot on the same file;
 *   - the same two boots of src/ compiled to JavaScript with tsc and run with plain node (what a
 *     build step would give; Gatehouse does not ship that way today);
 *   - a first boot with tsx's transpile cache disabled (the first start after a code change);
 *   - the floors: `node` and `node --import tsx` running an empty module.
 * Then, on a fresh instance, it runs N logins over HTTP (concurrency 16) and reads the server's
 * VmHWM (peak RSS) from /proc/<pid>/status.
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
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { createConnection, runLogins } from './support/login-flow.ts';
import { nodeHttpTransport } from './support/transport.ts';
import { markdownTable, median } from './support/stats.ts';
import { describeMachine } from './support/machine.ts';
import { waitForQuiet } from './support/cpu.ts';
import { compileToJs } from './support/compile.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
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

/** spawn → exit of `node [--import tsx] <empty module>`: Node's own start, plus tsx's loader. */
function floorMs(tsx: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [...(tsx ? ['--import', 'tsx'] : []), '--input-type=module', '--eval', ''], { cwd: ROOT, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - start));
  });
}

interface Boot {
  readyMs: number;
  loggedMs: number | null;
  rssMiB: number;
}

async function boot(databaseUrl: string, encryptionKey: string, env: Record<string, string> = {}, compiledMain?: string): Promise<Boot> {
  const server: ServerProcess = await startServerProcess({ databaseUrl, encryptionKey, env, compiledMain });
  const b = { readyMs: server.readyMs, loggedMs: server.loggedStartupMs, rssMiB: server.rssMiB() };
  await server.stop();
  return b;
}

const started = performance.now();
const compiledMain = compileToJs();
const boots = { first: [] as Boot[], second: [] as Boot[], compiledFirst: [] as Boot[], compiledSecond: [] as Boot[], uncached: [] as Boot[] };
const floors = { node: [] as number[], tsx: [] as number[] };
await waitForQuiet(null, 10_000);
for (let i = 0; i < RUNS; i++) {
  floors.node.push(await floorMs(false));
  floors.tsx.push(await floorMs(true));
  for (const compiled of [false, true]) {
    const db = fresh();
    const key = randomBytes(32).toString('hex');
    const main = compiled ? compiledMain : undefined;
    try {
      (compiled ? boots.compiledFirst : boots.first).push(await boot(db.url, key, {}, main));
      (compiled ? boots.compiledSecond : boots.second).push(await boot(db.url, key, {}, main));
    } finally {
      db.drop();
    }
  }
}
for (let i = 0; i < Math.min(RUNS, 3); i++) {
  const db = fresh();
  try {
    boots.uncached.push(await boot(db.url, randomBytes(32).toString('hex'), { TSX_DISABLE_CACHE: '1' }));
  } finally {
    db.drop();
  }
}

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
const SEMI = ['--max-semi-space-size=4'];
const memoryRuns: { dialect: DialectName; compiled: boolean; flags: string[] }[] = [
  ...dialects.map((dialect) => ({ dialect, compiled: false, flags: [] })),
  { dialect: 'sqlite', compiled: true, flags: [] },
  { dialect: 'sqlite', compiled: true, flags: SEMI },
];
for (const { dialect, compiled, flags } of memoryRuns) {
  const db = dialect === 'sqlite' ? (() => { const f = fresh(); return { url: f.url, drop: async () => f.drop() }; })() : await createTestDatabase(dialect);
  if (!db) {
    process.stderr.write(`${dialect} unreachable; skipped\n`);
    continue;
  }
  await waitForQuiet(null, 10_000);
  const server = await startServerProcess({ databaseUrl: db.url, compiledMain: compiled ? compiledMain : undefined, nodeFlags: flags });
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
    memory.push({ dialect, runner: `${compiled ? 'compiled JS (node)' : 'tsx (`npm start`)'}${flags.length ? ` ${flags.join(' ')}` : ''}`, readyRss, peakRss: server.peakRssMiB(), afterRss: server.rssMiB(), loginsPerSecond: (ok / ms) * 1000, cpuMsPerLogin: cpu / LOGINS, failures });
  } finally {
    await server.stop();
    await db.drop();
  }
}

const fmt = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
const logged = (bs: Boot[]) => (bs.every((b) => b.loggedMs !== null) ? fmt(bs.map((b) => b.loggedMs!)) : 'not logged');
const startup = markdownTable(
  ['Start', 'Runs', 'spawn → /api/health 200, ms: median (min–max)', 'startupMs logged by the server, ms', 'RSS when ready, MiB'],
  [
    ...([
      ['tsx (`npm start`): first boot, fresh SQLite (migrations, key generation)', boots.first],
      ['tsx (`npm start`): second boot, same SQLite file', boots.second],
      ['tsx, transpile cache off: first boot', boots.uncached],
      ['compiled JS (tsc → node): first boot, fresh SQLite', boots.compiledFirst],
      ['compiled JS (tsc → node): second boot, same SQLite file', boots.compiledSecond],
    ] as const).map(([label, bs]) => [label, String(bs.length), fmt(bs.map((b) => b.readyMs)), logged(bs), fmt(bs.map((b) => b.rssMiB))]),
    ['floor: `node --import tsx` on an empty module (spawn → exit)', String(floors.tsx.length), fmt(floors.tsx), '—', '—'],
    ['floor: `node` on an empty module (spawn → exit)', String(floors.node.length), fmt(floors.node), '—', '—'],
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
- Each start spawns \`node --import tsx src/main.ts\` with NODE_ENV=production, HOST=127.0.0.1, a free PORT, EXTERNAL_URL,
  DATABASE_URL, ENCRYPTION_KEY, API_KEYS and LOG_LEVEL=info, and polls GET /api/health every 5 ms; the time is from
  spawn() to the first 200, as an orchestrator's readiness probe would see it. It includes Node's own start, tsx
  registering its loader and transpiling (from its on-disk cache unless the cache is off), loading every module,
  then boot (config, open the database, migrations, SP and id_token keys) and listen.
- "startupMs logged by the server" is the number main.ts logs in its ready line: performance.now() from the first
  statement of main.ts's body — after all its imports were loaded — to listen(); it leaves out Node, tsx and module loading.
- Compiled JS: src/ compiled by the project's TypeScript (tsc, rewriteRelativeImportExtensions, type checking off) into
  bench/.build and started with \`node bench/.build/src/main.js\`, same environment. Gatehouse does not ship that way today.
- Peak RSS: a fresh server (first boot) gets ${LOGINS} full logins over HTTP (node:http keep-alive client, concurrency 16,
  batches of 500, the IdP's signing done between the authorize and ACS phases of each batch as in bench/login.ts) with
  the rate limit off and LOG_LEVEL=info (every request logged to a pipe the benchmark drains); then VmHWM, the
  kernel's high-water mark of the server process's resident set, is read from /proc/<pid>/status.
  --max-semi-space-size=4 caps each of V8's two young-generation semi-spaces at 4 MiB (Node 20's default grows them
  to 16 MiB each under allocation pressure).
- Whole run ${((performance.now() - started) / 1000).toFixed(0)} s.
`);
