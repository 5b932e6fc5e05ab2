/**
 * RS256 compact JWS with node:crypto (RFC 7515 §7.1, RFC 7518 §3.3): base64url(header).base64url(payload), signed
 * with RSASSA-PKCS1-v1_5 SHA-256. jose's SignJWT did the same through WebCrypto, which on Node 20 costs ~60–100 µs
 * of CPU more per id_token (claims checks, its own base64, a CryptoKey round trip); node:crypto's `sign` with a
 * callback still runs the RSA operation on libuv's threadpool, off the event loop. The key is the `KeyObject` loaded
 * once with the key set (oauth/keys.ts).
 */
import { sign, type KeyObject } from 'node:crypto';

const b64url = (value: object) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** `header` gets `alg: RS256`; `payload` is serialized as given (undefined members are left out, as JSON does). */
export function signRs256(header: { kid: string; typ?: string }, payload: object, key: KeyObject): Promise<string> {
  if (key.type !== 'private' || key.asymmetricKeyType !== 'rsa') return Promise.reject(new TypeError('RS256 needs an RSA private key'));
  const input = `${b64url({ alg: 'RS256', ...header })}.${b64url(payload)}`;
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(input, 'utf8'), key, (err, signature) => (err ? reject(err) : resolve(`${input}.${signature.toString('base64url')}`)));
  });
}
