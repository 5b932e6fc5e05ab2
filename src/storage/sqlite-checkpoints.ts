/**
 * WAL checkpoints for a SQLite file, on a worker thread with its own connection: the SAML validation pool's resident
 * thread when the server has one (`host`, decision 0056: one V8 isolate fewer), else a thread of their own.
 *
 * In WAL mode each commit appends pages to the WAL; a checkpoint copies them back into the database
 * file and fsyncs it. SQLite's default runs that checkpoint inside whichever commit pushes the WAL past
 * 1,000 pages, so one request in a few hundred stalls for the copy and the fsync (measured: commits
 * average 277 µs with it, 130 µs without). Here the server's connection only checkpoints as a backstop
 * (WAL past 10,000 pages), and a worker runs PASSIVE checkpoints every `intervalMs`: PASSIVE never waits
 * for, nor blocks, the writer or readers. If the worker fails, the server's connection goes back to
 * SQLite's default, so the WAL never grows without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** The WAL size (pages) at which the server's own connection checkpoints while the worker runs. */
const BACKSTOP_PAGES = 10_000;
const DEFAULT_PAGES = 1_000;

// Plain CommonJS evaluated by the worker (no loader needed under tsx or in the bundle); the driver's
// path is resolved here and passed in.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ problem: 'WAL checkpoint failed: ' + (err && err.message ? err.message : String(err)) });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * The thread's V8 heap: it holds a connection and a timer, so a small heap is ample, and it is ~1 MiB less resident
 * than the defaults (decision 0054). Past it the thread ends with ERR_WORKER_OUT_OF_MEMORY and the server's
 * connection checkpoints itself again (below), as for any failure of the thread.
 */
export const CHECKPOINT_THREAD_LIMITS = { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 };

/** A thread that can run the checkpoints (the SAML validation pool, decision 0056): it keeps its own connection to `file`. */
export interface CheckpointHost {
  checkpoint(file: string): Promise<void>;
}

/** The host thread's side: one connection per file, opened on its first checkpoint (better-sqlite3 is loaded then, not before). */
const hostConnections = new Map<string, BetterSqlite3.Database>();
export function checkpointOnThisThread(file: string): void {
  let db = hostConnections.get(file);
  if (!db) {
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 1000');
    hostConnections.set(file, db);
  }
  db.pragma('wal_checkpoint(PASSIVE)');
}

export interface BackgroundCheckpoints {
  stop(): Promise<void>;
  /** The own thread's V8 limits; undefined when the checkpoints run on a host's thread. */
  resourceLimits(): Worker['resourceLimits'];
}

export function startSqliteCheckpoints(database: BetterSqlite3.Database, file: string, opts: { intervalMs: number; onProblem: (message: string) => void; host?: CheckpointHost | null }): BackgroundCheckpoints {
  if (opts.host) return checkpointsOnHost(database, file, opts.host, opts);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs: opts.intervalMs }, resourceLimits: CHECKPOINT_THREAD_LIMITS });
  worker.unref();
  database.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping = false;
  const fallBack = (why: string) => {
    if (stopping) return;
    database.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
    opts.onProblem(`${why}; checkpoints are back on the server's connection`);
  };
  worker.on('message', (m: { problem?: string }) => m.problem && opts.onProblem(m.problem));
  worker.on('error', (err) => fallBack(`the checkpoint thread failed: ${err.message}`));
  worker.on('exit', () => fallBack('the checkpoint thread exited'));
  return {
    resourceLimits: () => worker.resourceLimits,
    async stop() {
      if (stopping) return exited;
      stopping = true;
      database.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
      worker.ref(); // keep the process alive until the thread has closed its connection
      worker.postMessage('stop');
      return exited;
    },
  };
}

/**
 * One PASSIVE checkpoint every `intervalMs` on the host's thread, never two at once. A failed one (the thread died, the
 * file cannot be opened) puts the checkpoints back on the server's connection for the process's life, as when the
 * own thread fails.
 */
function checkpointsOnHost(database: BetterSqlite3.Database, file: string, host: CheckpointHost, opts: { intervalMs: number; onProblem: (message: string) => void }): BackgroundCheckpoints {
  database.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  let inFlight: Promise<void> | null = null;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearInterval(timer);
    database.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
  };
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = host
      .checkpoint(file)
      .catch((err: Error) => {
        if (stopped) return;
        stop();
        opts.onProblem(`WAL checkpoint failed on the validation thread: ${err.message}; checkpoints are back on the server's connection`);
      })
      .finally(() => {
        inFlight = null;
      });
  }, opts.intervalMs);
  timer.unref();
  return {
    resourceLimits: () => undefined,
    async stop() {
      if (!stopped) stop();
      await inFlight;
    },
  };
}
