/**
 * The `sub` Gatehouse gives apps. By default it is opaque and stable per connection: an HMAC of the
 * connection id and the IdP's NameID (or upstream OIDC `sub`) under the deployment's subject key, so two
 * tenants' IdPs that assert the same NameID never yield the same `sub`
 * (docs/decisions/0010-subjects-per-connection.md). `JACKSON_COMPAT=true` passes `'nameid'` instead,
 * which makes `sub` the raw NameID as in SAML Jackson.
 *
 * The subject key is 32 random bytes made once per deployment and kept in the database beside the other
 * deployment keys, sealed with ENCRYPTION_KEY. Its value does not depend on ENCRYPTION_KEY, so rotating
 * ENCRYPTION_KEY re-seals it at most and never changes a `sub`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';
import { signingKeysRepo, type SigningKeyRow } from '../storage/index.ts';
import type { SecretBox } from '../crypto/secrets.ts';
import type { Config } from '../config.ts';

/** `per-connection`: opaque HMAC (the default). `nameid`: the raw NameID (Jackson's behaviour). */
export type SubjectMode = 'per-connection' | 'nameid';

/** The one place the mode is chosen: `JACKSON_COMPAT=true` gives Jackson's raw NameID. */
export const subjectModeOf = (config: Readonly<Config>): SubjectMode => (config.JACKSON_COMPAT ? 'nameid' : 'per-connection');

/**
 * The `sub` for a NameID asserted through a connection. Pure: the same inputs give the same `sub` on
 * every instance and after every restart. The connection id is length-prefixed so no (connection, NameID)
 * pair can be spelled as another.
 */
export function subjectFor(input: { mode: SubjectMode; key: Buffer; connectionId: string; nameId: string }): string {
  if (input.mode === 'nameid') return input.nameId;
  return createHmac('sha256', input.key).update(`gatehouse-sub-v1:${input.connectionId.length}:${input.connectionId}:${input.nameId}`).digest('base64url');
}

/** Fixed id, as for the first SP and id_token keys: instances booting together on a new database agree on one key. */
const SUBJECT_KEY_ID = 'subject-1';

/**
 * The deployment's subject key, made on first use. Kept in `signing_keys` (use `subject`; it has no public
 * half). `known`: the rows when the caller has just read them.
 */
export async function loadSubjectKey(db: Kysely<Database>, secrets: SecretBox, now: number, known?: SigningKeyRow[]): Promise<Buffer> {
  let rows = known ?? (await signingKeysRepo.listAll(db, 'subject'));
  if (rows.length === 0) {
    const key = randomBytes(32).toString('base64url');
    await signingKeysRepo.insertIfAbsent(db, { id: SUBJECT_KEY_ID, use: 'subject', private_key_enc: secrets.encrypt(key), public_pem: '', created_at: now, retired_at: null });
    rows = await signingKeysRepo.listAll(db, 'subject');
  }
  // Never retired or replaced: a new key would change every user's `sub`. The oldest row wins should two exist.
  const row = rows[rows.length - 1]!;
  return Buffer.from(secrets.decrypt(row.private_key_enc), 'base64url');
}
