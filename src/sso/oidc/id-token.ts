/**
 * The upstream id_token's signature and time checks against the provider's published keys (pure: the
 * key set and the clock are inputs). openid-client checks issuer, audience, nonce and expiry of the
 * token it received from the token endpoint but, by OIDC Core §3.1.3.7, may skip its signature; we
 * never do: a token that the provider's JWKS does not verify never signs anyone in.
 */
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyOptions } from 'jose';

/** Signature algorithms a JWKS can verify; HS* (keyed with the client secret) and `none` are refused. */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export interface IdTokenCheck {
  idToken: string;
  /** The provider's JWKS as last fetched. */
  keys: JSONWebKeySet;
  issuer: string;
  clientId: string;
  /** The provider's `id_token_signing_alg_values_supported`; RS256 when it says nothing (OIDC Discovery default). */
  algorithms: readonly string[] | undefined;
  /** Milliseconds since the epoch. */
  now: number;
  skewSeconds: number;
}

export type IdTokenResult =
  | { ok: true; claims: JWTPayload }
  /** `unknownKey`: no key in the set matches the token's `kid`/`alg`, so a fresher JWKS might. */
  | { ok: false; reason: string; unknownKey: boolean };

async function verifyWithSet(token: string, keys: JSONWebKeySet, options: JWTVerifyOptions) {
  try {
    return await jwtVerify(token, createLocalJWKSet(keys), options);
  } catch (err) {
    if (!(err instanceof errors.JWKSMultipleMatchingKeys)) throw err;
    // Several keys fit a token without a `kid`: it must verify with one of them.
    for await (const key of err as unknown as AsyncIterable<CryptoKey>) {
      try {
        return await jwtVerify(token, key, options);
      } catch (inner) {
        if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw inner;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

function reasonOf(err: unknown, kid: unknown): string {
  if (err instanceof errors.JWKSNoMatchingKey) return kid ? `the id_token is signed with a key (kid "${String(kid).slice(0, 80)}") that is not in the provider's JWKS` : 'the id_token has no kid and no key in the provider\'s JWKS fits it';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the id_token\'s signature does not verify with the provider\'s JWKS';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the id_token is signed with an algorithm the provider does not advertise, or one a JWKS cannot verify';
  if (err instanceof errors.JWTExpired) return 'the id_token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `the id_token's "${err.claim}" claim is not valid (${err.reason})`;
  if (err instanceof errors.JOSEError) return `the id_token is not a valid signed JWT (${err.code})`;
  return 'the id_token could not be verified';
}

const headerKid = (token: string): unknown => {
  try {
    return (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown }).kid;
  } catch {
    return undefined;
  }
};

/** Verifies the id_token's signature with `keys` and its times with `now`; returns its claims or why not. */
export async function verifyIdToken(c: IdTokenCheck): Promise<IdTokenResult> {
  const algorithms = (c.algorithms?.length ? c.algorithms : ['RS256']).filter((a) => ASYMMETRIC.includes(a));
  if (!algorithms.length) return { ok: false, reason: 'the provider signs id_tokens only with algorithms a JWKS cannot verify (HS* or none)', unknownKey: false };
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await verifyWithSet(c.idToken, c.keys, {
      issuer: c.issuer, audience: c.clientId, algorithms: [...algorithms], currentDate: new Date(c.now), clockTolerance: c.skewSeconds,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch (err) {
    return { ok: false, reason: reasonOf(err, headerKid(c.idToken)), unknownKey: err instanceof errors.JWKSNoMatchingKey };
  }
  if (typeof claims.iat !== 'number' || claims.iat > c.now / 1000 + c.skewSeconds) {
    return { ok: false, reason: 'the id_token\'s "iat" (issued at) is in the future, beyond the allowed clock skew', unknownKey: false };
  }
  return { ok: true, claims };
}
