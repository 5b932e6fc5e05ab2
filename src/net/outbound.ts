/**
 * Outbound HTTP (IdP metadata URLs, OIDC discovery, JWKS, token and userinfo endpoints) with an SSRF
 * guard: HTTPS to public addresses only, unless the host is listed in OUTBOUND_ALLOW_HOSTS; a timeout
 * and a size cap on every call. The host is resolved once, every address it resolves to is checked,
 * and the connection is made to the checked address (pinned), so a name that answers a public address
 * to the check and a private one to the connection (DNS rebinding) never reaches the private one.
 * Webhooks do the same inside their own sender (directory-sync/webhooks/sender.ts).
 */
import { lookup, Resolver } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { GatehouseError } from '../errors.ts';
import type { Config } from '../config.ts';
import { isPrivateAddress } from './outbound-address.ts';

export interface OutboundPolicy {
  allowHosts: readonly string[];
  timeoutMs: number;
  /** Resolve hosts with these DNS servers instead of the system's resolver (OUTBOUND_DNS_SERVERS). */
  dnsServers?: readonly string[];
}

export const outboundPolicyOf = (config: Config): OutboundPolicy => ({ allowHosts: config.OUTBOUND_ALLOW_HOSTS, timeoutMs: config.OUTBOUND_TIMEOUT_MS, dnsServers: config.OUTBOUND_DNS_SERVERS });

const hostOf = (u: URL) => u.hostname.replace(/^\[|\]$/g, '').toLowerCase();

const resolvers = new Map<string, Resolver>();

/** Every address `host` resolves to (IP literals stand for themselves). */
async function resolveHost(host: string, policy: OutboundPolicy): Promise<string[]> {
  if (isIP(host)) return [host];
  if (!policy.dnsServers?.length) return (await lookup(host, { all: true })).map((a) => a.address);
  const key = policy.dnsServers.join(',');
  let r = resolvers.get(key);
  if (!r) {
    r = new Resolver({ timeout: Math.min(policy.timeoutMs, 5000), tries: 2 });
    r.setServers([...policy.dnsServers]);
    resolvers.set(key, r);
  }
  const v4 = await r.resolve4(host).catch(() => [] as string[]);
  const all = v4.length ? v4 : await r.resolve6(host);
  if (!all.length) throw new Error('no address');
  return all;
}

/**
 * Checks a URL an admin gave us before we store or call it. Throws OUTBOUND_URL_REFUSED naming `field`.
 * Returns the address to connect to (every address the host resolves to must pass; the first is used).
 */
export async function checkOutboundUrl(raw: string, policy: OutboundPolicy, field: string): Promise<{ url: URL; address: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GatehouseError('OUTBOUND_URL_REFUSED', `"${field}" is not an absolute URL.`, { field });
  }
  const host = hostOf(url);
  const allowed = policy.allowHosts.map((h) => h.toLowerCase()).includes(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed)) {
    throw new GatehouseError('OUTBOUND_URL_REFUSED', `"${field}" must use https:// (plain HTTP only for hosts in OUTBOUND_ALLOW_HOSTS).`, { field });
  }
  let addresses: string[];
  try {
    addresses = await resolveHost(host, policy);
  } catch {
    throw new GatehouseError('OUTBOUND_FETCH_FAILED', `The host of "${field}" (${host}) could not be resolved.`, { field });
  }
  const bad = allowed ? undefined : addresses.find((a) => isPrivateAddress(a));
  if (bad !== undefined) {
    throw new GatehouseError('OUTBOUND_URL_REFUSED', `"${field}" points to a private or loopback address (${bad}); list the host in OUTBOUND_ALLOW_HOSTS to allow it.`, { field });
  }
  return { url, address: addresses[0]! };
}

export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string> | Headers;
  body?: string | URLSearchParams | Uint8Array | null;
  signal?: AbortSignal | null;
  /** Answers larger than this fail (default 5 MiB). */
  maxBytes?: number;
}

/** The connection's DNS lookup answers only the checked address. */
const pinnedLookup = (address: string): LookupFunction => ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  const family = isIP(address);
  if (options?.all) callback(null, [{ address, family }]);
  else callback(null, address, family);
}) as unknown as LookupFunction;

/** One HTTP exchange with `address`, never following redirects; resolves to a fetch `Response`. */
function requestPinned(url: URL, address: string, req: OutboundRequest, timeoutMs: number): Promise<Response> {
  const maxBytes = req.maxBytes ?? 5 * 1024 * 1024;
  const body = req.body == null ? undefined : typeof req.body === 'string' ? req.body : req.body instanceof URLSearchParams ? req.body.toString() : Buffer.from(req.body);
  const headers: Record<string, string> = Object.fromEntries(new Headers(req.headers as HeadersInit | undefined).entries());
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      r.destroy();
      // A network failure, told apart from a refusal by the guard (a GatehouseError) by its code.
      reject(Object.assign(new Error(message), { name: message.startsWith('timed out') ? 'TimeoutError' : 'Error', code: 'OUTBOUND_NETWORK' }));
    };
    const r = mod.request(url, { method: req.method ?? 'GET', headers, agent: false, lookup: pinnedLookup(address) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) return fail(`the answer is larger than ${maxBytes} bytes`);
        chunks.push(c);
      });
      res.on('error', (err) => fail(err.message));
      res.on('end', () => {
        if (settled) return;
        let answer: Response;
        try {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) h.append(k, one);
          const status = res.statusCode ?? 0;
          answer = new Response([204, 205, 304].includes(status) ? null : Buffer.concat(chunks), { status, headers: h });
        } catch {
          return fail(`the answer is not valid HTTP (status ${res.statusCode})`); // e.g. a status outside 200-599
        }
        settled = true;
        clearTimeout(deadline);
        resolve(answer);
      });
    });
    const deadline = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
    if (req.signal?.aborted) fail('aborted');
    req.signal?.addEventListener('abort', () => fail('aborted'), { once: true });
    r.on('error', (err) => fail(err.message));
    r.end(body);
  });
}

/** `fetch` through the guard: resolve once, check, connect to the checked address. */
export async function outboundFetch(raw: string | URL, req: OutboundRequest, policy: OutboundPolicy, field: string): Promise<Response> {
  const { url, address } = await checkOutboundUrl(String(raw), policy, field);
  return requestPinned(url, address, req, policy.timeoutMs);
}

/** A document fetched through the guard: 200 with its text, or 304 (Not Modified, empty text) to a conditional GET. */
export interface FetchedDocument { status: 200 | 304; text: string; headers: Headers }

/**
 * GET a small text document (metadata, discovery, JWKS) with the guard, a timeout and a size cap; `headers` are
 * sent as well (e.g. If-None-Match). Any answer but a 2xx, or a 304 when asked for one, is OUTBOUND_FETCH_FAILED.
 */
export async function fetchDocument(raw: string, policy: OutboundPolicy, field: string, opts: { headers?: Record<string, string>; maxBytes?: number } = {}): Promise<FetchedDocument> {
  let res: Response;
  try {
    res = await outboundFetch(raw, { headers: { accept: 'application/xml, text/xml, application/json, */*', ...opts.headers }, maxBytes: opts.maxBytes ?? 5 * 1024 * 1024 }, policy, field);
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('OUTBOUND_FETCH_FAILED', `Fetching "${field}" failed: ${(err as Error).message}.`, { field });
  }
  const conditional = Object.keys(opts.headers ?? {}).some((h) => /^if-(none-match|modified-since)$/i.test(h));
  if (res.status === 304 && conditional) return { status: 304, text: '', headers: res.headers };
  if (!res.ok) throw new GatehouseError('OUTBOUND_FETCH_FAILED', `Fetching "${field}" answered HTTP ${res.status}.`, { field });
  return { status: 200, text: await res.text(), headers: res.headers };
}

/** GET a small text document (metadata, discovery, JWKS) with the guard, a timeout and a size cap. */
export async function fetchText(raw: string, policy: OutboundPolicy, field: string, maxBytes = 5 * 1024 * 1024): Promise<string> {
  return (await fetchDocument(raw, policy, field, { maxBytes })).text;
}
