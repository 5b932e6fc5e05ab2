/**
 * Sends one framed syslog message to a collector over TCP (or TLS, RFC 5425), through the outbound guard: the host
 * is resolved and checked like every outbound call (plain TCP and private addresses only for OUTBOUND_ALLOW_HOSTS)
 * and the connection goes to the checked address. One connection per message; a message counts as sent once it is
 * written and the connection half-closed (syslog has no application-level acknowledgement; decision 0034).
 */
import net from 'node:net';
import tls from 'node:tls';
import { GatehouseError } from '../errors.ts';
import { checkOutboundUrl, type OutboundPolicy } from '../net/outbound.ts';
import type { SendResult } from '../directory-sync/webhooks/sender.ts';
import { parseSyslogUrl } from './event.ts';

/** The guard's view of a syslog URL: tcp as plain http, tls as https (same rules: plain only for allowed hosts). */
export async function checkSyslogUrl(raw: string, policy: OutboundPolicy, field: string): Promise<{ tls: boolean; host: string; port: number; address: string }> {
  const u = parseSyslogUrl(raw);
  if (!u) throw new GatehouseError('API_VALIDATION', `"${field}" must be tcp://host:port or tls://host:port.`, { field });
  if (!u.tls && !policy.allowHosts.some((h) => h.toLowerCase() === u.host)) {
    throw new GatehouseError('OUTBOUND_URL_REFUSED', `"${field}" must use tls:// (plain tcp:// only for hosts in OUTBOUND_ALLOW_HOSTS).`, { field });
  }
  const { address } = await checkOutboundUrl(`${u.tls ? 'https' : 'http'}://${u.host.includes(':') ? `[${u.host}]` : u.host}:${u.port}/`, policy, field);
  return { ...u, address };
}

/** `ca`: PEM certificates trusted for tls:// besides the system's (AUDIT_STREAM_SYSLOG_CA). */
export async function sendSyslog(raw: string, frame: Buffer, policy: OutboundPolicy, ca?: string): Promise<SendResult> {
  const started = performance.now();
  const done = (error: string | null): SendResult => ({ status: error ? null : 200, latencyMs: Math.round(performance.now() - started), excerpt: null, error });
  let target: Awaited<ReturnType<typeof checkSyslogUrl>>;
  try {
    target = await checkSyslogUrl(raw, policy, 'syslog');
  } catch (err) {
    return done(`refused: ${(err as Error).message}`);
  }
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(done(error));
    };
    const opts = { host: target.address, port: target.port };
    const socket = target.tls
      ? tls.connect({ ...opts, servername: net.isIP(target.host) ? undefined : target.host, ...(ca ? { ca: [...tls.rootCertificates, ca] } : {}) }, () => socket.end(frame))
      : net.connect(opts, () => socket.end(frame));
    const timer = setTimeout(() => finish(`timed out after ${policy.timeoutMs} ms`), policy.timeoutMs);
    socket.on('error', (err: NodeJS.ErrnoException) => finish(`syslog: ${err.code ?? err.message}`));
    socket.on('finish', () => finish(null));
    socket.on('close', () => finish('syslog: closed before the message was sent'));
  });
}
