/**
 * The deployment's own keys as the request path reaches them: the SAML SP key and certificate (signs
 * AuthnRequests, decrypts assertions), the id_token signing keys and the key of per-connection `sub`s.
 * All live sealed in the database.
 *
 * On a restart they are read and unsealed during boot, so a wrong ENCRYPTION_KEY stops the boot with its
 * error. On a first boot there are none yet, and making two RSA-2048 keys takes 0.2–0.7 s: boot starts it
 * and does not wait, so the instance answers at once and the first request that needs a key waits for
 * it (docs/decisions/0008-ship-a-bundled-server.md). A failed generation is logged and tried again by the
 * next request that asks. Each instance keeps what it loaded until it restarts (see rotateJwtKey).
 *
 * This file holds the key material's types and the load-once policy; how each key is read or made is
 * passed in by boot (`deploymentKeyLoaders`): the SP key by sso/saml, the id_token keys by oauth, the
 * subject key by sso. So crypto/ sits below the protocols (docs/decisions/0013-layers.md).
 */
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../storage/schema.ts';
import { signingKeysRepo, type SigningKeyRow } from '../storage/index.ts';
import type { SecretBox } from './secrets.ts';

/** The SAML SP key and certificate (src/sso/saml/sp-credentials.ts). */
export interface SpCredentials {
  kid: string;
  certPem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface JwtSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

/** The id_token signing keys (src/oauth/keys.ts). */
export interface JwtKeys {
  /** The key that signs (the newest active one). */
  current: JwtSigningKey;
  /** Every active key, for the JWKS. */
  all: JwtSigningKey[];
}

/** Reads each key, or makes it on a first boot; `known`: the rows the caller has just read. */
export interface DeploymentKeyLoaders {
  sp(db: Kysely<Database>, secrets: SecretBox, commonName: string, now: number, known?: SigningKeyRow[]): Promise<SpCredentials>;
  jwt(db: Kysely<Database>, secrets: SecretBox, now: number, known?: SigningKeyRow[]): Promise<JwtKeys>;
  subject(db: Kysely<Database>, secrets: SecretBox, now: number, known?: SigningKeyRow[]): Promise<Buffer>;
}

export interface DeploymentKeys {
  sp(): Promise<SpCredentials>;
  jwt(): Promise<JwtKeys>;
  /** The HMAC key of per-connection `sub`s (src/sso/subjects.ts); never rotated. */
  subject(): Promise<Buffer>;
}

/** One load shared by every caller; forgotten when it fails, so the next caller tries again. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () =>
    (loading ??= load().catch((err: unknown) => {
      loading = null;
      throw err;
    }));
}

export async function openDeploymentKeys(db: Kysely<Database>, secrets: SecretBox, o: { spCommonName: string; now: () => number; log: Logger; load: DeploymentKeyLoaders }): Promise<DeploymentKeys> {
  const [spRows, jwtRows, subjectRows] = await Promise.all([signingKeysRepo.listActive(db, 'saml_sp'), signingKeysRepo.listActive(db, 'jwt'), signingKeysRepo.listAll(db, 'subject')]);
  const firstRead = { sp: spRows.length ? spRows : undefined, jwt: jwtRows.length ? jwtRows : undefined, subject: subjectRows.length ? subjectRows : undefined };
  const keys: DeploymentKeys = {
    sp: once(() => o.load.sp(db, secrets, o.spCommonName, o.now(), firstRead.sp)),
    jwt: once(() => o.load.jwt(db, secrets, o.now(), firstRead.jwt)),
    subject: once(() => o.load.subject(db, secrets, o.now(), firstRead.subject)),
  };
  const both = Promise.all([keys.sp(), keys.jwt(), keys.subject()]);
  if (firstRead.sp && firstRead.jwt && firstRead.subject) await both;
  else both.catch((err: unknown) => o.log.error({ err }, 'generating the deployment keys failed; the next request that needs one tries again'));
  return keys;
}
