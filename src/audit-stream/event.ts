/**
 * What the audit stream sends (pure): one audit row as a JSON event, the filter that chooses rows, and the RFC 5424
 * syslog message with RFC 6587 octet-counting framing. The event is built from the stored row, so a receiver gets
 * exactly what the portal's audit log shows: the summary was stripped of secret-looking fields when it was recorded.
 */
import type { AuditEventsTable } from '../storage/schema-audit.ts';

export interface StreamedAuditEvent {
  /** The audit row's id: stable across retries, the receiver's key for exactly-once. */
  id: string;
  type: 'audit';
  action: string;
  /** ISO 8601, UTC. */
  at: string;
  actor: { type: string; id: string; label: string };
  target: { type: string; id: string };
  tenant: string | null;
  product: string | null;
  ip: string | null;
  changes: { before?: unknown; after?: unknown };
}

export const streamedEventOf = (r: AuditEventsTable): StreamedAuditEvent => ({
  id: r.id,
  type: 'audit',
  action: r.action,
  at: new Date(Number(r.at)).toISOString(),
  actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label },
  target: { type: r.target_type, id: r.target_id },
  tenant: r.tenant,
  product: r.product,
  ip: r.ip,
  changes: JSON.parse(r.summary) as StreamedAuditEvent['changes'],
});

/** Which rows are streamed: each list empty means "any"; a non-empty tenant or product list leaves out rows without one. */
export interface AuditFilter {
  /** Action prefixes (`sso.connection.`, `admin.`) or whole actions. */
  actions: string[];
  tenants: string[];
  products: string[];
}

export const NO_FILTER: AuditFilter = { actions: [], tenants: [], products: [] };

export function matchesAuditFilter(f: AuditFilter, r: Pick<AuditEventsTable, 'action' | 'tenant' | 'product'>): boolean {
  if (f.actions.length && !f.actions.some((p) => r.action === p || r.action.startsWith(p.endsWith('.') ? p : `${p}.`))) return false;
  if (f.tenants.length && !(r.tenant !== null && f.tenants.includes(r.tenant))) return false;
  if (f.products.length && !(r.product !== null && f.products.includes(r.product))) return false;
  return true;
}

/** RFC 5424 facility 13 ("log audit"), severity 5 ("notice"). */
export const SYSLOG_PRI = 13 * 8 + 5;

/** PRINTUSASCII (33–126), at most `max` characters, or the NILVALUE. */
const printable = (s: string, max: number) => s.replace(/[^\x21-\x7e]/g, '_').slice(0, max) || '-';

/**
 * One RFC 5424 message: `<109>1 TIMESTAMP HOSTNAME gatehouse - MSGID - BOM{json}`. HOSTNAME is the deployment's
 * EXTERNAL_URL host (the same from every instance), MSGID the action, no structured data (no private enterprise
 * number is registered for Gatehouse), and the MSG the event's JSON in UTF-8 with its BOM (§6.4).
 */
export function syslogMessage(e: StreamedAuditEvent, hostname: string): string {
  return `<${SYSLOG_PRI}>1 ${e.at} ${printable(hostname, 255)} gatehouse - ${printable(e.action, 32)} - \uFEFF${JSON.stringify(e)}`;
}

/** RFC 6587 §3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. */
export const octetCounted = (msg: string): Buffer => {
  const body = Buffer.from(msg, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
};

/** A syslog collector URL: `tcp://host[:port]` (default 514) or `tls://host[:port]` (default 6514, RFC 5425). */
export function parseSyslogUrl(raw: string): { tls: boolean; host: string; port: number } | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if ((u.protocol !== 'tcp:' && u.protocol !== 'tls:') || !u.hostname || (u.pathname !== '' && u.pathname !== '/') || u.search || u.hash || u.username) return null;
  const tls = u.protocol === 'tls:';
  return { tls, host: u.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port: u.port ? Number(u.port) : tls ? 6514 : 514 };
}
