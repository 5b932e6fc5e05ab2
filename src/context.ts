/**
 * What every handler receives: configuration, storage and long-lived keys. Nothing here is
 * per-request; per-request state lives on the Fastify request or in explicit arguments.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './storage/schema.ts';
import type { DialectName } from './storage/dialect.ts';
import type { SecretBox } from './crypto/secrets.ts';
import type { SpCredentials } from './sso/saml/sp-credentials.ts';
import type { JwtKeys } from './oauth/keys.ts';

export interface AppContext {
  config: Readonly<Config>;
  db: Kysely<Database>;
  dialect: DialectName;
  secrets: SecretBox;
  sp: SpCredentials;
  jwtKeys: JwtKeys;
  log: Logger;
  /** The clock (epoch ms); tests may pass their own. */
  now(): number;
}
