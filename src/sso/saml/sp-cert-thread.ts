/** generateSpCertificate on a worker thread of its own, started for the one certificate and gone after it. */
import { Worker } from 'node:worker_threads';
import type { generateSpCertificate } from './sp-keys.ts';

type Pems = Awaited<ReturnType<typeof generateSpCertificate>>;

export function generateSpCertificateOffThread(opts: Parameters<typeof generateSpCertificate>[0]): Promise<Pems> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./sp-cert-worker.mjs', import.meta.url), { workerData: opts });
    worker.once('message', (m: { ok: true; pems: Pems } | { ok: false; message: string }) => {
      if (m.ok) resolve(m.pems);
      else reject(new Error(`the SP certificate could not be made: ${m.message}`));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the SP certificate thread exited (${code}) without a certificate`)));
  });
}
