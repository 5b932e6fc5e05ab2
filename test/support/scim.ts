/**
 * Helpers for Directory Sync tests: a Gatehouse with a directory, a SCIM client over app.inject(),
 * and a real webhook receiver on 127.0.0.1 that checks signatures.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { startGatehouse, API_KEY, type RunningGatehouse } from './gatehouse.ts';
import type { DialectName } from '../../src/storage/dialect.ts';
import { verifyWebhookSignature } from '../../src/directory-sync/webhooks/signer.ts';

export interface TestDirectory {
  id: string;
  secret: string;
  endpoint: string;
  path: string;
}

export async function createDirectory(gh: RunningGatehouse, body: Record<string, unknown> = {}): Promise<TestDirectory> {
  const res = await gh.app.inject({
    method: 'POST', url: '/api/v1/dsync', headers: { authorization: `Api-Key ${API_KEY}` },
    payload: { tenant: 'acme.com', product: 'crm', name: 'Acme', type: 'generic-scim-v2', ...body },
  });
  if (res.statusCode !== 201) throw new Error(`directory create failed: ${res.statusCode} ${res.body}`);
  const d = res.json().data;
  return { id: d.id, secret: d.scim.secret, endpoint: d.scim.endpoint, path: d.scim.path };
}

export type Scim = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, payload?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any; headers: Record<string, unknown>; text: string }>;

export function scimClient(gh: RunningGatehouse, dir: TestDirectory): Scim {
  return async (method, path, payload, headers = {}) => {
    const res = await gh.app.inject({
      method, url: `${dir.path}${path}`,
      headers: { authorization: `Bearer ${dir.secret}`, ...(payload !== undefined ? { 'content-type': 'application/scim+json' } : {}), ...headers },
      ...(payload !== undefined ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}),
    });
    let body: unknown = null;
    try {
      body = res.body ? JSON.parse(res.body) : null;
    } catch {
      body = res.body;
    }
    return { status: res.statusCode, body, headers: res.headers as Record<string, unknown>, text: res.body };
  };
}

export async function startWithDirectory(opts: { dialect?: DialectName; env?: Record<string, string>; listen?: boolean; directory?: Record<string, unknown> } = {}) {
  const gh = await startGatehouse({ dialect: opts.dialect, env: opts.env, listen: opts.listen });
  if (!gh) return null;
  const dir = await createDirectory(gh, opts.directory);
  return { gh, dir, scim: scimClient(gh, dir) };
}

export interface Received {
  id: string;
  event: string;
  body: any;
  raw: string;
  headers: IncomingMessage['headers'];
  signatureOk: boolean;
}

/** A webhook receiver on 127.0.0.1. `respond` decides the status (default 200). */
export async function startReceiver(secret: string, respond: (body: any, n: number) => number = () => 200) {
  const received: Received[] = [];
  let calls = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = JSON.parse(raw);
      } catch {
        // Not a webhook (a stray request from another process on this machine): refused, not counted, never thrown.
        res.writeHead(400, { 'content-type': 'text/plain' }).end('not a webhook');
        return;
      }
      const status = respond(body, ++calls);
      if (status >= 200 && status < 300) {
        const sig = String(req.headers['boxyhq-signature'] ?? '');
        const own = String(req.headers['gatehouse-signature'] ?? '');
        received.push({ id: body.id, event: body.event, body, raw, headers: req.headers, signatureOk: sig === own && verifyWebhookSignature(secret, sig, raw, Date.now()) });
      }
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver unavailable');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`;
  return {
    url,
    received,
    get calls() {
      return calls;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
