/**
 * Gatehouse as it is deployed: the server bundle (`node <SERVER_NODE_FLAGS> dist/server/main.mjs`, what
 * `npm start` and the Docker image run; rebuilt first when src/ changed) in its own process, configured
 * only through the environment. `runner: 'tsx'` runs src/main.ts through tsx instead (the development
 * path, for comparison). Used for the over-HTTP runs, cold start and peak RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/support/gatehouse.ts';
import { BENCH_API_KEY } from './login-flow.ts';
import { processCpuMs } from './cpu.ts';
import { SERVER_DIR, SERVER_ENV, SERVER_NODE_FLAGS, ensureServerBundle } from '../../scripts/build-server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Servers still running; stopped if the benchmark itself is interrupted, so none is left orphaned. */
const running = new Set<ChildProcess>();
const stopAll = () => {
  for (const child of running) child.kill('SIGKILL');
};
process.once('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAll();
    process.exit(130);
  });
}

export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** From spawn() to the first 200 from GET /api/health, as a client sees it, ms. */
  readyMs: number;
  /** The server's own `startupMs` from its "ready" log line (its module graph already loaded), when logged. */
  loggedStartupMs: number | null;
  /** The ready line's `startupPhases` (ms per boot step, `nodeAndModules` first: decision 0050), when logged. */
  loggedPhases: Record<string, number> | null;
  /** The ready line's `codeCache`: whether this start ran on V8's code cache (decision 0060), when logged. */
  loggedCodeCache: string | null;
  /** CPU time (user + system, every thread) the process had used when it first answered /api/health, ms. */
  cpuMsAtReady: number;
  /** Peak resident set size so far (VmHWM), MiB. */
  peakRssMiB(): number;
  /** Current resident set size (VmRSS), MiB. */
  rssMiB(): number;
  stop(): Promise<void>;
}

function procStatusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

async function waitForHealth(baseUrl: string, child: ChildProcess, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Gatehouse exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error('Gatehouse did not become ready within 30 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Starts Gatehouse on a free port against `databaseUrl`. The rate limit is off (every benchmark
 * request comes from 127.0.0.1, which the default 1,200/min per IP would cap at 300 logins/min).
 */
export async function startServerProcess(opts: { databaseUrl: string; encryptionKey?: string; env?: Record<string, string>; /** 'bundle' (default): dist/server/main.mjs with SERVER_NODE_FLAGS; 'npm-start': scripts/start.mjs with the same flags (checks the bundle is fresh, then loads it); 'tsx': src/main.ts through tsx, no flags. */ runner?: 'bundle' | 'npm-start' | 'tsx'; /** Node flags instead of the runner's defaults. */ nodeFlags?: string[] }): Promise<ServerProcess> {
  const runner = opts.runner ?? 'bundle';
  if (runner !== 'tsx') await ensureServerBundle();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...(runner === 'tsx' ? {} : SERVER_ENV), // as shipped (package.json `start`, the Dockerfile)
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    EXTERNAL_URL: baseUrl,
    DATABASE_URL: opts.databaseUrl,
    ENCRYPTION_KEY: opts.encryptionKey ?? randomBytes(32).toString('hex'),
    API_KEYS: BENCH_API_KEY,
    LOG_LEVEL: 'info',
    RATE_LIMIT_OAUTH_PER_MINUTE: '0',
    RATE_LIMIT_API_PER_MINUTE: '0',
    ...opts.env,
  };
  const start = performance.now();
  const entry =
    runner === 'tsx' ? [...(opts.nodeFlags ?? []), '--import', 'tsx', 'src/main.ts']
    : [...(opts.nodeFlags ?? SERVER_NODE_FLAGS), runner === 'bundle' ? `${SERVER_DIR}/main.mjs` : 'scripts/start.mjs'];
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []), ...entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let loggedStartupMs: number | null = null;
  let loggedPhases: Record<string, number> | null = null;
  let loggedCodeCache: string | null = null;
  let stderr = '';
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    if (loggedStartupMs !== null) return; // keep draining the pipe, stop parsing
    buffered += chunk;
    const m = /"startupMs":(\d+)(?:,"startupPhases":(\{[^}]*\}))?/.exec(buffered);
    if (m) {
      loggedStartupMs = Number(m[1]);
      if (m[2]) loggedPhases = JSON.parse(m[2]) as Record<string, number>;
      loggedCodeCache = /"codeCache":"(\w+)"/.exec(buffered)?.[1] ?? null;
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  try {
    await waitForHealth(baseUrl, child, start + 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  const readyMs = performance.now() - start;
  const cpuMsAtReady = processCpuMs(child.pid!);
  // The ready line is written right after listen(); give the pipe a moment to deliver it.
  for (let i = 0; i < 50 && loggedStartupMs === null && env.LOG_LEVEL === 'info'; i++) await new Promise((r) => setTimeout(r, 10));
  const pid = child.pid!;
  return {
    baseUrl,
    pid,
    readyMs,
    get loggedStartupMs() {
      return loggedStartupMs;
    },
    get loggedPhases() {
      return loggedPhases;
    },
    get loggedCodeCache() {
      return loggedCodeCache;
    },
    cpuMsAtReady,
    peakRssMiB: () => procStatusMiB(pid, 'VmHWM'),
    rssMiB: () => procStatusMiB(pid, 'VmRSS'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
