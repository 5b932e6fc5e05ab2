/**
 * The SAML validation pool (decision 0038): the pure core's CPU (XML parse, exclusive c14n, RSA verify,
 * decryption) runs on `WORKERS` worker threads, so one Gatehouse process uses every core while the main thread
 * keeps the HTTP server and the one database writer. `WORKERS=0` validates on the main thread, through the same
 * function the threads run (validate-worker.ts), so both paths give the same verdicts.
 *
 * Tasks carry the XML and the options, the keys by number: a thread keeps each `KeyObject` it was sent once (Node
 * clones a `KeyObject` to a worker by reference to the same native key; no PEM is exported, nothing secret is logged),
 * and a thread that lacks one answers so and gets the task again with the keys. Threads start on the first sign-in.
 */
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import type { CheckpointHost } from '../../storage/sqlite-checkpoints.ts';
import { validate, type PooledVerdict, type ValidationTask, type WireTask, type WireVerdict } from './validate-worker.ts';

export type { PooledVerdict, ValidationTask } from './validate-worker.ts';

export interface SamlValidationPool {
  /** Worker threads at most; 0 when validation runs on the main thread. */
  readonly threads: number;
  run(task: ValidationTask): Promise<PooledVerdict>;
  /**
   * The pool's threads as the host of a SQLite file's WAL checkpoints (decision 0056): the thread that stays runs
   * them, so they need no isolate of their own. Null without threads (`WORKERS=0`).
   */
  readonly checkpointHost?: CheckpointHost | null;
  close(): Promise<void>;
}

/** The pool as made here: also says how many threads run now (none before the first sign-in, one after a burst). */
export interface ThreadPool extends SamlValidationPool {
  liveThreads(): number;
}

/** `WORKERS`: `auto` is one thread per core (availableParallelism); 0 keeps validation on the main thread. */
export function threadsFor(workers: number | 'auto'): number {
  return workers === 'auto' ? availableParallelism() : workers;
}

/** A pool thread beyond the first ends after this long without a task (`idleMs`, for tests). */
export const IDLE_MS = 30_000;

const WORKER_URL = new URL('./validate-worker.mjs', import.meta.url).href;

/** A number per `KeyObject` this process hands to the pool, never reused (threads keep keys by it). */
const keyNumbers = new WeakMap<KeyObject, number>();
let lastKeyNumber = 0;
function keyNumber(key: KeyObject): number {
  let n = keyNumbers.get(key);
  if (n === undefined) keyNumbers.set(key, (n = ++lastKeyNumber));
  return n;
}

function wireTask({ xml, opts }: ValidationTask): { wire: WireTask; keys: KeyObject[] } {
  const { trustedKeys, decryptionKeys = [], ...rest } = opts;
  return { wire: { xml, opts: rest, trusted: trustedKeys.map(keyNumber), decryption: decryptionKeys.map(keyNumber) }, keys: [...trustedKeys, ...decryptionKeys] };
}

export function createSamlValidationPool(threads: number, opts: { idleMs?: number } = {}): ThreadPool {
  if (threads <= 0) return { threads: 0, liveThreads: () => 0, run: async (task) => validate(task), checkpointHost: null, close: async () => {} };
  let pool: Promise<Piscina<WireTask | string, WireVerdict | undefined>> | null = null;
  let started: Piscina<WireTask | string, WireVerdict | undefined> | null = null;
  let closed = false;
  // After close() nothing may start the threads again (a late checkpoint or sign-in during shutdown).
  const open = () => {
    if (closed) throw new Error('the SAML validation pool is closed');
    return (pool ??= start());
  };
  // piscina is loaded on the first sign-in or checkpoint (after listen), not at boot (cold start).
  const start = async () => {
    const { Piscina } = await import('piscina');
    return new Piscina<WireTask | string, WireVerdict | undefined>({
      filename: WORKER_URL,
      // One thread stays once sign-ins (or checkpoints) have begun; piscina adds threads up to `threads` as soon as
      // tasks queue, and ends those beyond the first after IDLE_MS without a task: each is its own V8 isolate, ~17–19
      // MiB resident once it has validated (decision 0050), so an instance between bursts gives that memory back.
      // piscina hands a task to the first idle thread in the order they started, so the checkpoints every 200 ms
      // keep the first thread, not the others, from idling out.
      minThreads: 1,
      maxThreads: threads,
      idleTimeout: opts.idleMs ?? IDLE_MS,
      // Nothing reads piscina's run and wait time histograms: not taking them saves two clock reads and two records per task.
      recordTiming: false,
      // A thread holds one DOM at a time (the body limit is 2 MiB); a thread past this is replaced and the ACS
      // validates that response on the main thread (acs.ts). Lower limits (32/2, 48/4) did not lower the peak RSS
      // under logins (decision 0050): a thread's memory is its isolate and code, not its heap.
      resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
    });
  };
  return {
    threads,
    liveThreads: () => started?.threads.length ?? 0,
    async run(task) {
      const p = (started = await open());
      const { wire, keys } = wireTask(task);
      let verdict = (await p.run(wire))!;
      // This thread has not seen these keys yet (once per thread and key): the same task again, with them.
      if (verdict.stage === 'keys') verdict = (await p.run({ ...wire, keys: keys.map((k) => [keyNumber(k), k]) }))!;
      if (verdict.stage === 'keys') throw new Error('the SAML validation thread did not keep the keys it was sent');
      return verdict;
    },
    checkpointHost: {
      async checkpoint(file) {
        await (started = await open()).run(file, { name: 'checkpoint' });
      },
    },
    async close() {
      closed = true;
      const p = pool;
      pool = null;
      started = null;
      await (await p)?.destroy();
    },
  };
}

declare module '../../context.ts' {
  interface AppContext {
    /** Where SAML Responses are parsed and validated: worker threads, or the main thread (`WORKERS=0`). */
    samlValidation: SamlValidationPool;
  }
}
