/**
 * Boot: loadConfig → openStorage (migrations applied) → load keys → build the app context.
 * Shared by `npm start`, the CLI, tests and benchmarks.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { laxSettingsInForce, loadConfig, type Config } from './config.ts';
import { createSecretBox } from './crypto/secrets.ts';
import { openDatabase, migrateToLatest, type OpenedDatabase } from './storage/index.ts';
import { openDeploymentKeys, type DeploymentKeyLoaders } from './crypto/deployment-keys.ts';
import { loadSpCredentials } from './sso/saml/sp-credentials.ts';
import { loadSubjectKey } from './sso/subjects.ts';
import { loadJwtKeys } from './oauth/keys.ts';
import { createSamlValidationPool, threadsFor } from './sso/saml/validation-pool.ts';
import { AcsConnections } from './sso/saml/acs-connections.ts';
import type { AppContext } from './context.ts';
import { EventHub } from './events/event-hub.ts';
import { traceRefusedLogins } from './admin/traces.ts';
import { recordSetupTestResults } from './setup-links/tests.ts';
import { createMetrics } from './observability/metrics.ts';
import { OutboxSignal } from './directory-sync/events/outbox-signal.ts';
import { OutboxChannels } from './directory-sync/events/outbox-channels.ts';
import { DirectoryCache } from './directory-sync/scim/directory-cache.ts';
import { ScimProgressMemo } from './setup-links/scim-progress.ts';
import { ScimRequestLog } from './directory-sync/inspector/recorder.ts';
import { BrandingStore } from './admin/branding-store.ts';
import { startVendorEventStream } from './vendor-events/record.ts';
import { startBackchannelLogout } from './app-logout/backchannel.ts';
import { startAuditStream } from './audit-stream/stream.ts';
import { endSessionsWithConnections } from './app-logout/connection-endings.ts';

/** In development the encryption key lives beside the SQLite file (created on first start, mode 0600). */
export function devKeyResolver(env: Record<string, string | undefined>): () => string {
  return () => {
    const url = env.DATABASE_URL ?? 'sqlite:./.data/gatehouse.db';
    const dir = url.startsWith('sqlite:') && !url.includes(':memory:') ? dirname(url.slice('sqlite:'.length)) : './.data';
    const file = join(dir, 'encryption.key');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(dir, { recursive: true });
    const key = randomBytes(32).toString('hex');
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    return key;
  };
}

/** Log lines are written when 4 KiB have gathered, or after this long (decision 0036). */
export const LOG_FLUSH_MS = 100;

/**
 * pino to stdout (or `dest`, a file: benchmarks), buffered: the access line of every request used to cost a
 * write of its own (one syscall per request, most of a sequential SCIM request's system time). Lines are
 * written once 4 KiB have gathered or every LOG_FLUSH_MS, and synchronously on exit (pino flushes its
 * destinations on `exit`, so process.exit and a crash lose nothing; only SIGKILL can lose the last 100 ms).
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, dest: number | string = 1): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.clientSecret', '*.client_secret', '*.SAMLResponse', '*.password'], censor: '[redacted]' },
      base: { service: 'gatehouse' },
    },
    pino.destination({ dest, sync: false, minLength: 4096, periodicFlush: LOG_FLUSH_MS }),
  );
}

/** How each deployment key is read or made, by the layer that uses it (crypto/ knows no protocol). */
export const deploymentKeyLoaders: DeploymentKeyLoaders = { sp: loadSpCredentials, jwt: loadJwtKeys, subject: loadSubjectKey };

/** Who hears a sign-in's outcome: SSO traces, then setup-link tests (the order the refusal used to record them in). */
function loginListeners(events: EventHub): EventHub {
  traceRefusedLogins(events);
  recordSetupTestResults(events);
  return events;
}

export interface Booted {
  ctx: AppContext;
  database: OpenedDatabase;
  migrations: string[];
  /** How long each boot step took, ms (logged in the ready line: decision 0050). */
  phases: Record<string, number>;
  /** The process CPU each boot step took, ms (decision 0064). */
  cpuPhases: Record<string, number>;
}

/** Process CPU (user + system, every thread) so far, ms. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Times consecutive steps: `lap('name')` records the ms since the previous lap (or since it was made), wall time in
 * `phases` and process CPU in `cpu` (decision 0064: on a shared machine the wall time of a step moves with the load).
 */
export function phaseClock(into: Record<string, number> = {}, cpuInto: Record<string, number> = {}): { lap(name: string): void; phases: Record<string, number>; cpu: Record<string, number> } {
  let last = performance.now();
  let lastCpu = cpuMs();
  return {
    phases: into,
    cpu: cpuInto,
    lap(name) {
      const t = performance.now();
      const c = cpuMs();
      into[name] = Math.round((t - last) * 10) / 10;
      cpuInto[name] = Math.round((c - lastCpu) * 10) / 10;
      last = t;
      lastCpu = c;
    },
  };
}

export async function boot(env: Record<string, string | undefined>, opts: { logger?: Logger; now?: () => number } = {}): Promise<Booted> {
  const clock = phaseClock();
  const config = loadConfig(env, devKeyResolver(env));
  const log = opts.logger ?? createLogger(config);
  const now = opts.now ?? Date.now;
  const lax = laxSettingsInForce(config);
  if (lax.length) log.warn({ jacksonCompat: true, laxSettings: lax }, `JACKSON_COMPAT=true: SAML Jackson's laxer behaviour is on (docs/migrating-from-jackson.md): ${lax.join('; ')}`);
  clock.lap('config');
  const database = await openDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE, { preparedStatements: config.DATABASE_PREPARED_STATEMENTS });
  clock.lap('openDatabase');
  const migrations = await migrateToLatest(database.db, database.dialect);
  clock.lap('migrations');
  const secrets = createSecretBox(config.encryptionKeys);
  const keys = await openDeploymentKeys(database.db, secrets, { spCommonName: new URL(config.EXTERNAL_URL).hostname, now, log, load: deploymentKeyLoaders, refreshMs: config.KEYSET_REFRESH_SECONDS * 1000 });
  const ctx: AppContext = {
    config, db: database.db, dialect: database.dialect, secrets, keys, log, now,
    events: loginListeners(new EventHub()),
    metrics: createMetrics({ db: database.db, now, log, poolStats: database.poolStats, statements: () => database.statements.count }),
    outbox: new OutboxSignal(),
    outboxChannels: new OutboxChannels(),
    directoryCache: new DirectoryCache(database.db),
    scimProgress: new ScimProgressMemo(),
    scimRequestLog: new ScimRequestLog({ db: database.db, dialect: database.dialect, secrets, config, log }),
    branding: new BrandingStore(database.db),
    exhaustedTraceBuckets: new Map(),
    samlValidation: createSamlValidationPool(threadsFor(config.WORKERS)),
    acsConnections: new AcsConnections(),
  };
  clock.lap('keys');
  startVendorEventStream(ctx);
  startBackchannelLogout(ctx);
  startAuditStream(ctx);
  endSessionsWithConnections(ctx);
  clock.lap('context');
  return { ctx, database, migrations, phases: clock.phases, cpuPhases: clock.cpu };
}
