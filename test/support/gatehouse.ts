/**
 * Runs a real Gatehouse in-process for a test: a fresh database of the chosen dialect, migrations,
 * keys, the Fastify app, and (optionally) a real HTTP listener on 127.0.0.1.
 */
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { boot } from '../../src/boot.ts';
import { buildApp } from '../../src/http/app.ts';
import type { AppContext } from '../../src/context.ts';
import type { DialectName, OpenedDatabase } from '../../src/storage/dialect.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';

export const API_KEY = 'test-api-key-0123456789';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningGatehouse {
  ctx: AppContext;
  app: FastifyInstance;
  baseUrl: string;
  db: TestDatabase;
  /** The opened database (its statement counter, for bench/round-trips.ts). */
  database: OpenedDatabase;
  close(): Promise<void>;
}

export async function startGatehouse(opts: { dialect?: DialectName; listen?: boolean; env?: Record<string, string>; now?: () => number; databaseUrl?: string; /** Where pino writes (default stdout). */ logStream?: pino.DestinationStream } = {}): Promise<RunningGatehouse | null> {
  const db: TestDatabase | null = opts.databaseUrl ? { dialect: opts.dialect ?? 'sqlite', url: opts.databaseUrl, drop: async () => {} } : await createTestDatabase(opts.dialect ?? 'sqlite');
  if (!db) return null;
  const port = opts.listen ? await freePort() : 5225;
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    EXTERNAL_URL: baseUrl,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    API_KEYS: API_KEY,
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...opts.env,
  };
  const { ctx, database } = await boot(env, { logger: opts.logStream ? pino({ level: env.LOG_LEVEL }, opts.logStream) : pino({ level: env.LOG_LEVEL }), now: opts.now });
  const app = await buildApp(ctx);
  if (opts.listen) await app.listen({ port, host: '127.0.0.1' });
  else await app.ready();
  return {
    ctx, app, baseUrl, db, database,
    close: async () => {
      await app.close();
      await database.close();
      await db.drop();
    },
  };
}
