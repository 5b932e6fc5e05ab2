/**
 * A small real OpenID provider under the test's control, for answers a well-behaved provider never
 * gives: real HTTP (discovery, JWKS, token endpoint) on 127.0.0.1 and real jose signing, but the id_token
 * its token endpoint returns is whatever the test prepared (signed by a key outside the JWKS, without a
 * kid, with a swapped payload, issued in the future). Gatehouse's real code talks to it over HTTP.
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { freePort } from './gatehouse.ts';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function newSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export interface ForgingOp {
  issuer: string;
  clientId: string;
  /** The key the provider signs with and publishes. */
  key: SigningKey;
  /** Keys published at the JWKS endpoint (default: `key`). */
  published: SigningKey[];
  /** The id_token the next token request receives. */
  nextIdToken: string;
  /** How many times the JWKS and the token endpoint were called. */
  hits: { jwks: number; token: number };
  /** Signs `claims` (merged over valid defaults for `nonce`) with `key` (default: the published key); `kid: null` leaves the header without one. */
  sign(nonce: string, opts?: { claims?: Record<string, unknown>; key?: SigningKey; kid?: string | null }): Promise<string>;
  close(): Promise<void>;
}

export async function startForgingOp(opts: { clientId?: string; now?: () => number } = {}): Promise<ForgingOp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = opts.clientId ?? 'forging-op-client';
  const now = opts.now ?? Date.now;
  const key = await newSigningKey('op-key-1');
  const op: ForgingOp = {
    issuer, clientId, key, published: [key], nextIdToken: '', hits: { jwks: 0, token: 0 },
    async sign(nonce, o = {}) {
      const k = o.key ?? op.key;
      const t = Math.floor(now() / 1000);
      const header = { alg: 'RS256', typ: 'JWT', ...(o.kid === null ? {} : { kid: o.kid ?? k.kid }) };
      return new SignJWT({ iss: issuer, aud: clientId, sub: 'alice', email: 'alice@acme.com', nonce, iat: t, exp: t + 300, ...o.claims })
        .setProtectedHeader(header)
        .sign(k.privateKey);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  const json = (res: import('node:http').ServerResponse, body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    req.resume();
    if (path === '/.well-known/openid-configuration') {
      return json(res, {
        issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
        id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['client_secret_basic'],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (path === '/jwks') {
      op.hits.jwks++;
      return json(res, { keys: op.published.map((k) => k.publicJwk) });
    }
    if (path === '/token' && req.method === 'POST') {
      op.hits.token++;
      return req.on('end', () => json(res, { access_token: 'upstream-access-token', token_type: 'Bearer', expires_in: 300, id_token: op.nextIdToken }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return op;
}
