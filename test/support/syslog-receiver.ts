/**
 * A real syslog collector for tests: a TCP (or, given a key and certificate, TLS: RFC 5425) server on 127.0.0.1 that reads RFC 6587 octet-counted frames and parses
 * each RFC 5424 message (header fields, structured data as NILVALUE or raw, the MSG with its UTF-8 BOM). It can be
 * stopped and started again on the same port (a collector that is down, then back).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface SyslogMessage {
  pri: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: string;
  /** The MSG after the BOM. */
  msg: string;
  bom: boolean;
}

const HEADER = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[[^\]]*\])+)(?: ([\s\S]*))?$/;

/** Parses one RFC 5424 message; throws on anything that is not one. */
export function parseRfc5424(text: string): SyslogMessage {
  const m = HEADER.exec(text);
  if (!m) throw new Error(`not an RFC 5424 message: ${text.slice(0, 80)}`);
  for (const [name, v, max] of [['HOSTNAME', m[4]!, 255], ['APP-NAME', m[5]!, 48], ['PROCID', m[6]!, 128], ['MSGID', m[7]!, 32]] as const) {
    if (v.length > max || !/^[\x21-\x7e]+$/.test(v)) throw new Error(`${name} is not PRINTUSASCII of at most ${max}: ${v}`);
  }
  const raw = m[9] ?? '';
  const bom = raw.startsWith('\uFEFF');
  return { pri: Number(m[1]), version: Number(m[2]), timestamp: m[3]!, hostname: m[4]!, appName: m[5]!, procId: m[6]!, msgId: m[7]!, structuredData: m[8]!, msg: bom ? raw.slice(1) : raw, bom };
}

/** Splits a TCP stream into octet-counted frames (`MSG-LEN SP MSG`, the length in bytes); returns the rest. */
export function readFrames(buf: Buffer, out: string[]): Buffer {
  for (;;) {
    const sp = buf.indexOf(0x20);
    if (sp < 0) return buf;
    const lenText = buf.subarray(0, sp).toString('ascii');
    if (!/^[1-9]\d*$/.test(lenText)) throw new Error(`bad frame length: ${JSON.stringify(lenText)}`);
    const len = Number(lenText);
    if (buf.length < sp + 1 + len) return buf;
    out.push(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
    buf = buf.subarray(sp + 1 + len);
  }
}

export async function startSyslogReceiver(opts: { tls?: { key: string; cert: string } } = {}) {
  const messages: SyslogMessage[] = [];
  const errors: string[] = [];
  let connections = 0;
  let server: Server | null = null;
  let port = 0;
  const sockets = new Set<Socket>();
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const onSocket = (s: Socket) => {
        connections++;
        sockets.add(s);
        let pending: Buffer = Buffer.alloc(0);
        s.on('data', (c: Buffer) => {
          try {
            const frames: string[] = [];
            pending = readFrames(Buffer.concat([pending, c]), frames);
            for (const f of frames) messages.push(parseRfc5424(f));
          } catch (err) {
            errors.push((err as Error).message);
            s.destroy();
          }
        });
        s.on('end', () => {
          if (pending.length) errors.push(`a partial frame at the end of a connection (${pending.length} bytes)`);
          s.end();
        });
        s.on('close', () => sockets.delete(s));
      };
      server = opts.tls ? createTlsServer(opts.tls, onSocket) : createServer(onSocket);
      if (opts.tls) server.on('tlsClientError', (err) => errors.push(`tls: ${err.message}`));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
      server = null;
    });
  await listen();
  return {
    get url() {
      return `${opts.tls ? 'tls' : 'tcp'}://127.0.0.1:${port}`;
    },
    messages,
    errors,
    get connections() {
      return connections;
    },
    /** The collector goes down: new connections are refused until `start`. */
    stop,
    start: listen,
    close: stop,
  };
}
