/**
 * A real DNS server on 127.0.0.1 (dns2) that answers TXT queries from a table the test edits, and A
 * queries from per-name functions of how many times the name was asked (TTL 0, so no resolver caches
 * the answer: the way a DNS-rebinding attacker answers).
 */
import dns2 from 'dns2';
import { freePort } from './gatehouse.ts';

export interface TestDnsServer {
  address: string; // ip:port for DNS_SERVERS
  txt: Map<string, string[]>;
  /** name → the IPv4 address to answer to its n-th A query (n from 1). */
  a: Map<string, (n: number) => string>;
  /** name → how many A queries it received. */
  aQueries: Map<string, number>;
  close(): Promise<void>;
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const { Packet } = dns2 as unknown as { Packet: any };
  const txt = new Map<string, string[]>();
  const a = new Map<string, (n: number) => string>();
  const aQueries = new Map<string, number>();
  const server = (dns2 as any).createServer({
    udp: true,
    handle: (request: any, send: (r: unknown) => void) => {
      const response = Packet.createResponseFromRequest(request);
      const [q] = request.questions;
      const name = String(q.name).toLowerCase();
      if (a.has(name) && (q.type === Packet.TYPE.A || q.type === Packet.TYPE.AAAA)) {
        if (q.type === Packet.TYPE.A) {
          const n = (aQueries.get(name) ?? 0) + 1;
          aQueries.set(name, n);
          response.answers.push({ name: q.name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 0, address: a.get(name)!(n) });
        }
        return send(response);
      }
      const records = txt.get(name);
      if (!records) response.header.rcode = Packet.RCODE.NXDOMAIN;
      else for (const data of records) response.answers.push({ name: q.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data });
      send(response);
    },
  });
  const port = await freePort();
  await server.listen({ udp: { port, address: '127.0.0.1' } });
  return { address: `127.0.0.1:${port}`, txt, a, aQueries, close: async () => void (await server.close()) };
}
