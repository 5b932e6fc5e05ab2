/**
 * The webhook sender thread (src/directory-sync/webhooks/sender-thread.ts, sender-worker.ts): it answers a batch's
 * POSTs as each comes back, turns a POST it cannot even start into that POST's failed result and goes on, and sends
 * nothing once closed. With a real HTTP receiver on 127.0.0.1.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2 } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { createThreadSender } from '../../src/directory-sync/webhooks/sender-thread.ts';
import { waitFor } from '../support/scim.ts';

const pbkdf2Async = promisify(pbkdf2);

describe('webhooks: the sender thread answers in batches', () => {
  test('a receiver that has not answered holds back no other result, and its own arrives once it answers', async () => {
    let release: (() => void) | null = null;
    const server = createServer((req, res) => {
      if (req.url === '/slow') release = () => res.end('late');
      else res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sender = createThreadSender({ allowHosts: ['127.0.0.1'], timeoutMs: 60_000 });
    try {
      let slowDone = false;
      // Sent in the same turn: they cross to the thread as one message.
      const slow = sender.send(`${base}/slow`, '{}', {}).then((r) => ((slowDone = true), r));
      const fast = await Promise.all([sender.send(`${base}/a`, '{}', {}), sender.send(`${base}/b`, '{}', {})]);
      assert.deepEqual(fast.map((r) => r.status), [200, 200]);
      assert.equal(slowDone, false, 'the fast results came back while the slow POST was still out');
      await waitFor(() => release !== null);
      release!();
      assert.equal((await slow).status, 200);
    } finally {
      sender.close();
      server.closeAllConnections();
      server.close();
    }
  });

  test('a POST the thread cannot even start is answered as a failed send, and the thread goes on with the rest of its batch', async () => {
    const { base, hits, sender, closeServer } = await countingReceiverAndSender();
    try {
      // A header value with a line break makes node:http throw inside send(): its promise rejects instead of answering.
      const [bad, good] = await Promise.all([sender.send(`${base}/bad`, '{}', { 'x-bad': 'a\nb' }), sender.send(`${base}/good`, '{}', {})]);
      assert.equal(bad.status, null);
      assert.match(bad.error ?? '', /^webhook send failed: /, 'the rejection became this POST\'s result, not the death of the thread');
      assert.equal(good.status, 200);
      assert.equal((await sender.send(`${base}/after`, '{}', {})).status, 200);
      assert.equal(hits(), 2);
    } finally {
      sender.close();
      closeServer();
    }
  });

  test('a send queued in the turn the sender closes fails as stopping and reaches no receiver', async () => {
    const { base, hits, sender, closeServer } = await countingReceiverAndSender();
    try {
      const queued = sender.send(`${base}/late`, '{}', {});
      sender.close(); // same turn: the batch has not crossed to a thread yet
      const r = await queued;
      assert.equal(r.status, null);
      assert.match(r.error ?? '', /stopping/);
      assert.equal((await sender.send(`${base}/after`, '{}', {})).error, 'the deliverer is stopping');
      await new Promise((res) => setTimeout(res, 100));
      assert.equal(hits(), 0, 'nothing was POSTed after close');
    } finally {
      closeServer();
    }
  });

  // An instance that serves only logins never delivers a webhook, so it must not hold the sender's thread (~7.5 MiB
  // resident, decisions 0054 and 0067): the thread starts with the first send. Counted in /proc (Linux).
  test('the thread starts with the first send, not when the sender is created', { skip: !existsSync('/proc/self/task') }, async () => {
    const threads = () => readdirSync('/proc/self/task').length;
    await pbkdf2Async('warm', 'the libuv pool', 1, 32, 'sha256'); // its threads start on first use: started here, they do not count below
    // The earlier tests' sender threads end asynchronously: count from a settled process (the same count 5 times running).
    let before = threads();
    for (let same = 0; same < 5; ) {
      await new Promise((r) => setTimeout(r, 20));
      const now = threads();
      same = now === before ? same + 1 : 0;
      before = now;
    }
    const { base, hits, sender, closeServer } = await countingReceiverAndSender();
    try {
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(threads() <= before, 'no thread while nothing was sent');
      assert.equal((await sender.send(`${base}/first`, '{}', {})).status, 200);
      assert.equal(hits(), 1);
      assert.ok(threads() > before, 'the first send started the thread');
      sender.close();
      await waitFor(() => threads() <= before);
    } finally {
      sender.close();
      closeServer();
    }
  });
});

/** A receiver on 127.0.0.1 that answers 200 and counts the POSTs it gets, and a thread sender allowed to reach it. */
async function countingReceiverAndSender() {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    sender: createThreadSender({ allowHosts: ['127.0.0.1'], timeoutMs: 60_000 }),
    closeServer() {
      server.closeAllConnections();
      server.close();
    },
  };
}
