/**
 * Webhooks across instances when one dies: instance A claims events and is `kill -9`ed while its POSTs
 * hang at the receiver; after A's lease runs out, instance B delivers every one of them, each
 * acknowledged exactly once (the event id is stable, so a receiver can also drop a repeat).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster, type Instance } from './support/cluster.ts';
import { createDirectory, scim, startReceiver, waitFor, type Receiver } from './support/flows.ts';

const LEASE_MS = 3000;

describe('a killed instance\'s claimed events go to another instance after the lease', () => {
  let cluster: Cluster | null;
  let rx: Receiver;
  let phase: 'hang' | 'ok' = 'hang';

  before(async () => {
    rx = await startReceiver(() => (phase === 'hang' ? 'hang' : { status: 200 }));
    cluster = await startCluster(['a'], { env: { DSYNC_DELIVERER_LEASE_MS: String(LEASE_MS), OUTBOUND_TIMEOUT_MS: '60000', LOG_LEVEL: 'debug' } });
  });
  after(async () => {
    await cluster?.close();
    await rx?.close();
  });

  test('kill -9 during delivery → B redelivers after the lease, exactly once each', async (t) => {
    if (!cluster) return t.skip('PostgreSQL unreachable');
    const a = cluster.instances[0]!;
    const dir = await createDirectory(a.url, { webhook_url: rx.url, webhook_secret: 'whsec_takeover_0123456789' });
    const created = await Promise.all(Array.from({ length: 6 }, async (_, i) => (await scim(a.url, dir, 'POST', '/Users', { userName: `k${i}@acme.com` })).status));
    assert.deepEqual(created, [201, 201, 201, 201, 201, 201], 'acknowledged SCIM changes');
    // A claimed what was due and its POSTs now hang at the receiver (its next claim waits for this round).
    await waitFor(() => rx.arrivals.length > 0, 10_000, 'A posted events');
    await new Promise((r) => setTimeout(r, 300));
    const held = new Set(rx.arrivals.map((x) => x.id));
    const claimedAt = Date.now();
    a.kill('SIGKILL');
    assert.equal(await a.exited, null, 'killed by a signal');
    rx.dropHeld();
    phase = 'ok';
    assert.equal(rx.acked.length, 0, 'nothing was acknowledged before the kill');

    const b: Instance = await cluster.start('b', { DSYNC_DELIVERER_LEASE_MS: String(LEASE_MS) });
    await waitFor(() => rx.acked.length >= 6, LEASE_MS + 15_000, 'B delivered the six events');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(rx.acked.length, 6);
    assert.equal(new Set(rx.acked).size, 6, 'each event acknowledged exactly once');
    const ackedAt = (id: string) => rx.arrivals.filter((x) => x.id === id).at(-1)!.at - claimedAt;
    for (const id of held) assert.ok(ackedAt(id) >= LEASE_MS - 1000, `an event A had claimed waits for A's lease to run out (${ackedAt(id)} ms)`);
    t.diagnostic(`${held.size} event(s) held by A were redelivered by B ${[...held].map(ackedAt).join(', ')} ms after the kill (lease ${LEASE_MS} ms)`);
    // The attempts B recorded are visible to everyone; A's never made it to the database.
    const events = (await fetch(`${b.url}/api/v1/dsync/events?directoryId=${dir.id}`, { headers: { authorization: `Api-Key ${cluster.env.API_KEYS}` } }).then((r) => r.json())) as { data: { status: string; attempts: number }[]; counts: Record<string, number> };
    assert.equal(events.counts.delivered, 6);
    assert.ok(events.data.every((e) => e.status === 'delivered'));
  });
});
