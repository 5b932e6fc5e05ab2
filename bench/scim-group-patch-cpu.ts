/**
 * What a group PATCH adding 40 members costs, its 40 webhook deliveries included (decision 0058):
 *
 *   node --import tsx bench/scim-group-patch-cpu.ts [--dialect postgres] [--users 1000] [--groups 300] [--rounds 2] [--concurrency 32]
 *
 * bench/scim.ts times a phase from its first request to its last answer, so the deliverer's CPU for the events
 * still queued at the end (most of them at c=32) is not in its figure, and how much is depends on the machine's
 * other load. Here the server bundle (its own process, webhooks on, receiver on 127.0.0.1) runs `--groups`
 * PATCHes at `--concurrency`, then the CPU is counted on until every one of their events has arrived: Gatehouse's
 * and PostgreSQL's CPU per PATCH, for the requests alone and with the drain (PostgreSQL: its auxiliary processes
 * included, as bench/scim.ts counts them, and the benchmark database's backends alone, which other databases' work
 * on a shared server does not feed). `--rounds` measured rounds, after an
 * unmeasured one (JIT, pools); each round on fresh groups of the same directory.
 */
import { parseArgs } from 'node:util';
import { createTestDatabase } from '../test/support/databases.ts';
import type { DialectName } from '../src/storage/dialect.ts';
import { BENCH_API_KEY } from './support/login-flow.ts';
import { startServerProcess } from './support/server-process.ts';
import { client, startReceiver } from './support/scim-harness.ts';
import { backendsDelta, cpuBetween, cpuSnapshot, postgresBackendsCpu, waitForQuiet } from './support/cpu.ts';
import { phase, scimUser } from './support/scim-phases.ts';
import { loadavg } from 'node:os';

const { values: args } = parseArgs({ options: { dialect: { type: 'string', default: 'postgres' }, users: { type: 'string', default: '1000' }, groups: { type: 'string', default: '300' }, rounds: { type: 'string', default: '2' }, concurrency: { type: 'string', default: '32' } } });
const dialect = args.dialect as DialectName;
const [USERS, GROUPS, ROUNDS, C] = [Number(args.users), Number(args.groups), Number(args.rounds), Number(args.concurrency)];
const MEMBERS = 40;

const db = (await createTestDatabase(dialect)) ?? (() => { throw new Error(`${dialect} unreachable`); })();
const rx = await startReceiver();
const server = await startServerProcess({ databaseUrl: db.url, env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1', DATABASE_POOL_SIZE: '16' } });
const http = client(server.baseUrl, C);
const meter = { serverPid: server.pid, quietWaitMs: 10_000, postgresDatabase: db.url.startsWith('postgres') ? new URL(db.url).pathname.slice(1) : undefined };
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
try {
  const created = await http('POST', '/api/v1/dsync', { authorization: `Api-Key ${BENCH_API_KEY}`, 'content-type': 'application/json' }, { tenant: 'patch.test', product: 'crm', type: 'okta-scim-v2', webhook_url: rx.url, webhook_secret: 'bench-webhook-secret' });
  const { path, secret } = JSON.parse(created.body).data.scim as { path: string; secret: string };
  const auth = { authorization: `Bearer ${secret}` };
  const userIds: string[] = [];
  await phase(meter, 'warm-up', USERS, C, 201, async (i) => {
    const r = await http('POST', `${path}/Users`, auth, scimUser(i));
    userIds[i] = JSON.parse(r.body).id;
    return r;
  });
  let expected = USERS;
  const drained = async () => {
    const t = Date.now();
    while ((await rx.stats()).distinct < expected) {
      if (Date.now() - t > 300_000) throw new Error('webhooks did not drain within 300 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await drained();
  console.log(`${dialect}, ${USERS} users, ${GROUPS} PATCHes of +${MEMBERS} per round at c=${C}; CPU per PATCH (ms)`);
  console.log('| round | load before | requests: Gatehouse | PostgreSQL | with the drain: Gatehouse | PostgreSQL | its backends alone | PATCH/s | drain s | other cores |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (let round = 0; round <= ROUNDS; round++) {
    const groupIds: string[] = [];
    await phase(meter, 'warm-up', GROUPS, C, 201, async (i) => {
      const r = await http('POST', `${path}/Groups`, auth, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Group ${round}-${i}`, members: [] });
      groupIds[i] = JSON.parse(r.body).id;
      return r;
    });
    expected += GROUPS;
    await drained();
    await waitForQuiet(meter.serverPid, meter.quietWaitMs);
    const before = load();
    const cpu0 = cpuSnapshot(meter.serverPid, meter.postgresDatabase);
    const backends0 = postgresBackendsCpu(meter.postgresDatabase!);
    const r = await phase(meter, 'warm-up', GROUPS, C, 204, (i) => http('PATCH', `${path}/Groups/${groupIds[i]}`, auth, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: Array.from({ length: MEMBERS }, (_, k) => ({ value: userIds[(round * 7 + i * MEMBERS + k) % USERS] })) }],
    }));
    const answered = performance.now();
    expected += GROUPS * MEMBERS;
    await drained();
    const all = cpuBetween(cpu0, cpuSnapshot(meter.serverPid, meter.postgresDatabase));
    const backends = backendsDelta(backends0, postgresBackendsCpu(meter.postgresDatabase!));
    if (round === 0) continue; // JIT and pools
    const per = (ms: number) => (ms / GROUPS).toFixed(2);
    console.log(`| ${round} | ${before} | ${(r.serverCpuUs / 1000).toFixed(2)} | ${(r.postgresCpuUs / 1000).toFixed(2)} | ${per(all.serverMs)} | ${per(all.postgresMs)} | ${per(backends)} | ${(GROUPS / r.seconds).toFixed(0)} | ${((performance.now() - answered) / 1000).toFixed(1)} | ${all.otherCores.toFixed(2)} |`);
  }
  const final = await rx.stats();
  console.log(`Webhooks: ${final.distinct} of ${expected} delivered, ${final.duplicates} more than once. Load after: ${load()}.`);
} finally {
  await server.stop();
  rx.close();
  await db.drop();
}
