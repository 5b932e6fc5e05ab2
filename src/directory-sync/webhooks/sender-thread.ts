/**
 * The webhook sender on its own thread: the deliverer keeps every database step (claims, results)
 * on the main thread's one connection, and hands the HTTP POSTs — the expensive part — to a worker
 * thread, so a burst of deliveries does not slow the SCIM requests the main thread serves. A worker
 * that dies is started again on the next send; no send waits longer than the timeout plus 5 s.
 */
import { Worker } from 'node:worker_threads';
import type { SendResult, SenderOptions } from './sender.ts';

export interface Sender {
  send(url: string, body: string, headers: Record<string, string>): Promise<SendResult>;
  close(): void;
}

interface Reply {
  id: number;
  result: SendResult;
}

const failed = (error: string): SendResult => ({ status: null, latencyMs: 0, excerpt: null, error });

export function createThreadSender(opts: SenderOptions): Sender {
  const pending = new Map<number, (r: SendResult) => void>();
  let worker: Worker | null = null;
  let next = 0;
  let closed = false;

  const settle = (id: number, r: SendResult) => {
    pending.get(id)?.(r);
    pending.delete(id);
  };

  function spawn(): Worker {
    const w = new Worker(new URL('./sender-worker.mjs', import.meta.url), { workerData: { allowHosts: [...opts.allowHosts], timeoutMs: opts.timeoutMs } });
    w.unref();
    w.on('message', (m: Reply) => settle(m.id, m.result));
    const down = (why: string) => {
      if (worker === w) worker = null;
      for (const id of [...pending.keys()]) settle(id, failed(why));
    };
    w.on('error', (err) => down(`webhook sender thread failed: ${err.message}`));
    w.on('exit', () => down('webhook sender thread exited'));
    return w;
  }

  return {
    send(url, body, headers) {
      if (closed) return Promise.resolve(failed('the deliverer is stopping'));
      worker ??= spawn();
      const id = ++next;
      return new Promise<SendResult>((resolve) => {
        const guard = setTimeout(() => settle(id, failed(`no answer from the sender thread within ${opts.timeoutMs + 5000} ms`)), opts.timeoutMs + 5000);
        guard.unref();
        pending.set(id, (r) => {
          clearTimeout(guard);
          resolve(r);
        });
        worker!.postMessage({ id, url, body, headers });
      });
    },
    close() {
      closed = true;
      void worker?.terminate();
      worker = null;
    },
  };
}
