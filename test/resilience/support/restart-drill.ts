/**
 * Database server restart drills (issue 18, decision 0037), the same for PostgreSQL and MariaDB: two instances
 * (the server bundle) on a private server of the test's own (test/support/private-db-server.ts), so the shared
 * servers other test files use are never touched.
 *
 * 1. Held delivery: the receiver holds an event's POST, the server is shut down, the receiver answers 200 while
 *    it is down, and the server comes back before the lease ends. The deliverer keeps the outcome and records it
 *    once the server is back: the event is marked delivered with one attempt, and no instance sends it again
 *    after the lease (before decision 0037, one did).
 * 2. Under load: SCIM creates and PATCHes through both instances; the server is restarted mid-run. Every
 *    acknowledged change is there afterwards with its event, answers are 2xx or 503 (never another 5xx), and
 *    every event that reached the receiver reached it once (counted by event id).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPrivateServer, type PrivateServer } from '../../support/private-db-server.ts';
import { startCluster, CLUSTER_API_KEY, type Cluster, type Instance } from './cluster.ts';
import { createDirectory, PATCH_OP, scim, startReceiver, waitFor, type Directory, type Receiver } from './flows.ts';

/** Short enough that a resend after the lease would show within the test, long enough for a restart. */
const LEASE_MS = 9000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ApiEvent {
  id: string;
  status: string;
  attempts: number;
  deliveries: { status: number | null }[];
}

async function eventOf(inst: Instance, id: string): Promise<ApiEvent | null> {
  const res = await fetch(`${inst.url}/api/v1/dsync/events/${id}`, { headers: { authorization: `Api-Key ${CLUSTER_API_KEY}` } });
  return res.status === 200 ? ((await res.json()) as { data: ApiEvent }).data : null;
}

const logged = (cluster: Cluster, msg: string) => cluster.instances.flatMap((i) => i.logs()).filter((l) => typeof l.msg === 'string' && l.msg.startsWith(msg));

export function describeRestartDrills(dialect: 'postgres' | 'mysql', name: string): void {
  describe(`${name} server restarted under two instances: no acknowledged change lost, no webhook sent twice`, { timeout: 85_000 }, () => {
    let server: PrivateServer | null;
    let cluster: Cluster | null = null;
    const receivers: Receiver[] = [];

    before(async () => {
      server = await startPrivateServer(dialect);
      if (!server) return;
      cluster = await startCluster(['a', 'b'], { db: server.db, env: { DSYNC_DELIVERER_LEASE_MS: String(LEASE_MS), LOG_LEVEL: 'info' } });
    });
    after(async () => {
      await cluster?.close(); // drops the database: destroys the private server
      if (!cluster) await server?.db.drop();
      await Promise.all(receivers.map((r) => r.close()));
    });

    test('an answer that arrives while the server is down is recorded once it is back, and the event is not sent again', async (t) => {
      if (!server || !cluster) return t.skip(`${name} server binaries missing`);
      const [a] = cluster.instances as [Instance, Instance];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let n = 0;
      const rx = await startReceiver(() => (++n === 1 ? { status: 200, until: gate } : { status: 200 }));
      receivers.push(rx);
      const dir = await createDirectory(a.url, { webhook_url: rx.url, webhook_secret: 'whsec_restart_0123456789' });
      assert.equal((await scim(a.url, dir, 'POST', '/Users', { userName: 'held@acme.com' })).status, 201);
      await waitFor(() => rx.arrivals.length === 1, 10_000, 'the event reached the receiver');
      const id = rx.arrivals[0]!.id;
      const claimedBefore = Date.now(); // the claim (and its lease) started before this

      await server.stop();
      try {
        release(); // the receiver answers 200 while the database is down: the deliverer cannot record it
        await waitFor(() => rx.acked.length === 1, 5000, 'the receiver acknowledged the event');
        await sleep(1500); // down a while longer: the write keeps failing, the outcome is kept
      } finally {
        await server.start();
      }
      const backAt = Date.now();

      await waitFor(async () => (await eventOf(a, id))?.status === 'delivered', LEASE_MS, 'the outcome was recorded once the server was back');
      const recordedAfterMs = Date.now() - backAt;
      // A resend would come when the lease ends: wait well past it.
      await sleep(Math.max(0, claimedBefore + LEASE_MS + 2500 - Date.now()));
      const event = (await eventOf(a, id))!;
      t.diagnostic(`server down ${backAt - claimedBefore} ms; outcome recorded ${recordedAfterMs} ms after it was back; arrivals of the event: ${rx.arrivals.length}`);
      assert.equal(rx.arrivals.filter((x) => x.id === id).length, 1, 'sent once');
      assert.equal(rx.ackedCount(id), 1, 'acknowledged once');
      assert.deepEqual([event.status, event.attempts, event.deliveries.length, event.deliveries[0]?.status], ['delivered', 1, 1, 200], 'one attempt, recorded as delivered');
      assert.ok(logged(cluster, 'recording webhook outcomes failed').length >= 1, 'the deliverer saw its write fail');
      assert.ok(logged(cluster, 'webhook outcomes recorded once the database was back').length >= 1, 'the kept outcome was recorded by the instance that sent it');
      assert.equal(logged(cluster, 'webhook outcomes recorded after the lease ended').length, 0);
    });

    test('SCIM writes through both instances while the server restarts: every acknowledged change kept, every event delivered exactly once', async (t) => {
      if (!server || !cluster) return t.skip(`${name} server binaries missing`);
      const instances = cluster.instances;
      // A slow receiver keeps deliveries in flight, so rounds are mid-send when the server goes away.
      const rx = await startReceiver(() => ({ status: 200, delayMs: 100 }));
      receivers.push(rx);
      const dir: Directory = await createDirectory(instances[0]!.url, { webhook_url: rx.url, webhook_secret: 'whsec_restart_0123456789' });
      const created = new Map<string, string>(); // acknowledged creates: user id → userName
      const patched = new Map<string, string>(); // acknowledged PATCHes: user id → familyName
      const answers = new Map<string, number>();
      const count = (k: string) => answers.set(k, (answers.get(k) ?? 0) + 1);
      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const [one, other] = [instances[(w + i) % 2]!, instances[(w + i + 1) % 2]!];
          try {
            const userName = `d${w}-${i}@acme.com`;
            const c = await scim(one.url, dir, 'POST', '/Users', { userName, name: { givenName: 'D', familyName: 'Created' } });
            count(`create ${c.status}`);
            if (c.status === 201) {
              const id = c.json<{ id: string }>().id;
              created.set(id, userName);
              const familyName = `Patched-${w}-${i}`;
              const p = await scim(other.url, dir, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { 'name.familyName': familyName } }] });
              count(`patch ${p.status}`);
              if (p.status === 200 || p.status === 204) patched.set(id, familyName);
            }
          } catch (err) {
            count(`transport ${(err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message.slice(0, 60)}`);
          }
          await sleep(40);
        }
      };
      const workers = Array.from({ length: 6 }, (_, w) => worker(w));
      await sleep(2500);
      const stopAt = Date.now();
      await server.stop();
      try {
        await sleep(800);
      } finally {
        await server.start();
      }
      const backAt = Date.now();
      await sleep(2500);
      stop = true;
      await Promise.all(workers);

      // Every acknowledged change is there, read through each instance in turn.
      const lost: string[] = [];
      let k = 0;
      for (const [id, userName] of created) {
        const r = await scim(instances[k++ % 2]!.url, dir, 'GET', `/Users/${id}`);
        const body = r.status === 200 ? r.json<{ userName: string; name?: { familyName?: string } }>() : null;
        if (body?.userName !== userName) lost.push(`create of ${userName} (${r.status})`);
        else if (patched.has(id) && body.name?.familyName !== patched.get(id)) lost.push(`PATCH of ${userName}: ${body.name?.familyName}`);
      }
      // Every acknowledged change's event arrives; then wait past the lease of any claim made before the restart.
      const arrived = (id: string, type: string) => rx.events.some((e) => e.resourceId === id && e.event === type);
      const missing = () => [...created.keys()].filter((id) => !arrived(id, 'user.created')).length + [...patched.keys()].filter((id) => !arrived(id, 'user.updated')).length;
      await waitFor(() => missing() === 0, 30_000, `every acknowledged change's event arrived (${missing()} missing)`, 100);
      await sleep(Math.max(0, backAt + LEASE_MS + 2000 - Date.now()));

      const perId = new Map<string, number>();
      for (const x of rx.arrivals) perId.set(x.id, (perId.get(x.id) ?? 0) + 1);
      const twice = [...perId].filter(([, c]) => c > 1);
      const kept = logged(cluster, 'webhook outcomes recorded once the database was back').length;
      t.diagnostic(`answers ${JSON.stringify(Object.fromEntries(answers))}; acknowledged ${created.size} creates and ${patched.size} PATCHes; ${perId.size} distinct events received, ${twice.length} more than once; server down ${backAt - stopAt} ms; ${kept} round(s) recorded outcomes kept through the restart`);
      assert.deepEqual(lost, [], 'no acknowledged change lost');
      assert.deepEqual([...answers.keys()].filter((a) => !/^(create (201|503)|patch (204|200|503))$/.test(a)), [], 'only successes and 503s while the server restarts');
      assert.ok(created.size > 20, `the load ran (${created.size} creates acknowledged)`);
      assert.deepEqual(twice, [], 'no event sent twice');
      assert.equal(rx.acked.length, new Set(rx.acked).size, 'no event acknowledged twice');
      assert.equal(logged(cluster, 'webhook outcomes recorded after the lease ended').length, 0);
      for (const i of instances) assert.equal(i.child.exitCode, null, `${i.name} is alive`);
    });
  });
}
