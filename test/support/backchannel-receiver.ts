/**
 * A real OpenID Connect Back-Channel Logout receiver for tests: an HTTP server on 127.0.0.1 that takes the
 * form-encoded `logout_token`, verifies it with jose against Gatehouse's `/oauth/jwks` over HTTP
 * (createRemoteJWKSet), as an app would, and records what it verified. It answers 200, or, as told, 503 (down)
 * or 400 with `{"error": …}` (the spec's "logout failed").
 */
import { createServer, type Server } from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';

export interface ReceivedLogout {
  claims: JWTPayload & { sid?: string; events?: Record<string, unknown>; nonce?: unknown };
  header: ProtectedHeaderParameters;
  contentType: string | undefined;
  at: number;
}

export interface BackchannelReceiver {
  url: string;
  received: ReceivedLogout[];
  /** Requests that could not be verified (kept so a test sees them instead of waiting out a timeout). */
  rejected: string[];
  /** Requests seen, verified or not, whatever was answered. */
  hits: number;
  /** What to answer: 200, 503 or 400. */
  answer: 200 | 400 | 503;
  /** Waits (polling) until `pred` holds over the received tokens; throws after `timeoutMs`. */
  waitFor(pred: (r: ReceivedLogout[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBackchannelReceiver(gatehouseBaseUrl: string, issuer: string): Promise<BackchannelReceiver> {
  const jwks = createRemoteJWKSet(new URL('/oauth/jwks', gatehouseBaseUrl));
  const r: BackchannelReceiver = {
    url: '', received: [], rejected: [], hits: 0, answer: 200,
    async waitFor(pred, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (!pred(r.received)) {
        if (r.rejected.length) throw new Error(`the receiver rejected: ${r.rejected.join('; ')}`);
        if (Date.now() > until) throw new Error(`the receiver did not get the expected logout tokens within ${timeoutMs} ms (got ${r.received.length})`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    close: () => new Promise((res) => server.close(() => res())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      r.hits++;
      if (r.answer === 503) return void res.writeHead(503).end('down');
      try {
        const token = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('logout_token');
        if (!token) throw new Error('no logout_token');
        // As the spec's §2.6 validation: signature from the OP's JWKS, iss, a typ of logout+jwt, a fresh iat.
        const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer, typ: 'logout+jwt', algorithms: ['RS256'], maxTokenAge: '5m' });
        if (r.answer === 400) return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_request', error_description: 'this test refuses' }));
        r.received.push({ claims: payload as ReceivedLogout['claims'], header: protectedHeader, contentType: req.headers['content-type'], at: Date.now() });
        res.writeHead(200).end();
      } catch (err) {
        r.rejected.push((err as Error).message);
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_request' }));
      }
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  r.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/backchannel-logout`;
  return r;
}
