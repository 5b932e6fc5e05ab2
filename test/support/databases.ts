/**
 * Real database servers for tests: a temp SQLite file, and a fresh database on the local
 * PostgreSQL and MariaDB/MySQL servers. Outside CI an unreachable server makes the suite skip,
 * loudly; in CI (CI=true) it fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DialectName } from '../../src/storage/dialect.ts';

export const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

export interface TestDatabase {
  dialect: DialectName;
  url: string;
  drop(): Promise<void>;
}

const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql'];
export const testDialects = (): DialectName[] => {
  const only = process.env.TEST_DIALECTS;
  return only ? (only.split(',') as DialectName[]) : DIALECTS;
};

function unreachable(dialect: DialectName, err: unknown): null {
  const msg = `\n!!! ${dialect} server unreachable (${(err as Error).message}); its storage tests are SKIPPED !!!\n`;
  if (process.env.CI) throw new Error(msg);
  process.stderr.write(msg);
  return null;
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase | null> {
  const name = `gh_test_${randomBytes(5).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-'));
    return { dialect, url: `sqlite:${join(dir, 'test.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (dialect === 'postgres') {
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
    } catch (err) {
      await admin.end().catch(() => {});
      return unreachable(dialect, err);
    }
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    return {
      dialect,
      url: url.toString(),
      drop: async () => {
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const mysql = await import('mysql2/promise');
  let admin;
  try {
    admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL, connectTimeout: 3000 });
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } catch (err) {
    await admin?.end().catch(() => {});
    return unreachable(dialect, err);
  }
  await admin.end();
  const url = new URL(MYSQL_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    drop: async () => {
      const c = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}
