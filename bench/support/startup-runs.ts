/**
 * The measurements of bench/startup.ts as functions (bench/sitting.ts calls them too):
 *   - `coldStarts`: spawn → first 200 from GET /api/health, round by round (each kind once per round, so a noisy
 *     moment of a shared machine hits all): a restart on an existing database through the bundle and through
 *     `npm start`'s script, a first boot on a fresh SQLite file, the development path (tsx), and Node's own floor;
 *   - `peakRss`: a fresh server, N logins over HTTP at concurrency 16, then its VmHWM.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestIdp } from '../../test/support/saml-idp.ts';
import { createTestDatabase } from '../../test/support/databases.ts';
import type { DialectName } from '../../src/storage/dialect.ts';
import { startServerProcess } from './server-process.ts';
import { createConnection, runLogins } from './login-flow.ts';
import { nodeHttpTransport } from './transport.ts';
import { waitForQuiet } from './cpu.ts';
import { SERVER_DIR, SERVER_NODE_FLAGS, ensureServerBundle } from '../../scripts/build-server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

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

export interface Boot {
  readyMs: number;
  loggedMs: number | null;
  /** The ready line's per-step times (decision 0050), when logged. */
  phases: Record<string, number> | null;
  /** CPU the process had used (every thread) when it first answered: steadier than wall time on a shared machine. */
  cpuMs: number;
  rssMiB: number;
  /** The ready line's `codeCache` (accepted, absent, corrupt, rejected), when logged. */
  codeCache: string | null;
}
export type Runner = 'bundle' | 'npm-start' | 'tsx';

/** `keys`: before stopping, wait for the SP and id_token keys a first boot makes in the background (they answer these two URLs). */
async function bootOnce(databaseUrl: string, encryptionKey: string, runner: Runner, keys = false): Promise<Boot> {
  const server = await startServerProcess({ databaseUrl, encryptionKey, runner });
  const b = { readyMs: server.readyMs, loggedMs: server.loggedStartupMs, phases: server.loggedPhases, cpuMs: server.cpuMsAtReady, rssMiB: server.rssMiB(), codeCache: server.loggedCodeCache };
  if (keys) for (const path of ['/.well-known/saml.cer', '/oauth/jwks']) if (!(await fetch(server.baseUrl + path)).ok) throw new Error(`${path} did not answer`);
  await server.stop();
  return b;
}

export type StartKind = 'restartBundle' | 'restartNoCache' | 'restartStart' | 'firstBundle' | 'restartTsx';

/** Removes the bundle's V8 code caches (the state right after a build); the next start runs without one and writes it. */
const dropCodeCaches = () => {
  for (const name of readdirSync(SERVER_DIR)) if (name.endsWith('.v8cache')) rmSync(`${SERVER_DIR}/${name}`, { force: true });
};
export type ColdStarts = Record<StartKind, Boot[]> & { floors: number[] };

/** `runs` rounds of every kind in `kinds` (and the floor); waits up to `quietWaitMs` for a quiet machine first. */
export async function coldStarts(o: { runs: number; kinds?: StartKind[]; quietWaitMs?: number }): Promise<ColdStarts> {
  const kinds = new Set(o.kinds ?? ['restartBundle', 'restartNoCache', 'restartStart', 'firstBundle', 'restartTsx']);
  await ensureServerBundle();
  const out: ColdStarts = { restartBundle: [], restartNoCache: [], restartStart: [], firstBundle: [], restartTsx: [], floors: [] };
  const existing = fresh();
  const existingKey = randomBytes(32).toString('hex');
  try {
    await bootOnce(existing.url, existingKey, 'bundle', true); // creates the database (and its keys) the restarts find
    if (kinds.has('restartTsx')) await bootOnce(existing.url, existingKey, 'tsx'); // fills tsx's transpile cache, as a developer's second start would have
    await waitForQuiet(null, o.quietWaitMs ?? 10_000);
    for (let i = 0; i < o.runs; i++) {
      out.floors.push(await floorMs());
      if (kinds.has('restartBundle')) out.restartBundle.push(await bootOnce(existing.url, existingKey, 'bundle'));
      if (kinds.has('restartNoCache')) {
        dropCodeCaches();
        out.restartNoCache.push(await bootOnce(existing.url, existingKey, 'bundle', true)); // waits for its first answers: the cache is written by then
      }
      if (kinds.has('restartStart')) out.restartStart.push(await bootOnce(existing.url, existingKey, 'npm-start'));
      if (kinds.has('firstBundle')) {
        const db = fresh();
        try {
          out.firstBundle.push(await bootOnce(db.url, randomBytes(32).toString('hex'), 'bundle'));
        } finally {
          db.drop();
        }
      }
      if (kinds.has('restartTsx')) out.restartTsx.push(await bootOnce(existing.url, existingKey, 'tsx'));
    }
    return out;
  } finally {
    existing.drop();
  }
}

export interface Memory {
  dialect: DialectName;
  runner: string;
  readyRss: number;
  peakRss: number;
  afterRss: number;
  loginsPerSecond: number;
  cpuMsPerLogin: number;
  failures: number;
}

/** A fresh server (first boot), `logins` full logins over HTTP at concurrency 16 in batches of 500, then VmHWM. Null when the database is unreachable. */
export async function peakRss(o: { dialect: DialectName; runner: Runner; flags?: string[]; logins: number; idp: TestIdp; quietWaitMs?: number; /** `WORKERS` for the server (its default, `auto`, when absent). */ workers?: string }): Promise<Memory | null> {
  const { dialect, runner, flags, logins, idp, workers } = o;
  const db = dialect === 'sqlite' ? (() => { const f = fresh(); return { url: f.url, drop: async () => f.drop() }; })() : await createTestDatabase(dialect);
  if (!db) return null;
  await waitForQuiet(null, o.quietWaitMs ?? 10_000);
  const server = await startServerProcess({ databaseUrl: db.url, runner, nodeFlags: flags, env: workers === undefined ? undefined : { WORKERS: workers } });
  try {
    const readyRss = server.rssMiB();
    const transport = nodeHttpTransport(server.baseUrl, 16);
    const client = await createConnection(transport, idp);
    const target = { transport, idp, client, spEntityId: server.baseUrl, acsUrl: `${server.baseUrl}/api/oauth/saml` };
    let ok = 0;
    let failures = 0;
    let ms = 0;
    let cpu = 0;
    for (let done = 0; done < logins; done += 500) {
      const r = await runLogins(target, { logins: Math.min(500, logins - done), concurrency: 16, tag: `rss-${dialect}-${done}`, serverPid: server.pid });
      failures += r.failures;
      ok += r.logins - r.failures;
      ms += r.authorizePhaseMs + r.completePhaseMs;
      cpu += r.gatehouseCpuMsPerLogin * r.logins;
    }
    const runnerLabel = runner === 'tsx' ? 'tsx (development)' : `bundle, ${(flags ?? SERVER_NODE_FLAGS).length ? `\`${(flags ?? SERVER_NODE_FLAGS).join(' ')}\`${flags ? '' : ' (as shipped)'}` : 'no V8 flags'}`;
    return { dialect, runner: workers === undefined ? runnerLabel : `${runnerLabel}, WORKERS=${workers}`, readyRss, peakRss: server.peakRssMiB(), afterRss: server.rssMiB(), loginsPerSecond: (ok / ms) * 1000, cpuMsPerLogin: cpu / logins, failures };
  } finally {
    await server.stop();
    await db.drop();
  }
}
