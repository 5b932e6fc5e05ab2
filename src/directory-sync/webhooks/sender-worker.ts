/** Worker-thread entry of the webhook sender (see sender-thread.ts): POSTs what it is sent, answers with the results in batches. */
import { parentPort, workerData } from 'node:worker_threads';
import { createSender } from './sender.ts';
import type { SendReply, SendRequest } from './sender-thread.ts';

const sender = createSender(workerData as { allowHosts: string[]; timeoutMs: number });
let replies: SendReply[] = [];
function flush() {
  const batch = replies;
  replies = [];
  parentPort!.postMessage(batch);
}
parentPort!.on('message', (batch: SendRequest[]) => {
  for (const m of batch) {
    void sender.send(m.url, m.body, m.headers).then((result) => {
      if (replies.push({ id: m.id, result }) === 1) setImmediate(flush);
    });
  }
});
