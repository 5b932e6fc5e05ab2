/**
 * Gatehouse deployments for the login benchmarks (bench/login.ts, bench/sitting.ts): in-process (boot → buildApp,
 * driven with app.inject()) or the server bundle over HTTP (one or several processes on one database), each with a
 * SAML connection to the test IdP; and one measured run of logins with the server's own statement count.
 */
import { randomBytes } from 'node:crypto';
import type { TestIdp } from '../../test/support/saml-idp.ts';
import { startGatehouse } from '../../test/support/gatehouse.ts';
import { createTestDatabase } from '../../test/support/databases.ts';
import type { DialectName } from '../../src/storage/dialect.ts';
import { BENCH_API_KEY, createConnection, runLogins, type LoginTarget, type RunResult } from './login-flow.ts';
import { startServerProcess } from './server-process.ts';
import { fetchTransport, injectTransport, nodeHttpTransport, roundRobin, type Transport } from './transport.ts';
import { waitForQuiet } from './cpu.ts';

export interface Variant {
  /** WORKERS: the SAML validation pool's threads (0 validates on the main thread). */
  workers: string;
  /** HTTP only: that many server processes on the one database, requests round robin. */
  processes: number;
}
export const variantLabel = (v: Variant) => `WORKERS=${v.workers}${v.processes > 1 ? `, ${v.processes} processes` : ''}`;

/** A running Gatehouse plus the target the login driver needs. */
export interface Deployment {
  target: LoginTarget;
  /** The Gatehouse processes when they are not this one. */
  serverPid: number | number[] | null;
  /** PostgreSQL database name (its backends are counted in the PostgreSQL CPU column). */
  postgresDatabase?: string;
  close(): Promise<void>;
}

const databaseName = (url: string) => (url.startsWith('postgres') ? new URL(url).pathname.slice(1) : undefined);

const QUIET = { LOG_LEVEL: 'silent', NODE_ENV: 'production', RATE_LIMIT_OAUTH_PER_MINUTE: '0', API_KEYS: BENCH_API_KEY };

export async function inProcessDeployment(dialect: DialectName, idp: TestIdp, v: Variant): Promise<Deployment> {
  const gh = await startGatehouse({ dialect, env: { ...QUIET, WORKERS: v.workers } });
  if (!gh) throw new Error(`${dialect} is unreachable`);
  const transport = injectTransport(gh.app);
  const client = await createConnection(transport, idp);
  return { target: { transport, idp, client, spEntityId: gh.ctx.config.SAML_SP_ENTITY_ID, acsUrl: gh.ctx.config.acsUrl }, serverPid: null, postgresDatabase: databaseName(gh.db.url), close: () => gh.close() };
}

/** `maxConcurrency`: sockets per server process (the highest concurrency the deployment will see). */
export async function httpDeployment(dialect: DialectName, idp: TestIdp, v: Variant, opts: { client?: 'node-http' | 'fetch'; maxConcurrency: number }): Promise<Deployment> {
  const db = await createTestDatabase(dialect);
  if (!db) throw new Error(`${dialect} is unreachable`);
  // Several processes share the database, EXTERNAL_URL and ENCRYPTION_KEY, as instances behind one load balancer do.
  const encryptionKey = randomBytes(32).toString('hex');
  const first = await startServerProcess({ databaseUrl: db.url, encryptionKey, env: { LOG_LEVEL: 'silent', WORKERS: v.workers } });
  const servers = [first];
  for (let i = 1; i < v.processes; i++) servers.push(await startServerProcess({ databaseUrl: db.url, encryptionKey, env: { LOG_LEVEL: 'silent', WORKERS: v.workers, EXTERNAL_URL: first.baseUrl } }));
  const transports = servers.map((s) => (opts.client === 'fetch' ? fetchTransport(s.baseUrl) : nodeHttpTransport(s.baseUrl, Math.max(opts.maxConcurrency, 16))));
  const transport = roundRobin(transports);
  const client = await createConnection(transport, idp);
  return {
    target: { transport, idp, client, spEntityId: first.baseUrl, acsUrl: `${first.baseUrl}/api/oauth/saml` },
    serverPid: servers.length === 1 ? first.pid : servers.map((s) => s.pid),
    postgresDatabase: databaseName(db.url),
    close: async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await db.drop();
    },
  };
}

/**
 * The server's statement counter (gatehouse_db_statements_total on /metrics, decision 0039). Background work (the
 * webhook deliverer's polls, connection upkeep, the scrape's own outbox query) is included, so it is an upper bound;
 * bench/round-trips.ts counts one login's statements exactly, step by step. Over several processes, the first's.
 */
async function statementsSent(transport: Transport): Promise<number | null> {
  const res = await transport.send({ method: 'GET', path: '/metrics' });
  const m = /^gatehouse_db_statements_total (\d+)/m.exec(res.body);
  return res.status === 200 && m ? Number(m[1]) : null;
}

export interface MeasuredRun {
  result: RunResult;
  /** Database statements per login during the run (null when /metrics could not be read, or several processes). */
  statementsPerLogin: number | null;
}

/** Unreported warm-up logins (JIT, connection pools, SQLite page cache, the pool's threads), at concurrency 16. */
export async function warmUp(d: Deployment, logins: number, tag: string): Promise<void> {
  if (logins > 0) await runLogins(d.target, { logins, concurrency: 16, tag: `warm-${tag}`, serverPid: d.serverPid, postgresDatabase: d.postgresDatabase });
}

/** One measured run: waits (up to `quietWaitMs`) for the machine to be quiet, then `logins` logins at `concurrency`. */
export async function measureLogins(d: Deployment, o: { logins: number; concurrency: number; tag: string; quietWaitMs: number }): Promise<MeasuredRun> {
  await waitForQuiet(d.serverPid, o.quietWaitMs);
  const counted = typeof d.serverPid !== 'object' || d.serverPid === null;
  const s0 = counted ? await statementsSent(d.target.transport) : null;
  const result = await runLogins(d.target, { logins: o.logins, concurrency: o.concurrency, tag: o.tag, serverPid: d.serverPid, postgresDatabase: d.postgresDatabase });
  const s1 = counted ? await statementsSent(d.target.transport) : null;
  return { result, statementsPerLogin: s0 === null || s1 === null ? null : (s1 - s0) / Math.max(1, result.logins) };
}
