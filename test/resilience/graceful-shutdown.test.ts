/**
 * SIGTERM on one of two instances: /api/ready turns 503 at once while the instance keeps serving for
 * SHUTDOWN_DELAY_MS; the request in flight (a connection created from a slow metadata URL) completes;
 * the webhook deliveries in flight are recorded; the instance claims nothing more (the other one
 * delivers what is written meanwhile); the process exits 0, logging how long the drain took.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createTestIdp } from '../support/saml-idp.ts';
import { startCluster, type Cluster } from './support/cluster.ts';
import { api, APP_CALLBACK, call, createDirectory, scim, startReceiver, waitFor, type Receiver } from './support/flows.ts';

const DELAY_MS = 2000;

describe('graceful stop', () => {
  let cluster: Cluster | null;
  let rx: Receiver;
  let metadata: Server;
  let metadataUrl = '';

  before(async () => {
    const idp = await createTestIdp();
    // An IdP metadata URL that takes 2 s to answer: a request that is in flight when SIGTERM arrives.
    metadata = createServer((_req, res) => setTimeout(() => res.writeHead(200, { 'content-type': 'application/xml' }).end(idp.metadataXml({ ssoUrl: 'https://idp.example.test/sso' })), 2000));
    await new Promise<void>((r) => metadata.listen(0, '127.0.0.1', r));
    metadataUrl = `http://127.0.0.1:${(metadata.address() as { port: number }).port}/metadata`;
    rx = await startReceiver(() => ({ status: 200, delayMs: 700 }));
    cluster = await startCluster(['a', 'b'], { env: { SHUTDOWN_DELAY_MS: String(DELAY_MS), LOG_LEVEL: 'debug' } });
  });
  after(async () => {
    await cluster?.close();
    await rx?.close();
    metadata?.close();
  });

  test('SIGTERM: unready first, in-flight work finishes, no claims after, exit 0', async (t) => {
    if (!cluster) return t.skip('PostgreSQL unreachable');
    const [a, b] = cluster.instances as [typeof cluster.instances[0], typeof cluster.instances[0]];
    const dir = await createDirectory(a.url, { webhook_url: rx.url, webhook_secret: 'whsec_drain_0123456789' });
    assert.equal((await call(a.url, 'GET', '/api/ready')).status, 200);

    // In flight at SIGTERM: a slow management call on A, and A's deliveries (the receiver takes 700 ms each).
    const slow = api(a.url, 'POST', '/api/v1/sso', { tenant: 'slow.com', product: 'crm', name: 'Slow IdP', metadataUrl, defaultRedirectUrl: APP_CALLBACK, redirectUrl: [APP_CALLBACK] });
    const before = await Promise.all(Array.from({ length: 3 }, async (_, i) => (await scim(a.url, dir, 'POST', '/Users', { userName: `before${i}@acme.com` })).status));
    assert.deepEqual(before, [201, 201, 201]);
    await waitFor(() => rx.arrivals.length > 0, 5000, 'a delivery in flight');
    const sigtermAt = Date.now();
    a.kill('SIGTERM');

    // Unready at once, but still serving while the load balancer catches up.
    await waitFor(async () => (await call(a.url, 'GET', '/api/ready')).status === 503, 1000, 'A unready');
    const ready = await call(a.url, 'GET', '/api/ready');
    assert.equal(ready.json().status, 'draining');
    assert.ok(Date.now() - sigtermAt < DELAY_MS, 'unready well before the listener closes');
    assert.equal((await call(a.url, 'GET', '/api/health')).status, 200, 'A still answers during the delay');
    assert.equal((await call(b.url, 'GET', '/api/ready')).status, 200, 'B is unaffected');

    // Written after SIGTERM: only B may deliver these.
    const afterIds = await Promise.all(Array.from({ length: 4 }, async (_, i) => (await scim(b.url, dir, 'POST', '/Users', { userName: `after${i}@acme.com` })).json().id as string));

    const created = await slow;
    assert.equal(created.status, 200, `the in-flight request completed: ${created.text.slice(0, 200)}`); // Jackson's status for POST /api/v1/sso (was 201 before issue 13)
    assert.equal(await a.exited, 0, `A exited cleanly:\n${a.output().split('\n').filter((l) => !l.includes('"msg":"request"')).slice(-15).join('\n')}`);
    const exitMs = Date.now() - sigtermAt;
    assert.ok(exitMs >= DELAY_MS, `A kept serving for SHUTDOWN_DELAY_MS (${exitMs} ms)`);

    await waitFor(() => rx.acked.length >= 7, 15_000, 'all seven events delivered');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(rx.acked.length, 7);
    assert.equal(new Set(rx.acked).size, 7, 'exactly once each');
    const counts = (await api(b.url, 'GET', `/api/v1/dsync/events?directoryId=${dir.id}`)).json().counts;
    assert.deepEqual(counts, { delivered: 7 }, 'nothing left leased by A');

    const logs = a.logs();
    const attemptsAfter = logs.filter((l) => l.msg === 'webhook attempt' && typeof l.time === 'number' && l.time > sigtermAt + 50);
    const afterEventsByA = logs.filter((l) => l.msg === 'webhook attempt' && afterIds.some((id) => JSON.stringify(l).includes(id)));
    assert.equal(afterEventsByA.length, 0, 'A never delivered an event written after SIGTERM');
    t.diagnostic(`A finished ${attemptsAfter.length} in-flight deliveries after SIGTERM and exited after ${exitMs} ms`);
    const draining = logs.findIndex((l) => String(l.msg).startsWith('draining'));
    const stopped = logs.findIndex((l) => l.msg === 'stopped');
    assert.ok(draining >= 0 && stopped > draining, 'logs "draining" then "stopped"');
    assert.ok((await api(b.url, 'GET', '/api/v1/sso?tenant=slow.com&product=crm')).json().length === 1, 'the connection created during the drain exists');
  });
});
