/**
 * One webhook POST, with the SSRF guard applied where it cannot be bypassed: the address is checked
 * inside the connection's own DNS lookup (so a host cannot resolve to a public address for a check
 * and to a private one for the connection), IP literals are checked directly, plain HTTP and private
 * addresses only for hosts in OUTBOUND_ALLOW_HOSTS. Redirects are not followed. Returns the status,
 * latency and the first 1 KiB of the answer.
 */
import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from '../../net/outbound-address.ts';

export interface SendResult {
  status: number | null;
  latencyMs: number;
  excerpt: string | null;
  error: string | null;
}

export interface SenderOptions {
  allowHosts: readonly string[];
  timeoutMs: number;
}

const EXCERPT_BYTES = 1024;

function guardedLookup(allowed: boolean): LookupFunction {
  return ((hostname: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, options as never, (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => {
      if (err) return callback(err, address, family);
      const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const bad = !allowed && list.find((a) => isPrivateAddress(a));
      if (bad) return callback(Object.assign(new Error(`refused: ${hostname} resolves to a private address (${bad})`), { code: 'EPRIVATE' }), address, family);
      callback(null, address, family);
    });
  }) as LookupFunction;
}

export function createSender(opts: SenderOptions) {
  const allow = new Set(opts.allowHosts.map((h) => h.toLowerCase()));
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  async function send(rawUrl: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    const started = performance.now();
    const done = (r: Omit<SendResult, 'latencyMs'>): SendResult => ({ ...r, latencyMs: Math.round(performance.now() - started) });
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return done({ status: null, excerpt: null, error: 'the webhook URL is not valid' });
    }
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const allowed = allow.has(host);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed)) return done({ status: null, excerpt: null, error: 'refused: webhook URLs must use https (plain http only for OUTBOUND_ALLOW_HOSTS)' });
    if (isIP(host) && !allowed && isPrivateAddress(host)) return done({ status: null, excerpt: null, error: `refused: ${host} is a private address` });
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (r: Omit<SendResult, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(done(r));
      };
      const req = mod.request(
        url,
        {
          method: 'POST',
          agent: url.protocol === 'https:' ? agents.https : agents.http,
          lookup: guardedLookup(allowed),
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Gatehouse-Webhooks/1', ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < EXCERPT_BYTES) chunks.push(c);
            size += c.length;
          });
          res.on('end', () => finish({ status: res.statusCode ?? null, excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'), error: null }));
          res.on('error', (err) => finish({ status: res.statusCode ?? null, excerpt: null, error: err.message }));
        },
      );
      // One deadline for the whole exchange (connect, send, answer), as a plain timer: an AbortSignal per
      // POST cost ~40 µs of the sender thread's CPU, a third of its work per event.
      const deadline = setTimeout(() => {
        finish({ status: null, excerpt: null, error: `timed out after ${opts.timeoutMs} ms` });
        req.destroy();
      }, opts.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => finish({ status: null, excerpt: null, error: err.message }));
      req.end(body);
    });
  }

  return {
    send,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
