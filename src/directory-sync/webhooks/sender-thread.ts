/**
 * The webhook sender on its own thread: the deliverer keeps every database step (claims, results)
 * on the main thread's one connection, and hands the HTTP POSTs — the expensive part — to a worker
 * thread, so a burst of deliveries does not slow the SCIM requests the main thread serves. A worker
 * that dies is started again on the next send; no send waits longer than the timeout plus 5 s.
 * Sends made in one turn of the event loop cross to the worker as one message, and the worker answers
 * in batches (sender-worker.ts): a message costs ~30 µs of each thread's time, whatever it carries.
 */
import { Worker } from 'node:worker_threads';
import type { SendResult, SenderOptions } from './sender.ts';

export interface Sender {
  send(url: string, body: string, headers: Record<string, string>): Promise<SendResult>;
  close(): void;
}

/** One POST to make, as it crosses to the worker. */
export interface SendRequest {
  id: number;
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface SendReply {
  id: number;
  result: SendResult;
}

const failed = (error: string): SendResult => ({ status: null, latencyMs: 0, excerpt: null, error });

export function createThreadSender(opts: SenderOptions): Sender {
  const pending = new Map<number, (r: SendResult) => void>();
  let worker: Worker | null = null;
  let next = 0;
  let closed = false;
  let outgoing: SendRequest[] = [];

  const settle = (id: number, r: SendResult) => {
    pending.get(id)?.(r);
    pending.delete(id);
  };

  function spawn(): Worker {
    const w = new Worker(new URL('./sender-worker.mjs', import.meta.url), { workerData: { allowHosts: [...opts.allowHosts], timeoutMs: opts.timeoutMs } });
    w.unref();
    w.on('message', (replies: SendReply[]) => {
      for (const r of replies) settle(r.id, r.result);
    });
    const down = (why: string) => {
      if (worker === w) worker = null;
      for (const id of [...pending.keys()]) settle(id, failed(why));
    };
    w.on('error', (err) => down(`webhook sender thread failed: ${err.message}`));
    w.on('exit', () => down('webhook sender thread exited'));
    return w;
  }

  function flush() {
    // A send already answered (its thread died before this flush) must not go out on a new thread.
    const batch = outgoing.filter((r) => pending.has(r.id));
    outgoing = [];
    // Closed since they were queued: they fail (the deliverer records them as not sent) rather than start a thread.
    if (closed) for (const r of batch) settle(r.id, failed('the deliverer is stopping'));
    else if (batch.length) (worker ??= spawn()).postMessage(batch);
  }

  return {
    send(url, body, headers) {
      if (closed) return Promise.resolve(failed('the deliverer is stopping'));
      const id = ++next;
      return new Promise<SendResult>((resolve) => {
        const guard = setTimeout(() => settle(id, failed(`no answer from the sender thread within ${opts.timeoutMs + 5000} ms`)), opts.timeoutMs + 5000);
        guard.unref();
        pending.set(id, (r) => {
          clearTimeout(guard);
          resolve(r);
        });
        // At the end of the turn, not of the microtask: a batch of answers settles many chains, whose next sends come a few microtasks apart.
        if (outgoing.push({ id, url, body, headers }) === 1) setImmediate(flush);
      });
    },
    close() {
      closed = true;
      void worker?.terminate();
      worker = null;
    },
  };
}
