/**
 * The SCIM phases of bench/scim.ts, for any SCIM server behind a `Send` (Gatehouse in-process or over HTTP, SAML
 * Jackson's directory-sync handler in bench/jackson/): n POST /Users, n GET /Users?filter=userName eq, n PATCH
 * deactivate (Okta's path-less replace), g POST /Groups, g PATCH /Groups/{id} adding 40 members; each timed from
 * its first request to its last answer, with the CPU of the server (or of this process, in-process) per request.
 */
import { cpuBetween, cpuSnapshot, waitForQuiet, type ServerPids } from './cpu.ts';
import type { Res, Send } from './scim-harness.ts';

export interface PhaseResult {
  name: string;
  n: number;
  seconds: number;
  latencies: number[];
  /** Server CPU (user + system, all threads) per request during the phase, µs; in-process, this whole process's. */
  serverCpuUs: number;
  /** PostgreSQL server CPU per request, µs (0 on SQLite). */
  postgresCpuUs: number;
  /** Cores busy with other processes (not the server, PostgreSQL or this client) during the phase. */
  otherCores: number;
  /** Answers that were not the expected status (the phase goes on when `tolerate` is set, else it throws). */
  failures: number;
  /** Write phases: seconds from the phase's last answer to the last webhook it caused. */
  drainS?: number;
}

/** Where a phase's CPU is read: the server process(es), or this process when `serverPid` is null. */
export interface Meter {
  serverPid: ServerPids;
  /** Each measured phase first waits up to this long for other processes to use < 0.25 cores. */
  quietWaitMs: number;
  postgresDatabase?: string;
}

/** Runs `n` requests with `concurrency` in flight; each must answer `expect` (or counts as a failure with `tolerate`). */
export async function phase(m: Meter, name: string, n: number, concurrency: number, expect: number, send: (i: number) => Promise<Res>, tolerate = false): Promise<PhaseResult> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  if (name !== 'warm-up') await waitForQuiet(m.serverPid, m.quietWaitMs);
  const cpu0 = cpuSnapshot(m.serverPid, m.postgresDatabase);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        const r = await send(i);
        latencies.push(performance.now() - t);
        if (r.status === expect) continue;
        if (!tolerate) throw new Error(`${name} #${i}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
        failures++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const spent = cpuBetween(cpu0, cpuSnapshot(m.serverPid, m.postgresDatabase));
  return { name, n, seconds, latencies, failures, serverCpuUs: ((m.serverPid !== null ? spent.serverMs : spent.selfMs) * 1000) / n, postgresCpuUs: (spent.postgresMs * 1000) / n, otherCores: spent.otherCores };
}

/** Okta's create body. */
export const scimUser = (i: number, domain = 'bench.test') => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `user${i}@${domain}`, externalId: `ext-${i}`, active: true, displayName: `User ${i}`,
  name: { givenName: 'User', familyName: `N${i}` }, emails: [{ primary: true, value: `user${i}@${domain}`, type: 'work' }], locale: 'en-US',
});

/** The status each phase answers with: Gatehouse answers a PATCH with 204, SAML Jackson with 200. */
export interface ScimStatuses {
  patchUser: number;
  patchGroup: number;
}
export const GATEHOUSE_STATUSES: ScimStatuses = { patchUser: 204, patchGroup: 204 };

export const PHASE = {
  createUsers: (n: number) => `POST /Users (${n} users)`,
  getFilter: 'GET /Users?filter=userName eq "…"',
  deactivate: 'PATCH /Users/{id} deactivate',
  createGroups: (n: number) => `POST /Groups (${n} groups)`,
  patchGroups: 'PATCH /Groups/{id} adding 40 members',
} as const;

/**
 * The five phases on one directory (`path`, `auth`). `afterWrite(events, result)` is called after each write
 * phase with the number of webhook events it caused (to wait for them); the results come back in order.
 */
export async function directoryPhases(opts: {
  send: Send; path: string; auth: Record<string, string>; users: number; groups: number; concurrency: number; meter: Meter;
  statuses?: ScimStatuses; tolerate?: boolean; afterWrite?: (events: number, r: PhaseResult) => Promise<void>;
}): Promise<{ results: PhaseResult[]; userIds: string[] }> {
  const { send: http, path, auth, users: USERS, groups: GROUPS, concurrency: C, meter } = opts;
  const statuses = opts.statuses ?? GATEHOUSE_STATUSES;
  const userIds: string[] = [];
  const groupIds: string[] = [];
  const results: PhaseResult[] = [];
  const write = async (events: number, r: PhaseResult) => {
    await opts.afterWrite?.(events, r);
    results.push(r);
  };
  await write(USERS, await phase(meter, PHASE.createUsers(USERS), USERS, C, 201, async (i) => {
    const r = await http('POST', `${path}/Users`, auth, scimUser(i));
    if (r.status === 201) userIds[i] = JSON.parse(r.body).id;
    return r;
  }, opts.tolerate));
  results.push(await phase(meter, PHASE.getFilter, USERS, C, 200, (i) => http('GET', `${path}/Users?filter=${encodeURIComponent(`userName eq "user${(i * 7919) % USERS}@bench.test"`)}`, auth), opts.tolerate));
  await write(USERS, await phase(meter, PHASE.deactivate, USERS, C, statuses.patchUser, (i) => http('PATCH', `${path}/Users/${userIds[i]}`, auth, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] }), opts.tolerate));
  await write(GROUPS, await phase(meter, PHASE.createGroups(GROUPS), GROUPS, C, 201, async (i) => {
    const r = await http('POST', `${path}/Groups`, auth, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Group ${i}`, members: [] });
    if (r.status === 201) groupIds[i] = JSON.parse(r.body).id;
    return r;
  }, opts.tolerate));
  await write(GROUPS * 40, await phase(meter, PHASE.patchGroups, GROUPS, C, statuses.patchGroup, (i) =>
    http('PATCH', `${path}/Groups/${groupIds[i]}`, auth, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: Array.from({ length: 40 }, (_, k) => ({ value: userIds[(i * 40 + k) % USERS] })) }] }),
  opts.tolerate));
  return { results, userIds };
}
