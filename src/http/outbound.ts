/**
 * Outbound HTTP (IdP metadata URLs, OIDC discovery, webhooks) with an SSRF guard: HTTPS to public
 * addresses only, unless the host is listed in OUTBOUND_ALLOW_HOSTS; a timeout and a size cap on
 * every call. (The address is checked at resolution time; pinning the connection to that address
 * against DNS rebinding is noted as left in docs/decisions/0004-outbound-calls.md.)
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { GatehouseError } from '../errors.ts';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(net, bits, 'ipv6');

export function isPrivateAddress(addr: string): boolean {
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged by its IPv4 part.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  return blocked.check(addr, isIP(addr) === 6 ? 'ipv6' : 'ipv4');
}

export interface OutboundPolicy {
  allowHosts: readonly string[];
  timeoutMs: number;
}

const hostOf = (u: URL) => u.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/**
 * Checks a URL an admin gave us before we store or call it. Throws OUTBOUND_URL_REFUSED naming `field`.
 * Returns the address to connect to.
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
  let address: string;
  try {
    address = isIP(host) ? host : (await lookup(host)).address;
  } catch {
    throw new GatehouseError('OUTBOUND_FETCH_FAILED', `The host of "${field}" (${host}) could not be resolved.`, { field });
  }
  if (!allowed && isPrivateAddress(address)) {
    throw new GatehouseError('OUTBOUND_URL_REFUSED', `"${field}" points to a private or loopback address (${address}); list the host in OUTBOUND_ALLOW_HOSTS to allow it.`, { field });
  }
  return { url, address };
}

/** GET a small text document (metadata, discovery) with the guard, a timeout and a size cap. */
export async function fetchText(raw: string, policy: OutboundPolicy, field: string, maxBytes = 5 * 1024 * 1024): Promise<string> {
  const { url } = await checkOutboundUrl(raw, policy, field);
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(policy.timeoutMs), headers: { accept: 'application/xml, text/xml, application/json, */*' } });
  } catch (err) {
    throw new GatehouseError('OUTBOUND_FETCH_FAILED', `Fetching "${field}" failed: ${(err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message}.`, { field });
  }
  if (!res.ok) throw new GatehouseError('OUTBOUND_FETCH_FAILED', `Fetching "${field}" answered HTTP ${res.status}.`, { field });
  const len = Number(res.headers.get('content-length') ?? 0);
  if (len > maxBytes) throw new GatehouseError('OUTBOUND_FETCH_FAILED', `"${field}" is larger than ${maxBytes} bytes.`, { field });
  const body = await res.text();
  if (Buffer.byteLength(body) > maxBytes) throw new GatehouseError('OUTBOUND_FETCH_FAILED', `"${field}" is larger than ${maxBytes} bytes.`, { field });
  return body;
}
