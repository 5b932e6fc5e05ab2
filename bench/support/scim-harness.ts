/** Pieces of bench/scim.ts: its SCIM client, its webhook receiver, and PostgreSQL's statistics made current. */
import { Agent, request } from 'node:http';
import { fork } from 'node:child_process';

export interface Res {
  status: number;
  body: string;
}

export type Send = (method: string, path: string, headers: Record<string, string>, body?: unknown) => Promise<Res>;

/** A keep-alive node:http client with up to `maxSockets` connections. */
export function client(baseUrl: string, maxSockets: number): Send {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(baseUrl);
  return (method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Res> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request({ agent, hostname, port, method, path, headers: payload === undefined ? headers : { 'content-type': 'application/scim+json', ...headers, 'content-length': Buffer.byteLength(payload) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
}

/** The webhook receiver, a child process (webhook-receiver.mjs) that counts events by id. */
export async function startReceiver() {
  const child = fork(new URL('./webhook-receiver.mjs', import.meta.url), { stdio: 'ignore', execArgv: [] });
  const ask = <T>(m: string) => new Promise<T>((resolve) => child.once('message', (r) => resolve(r as T)).send(m));
  const { port } = await new Promise<{ port: number }>((resolve) => child.once('message', (m) => resolve(m as { port: number })));
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    pid: child.pid!,
    stats: () => ask<{ distinct: number; duplicates: number; posts: number; lastAt: number }>('stats'),
    clear: () => ask<unknown>('clear'),
    close: () => child.kill(),
  };
}

/**
 * Brings `table`'s statistics and visibility map up to date as a production server would: waits for
 * autovacuum to analyze it, or, when autovacuum is off on this server (as on the benchmark machine), runs
 * VACUUM ANALYZE in its place. Says which.
 */
export async function analyzed(databaseUrl: string, table: string, timeoutMs: number): Promise<string | null> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    if ((await client.query('show autovacuum')).rows[0].autovacuum !== 'on') {
      await client.query(`vacuum analyze ${table}`);
      return 'VACUUM ANALYZE run by the benchmark, as autovacuum would (it is off on this server)';
    }
    for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 1000))) {
      const r = await client.query('select n_mod_since_analyze, last_autoanalyze from pg_stat_user_tables where relname = $1', [table]);
      if (r.rows[0]?.last_autoanalyze && Number(r.rows[0].n_mod_since_analyze) < 1000) return 'after autovacuum analyzed the table';
    }
    process.stderr.write(`${table} was not analyzed by autovacuum within ${timeoutMs / 1000} s\n`);
    return null;
  } finally {
    await client.end();
  }
}
