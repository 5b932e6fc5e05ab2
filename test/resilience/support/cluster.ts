/**
 * Several Gatehouse instances as they are deployed: `node dist/server/main.mjs` (the bundle) child processes
 * sharing one database, one ENCRYPTION_KEY, one API key and one EXTERNAL_URL (the load balancer's
 * address), each on its own port. Tests talk to each instance's port directly, the way a load
 * balancer would route a request to one of them. Every line an instance writes is kept, for log
 * assertions and the secret grep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_DIR, SERVER_NODE_FLAGS } from '../../../scripts/build-server.mjs';
import { freePort } from '../../support/gatehouse.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import type { DialectName } from '../../../src/storage/dialect.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Instances run the server bundle with the shipped flags, as `npm start` and the Docker image do (npm test builds it first).
const SERVER_MAIN = join(SERVER_DIR, 'main.mjs');

/** The shared public address: what IdPs post to and what apps are told; no instance listens on it. */
export const EXTERNAL_URL = 'https://sso.gatehouse.test';
export const CLUSTER_API_KEY = 'resilience-api-key-0123456789abcdef';

export interface Instance {
  name: string;
  port: number;
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** stdout lines that are JSON (pino). */
  logs(): Record<string, unknown>[];
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

export interface Cluster {
  db: TestDatabase;
  env: Record<string, string>;
  instances: Instance[];
  start(name: string, env?: Record<string, string>): Promise<Instance>;
  /** SIGKILLs whatever still runs and drops the database. */
  close(): Promise<void>;
}

async function waitReady(inst: Instance, deadline: number): Promise<void> {
  for (;;) {
    if (inst.child.exitCode !== null) throw new Error(`${inst.name} exited with ${inst.child.exitCode} before it was ready:\n${inst.output().slice(-3000)}`);
    try {
      const res = await fetch(`${inst.url}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${inst.name} was not ready within 60 s:\n${inst.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Starts `names.length` instances on one fresh database of `dialect` (the first alone, so it runs the
 * migrations; the others together). Returns null when the database server is unreachable outside CI.
 */
export async function startCluster(names: string[], opts: { dialect?: DialectName; env?: Record<string, string>; db?: TestDatabase } = {}): Promise<Cluster | null> {
  const db = opts.db ?? (await createTestDatabase(opts.dialect ?? 'postgres'));
  if (!db) return null;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    EXTERNAL_URL,
    DATABASE_URL: db.url,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    API_KEYS: CLUSTER_API_KEY,
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost',
    LOG_LEVEL: 'info',
    DSYNC_DELIVERER_POLL_MS: '100',
    ...opts.env,
  };
  const instances: Instance[] = [];

  async function start(name: string, extra: Record<string, string> = {}): Promise<Instance> {
    const port = await freePort();
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_MAIN], { cwd: ROOT, env: { ...env, PORT: String(port), ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const lines: Record<string, unknown>[] = [];
    let partial = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts) {
        try {
          lines.push(JSON.parse(p) as Record<string, unknown>);
        } catch {
          // not a log line
        }
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const inst: Instance = {
      name, port, url: `http://127.0.0.1:${port}`, pid: child.pid!, child, exited,
      output: () => out,
      logs: () => lines,
      kill: (signal = 'SIGTERM') => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
    };
    instances.push(inst);
    await waitReady(inst, Date.now() + 60_000);
    return inst;
  }

  const [first, ...rest] = names;
  try {
    if (first) await start(first);
    await Promise.all(rest.map((n) => start(n)));
  } catch (err) {
    // One instance failed to start: stop the others, so the failure is reported instead of the test process hanging on them.
    for (const i of instances) i.kill('SIGKILL');
    await Promise.all(instances.map((i) => i.exited));
    throw err;
  }
  return {
    db, env, instances, start,
    async close() {
      for (const i of instances) i.kill('SIGKILL');
      await Promise.all(instances.map((i) => i.exited));
      await db.drop();
    },
  };
}
