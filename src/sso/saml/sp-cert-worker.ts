/**
 * Worker-thread entry that makes the SP certificate (see sp-cert-thread.ts): the X.509 stack takes ~130 ms to
 * load and the certificate ~180 ms to make, none of which should hold the main thread of a server starting up.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateSpCertificate } from './sp-keys.ts';

generateSpCertificate(workerData as Parameters<typeof generateSpCertificate>[0]).then(
  (pems) => parentPort!.postMessage({ ok: true, pems }),
  (err: Error) => parentPort!.postMessage({ ok: false, message: err.message }),
);
