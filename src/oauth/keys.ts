/**
 * The RS256 keys that sign id_tokens. Stored sealed in the database so every instance signs with the
 * same key and the JWKS lists the same set; rotation adds a newer key (which then signs) while older,
 * unretired keys stay in the JWKS for verification.
 */
import { createPrivateKey, createPublicKey, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';
import { signingKeysRepo, type SigningKeyRow } from '../storage/index.ts';
import type { SecretBox } from '../crypto/secrets.ts';
import type { JwtKeys } from '../crypto/deployment-keys.ts';

// Generated off the main thread (libuv's pool): a first boot makes this key and the SP key at the same time.
const generateRsaKeyPair = promisify(generateKeyPair);

async function newKeyRow(id: string, secrets: SecretBox, now: number) {
  const { privateKey, publicKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  return {
    id, use: 'jwt' as const,
    private_key_enc: secrets.encrypt(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
    public_pem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    created_at: now, retired_at: null,
  };
}

/** `known`: the active rows when the caller has just read them. */
export async function loadJwtKeys(db: Kysely<Database>, secrets: SecretBox, now: number, known?: SigningKeyRow[]): Promise<JwtKeys> {
  let rows = known ?? (await signingKeysRepo.listActive(db, 'jwt'));
  if (rows.length === 0) {
    // One fixed id for the first key (as the SP key's): instances booting together on a new database all
    // try to insert it and all read back the one that won, instead of each signing with a key of its own.
    await signingKeysRepo.insertIfAbsent(db, await newKeyRow('jwt-1', secrets, now));
    rows = await signingKeysRepo.listActive(db, 'jwt');
  }
  const all = rows.map((r) => {
    const privateKey = createPrivateKey(secrets.decrypt(r.private_key_enc));
    const jwk = createPublicKey(r.public_pem).export({ format: 'jwk' }) as Record<string, unknown>;
    return { kid: r.id, privateKey, publicJwk: { ...jwk, kid: r.id, alg: 'RS256', use: 'sig' } };
  });
  return { current: all[0]!, all };
}

/** Adds a new signing key; instances pick it up when they reload keys. */
export async function rotateJwtKey(db: Kysely<Database>, secrets: SecretBox, now: number): Promise<string> {
  const row = await newKeyRow(`jwt-${now.toString(36)}`, secrets, now);
  await signingKeysRepo.insertIfAbsent(db, row);
  return row.id;
}
