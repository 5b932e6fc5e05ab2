/**
 * Several Gatehouse processes behind a client-side round-robin "load balancer", for the multi-instance
 * benchmark, the soak and the fault scripts: every instance shares one database, ENCRYPTION_KEY, API
 * key and EXTERNAL_URL (an address nobody listens on, as behind a real balancer); each request goes
 * to the next live instance, so the steps of one login land on different instances.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { nodeHttpTransport, type BenchRequest, type BenchResponse, type Transport } from './transport.ts';
import { processCpuMs } from './cpu.ts';

export const SHARED_EXTERNAL_URL = 'http://127.0.0.1:9';

export interface Fleet {
  servers: ServerProcess[];
  /** Round-robin over the instances not marked down. */
  transport: Transport;
  /** Takes an instance out of the rotation (what a balancer's health check does). */
  markDown(i: number): void;
  /** `kill -9` of one instance (it stays in the rotation until markDown). */
  kill(i: number): void;
  cpuMs(): number;
  rssMiB(): number[];
  stop(): Promise<void>;
}

export async function startFleet(n: number, databaseUrl: string, env: Record<string, string> = {}, maxSockets = 64): Promise<Fleet> {
  const encryptionKey = randomBytes(32).toString('hex');
  const shared = { EXTERNAL_URL: SHARED_EXTERNAL_URL, LOG_LEVEL: 'warn', RATE_LIMIT_OAUTH_PER_MINUTE: '0', RATE_LIMIT_API_PER_MINUTE: '0', RATE_LIMIT_SCIM_PER_MINUTE: '0', OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost', ...env };
  // The first alone (it runs the migrations), then the rest together.
  const servers = [await startServerProcess({ databaseUrl, encryptionKey, env: shared })];
  servers.push(...(await Promise.all(Array.from({ length: n - 1 }, () => startServerProcess({ databaseUrl, encryptionKey, env: shared })))));
  const transports = servers.map((s) => nodeHttpTransport(s.baseUrl, maxSockets));
  const down = new Set<number>();
  const killed = new Set<number>();
  let next = 0;
  const transport: Transport = {
    name: 'HTTP',
    send(req: BenchRequest): Promise<BenchResponse> {
      for (let k = 0; k < transports.length; k++) {
        const i = next++ % transports.length;
        if (!down.has(i)) return transports[i]!.send(req);
      }
      return Promise.reject(new Error('no instance is up'));
    },
  };
  return {
    servers,
    transport,
    markDown: (i) => void down.add(i),
    kill(i) {
      killed.add(i);
      process.kill(servers[i]!.pid, 'SIGKILL');
    },
    cpuMs: () => servers.reduce((sum, s) => sum + safe(() => processCpuMs(s.pid), 0), 0),
    rssMiB: () => servers.map((s) => safe(() => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${s.pid}/status`, 'utf8'))![1]) / 1024, 0)),
    stop: async () => {
      await Promise.all(servers.filter((_, i) => !killed.has(i)).map((s) => s.stop()));
    },
  };
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/**
 * CPU of the PostgreSQL backends serving one database, ms (their process titles name it). The machine's
 * PostgreSQL also serves other people's test databases, whose backends come and go; counting all
 * `postgres` processes (support/cpu.ts) can even go negative when they exit. Backends that exit between
 * two readings lose their last slice, so this slightly under-counts.
 */
export function databaseBackendsCpuMs(databaseName: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${databaseName} `)) continue;
      out.set(Number(entry), processCpuMs(Number(entry)));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** CPU spent by the backends between two readings (new backends count whole). */
export const backendsSpentMs = (a: Map<number, number>, b: Map<number, number>) => [...b].reduce((sum, [pid, ms]) => sum + ms - (a.get(pid) ?? 0), 0);

/** `uptime`'s load averages, for the report. */
export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
