/**
 * The deployment's own keys as the request path reaches them: the SAML SP key and certificate (signs
 * AuthnRequests, decrypts assertions), the id_token signing keys and the key of per-connection `sub`s.
 * All live sealed in the database.
 *
 * On a restart they are read and unsealed during boot, so a wrong ENCRYPTION_KEY stops the boot with its
 * error. On a first boot there are none yet, and making two RSA-2048 keys takes 0.2–0.7 s: boot starts it
 * and does not wait, so the instance answers at once and the first request that needs a key waits for
 * it (docs/decisions/0008-ship-a-bundled-server.md). A failed generation is logged and tried again by the
 * next request that asks. Each instance keeps what it loaded until the active key set in the database changes: it
 * checks at most every `refreshMs` (KEYSET_REFRESH_SECONDS), in the background, so a key rotated or imported on one
 * instance (`gatehouse rotate-signing-key`, `gatehouse import-jackson`) reaches every other one without a restart.
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
  /** The key that signs: the newest active one whose time has come (src/oauth/keys.ts). */
  readonly current: JwtSigningKey;
  /** Every active key, for the JWKS. */
  all: JwtSigningKey[];
}

/** Reads each key, or makes it on a first boot; `known`: the rows the caller has just read. */
export interface DeploymentKeyLoaders {
  sp(db: Kysely<Database>, secrets: SecretBox, commonName: string, now: number, known?: SigningKeyRow[]): Promise<SpCredentials>;
  /** `clock`: which key signs depends on the time (a rotated key starts signing once every instance publishes it). */
  jwt(db: Kysely<Database>, secrets: SecretBox, clock: () => number, known?: SigningKeyRow[]): Promise<JwtKeys>;
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

/** The identity of an active key set: which keys, and when each was made. */
const keySetOf = (rows: SigningKeyRow[]) => rows.map((r) => `${r.id}@${r.created_at}`).sort().join(',');

/**
 * Follows a key set in the database: `get` answers what is loaded at once; when `refreshMs` has passed since the
 * last look, one background read of the active rows reloads the keys if the set changed (a failed read keeps the
 * keys in use and is logged). Per instance, and nothing else depends on it: the rows are the state.
 */
function followKeySet<T>(get: () => Promise<T>, o: { read: () => Promise<SigningKeyRow[]>; reload: (rows: SigningKeyRow[]) => Promise<T>; seen: SigningKeyRow[] | undefined; refreshMs: number; now: () => number; log: Logger; what: string }): () => Promise<T> {
  let current = get;
  let seen = keySetOf(o.seen ?? []);
  let nextLook = o.now() + o.refreshMs;
  let looking = false;
  const look = async () => {
    const rows = await o.read();
    const set = keySetOf(rows);
    if (rows.length === 0 || set === seen) return;
    const loaded = await o.reload(rows);
    seen = set;
    current = () => Promise.resolve(loaded);
    o.log.info({ keys: o.what, active: rows.map((r) => r.id) }, 'the active key set changed in the database: now using it');
  };
  return () => {
    if (!looking && o.now() >= nextLook) {
      looking = true;
      nextLook = o.now() + o.refreshMs;
      look().catch((err: unknown) => o.log.warn({ err, keys: o.what }, 'reading the active key set failed; keeping the keys in use')).finally(() => (looking = false));
    }
    return current();
  };
}

export async function openDeploymentKeys(db: Kysely<Database>, secrets: SecretBox, o: { spCommonName: string; now: () => number; log: Logger; load: DeploymentKeyLoaders; refreshMs?: number }): Promise<DeploymentKeys> {
  const [spRows, jwtRows, subjectRows] = await Promise.all([signingKeysRepo.listActive(db, 'saml_sp'), signingKeysRepo.listActive(db, 'jwt'), signingKeysRepo.listAll(db, 'subject')]);
  const firstRead = { sp: spRows.length ? spRows : undefined, jwt: jwtRows.length ? jwtRows : undefined, subject: subjectRows.length ? subjectRows : undefined };
  const follow = { refreshMs: o.refreshMs ?? 30_000, now: o.now, log: o.log };
  const keys: DeploymentKeys = {
    sp: followKeySet(once(() => o.load.sp(db, secrets, o.spCommonName, o.now(), firstRead.sp)), {
      ...follow, what: 'saml_sp', seen: firstRead.sp, read: () => signingKeysRepo.listActive(db, 'saml_sp'), reload: (rows) => o.load.sp(db, secrets, o.spCommonName, o.now(), rows),
    }),
    jwt: followKeySet(once(() => o.load.jwt(db, secrets, o.now, firstRead.jwt)), {
      ...follow, what: 'jwt', seen: firstRead.jwt, read: () => signingKeysRepo.listActive(db, 'jwt'), reload: (rows) => o.load.jwt(db, secrets, o.now, rows),
    }),
    subject: once(() => o.load.subject(db, secrets, o.now(), firstRead.subject)),
  };
  const both = Promise.all([keys.sp(), keys.jwt(), keys.subject()]);
  if (firstRead.sp && firstRead.jwt && firstRead.subject) await both;
  else both.catch((err: unknown) => o.log.error({ err }, 'generating the deployment keys failed; the next request that needs one tries again'));
  return keys;
}
