/**
 * The RS256 keys that sign id_tokens. Stored sealed in the database so every instance signs with the
 * same key and the JWKS lists the same set. Rotation adds a newer key dated a little in the future
 * (`created_at` is when it starts signing): every instance publishes it in its JWKS first (each looks for a
 * changed key set every KEYSET_REFRESH_SECONDS), and only then does any of them sign with it, so an app never
 * meets a `kid` that the JWKS it fetched lacks. Older, unretired keys stay in the JWKS for verification.
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
export async function loadJwtKeys(db: Kysely<Database>, secrets: SecretBox, clock: () => number, known?: SigningKeyRow[]): Promise<JwtKeys> {
  const now = clock();
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
    return { kid: r.id, privateKey, publicJwk: { ...jwk, kid: r.id, alg: 'RS256', use: 'sig' }, signsFrom: r.created_at };
  });
  // Newest first (listActive's order); a key dated in the future waits, and the oldest signs if none is due yet.
  const keys = all.map(({ signsFrom: _, ...k }) => k);
  return {
    get current() {
      const t = clock();
      const i = all.findIndex((k) => k.signsFrom <= t);
      return keys[i === -1 ? keys.length - 1 : i]!;
    },
    all: keys,
  };
}

/**
 * Adds a new signing key that starts signing at `signsFrom` (default now): rotation passes now plus two key-set
 * refresh intervals, so every instance lists it in its JWKS before any signs with it.
 */
export async function rotateJwtKey(db: Kysely<Database>, secrets: SecretBox, now: number, signsFrom = now): Promise<string> {
  const row = await newKeyRow(`jwt-${now.toString(36)}`, secrets, signsFrom);
  await signingKeysRepo.insertIfAbsent(db, row);
  return row.id;
}
