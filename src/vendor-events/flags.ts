/**
 * The portal overview's flags on connections, read from the event stream: a certificate expiring or expired
 * (announced by metadata refresh and the expiry check) until the connection's IdP settings change after it,
 * and failing sign-ins (`connection.login_failures`) while that episode lasts (until a successful sign-in).
 * Only events of the last FLAG_DAYS count; deleted connections are not flagged.
 */
import type { AppContext } from '../context.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { vendorEventsRepo } from '../storage/repositories/vendor-events.ts';
import { connectionLoginHealthRepo } from '../storage/repositories/connection-login-health.ts';
import { toApiVendorEvent, type ApiVendorEvent } from './record.ts';
import { connectionsRepo } from '../storage/index.ts';

export const FLAG_DAYS = 30;
const CERTIFICATE = ['connection.certificate_expiring', 'connection.certificate_expired'];
const FAILING = 'connection.login_failures';
/** Events after which an earlier certificate warning no longer describes the live connection. */
const NEW_IDP_SETTINGS = ['connection.metadata_refreshed', 'connection.draft_promoted', 'connection.rolled_back'];

export interface ConnectionFlag {
  clientID: string;
  /** The connection's name (its client ID when it has none). */
  name: string;
  tenant: string;
  product: string;
  /** The newest event behind each flag. */
  events: ApiVendorEvent[];
}

export async function connectionFlags(ctx: AppContext, caller: Caller): Promise<ConnectionFlag[]> {
  authorize(caller, 'sso:read');
  const since = ctx.now() - FLAG_DAYS * 86_400_000;
  const rows = await vendorEventsRepo.recentOfTypes(ctx.db, [...CERTIFICATE, FAILING, ...NEW_IDP_SETTINGS, 'connection.updated', 'connection.deleted'], since, 2000);
  const seen = new Map<string, { flag: ConnectionFlag; done: Set<string>; settled: boolean }>();
  for (const r of rows) { // newest first
    const s = seen.get(r.connection_id) ?? seen.set(r.connection_id, { flag: { clientID: r.connection_id, name: r.connection_id, tenant: r.tenant, product: r.product, events: [] }, done: new Set(), settled: false }).get(r.connection_id)!;
    if (r.type === 'connection.deleted') s.settled = true;
    const changedSettings = r.type === 'connection.updated' && (JSON.parse(r.data) as { changed?: string[] }).changed?.includes('settings');
    if (NEW_IDP_SETTINGS.includes(r.type) || changedSettings) s.done.add('certificate');
    if (s.settled) continue;
    const kind = CERTIFICATE.includes(r.type) ? 'certificate' : r.type === FAILING ? 'failing' : null;
    if (!kind || s.done.has(kind)) continue;
    s.done.add(kind);
    if (kind === 'failing' && (await connectionLoginHealthRepo.get(ctx.db, r.connection_id)).failingSince === null) continue;
    s.flag.events.push(toApiVendorEvent(r));
  }
  const flags = [...seen.values()].filter((s) => !s.settled && s.flag.events.length).map((s) => s.flag);
  for (const f of flags) f.name = (await connectionsRepo.findById(ctx.db, f.clientID))?.name || f.clientID;
  return flags;
}
