/**
 * Worker-thread entry of the webhook sender (see sender-thread.ts): POSTs what it is sent, answers with the results in
 * batches. A batch goes back once every POST it was sent is answered, or REPLY_WITHIN_MS after its first answer if
 * some are still out (a slow receiver holds up the others' results by that much at most): each message costs both
 * threads ~30 µs, and answers arriving one turn apart made one message per event (decision 0049).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSender } from './sender.ts';
import type { SendReply, SendRequest } from './sender-thread.ts';
import type { SendResult } from './sender.ts';

const sender = createSender(workerData as { allowHosts: string[]; timeoutMs: number });
const REPLY_WITHIN_MS = 2;
let replies: SendReply[] = [];
let inFlight = 0;
let timer: NodeJS.Timeout | null = null;
let immediate: NodeJS.Immediate | null = null;
function flush() {
  if (timer) clearTimeout(timer);
  if (immediate) clearImmediate(immediate);
  timer = immediate = null;
  const batch = replies;
  replies = [];
  if (batch.length) parentPort!.postMessage(batch);
}
parentPort!.on('message', (batch: SendRequest[]) => {
  for (const m of batch) {
    inFlight++;
    void sender
      .send(m.url, m.body, m.headers)
      // send() answers failures as results; a rejection all the same is one, so inFlight always comes down.
      .catch((err: unknown): SendResult => ({ status: null, latencyMs: 0, excerpt: null, error: `webhook send failed: ${err instanceof Error ? err.message : String(err)}` }))
      .then((result) => {
        inFlight--;
        replies.push({ id: m.id, result });
        // Everything answered: go back at the end of this turn (answers of the same turn join). Else wait a little for the rest.
        if (inFlight === 0) immediate ??= setImmediate(flush);
        else timer ??= setTimeout(flush, REPLY_WITHIN_MS);
      });
  }
});
