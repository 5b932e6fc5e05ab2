/**
 * What every handler receives: configuration, storage, long-lived keys and the app-wide services, all
 * built in boot(). Nothing here is per-request; per-request state lives on the Fastify request or in
 * explicit arguments. Services are fields here, never module-level maps keyed by the database.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './storage/schema.ts';
import type { DialectName } from './storage/dialect.ts';
import type { SecretBox } from './crypto/secrets.ts';
import type { DeploymentKeys } from './crypto/deployment-keys.ts';
import type { Metrics } from './observability/metrics.ts';
import type { OutboxSignal } from './directory-sync/events/outbox-signal.ts';
import type { DirectoryCache } from './directory-sync/scim/directory-cache.ts';
import type { BrandingStore } from './admin/branding-store.ts';

export interface AppContext {
  config: Readonly<Config>;
  db: Kysely<Database>;
  dialect: DialectName;
  secrets: SecretBox;
  /** The SAML SP key and the id_token keys (read at boot; generated in the background on a first boot). */
  keys: DeploymentKeys;
  /** The service's own logger, for work done outside any request (deliveries, maintenance, boot). */
  log: Logger;
  /** The clock (epoch ms); tests may pass their own. */
  now(): number;
  /** This app's Prometheus metrics (src/observability/metrics.ts); domain code records through observability/hooks.ts. */
  metrics: Metrics;
  /** Wakes this instance's webhook deliverer after events are written. */
  outbox: OutboxSignal;
  /** Directories the SCIM bearer hook read, for 2 s (on every SCIM request). */
  directoryCache: DirectoryCache;
  /** The branding, cached for 5 s (on every request that may answer with a page). */
  branding: BrandingStore;
  /** SSO trace buckets this instance found exhausted, with the hour they filled (src/admin/trace-budget.ts). */
  exhaustedTraceBuckets: Map<string, number>;
}

/**
 * The logger of the request being served (Fastify's `req.log`, which carries its `reqId`), passed to
 * the code that logs on the request's behalf, so its lines can be found with the request's access line.
 */
export type RequestLog = Pick<Logger, 'info' | 'warn'>;
