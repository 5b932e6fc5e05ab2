/**
 * The client IP behind proxies (TRUST_PROXY, docs/decisions/0405-shared-rate-limits.md). Off: the socket's
 * address, whatever X-Forwarded-For says. A hop count n: the socket and the n−1 proxies before it are
 * trusted, so the client is the n-th entry from the right of X-Forwarded-For — entries further left, which
 * the client wrote itself, never count. A list: addresses walked from the right while they are listed
 * proxies; the first one that is not is the client.
 */
type TrustProxy = false | number | string[];

export function trustProxyOption(value: TrustProxy): false | string[] | ((addr: string, hop: number) => boolean) {
  if (value === false || (Array.isArray(value) && value.length === 0)) return false;
  // Fastify 5 treats a bare number as "trust nobody" (a hop count cannot tell a proxy from a direct client),
  // so the count is given as proxy-addr's trust function: hop 0 is the socket, hop 1 the right-most entry…
  if (typeof value === 'number') return (_addr, hop) => hop < value;
  return value;
}
