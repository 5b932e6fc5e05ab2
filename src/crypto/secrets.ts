/**
 * Secrets at rest: AES-256-GCM with a key id so keys can be rotated (the first key encrypts, every
 * configured key decrypts), SHA-256 lookups for high-entropy tokens, and constant-time comparison.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomFillSync, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';
const TAG_BYTES = 16;

// CSPRNG bytes drawn from a 4 KiB pool refilled by randomFillSync, as crypto.randomUUID does: each call of
// randomBytes() cost ~60 µs on the benchmark machine (a getrandom per call); every byte is used once.
const pool = Buffer.alloc(4096);
let used = pool.length;

/** `n` (≤ 4096) fresh random bytes from the pool, in a buffer of their own. */
export function randomBytesPooled(n: number): Buffer {
  if (used + n > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const out = Buffer.from(pool.subarray(used, used + n));
  used += n;
  return out;
}

export interface SecretBox {
  /**
   * `context` (optional) is bound into the AAD: the sealed value opens only with the same context, so a value
   * copied into another row (another directory's column, say) does not open there.
   */
  encrypt(plaintext: string, context?: string): string;
  decrypt(sealed: string, context?: string): string;
  /** Key id of the current encryption key (first 8 hex chars of SHA-256 of the key). */
  readonly keyId: string;
  /**
   * A keyed hash of `value` for an equality lookup in the database (a connection's clientSecret, decision 0047):
   * `<key id>.<HMAC-SHA256 base64url>`, its key derived from the current encryption key with HKDF-SHA256 and
   * `purpose` as the info, so each purpose has its own key and none is the encryption key. After ENCRYPTION_KEY
   * rotates, values hashed with the old key carry the old key id and no longer match: a caller falls back to the
   * sealed value and hashes again.
   */
  keyedHash(purpose: string, value: string): string;
}

const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);
// The key id is 8 hex characters, so `v1.<kid>` and `v1.<kid>.<context>` never collide.
const aadOf = (kid: string, context?: string) => Buffer.from(context === undefined ? `${VERSION}.${kid}` : `${VERSION}.${kid}.${context}`);

export function createSecretBox(keys: Buffer[]): SecretBox {
  if (keys.length === 0) throw new Error('at least one encryption key is required');
  const byId = new Map(keys.map((k) => [keyIdOf(k), k]));
  const current = keys[0]!;
  const currentId = keyIdOf(current);
  const hashKeys = new Map<string, Buffer>();
  const hashKeyOf = (purpose: string) => {
    let k = hashKeys.get(purpose);
    if (!k) hashKeys.set(purpose, (k = Buffer.from(hkdfSync('sha256', current, Buffer.alloc(0), `gatehouse-keyed-hash-v1:${purpose}`, 32))));
    return k;
  };
  return {
    keyId: currentId,
    keyedHash: (purpose, value) => `${currentId}.${createHmac('sha256', hashKeyOf(purpose)).update(value, 'utf8').digest('base64url')}`,
    encrypt(plaintext, context) {
      const iv = randomBytesPooled(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(aadOf(currentId, context));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, currentId, iv.toString('base64url'), ct.toString('base64url'), tag.toString('base64url')].join('.');
    },
    decrypt(sealed, context) {
      const [v, kid, iv, ct, tag] = sealed.split('.');
      if (v !== VERSION || !kid || iv === undefined || ct === undefined || tag === undefined) throw new Error('not a sealed secret');
      const key = byId.get(kid);
      if (!key) throw new Error(`no encryption key with id ${kid} is configured (was ENCRYPTION_KEY rotated without ENCRYPTION_KEYS_PREVIOUS?)`);
      // GCM accepts truncated tags (4..15 bytes) unless told otherwise: a 4-byte tag is forged in ~2^32 tries.
      const authTag = Buffer.from(tag, 'base64url');
      if (authTag.length !== TAG_BYTES) throw new Error('the sealed secret has a truncated authentication tag');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(aadOf(kid, context));
      decipher.setAuthTag(authTag);
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** Lookup hash for a high-entropy token (codes, access tokens, API keys, setup-link tokens). */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** A new random token with `bytes` of entropy, base64url. */
export const randomToken = (bytes = 32): string => randomBytesPooled(bytes).toString('base64url');

/** Constant-time string equality (compares SHA-256 digests so lengths never leak). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** S256 PKCE challenge of a verifier. */
export const pkceChallenge = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');
