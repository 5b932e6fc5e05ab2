/**
 * Deploys on a shared PostgreSQL: `gatehouse migrate` runs the migrations ahead of a deploy (and the
 * instances then find nothing to do); an expanding migration applied while an instance serves traffic
 * costs no request; and an instance of the previous release boots and serves on a database that a
 * newer release has already migrated (expand/contract: old code never meets a schema it cannot use).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { createTestIdp } from '../support/saml-idp.ts';
import { startCluster, type Cluster } from './support/cluster.ts';
import { api, createDirectory, createSamlConnection, fullLogin, scim } from './support/flows.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cliMigrate(databaseUrl: string) {
  const r = spawnSync(process.execPath, ['bin/gatehouse.mjs', 'migrate'], { cwd: ROOT, env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: databaseUrl, ENCRYPTION_KEY: randomBytes(32).toString('hex') }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function sql(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

/** What a newer release's expanding migration does: new nullable columns, a new table, an index built without blocking writes. */
const EXPAND = [
  `ALTER TABLE directory_users ADD COLUMN next_release_note text NULL`,
  `ALTER TABLE oauth_codes ADD COLUMN next_release_flag integer NULL`,
  `ALTER TABLE login_flows ADD COLUMN next_release_hint text NULL`,
  `CREATE TABLE next_release_things (id varchar(191) PRIMARY KEY, created_at bigint NOT NULL)`,
  `CREATE INDEX CONCURRENTLY next_release_users_display ON directory_users (directory_id, display_name)`,
  `INSERT INTO gatehouse_migrations (name, timestamp) VALUES ('900_next_release_expand', '${new Date().toISOString()}')`,
];

describe('migrations and rolling deploys on PostgreSQL', () => {
  const clusters: Cluster[] = [];
  const dbs: TestDatabase[] = [];
  after(async () => {
    for (const c of clusters) await c.close();
    for (const d of dbs) await d.drop();
  });

  test('`gatehouse migrate` ahead of a deploy; instances then start with nothing to apply', async (t) => {
    const db = await createTestDatabase('postgres');
    if (!db) return t.skip('PostgreSQL unreachable');
    const first = cliMigrate(db.url);
    assert.equal(first.status, 0, first.out);
    assert.match(first.out, /^Applied: 001_sso_backbone, 002_directory_sync/m);
    const again = cliMigrate(db.url);
    assert.equal(again.status, 0, again.out);
    assert.match(again.out, /Database is up to date\./);
    const cluster = (await startCluster(['a', 'b'], { db }))!;
    clusters.push(cluster);
    for (const i of cluster.instances) {
      const ready = i.logs().find((l) => String(l.msg).startsWith('Gatehouse is ready'));
      assert.deepEqual(ready?.migrations, [], `${i.name} applied nothing`);
    }
  });

  test('an expanding migration applied under traffic: every request succeeds; the old release keeps serving, and restarts fine', async (t) => {
    const cluster = await startCluster(['old-1']);
    if (!cluster) return t.skip('PostgreSQL unreachable');
    clusters.push(cluster);
    const [old] = cluster.instances as [typeof cluster.instances[0]];
    const idp = await createTestIdp();
    const client = await createSamlConnection(old.url, idp);
    const dir = await createDirectory(old.url);

    let stop = false;
    const failures: string[] = [];
    let done = 0;
    const traffic = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          const created = await scim(old.url, dir, 'POST', '/Users', { userName: `live${i}@acme.com` });
          if (created.status !== 201) failures.push(`create ${created.status} ${created.text.slice(0, 200)}`);
          const got = await scim(old.url, dir, 'GET', `/Users/${created.json().id}`);
          if (got.status !== 200) failures.push(`get ${got.status}`);
          if (i % 5 === 0) await fullLogin(idp, client, `live${i}@acme.com`, old.url);
          done++;
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    })();
    // Counted, not timed: on a loaded machine a round can take longer than any fixed wait.
    const roundsReach = async (n: number) => { while (done < n && failures.length === 0) await new Promise((r) => setTimeout(r, 20)); };
    await roundsReach(2);
    const before = done;
    for (const stmt of EXPAND) await sql(cluster.db.url, stmt);
    const duringAndBefore = done;
    await roundsReach(duringAndBefore + 3);
    stop = true;
    await traffic;
    assert.deepEqual(failures, []);
    assert.ok(before >= 2 && done >= duringAndBefore + 3, `traffic ran before (${before} rounds) and after (${done - duringAndBefore}) the migration`);

    // The old release (this code, which does not know 900_next_release_expand) restarts on the newer schema.
    const restarted = await cluster.start('old-2');
    const ready = restarted.logs().find((l) => String(l.msg).startsWith('Gatehouse is ready'));
    assert.deepEqual(ready?.migrations, []);
    await fullLogin(idp, client, 'after@acme.com', restarted.url);
    assert.equal((await scim(restarted.url, dir, 'POST', '/Users', { userName: 'after@acme.com' })).status, 201);
    assert.equal((await api(restarted.url, 'GET', '/api/v1/dsync?tenant=acme.com&product=crm')).status, 200);
    const recorded = await sql(cluster.db.url, `SELECT name FROM gatehouse_migrations ORDER BY name`);
    assert.equal(recorded.rows.at(-1).name, '900_next_release_expand', 'the newer migration stays recorded');
  });
});
