/**
 * How the benchmark talks to Gatehouse: in-process through Fastify's `app.inject()` (no sockets), or
 * over real HTTP with keep-alive connections, through node:http (default) or the built-in fetch
 * (undici, keep-alive by default). All return the same small response shape.
 */
import { Agent, request } from 'node:http';
import type { FastifyInstance } from 'fastify';

export interface BenchResponse {
  status: number;
  header(name: string): string | undefined;
  body: string;
}

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Transport {
  name: 'in-process' | 'HTTP' | 'HTTP (fetch)';
  send(req: BenchRequest): Promise<BenchResponse>;
}

export function injectTransport(app: FastifyInstance): Transport {
  return {
    name: 'in-process',
    async send({ method, path, headers, body }) {
      const res = await app.inject({ method, url: path, headers, payload: body });
      return {
        status: res.statusCode,
        header: (name) => {
          const v = res.headers[name.toLowerCase()];
          return Array.isArray(v) ? v.join(', ') : v === undefined ? undefined : String(v);
        },
        body: res.body,
      };
    },
  };
}

export function fetchTransport(baseUrl: string): Transport {
  return {
    name: 'HTTP (fetch)',
    async send({ method, path, headers, body }) {
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
      const text = await res.text();
      return { status: res.status, header: (name) => res.headers.get(name) ?? undefined, body: text };
    },
  };
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' } as const;

/**
 * The same over node:http with a keep-alive agent (one socket per worker). The default load
 * generator: it costs ~1.1 ms of CPU per login against fetch's ~2.8 ms, and on a 2-vCPU machine
 * whatever the client burns is taken from the server.
 */
export function nodeHttpTransport(baseUrl: string, maxSockets: number): Transport {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(baseUrl);
  return {
    name: 'HTTP',
    send({ method, path, headers, body }) {
      return new Promise((resolve, reject) => {
        const req = request({ agent, hostname, port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const h = res.headers;
            resolve({ status: res.statusCode ?? 0, header: (name) => { const v = h[name.toLowerCase()]; return Array.isArray(v) ? v.join(', ') : v; }, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    },
  };
}

/** Spreads requests over several transports (instances behind a load balancer), one after another. */
export function roundRobin(transports: Transport[]): Transport {
  if (transports.length === 1) return transports[0]!;
  let next = 0;
  return { name: transports[0]!.name, send: (req) => transports[next++ % transports.length]!.send(req) };
}
