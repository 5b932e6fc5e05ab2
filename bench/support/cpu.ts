/**
 * CPU accounting on Linux, so that a benchmark row says how much CPU Gatehouse spent per login and
 * how busy the rest of the machine was while it ran (this is a shared 2-vCPU machine: other
 * processes' load shows up in wall-clock rates and latencies, not in CPU per login).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ (getconf CLK_TCK) is 100 on Linux

/** utime + stime of a process, ms (from /proc/<pid>/stat). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Busy and total CPU time of the whole machine (all CPUs), ms. */
function machineCpuMs(): { busy: number; total: number } {
  const [, user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: busy * TICK_MS, total: (busy + idle! + iowait!) * TICK_MS };
}

/**
 * CPU of the local PostgreSQL server's processes, by pid: the auxiliary processes (WAL writer,
 * checkpointer, …) and, when `database` is given, only the backends connected to that database
 * (their process title names it), so other people's sessions on a shared server are not counted.
 */
function postgresCpuByPid(database?: string, backendsOnly = false): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      if (database) {
        const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
        // A backend's title is "postgres: [<cluster>: ]<user> <database> <client> <state>"; auxiliary processes name no database.
        const backend = /^postgres: (?:\S+: )?\S+ (\S+) (?:\d{1,3}(?:\.\d{1,3}){3}\(\d+\)|\[local\])/.exec(title);
        if ((backend && backend[1] !== database) || (backendsOnly && !backend)) continue;
      }
      out.set(Number(entry), processCpuMs(Number(entry)));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

export interface CpuSnapshot {
  wall: number;
  machineBusy: number;
  /** This benchmark process (process.cpuUsage, µs precision). */
  self: number;
  /** The Gatehouse server process when it is a separate process, else 0. */
  server: number;
  /** Per-pid CPU of PostgreSQL processes (see postgresCpuByPid); compared pid by pid, so a backend that exits cannot make the sum negative. */
  postgresByPid: Map<number, number>;
}

/** The Gatehouse server: one process, several sharing a database (summed), or none (in-process). */
export type ServerPids = number | readonly number[] | null;
const serverCpuMs = (pids: ServerPids): number => (pids === null ? 0 : typeof pids === 'number' ? processCpuMs(pids) : pids.reduce((s, p) => s + processCpuMs(p), 0));

/** `postgresDatabase` limits PostgreSQL's column to that database's backends (plus the server's auxiliary processes). */
export function cpuSnapshot(serverPid: ServerPids, postgresDatabase?: string): CpuSnapshot {
  const self = process.cpuUsage();
  return {
    wall: performance.now(),
    machineBusy: machineCpuMs().busy,
    self: (self.user + self.system) / 1000,
    // /proc/<pid>/stat counts every thread of the process: the SAML validation pool's worker threads are included.
    server: serverCpuMs(serverPid),
    postgresByPid: postgresCpuByPid(postgresDatabase),
  };
}

/** CPU of the backends connected to `database` alone, by pid (no auxiliary process, which every database on the server feeds). */
export const postgresBackendsCpu = (database: string): Map<number, number> => postgresCpuByPid(database, true);

/** CPU the backends of `b` spent since `a` (compared pid by pid, like postgresDelta). */
export function backendsDelta(a: Map<number, number>, b: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of b) sum += Math.max(0, ms - (a.get(pid) ?? 0));
  return sum;
}

/** CPU the PostgreSQL processes of `b` spent since `a` (processes that started in between count whole). */
function postgresDelta(a: CpuSnapshot, b: CpuSnapshot): number {
  return backendsDelta(a.postgresByPid, b.postgresByPid);
}

export interface CpuSpent {
  wallMs: number;
  selfMs: number;
  serverMs: number;
  postgresMs: number;
  /** Average number of cores busy with anything else while this ran. */
  otherCores: number;
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuSpent {
  const wallMs = b.wall - a.wall;
  const selfMs = b.self - a.self;
  const serverMs = b.server - a.server;
  const postgresMs = postgresDelta(a, b);
  const other = b.machineBusy - a.machineBusy - selfMs - serverMs - postgresMs;
  return { wallMs, selfMs, serverMs, postgresMs, otherCores: Math.max(0, other) / wallMs };
}

export const addSpent = (x: CpuSpent, y: CpuSpent): CpuSpent => ({
  wallMs: x.wallMs + y.wallMs,
  selfMs: x.selfMs + y.selfMs,
  serverMs: x.serverMs + y.serverMs,
  postgresMs: x.postgresMs + y.postgresMs,
  otherCores: (x.otherCores * x.wallMs + y.otherCores * y.wallMs) / (x.wallMs + y.wallMs),
});

/**
 * Waits (up to `maxWaitMs`) until other processes use less than `maxOtherCores` over a 1 s window,
 * so a run does not start in the middle of someone else's test suite. Returns the last reading.
 */
export async function waitForQuiet(serverPid: ServerPids, maxWaitMs: number, maxOtherCores = 0.25): Promise<number> {
  const deadline = performance.now() + maxWaitMs;
  for (;;) {
    const a = cpuSnapshot(serverPid);
    await new Promise((r) => setTimeout(r, 1000));
    const other = cpuBetween(a, cpuSnapshot(serverPid)).otherCores;
    if (other < maxOtherCores || performance.now() > deadline) return other;
  }
}
