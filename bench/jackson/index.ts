/**
 * SAML Jackson's side of a sitting (bench/sitting.ts), each measurement in a child process of its own:
 *   - `jacksonInProcess`: logins or SCIM phases with Jackson's controllers in the child's process (bench/jackson/run.ts);
 *   - `jacksonColdStart`: spawn → first 200 from /api/health of bench/jackson/server.mjs (a restart on an existing
 *     SQLite file, and a first boot on a fresh one), the same clock Gatehouse's cold start uses;
 *   - `jacksonPeakRss`: that server's VmHWM after logins over HTTP (the IdP's signing done here, not in the server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/support/gatehouse.ts';
import { createTestIdp } from '../../test/support/saml-idp.ts';
import { createConnection, runLogins } from '../support/login-flow.ts';
import { nodeHttpTransport } from '../support/transport.ts';
import { waitForQuiet } from '../support/cpu.ts';
import type { JacksonJob, JacksonJobResult } from './run.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN = fileURLToPath(new URL('./run.ts', import.meta.url));
const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));
const JACKSON_AUDIENCE = 'https://saml.boxyhq.com';

/** Runs one job in a fresh child process (Jackson keeps module-level state) and returns what it measured. */
export function jacksonInProcess<J extends JacksonJob>(job: J): Promise<Extract<JacksonJobResult, { kind: J['kind'] }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUN, JSON.stringify(job)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DO_NOT_TRACK: '1' } });
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
    // typeorm writes every failed query of Jackson's overlapping SQLite transactions: keep the tail for errors.
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (err = (err + c).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('JACKSON_RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('JACKSON_RESULT '.length)));
      else reject(new Error(`Jackson ${job.kind} (${job.store}) exited with ${code}: ${err}${out.slice(-2000)}`));
    });
  });
}

interface JacksonServer {
  baseUrl: string;
  pid: number;
  readyMs: number;
  peakRssMiB(): number;
  rssMiB(): number;
  stop(): Promise<void>;
}

const procMiB = (pid: number, field: 'VmHWM' | 'VmRSS') => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Starts bench/jackson/server.mjs on `db` (a SQLite file or 'mem') and times spawn → first 200 from /api/health. */
async function startJacksonServer(db: string): Promise<JacksonServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', PORT: String(port), EXTERNAL_URL: baseUrl, JACKSON_DB: db, DO_NOT_TRACK: '1', BOXYHQ_NO_ANALYTICS: '1' };
  const start = performance.now();
  const child: ChildProcess = spawn(process.execPath, [SERVER], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Jackson exited with ${child.exitCode} before it was ready: ${stderr}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - start > 120_000) {
      child.kill('SIGKILL');
      throw new Error(`Jackson was not ready within 120 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const pid = child.pid!;
  return { baseUrl, pid, readyMs: performance.now() - start, peakRssMiB: () => procMiB(pid, 'VmHWM'), rssMiB: () => procMiB(pid, 'VmRSS'), stop };
}

/** `runs` rounds of: a restart on an existing SQLite file, then a first boot on a fresh one. */
export async function jacksonColdStart(o: { runs: number; quietWaitMs: number }): Promise<{ restart: number[]; firstBoot: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'jackson-start-'));
  try {
    const existing = join(dir, 'existing.db');
    await (await startJacksonServer(existing)).stop(); // creates the database the restarts find
    await waitForQuiet(null, o.quietWaitMs);
    const restart: number[] = [];
    const firstBoot: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      const a = await startJacksonServer(existing);
      restart.push(a.readyMs);
      await a.stop();
      const b = await startJacksonServer(join(dir, `fresh-${i}.db`));
      firstBoot.push(b.readyMs);
      await b.stop();
    }
    return { restart, firstBoot };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface JacksonMemory {
  readyRss: number;
  peakRss: number;
  logins: number;
  failures: number;
  loginsPerSecond: number;
}

/** Jackson's server on a fresh SQLite file, `logins` full logins over HTTP at `concurrency`, then its VmHWM. */
export async function jacksonPeakRss(o: { logins: number; concurrency: number; quietWaitMs: number }): Promise<JacksonMemory> {
  const dir = mkdtempSync(join(tmpdir(), 'jackson-rss-'));
  const server = await startJacksonServer(join(dir, 'jackson.db'));
  try {
    const readyRss = server.rssMiB();
    const idp = await createTestIdp();
    const transport = nodeHttpTransport(server.baseUrl, Math.max(1, o.concurrency));
    const client = await createConnection(transport, idp);
    const target = { transport, idp, client, spEntityId: JACKSON_AUDIENCE, acsUrl: `${server.baseUrl}/api/oauth/saml` };
    await waitForQuiet(server.pid, o.quietWaitMs);
    let failures = 0;
    let ok = 0;
    let ms = 0;
    for (let done = 0; done < o.logins; done += 500) {
      const r = await runLogins(target, { logins: Math.min(500, o.logins - done), concurrency: o.concurrency, tag: `jackson-rss-${done}`, serverPid: server.pid });
      failures += r.failures;
      ok += r.logins - r.failures;
      ms += r.authorizePhaseMs + r.completePhaseMs;
    }
    return { readyRss, peakRss: server.peakRssMiB(), logins: o.logins, failures, loginsPerSecond: (ok / ms) * 1000 };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
