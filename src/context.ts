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
import type { EventHub } from './events/event-hub.ts';

export interface AppContext {
  config: Readonly<Config>;
  db: Kysely<Database>;
  dialect: DialectName;
  secrets: SecretBox;
  /** The SAML SP key and the id_token keys (read at boot; generated in the background on a first boot). */
  keys: DeploymentKeys;
  /** The service's own logger, for work done outside any request (deliveries, maintenance, boot). */
  log: Logger;
  /** What happened, for the layers above to hear (sign-ins completed or refused: src/sso/login-events.ts). */
  events: EventHub;
  /** The clock (epoch ms); tests may pass their own. */
  now(): number;
  // The app-wide services below the protocol layers are declared here; those that belong to a domain
  // (metrics, the outbox signal, the SCIM directory cache, the branding store) are declared by their
  // owners as fields of this interface (`declare module '…/context.ts'`), so this file imports no domain.
  /** SSO trace buckets this instance found exhausted, with the hour they filled (src/admin/trace-budget.ts). */
  exhaustedTraceBuckets: Map<string, number>;
}

/**
 * The logger of the request being served (Fastify's `req.log`, which carries its `reqId`), passed to
 * the code that logs on the request's behalf, so its lines can be found with the request's access line.
 */
export type RequestLog = Pick<Logger, 'info' | 'warn'>;
