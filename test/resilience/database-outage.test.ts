/**
 * The database drops every connection under load — what a restart or failover does to the clients
 * ("terminating connection due to administrator command", 57P01 on PostgreSQL; KILL on MariaDB/MySQL),
 * done here to this test's own database only, so other test files are not disturbed. The instance
 * must not crash (a checked-out client's 'error' event once killed the process), must answer 503 —
 * never 500, never a dropped connection — while it happens, and must recover by itself; every
 * acknowledged SCIM create is there afterwards. (test/resilience/faults.ts restarts the real server.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { createTestIdp, type TestIdp } from '../support/saml-idp.ts';
import { startCluster, type Cluster, type Instance } from './support/cluster.ts';
import { createDirectory, createSamlConnection, fullLogin, scim, type Client, type Directory } from './support/flows.ts';

/** Ends every connection of this test's database but the caller's; returns how many. */
async function dropConnections(dialect: 'postgres' | 'mysql', url: string): Promise<number> {
  if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const res = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      return res.rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }
  const admin = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await admin.query(`SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()`);
    for (const r of rows as { id: number }[]) await admin.query(`KILL ${Number(r.id)}`).catch(() => {});
    return (rows as unknown[]).length;
  } finally {
    await admin.end();
  }
}

for (const dialect of ['postgres', 'mysql'] as const) describe(`every ${dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB/MySQL'} connection dropped under load`, () => {
  let cluster: Cluster | null;
  let a: Instance;
  let idp: TestIdp;
  let client: Client;
  let dir: Directory;
  before(async () => {
    [cluster, idp] = await Promise.all([startCluster(['a'], { dialect, env: { LOG_LEVEL: 'warn' } }), createTestIdp()]);
    if (!cluster) return;
    a = cluster.instances[0]!;
    client = await createSamlConnection(a.url, idp);
    dir = await createDirectory(a.url);
  });
  after(async () => cluster?.close());

  test('no crash, 503 while it happens, recovery without a restart, no acknowledged write lost', async (t) => {
    if (!cluster) return t.skip(`${dialect} unreachable`);
    const outcomes = new Map<string, number>();
    const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    const acknowledged: string[] = [];
    let phase: 'load' | 'after' = 'load';
    const afterOutcomes: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          if (i % 4 === 3) {
            await fullLogin(idp, client, `w${w}-${i}@acme.com`, a.url);
            count('login ok');
            if (phase === 'after') afterOutcomes.push('ok');
          } else {
            const r = await scim(a.url, dir, 'POST', '/Users', { userName: `w${w}-${i}@acme.com` });
            count(`scim ${r.status}`);
            if (r.status === 201) acknowledged.push(r.json().id);
            if (phase === 'after') afterOutcomes.push(String(r.status));
          }
        } catch (err) {
          const m = /^(\w+): (\d{3})/.exec((err as Error).message);
          count(m ? `login ${m[1]} ${m[2]}` : `error ${(err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message.slice(0, 80)}`);
          if (phase === 'after') afterOutcomes.push('failed');
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, 400));
    let terminated = 0;
    for (let k = 0; k < 6; k++) {
      terminated += await dropConnections(dialect, cluster.db.url);
      await new Promise((r) => setTimeout(r, 150));
    }
    await new Promise((r) => setTimeout(r, 300));
    phase = 'after';
    await new Promise((r) => setTimeout(r, 1200));
    stop = true;
    await Promise.all(workers);
    t.diagnostic(`${terminated} connections terminated; outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);

    assert.equal(a.child.exitCode, null, `the instance is alive:\n${a.output().slice(-2000)}`);
    assert.ok(terminated >= 2, 'connections were dropped');
    const bad = [...outcomes.keys()].filter((k) => !/^(scim (201|503)|login ok|login \w+ 503)$/.test(k));
    assert.deepEqual(bad, [], 'only successes and 503s');
    assert.ok(afterOutcomes.length > 5 && afterOutcomes.every((o) => o === 'ok' || o === '201'), `recovered without a restart: ${afterOutcomes.join(',')}`);
    for (const id of acknowledged) assert.equal((await scim(a.url, dir, 'GET', `/Users/${id}`)).status, 200, `acknowledged user ${id} exists`);
    const ready = await fetch(`${a.url}/api/ready`);
    assert.equal(ready.status, 200);
  });
});
