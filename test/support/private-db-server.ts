/**
 * A database server of the test's own, to stop and start at will: a fresh PostgreSQL cluster (initdb) or MariaDB
 * datadir (mariadb-install-db) in a temp directory, listening on 127.0.0.1 on a free port. Restart drills use it so
 * the shared servers on 5432 and 3306, which every other test file uses at the same time, are never disturbed.
 * Stopping is what a restart or failover does to clients: PostgreSQL's fast shutdown (SIGINT: sessions end with
 * 57P01, new connections get 57P03, then are refused) and MariaDB's normal shutdown (SIGTERM: connections are
 * killed, then refused). Run as root (as in CI), PostgreSQL runs as the `postgres` user, since it refuses root.
 * Without the server binaries the drills skip loudly outside CI and fail in CI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './gatehouse.ts';
import type { TestDatabase } from './databases.ts';

export interface PrivateServer {
  dialect: 'postgres' | 'mysql';
  port: number;
  /** The database Gatehouse runs on; its drop() destroys the whole server. */
  db: TestDatabase;
  /** Shuts the server down the way a restart does; resolves once the process is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port and datadir; resolves once it accepts queries. */
  start(): Promise<void>;
  /** The server's own log, for a failure message. */
  log(): string;
}

const DB_NAME = 'gatehouse';
const READY_WITHIN_MS = 30_000;
const running = new Set<ChildProcess>();
// A test process that dies leaves no server behind.
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

function missing(what: string): null {
  const msg = `\n!!! ${what} not found; the database restart drills are SKIPPED !!!\n`;
  if (process.env.CI) throw new Error(msg);
  process.stderr.write(msg);
  return null;
}

function postgresBinDir(): string | null {
  if (process.env.TEST_PG_BINDIR) return process.env.TEST_PG_BINDIR;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const version = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(a) - Number(b)).at(-1);
  return version ? join(root, version, 'bin') : null;
}

const which = (names: string[]) => names.map((n) => (n.startsWith('/') ? n : `/usr/sbin/${n}`)).concat(names.map((n) => `/usr/bin/${n}`)).find((p) => existsSync(p)) ?? null;

/** The uid and gid of `user` from /etc/passwd. */
function account(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no ${user} user to run the private server as`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

interface Recipe {
  spawnArgs(): [string, string[]];
  /** Signal that shuts the server down cleanly, as a restart does. */
  stopSignal: NodeJS.Signals;
  /** One query; throws while the server is not ready. */
  ping(): Promise<void>;
  createDatabase(): Promise<void>;
  url: string;
  as?: { uid: number; gid: number };
}

async function postgresRecipe(dir: string, port: number): Promise<Recipe | null> {
  const bin = postgresBinDir();
  if (!bin) return missing('PostgreSQL server binaries (/usr/lib/postgresql/*/bin)');
  const as = process.getuid?.() === 0 ? account('postgres') : undefined;
  if (as) chownSync(dir, as.uid, as.gid);
  const data = join(dir, 'data');
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { encoding: 'utf8', ...as });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const pg = (await import('pg')).default;
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const query = async (text: string) => {
    const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2000 });
    c.on('error', () => {});
    try {
      await c.connect();
      await c.query(text);
    } finally {
      await c.end().catch(() => {});
    }
  };
  return {
    spawnArgs: () => [join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200']],
    stopSignal: 'SIGINT',
    ping: () => query('select 1'),
    createDatabase: () => query(`CREATE DATABASE ${DB_NAME}`),
    url: `postgres://postgres@127.0.0.1:${port}/${DB_NAME}`,
    as,
  };
}

async function mariadbRecipe(dir: string, port: number): Promise<Recipe | null> {
  const server = which(['mariadbd', 'mysqld']);
  const install = which(['mariadb-install-db', 'mysql_install_db']);
  if (!server || !install) return missing('MariaDB server (mariadbd, mariadb-install-db)');
  const root = process.getuid?.() === 0;
  const data = join(dir, 'data');
  const init = spawnSync(install, ['--no-defaults', `--datadir=${data}`, ...(root ? ['--user=root'] : []), '--auth-root-authentication-method=normal', '--skip-test-db'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stdout}${init.stderr}`);
  const mysql = await import('mysql2/promise');
  const admin = `mysql://root@127.0.0.1:${port}/`;
  const query = async (text: string) => {
    const c = await mysql.createConnection({ uri: admin, connectTimeout: 2000 });
    c.on('error', () => {});
    try {
      await c.query(text);
    } finally {
      await c.end().catch(() => {});
    }
  };
  return {
    spawnArgs: () => [server, ['--no-defaults', `--datadir=${data}`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${join(dir, 'mysqld.sock')}`, `--pid-file=${join(dir, 'mysqld.pid')}`, '--skip-name-resolve', '--innodb-buffer-pool-size=64M', '--max-connections=300', ...(root ? ['--user=root'] : [])]],
    stopSignal: 'SIGTERM',
    ping: () => query('select 1'),
    createDatabase: () => query(`CREATE DATABASE ${DB_NAME} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`),
    url: `mysql://root@127.0.0.1:${port}/${DB_NAME}`,
  };
}

/** Initialises and starts a private server of `dialect` with an empty `gatehouse` database; null when its binaries are missing outside CI. */
export async function startPrivateServer(dialect: 'postgres' | 'mysql'): Promise<PrivateServer | null> {
  const dir = mkdtempSync(join(tmpdir(), `gatehouse-${dialect}-`));
  const port = await freePort();
  let recipe: Recipe | null;
  try {
    recipe = dialect === 'postgres' ? await postgresRecipe(dir, port) : await mariadbRecipe(dir, port);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  if (!recipe) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const r = recipe;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let out = '';

  async function start(): Promise<void> {
    if (child) throw new Error(`the private ${dialect} server is already running`);
    const [cmd, args] = r.spawnArgs();
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...r.as });
    child = c;
    running.add(c);
    c.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
    c.stderr!.setEncoding('utf8').on('data', (s: string) => (out += s));
    exited = new Promise<void>((resolve) => c.once('exit', () => {
      running.delete(c);
      if (child === c) child = null;
      resolve();
    }));
    const deadline = Date.now() + READY_WITHIN_MS;
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`the private ${dialect} server exited while starting:\n${out.slice(-3000)}`);
      try {
        await r.ping();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`the private ${dialect} server did not answer within ${READY_WITHIN_MS} ms:\n${out.slice(-3000)}`);
        await new Promise((res) => setTimeout(res, 50));
      }
    }
  }

  async function stop(signal: NodeJS.Signals = r.stopSignal): Promise<void> {
    const c = child;
    if (!c) return;
    c.kill(signal);
    await exited;
  }

  try {
    await start();
    await r.createDatabase();
  } catch (err) {
    await stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dialect, port,
    db: {
      dialect, url: r.url,
      async drop() {
        await stop('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      },
    },
    stop: () => stop(),
    start,
    log: () => out,
  };
}
