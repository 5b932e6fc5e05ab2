/**
 * Which IP addresses an outbound call may reach: the SSRF guard's classifier (pure).
 *
 * IPv4: everything except the private, loopback, link-local, CGNAT, benchmark, multicast and reserved
 * ranges. IPv6: global unicast (2000::/3) only, minus Teredo, documentation and ORCHID; the forms that
 * carry an IPv4 address inside (IPv4-mapped, IPv4-compatible, SIIT, NAT64 well-known and local-use,
 * 6to4) are judged by that IPv4 address, so `[64:ff9b::7f00:1]` is loopback like `127.0.0.1`.
 */
import { BlockList, isIP } from 'node:net';

const blockedV4 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blockedV4.addSubnet(net, bits, 'ipv4');

/** Inside 2000::/3 but never a web server we should call. */
const blockedGlobalV6 = new BlockList();
for (const [net, bits] of [
  ['2001::', 32], // Teredo: the client's IPv4 address is obfuscated, so it cannot be judged
  ['2001:db8::', 32], // documentation
  ['2001:10::', 28], ['2001:20::', 28], // ORCHID
  ['3fff::', 20], // documentation
] as const) blockedGlobalV6.addSubnet(net, bits, 'ipv6');

/** The 16 bytes of an IPv6 address (zone id dropped), or null when it is not one. */
export function ipv6Bytes(addr: string): number[] | null {
  const a = addr.replace(/%.*$/, '');
  if (isIP(a) !== 6) return null;
  let text = a;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    tail.push(...dotted.split('.').map(Number));
    text = text.slice(0, -dotted.length) + '0:0'; // two placeholder groups, replaced below
  }
  const [head, rest] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').filter((g) => g !== '').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const r = groups(rest);
  const all = rest === undefined ? h : [...h, ...new Array(8 - h.length - r.length).fill(0), ...r];
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : null;
}

const startsWith = (b: number[], prefix: number[]) => prefix.every((x, i) => b[i] === x);
const v4 = (b: number[], at: number) => b.slice(at, at + 4).join('.');

/** The IPv4 address an IPv6 address carries by a well-known translation scheme, if any. */
export function embeddedIpv4(b: number[]): string | null {
  const zeros = (n: number) => new Array(n).fill(0) as number[];
  if (startsWith(b, [...zeros(10), 0xff, 0xff])) return v4(b, 12); // ::ffff:a.b.c.d (mapped)
  if (startsWith(b, [...zeros(8), 0xff, 0xff, 0, 0])) return v4(b, 12); // ::ffff:0:a.b.c.d (SIIT)
  if (startsWith(b, zeros(12))) return v4(b, 12); // ::a.b.c.d (IPv4-compatible; also :: and ::1)
  if (startsWith(b, [0x00, 0x64, 0xff, 0x9b, ...zeros(8)])) return v4(b, 12); // 64:ff9b::/96 (NAT64)
  if (startsWith(b, [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01])) return v4(b, 12); // 64:ff9b:1::/48 (local NAT64, RFC 8215; RFC 6052 /96 layout assumed)
  if (startsWith(b, [0x20, 0x02])) return v4(b, 2); // 2002::/16 (6to4)
  return null;
}

/** True when an outbound call must not go to `addr` (unless its host is allow-listed). */
export function isPrivateAddress(addr: string): boolean {
  if (isIP(addr) === 4) return blockedV4.check(addr, 'ipv4');
  const b = ipv6Bytes(addr);
  if (!b) return true; // not an IP address at all: never call it
  const inner = embeddedIpv4(b);
  if (inner) return blockedV4.check(inner, 'ipv4'); // :: and ::1 land in 0.0.0.0/8
  if ((b[0]! & 0xe0) !== 0x20) return true; // outside 2000::/3: loopback, ULA, link- and site-local, multicast, discard…
  return blockedGlobalV6.check(addr.replace(/%.*$/, ''), 'ipv6');
}
