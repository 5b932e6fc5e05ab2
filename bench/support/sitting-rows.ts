/**
 * What a sitting measured (bench/sitting.ts), turned into the rows of issue 18's and issue 19's tables. The targets
 * are here, in one place, each with where it comes from; a target we could not source is null ("—").
 */
import type { RunResult } from './login-flow.ts';
import type { MeasuredRun } from './login-deployments.ts';
import type { DirectoryBenchResult, FirstSyncResult } from './scim-runs.ts';
import type { PhaseResult } from './scim-phases.ts';
import { PHASE } from './scim-phases.ts';
import type { SequentialRounds } from './scim-sequential-rounds.ts';
import { meanOf } from './scim-sequential-rounds.ts';
import type { ColdStarts, Memory } from './startup-runs.ts';
import type { JacksonMemory } from '../jackson/index.ts';
import { median, percentile } from './stats.ts';
import type { Figure, SittingRow } from './sitting-table.ts';
import type { LoginStatements } from './login-statements.ts';

export interface SittingResults {
  jackson: {
    seq?: RunResult;
    c16?: RunResult;
    mem16?: RunResult;
    scim?: { results: PhaseResult[]; webhookPosts: number; expectedEvents: number };
    start?: { restart: number[]; firstBoot: number[] };
    rss?: JacksonMemory;
  };
  gatehouse: {
    seq?: MeasuredRun;
    http16?: MeasuredRun;
    pg16?: MeasuredRun;
    /** PostgreSQL statements per login, counted against the request in flight (support/login-statements.ts). */
    pgLoginStatements?: LoginStatements;
    scimSeq?: DirectoryBenchResult;
    scimPg?: DirectoryBenchResult;
    firstSyncSqlite?: FirstSyncResult;
    firstSyncPg?: FirstSyncResult;
    /** The same first syncs with the lean raw-socket client (bench/support/scim-raw-client.ts). */
    firstSyncSqliteRaw?: FirstSyncResult;
    firstSyncPgRaw?: FirstSyncResult;
    rounds?: SequentialRounds;
    start?: ColdStarts;
    rss?: Memory;
  };
}

/** The targets, from the issues as docs/benchmarks.md and decisions 0036–0039 quote them. */
export const TARGETS = {
  /** Issue 18, target 1: SQLite over HTTP at c=16, ten times Jackson's sequential SQLite rate (601/s against 60.1/s). */
  loginsSqliteC16TimesJacksonSeq: 10,
  /** Issue 18, target 2: PostgreSQL at least 0.8× SQLite (HTTP, c=16), and about 4 round trips per login. */
  postgresTimesSqlite: 0.8,
  statementsPerLoginPostgres: 4,
  /** Issue 18, target 3. */
  cpuMsPerLogin: 2.2,
  /** Issue 18, target 4: a restart is ready in under 300 ms, and peak RSS per process stays under 120 MB. */
  coldStartMs: 300,
  peakRssMiB: 120,
  /** Issue 18, target 4: SCIM on PostgreSQL with webhooks on, creates and group PATCHes (+40 members) per second. */
  pgCreatesPerSecond: 2_000,
  groupPatchesPerSecond: 300,
  /** Issue 19: in-process sequential rates, HTTP p50s, the first sync, c=1 against c=32. */
  seqGetsPerSecond: 12_000,
  seqCreatesPerSecond: 3_000,
  httpGetP50Ms: 1,
  httpCreateP50Ms: 2,
  firstSyncSqliteS: 15,
  firstSyncPostgresS: 30,
  cpuC1OverC32: 1.3,
} as const;

const rate = (p: PhaseResult | undefined): Figure | null => (p ? { value: (p.n - p.failures) / p.seconds, failures: p.failures || undefined } : null);
const loginRate = (r: RunResult | undefined, note?: string): Figure | null => (r ? { value: r.loginsPerSecond, failures: r.failures || undefined, note } : null);
const find = (rs: PhaseResult[] | undefined, name: string) => rs?.find((p) => p.name === name);
const fig = (v: number | null | undefined, note?: string): Figure | null => (v === null || v === undefined || !Number.isFinite(v) ? null : { value: v, note });

export function issue18Rows(s: SittingResults, o: { scimUsers: number; scimGroups: number; pgUsers: number; pgGroups: number }): SittingRow[] {
  const { jackson: j, gatehouse: g } = s;
  const sqliteHttp = g.http16?.result.loginsPerSecond ?? null;
  const jacksonSeq = j.seq?.loginsPerSecond ?? null;
  return [
    { row: 'Full logins, SQLite, in-process, sequential', unit: 'logins/s', better: 'higher', jackson: loginRate(j.seq), gatehouse: loginRate(g.seq?.result), target: null },
    {
      row: 'Full logins, SQLite, c=16 (Jackson in-process, Gatehouse over HTTP)', unit: 'logins/s', better: 'higher', jackson: loginRate(j.c16), gatehouse: loginRate(g.http16?.result),
      target: { kind: 'times-figure', factor: TARGETS.loginsSqliteC16TimesJacksonSeq, of: jacksonSeq, label: "Jackson's sequential SQLite rate" }, zeroFailures: true,
    },
    { row: "Full logins, c=16: Jackson's in-memory store, Gatehouse on SQLite over HTTP", unit: 'logins/s', better: 'higher', jackson: loginRate(j.mem16), gatehouse: loginRate(g.http16?.result), target: null },
    {
      row: 'Full logins, PostgreSQL, over HTTP, c=16', unit: 'logins/s', better: 'higher', jackson: null, gatehouse: loginRate(g.pg16?.result),
      target: { kind: 'times-figure', factor: TARGETS.postgresTimesSqlite, of: sqliteHttp, label: 'Gatehouse SQLite over HTTP (this sitting)' }, zeroFailures: true,
    },
    {
      row: 'CPU per login (Jackson: in-process, sequential, driver included; Gatehouse: server process over HTTP, c=16, all threads)', unit: 'ms', better: 'lower',
      jackson: fig(j.seq?.gatehouseCpuMsPerLogin), gatehouse: fig(g.http16?.result.gatehouseCpuMsPerLogin), target: { kind: 'at-most', value: TARGETS.cpuMsPerLogin },
    },
    { row: 'CPU per login, both in-process and sequential (the whole process, driver included)', unit: 'ms', better: 'lower', jackson: fig(j.seq?.gatehouseCpuMsPerLogin), gatehouse: fig(g.seq?.result.gatehouseCpuMsPerLogin), target: null },
    { row: 'DB statements per login, SQLite (the server\'s count, background included)', unit: '', better: 'lower', jackson: null, gatehouse: fig(g.http16?.statementsPerLogin), target: null },
    { row: 'DB statements per login, PostgreSQL (the server\'s count at c=16, background included)', unit: '', better: 'lower', jackson: null, gatehouse: fig(g.pg16?.statementsPerLogin), target: null },
    {
      row: 'DB statements per login, PostgreSQL (each one round trip; counted per request: authorize + ACS + token + userinfo)', unit: '', better: 'lower', jackson: null,
      gatehouse: fig(g.pgLoginStatements?.perLogin), target: { kind: 'at-most', value: TARGETS.statementsPerLoginPostgres },
    },
    {
      row: `SCIM group PATCH +40 members, SQLite, in-process, sequential (${o.scimGroups} groups; webhooks on)`, unit: '/s', better: 'higher',
      jackson: rate(find(j.scim?.results, PHASE.patchGroups)), gatehouse: rate(find(g.scimSeq?.results, PHASE.patchGroups)), target: null,
    },
    { row: `SCIM creates, PostgreSQL, over HTTP, c=32, webhooks on (${o.pgUsers} users)`, unit: '/s', better: 'higher', jackson: null, gatehouse: rate(find(g.scimPg?.results, PHASE.createUsers(o.pgUsers))), target: { kind: 'at-least', value: TARGETS.pgCreatesPerSecond } },
    {
      row: `SCIM group PATCH +40 members, PostgreSQL, over HTTP, c=32, webhooks on (${o.pgGroups} groups)`, unit: '/s', better: 'higher', jackson: null,
      gatehouse: rate(find(g.scimPg?.results, PHASE.patchGroups)), target: { kind: 'at-least', value: TARGETS.groupPatchesPerSecond },
    },
    { row: 'Cold start, restart on an existing database (spawn → ready, median)', unit: 'ms', better: 'lower', jackson: fig(med(j.start?.restart)), gatehouse: fig(med(g.start?.restartBundle.map((b) => b.readyMs))), target: { kind: 'at-most', value: TARGETS.coldStartMs } },
    { row: 'Cold start, the first restart after a build or upgrade (no V8 code cache yet; decision 0060)', unit: 'ms', better: 'lower', jackson: fig(med(j.start?.restart)), gatehouse: fig(med(g.start?.restartNoCache.map((b) => b.readyMs))), target: null },
    { row: 'Cold start, first boot on a fresh database (median)', unit: 'ms', better: 'lower', jackson: fig(med(j.start?.firstBoot)), gatehouse: fig(med(g.start?.firstBundle.map((b) => b.readyMs))), target: null },
    {
      row: 'Peak RSS under logins over HTTP, SQLite (Jackson at c=1, Gatehouse at c=16)', unit: 'MiB', better: 'lower',
      jackson: j.rss ? { value: j.rss.peakRss, failures: j.rss.failures || undefined } : null, gatehouse: g.rss ? { value: g.rss.peakRss, failures: g.rss.failures || undefined } : null,
      target: { kind: 'at-most', value: TARGETS.peakRssMiB },
    },
  ];
}

const med = (xs: number[] | undefined) => (xs && xs.length ? median(xs) : null);

export function issue19Rows(s: SittingResults, o: { scimUsers: number; scimGroups: number; firstSyncUsers: number; firstSyncGroups: number }): SittingRow[] {
  const { jackson: j, gatehouse: g } = s;
  const seq = (label: string, name: string, target: number | null): SittingRow => ({
    row: `${label}, SQLite, in-process, sequential, webhooks on`, unit: '/s', better: 'higher',
    jackson: rate(find(j.scim?.results, name)), gatehouse: rate(find(g.scimSeq?.results, name)), target: target === null ? null : { kind: 'at-least', value: target }, zeroFailures: target !== null,
  });
  const p50 = (f: FirstSyncResult | undefined, i: number) => (f ? percentile(f.steps[i]!.latencies, 50) : null);
  const r = g.rounds;
  const cpuRatio = (k: 'post' | 'get' | 'patch') => (r ? meanOf(r.rows, 1, k) / meanOf(r.rows, 32, k) : null);
  const syncNote = (f: FirstSyncResult | undefined) => (f ? `webhooks ${f.events} of ${f.expectedEvents}, ${f.duplicates} twice` : undefined);
  return [
    seq(`POST /Users (${o.scimUsers})`, PHASE.createUsers(o.scimUsers), TARGETS.seqCreatesPerSecond),
    seq('GET /Users?filter=userName eq', PHASE.getFilter, TARGETS.seqGetsPerSecond),
    seq('PATCH /Users/{id} active=false', PHASE.deactivate, null),
    seq(`POST /Groups (${o.scimGroups})`, PHASE.createGroups(o.scimGroups), null),
    seq('PATCH /Groups/{id} +40 members', PHASE.patchGroups, null),
    { row: 'Over HTTP, sequential: p50 of GET /Users?filter=userName eq (first sync, SQLite)', unit: 'ms', better: 'lower', jackson: null, gatehouse: fig(p50(g.firstSyncSqlite, 0)), target: { kind: 'at-most', value: TARGETS.httpGetP50Ms } },
    { row: 'Over HTTP, sequential: p50 of POST /Users (first sync, SQLite)', unit: 'ms', better: 'lower', jackson: null, gatehouse: fig(p50(g.firstSyncSqlite, 1)), target: { kind: 'at-most', value: TARGETS.httpCreateP50Ms } },
    { row: `First sync, ${o.firstSyncUsers} users + ${o.firstSyncGroups} groups, over HTTP, SQLite`, unit: 's', better: 'lower', jackson: null, gatehouse: fig(g.firstSyncSqlite?.seconds, syncNote(g.firstSyncSqlite)), target: { kind: 'at-most', value: TARGETS.firstSyncSqliteS } },
    { row: `First sync, ${o.firstSyncUsers} users + ${o.firstSyncGroups} groups, over HTTP, PostgreSQL`, unit: 's', better: 'lower', jackson: null, gatehouse: fig(g.firstSyncPg?.seconds, syncNote(g.firstSyncPg)), target: { kind: 'at-most', value: TARGETS.firstSyncPostgresS } },
    { row: `First sync, ${o.firstSyncUsers} users + ${o.firstSyncGroups} groups, over HTTP, SQLite, lean keep-alive client (raw sockets)`, unit: 's', better: 'lower', jackson: null, gatehouse: fig(g.firstSyncSqliteRaw?.seconds, syncNote(g.firstSyncSqliteRaw)), target: { kind: 'at-most', value: TARGETS.firstSyncSqliteS } },
    { row: `First sync, ${o.firstSyncUsers} users + ${o.firstSyncGroups} groups, over HTTP, PostgreSQL, lean keep-alive client (raw sockets)`, unit: 's', better: 'lower', jackson: null, gatehouse: fig(g.firstSyncPgRaw?.seconds, syncNote(g.firstSyncPgRaw)), target: { kind: 'at-most', value: TARGETS.firstSyncPostgresS } },
    { row: 'CPU per request, c=1 ÷ c=32: POST /Users (in-process, interleaved rounds)', unit: '×', better: 'lower', jackson: null, gatehouse: fig(cpuRatio('post')), target: { kind: 'at-most', value: TARGETS.cpuC1OverC32 } },
    { row: 'CPU per request, c=1 ÷ c=32: GET filter', unit: '×', better: 'lower', jackson: null, gatehouse: fig(cpuRatio('get')), target: { kind: 'at-most', value: TARGETS.cpuC1OverC32 } },
    { row: 'CPU per request, c=1 ÷ c=32: PATCH deactivate', unit: '×', better: 'lower', jackson: null, gatehouse: fig(cpuRatio('patch')), target: { kind: 'at-most', value: TARGETS.cpuC1OverC32 } },
  ];
}
