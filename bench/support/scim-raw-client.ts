/**
 * A lean HTTP/1.1 keep-alive client for the SCIM benchmarks (`--client raw`): each request is written to a kept-alive
 * socket as one string, and the answer is read by its status line, `Content-Length` (or chunked encoding) and body.
 *
 * Why: node:http's client costs ~0.25–0.33 ms of CPU per request (decision 0057: its request and response objects,
 * header validation, the agent's socket bookkeeping), more than Gatehouse spends on a filtered GET. In a sequential
 * first sync the client and the server take turns on the same 2 vCPUs, so that cost is on the critical path. A real
 * IdP's client runs on its own machine; this one does what any HTTP/1.1 client must (a well-formed request, the
 * answer read to its end on a persistent connection) and nothing else, so what the benchmark then times is closer to
 * what the server costs. The server sees ordinary HTTP/1.1 requests either way. node:http stays the default; the
 * first-sync report names the client it used.
 */
import { connect, type Socket } from 'node:net';
import type { Res, Send } from './scim-harness.ts';

interface Pending {
  head: string;
  body: string | undefined;
  resolve(r: Res): void;
  reject(err: Error): void;
}

/** One kept-alive connection, one request at a time. */
class Connection {
  #buf: Buffer = Buffer.alloc(0);
  #current: Pending | null = null;
  closed = false;
  constructor(
    private readonly socket: Socket,
    private readonly onIdle: (c: Connection) => void,
    private readonly onClosed: () => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
      this.#parse();
    });
    const fail = (err: Error) => {
      if (!this.closed) onClosed();
      this.closed = true;
      const p = this.#current;
      this.#current = null;
      p?.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  send(p: Pending): void {
    this.#current = p;
    this.socket.write(p.body === undefined ? p.head : p.head + p.body);
  }

  #parse(): void {
    const p = this.#current;
    if (!p) return;
    const end = this.#buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.#buf.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let body: string;
    let used: number;
    if (lengthMatch) {
      const length = Number(lengthMatch[1]);
      if (this.#buf.length < end + 4 + length) return;
      body = this.#buf.toString('utf8', end + 4, end + 4 + length);
      used = end + 4 + length;
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const chunks: Buffer[] = [];
      let at = end + 4;
      for (;;) {
        const lineEnd = this.#buf.indexOf('\r\n', at);
        if (lineEnd < 0) return;
        const size = parseInt(this.#buf.toString('latin1', at, lineEnd), 16);
        if (this.#buf.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          used = lineEnd + 4; // no trailers from Fastify
          break;
        }
        chunks.push(this.#buf.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(chunks).toString('utf8');
    } else {
      body = ''; // 204, or no body
      used = end + 4;
    }
    this.#buf = this.#buf.subarray(used);
    this.#current = null;
    if (/\r\nconnection:\s*close/i.test(head)) this.socket.end(); // 'close' follows: counted then
    p.resolve({ status, body });
    if (!/\r\nconnection:\s*close/i.test(head)) this.onIdle(this);
  }
}

/** A keep-alive HTTP/1.1 client over raw sockets with up to `maxSockets` connections (same contract as `client`). */
export function rawClient(baseUrl: string, maxSockets: number): Send {
  const { hostname, port } = new URL(baseUrl);
  const host = `${hostname}:${port}`;
  const idle: Connection[] = [];
  const queue: Pending[] = [];
  let open = 0;
  const onIdle = (c: Connection) => {
    const next = queue.shift();
    if (next) c.send(next);
    else idle.push(c);
  };
  const onClosed = () => {
    open--;
    const next = queue.shift();
    if (next) dispatch(next);
  };
  const dispatch = (p: Pending) => {
    let c = idle.pop();
    while (c && c.closed) c = idle.pop();
    if (c) return c.send(p);
    if (open >= maxSockets) return void queue.push(p);
    open++;
    // Written before the socket connects: net buffers it until then.
    new Connection(connect({ host: hostname, port: Number(port) }), onIdle, onClosed).send(p);
  };
  return (method, path, headers, body) =>
    new Promise<Res>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
      for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
      if (payload !== undefined) {
        if (!('content-type' in headers)) head += 'content-type: application/scim+json\r\n';
        head += `content-length: ${Buffer.byteLength(payload)}\r\n`;
      }
      dispatch({ head: `${head}\r\n`, body: payload, resolve, reject });
    });
}
