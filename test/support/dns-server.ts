/** A real DNS server on 127.0.0.1 (dns2) that answers TXT queries from a table the test edits. */
import dns2 from 'dns2';
import { freePort } from './gatehouse.ts';

export interface TestDnsServer {
  address: string; // ip:port for DNS_SERVERS
  txt: Map<string, string[]>;
  close(): Promise<void>;
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const { Packet } = dns2 as unknown as { Packet: any };
  const txt = new Map<string, string[]>();
  const server = (dns2 as any).createServer({
    udp: true,
    handle: (request: any, send: (r: unknown) => void) => {
      const response = Packet.createResponseFromRequest(request);
      const [q] = request.questions;
      const records = txt.get(String(q.name).toLowerCase());
      if (!records) response.header.rcode = Packet.RCODE.NXDOMAIN;
      else for (const data of records) response.answers.push({ name: q.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data });
      send(response);
    },
  });
  const port = await freePort();
  await server.listen({ udp: { port, address: '127.0.0.1' } });
  return { address: `127.0.0.1:${port}`, txt, close: async () => void (await server.close()) };
}
