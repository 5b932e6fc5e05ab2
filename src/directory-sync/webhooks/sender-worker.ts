/** Worker-thread entry of the webhook sender (see sender-thread.ts): POSTs what it is sent, answers with the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { createSender } from './sender.ts';

const sender = createSender(workerData as { allowHosts: string[]; timeoutMs: number });
parentPort!.on('message', (m: { id: number; url: string; body: string; headers: Record<string, string> }) => {
  void sender.send(m.url, m.body, m.headers).then((result) => parentPort!.postMessage({ id: m.id, result }));
});
