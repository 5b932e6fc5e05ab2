/**
 * The two small portal views beside the setup pages (decision 0033): the tenant's domains with their TXT record and
 * Verify (through the tenancy service, with the session as the caller, so the same checks and audit apply), and
 * the tenant+product's audit log, read-only. The customer's IT admin sees what changed and when; the vendor's
 * staff appear as "Vendor" (their names and every IP stay with the vendor), the link or session as itself.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import type { Caller } from '../policy/caller.ts';
import type { PortalSessionRow } from '../storage/index.ts';
import { adminAuditRepo, type AuditEventRow } from '../storage/repositories/admin-audit.ts';
import { listDomains, verifyDomain } from '../tenancy/domains.ts';

export function requireIntent(s: Pick<PortalSessionRow, 'intent'>, ...intents: PortalSessionRow['intent'][]): void {
  if (!intents.includes(s.intent)) throw new GatehouseError('PORTAL_WRONG_INTENT');
}

export async function portalDomains(ctx: AppContext, caller: Caller, s: PortalSessionRow) {
  requireIntent(s, 'domain_verification');
  return listDomains(ctx, caller, s.tenant);
}

export async function portalVerifyDomain(ctx: AppContext, caller: Caller, s: PortalSessionRow, domain: string) {
  requireIntent(s, 'domain_verification');
  return verifyDomain(ctx, caller, s.tenant, domain);
}

const PAGE = 50;
const toPortalEvent = (r: AuditEventRow) => ({
  id: r.id, at: new Date(r.at).toISOString(), action: r.action, target: { type: r.target_type, id: r.target_id },
  actor: r.actor_type === 'setup_link' ? r.actor_label : r.actor_type === 'system' ? 'System' : 'Vendor',
});

/** Newest first, 50 a page; `before` is the previous page's last `at`/`id` pair (`<at>.<id>`). */
export async function portalAuditLog(ctx: AppContext, s: PortalSessionRow, before: string | undefined) {
  requireIntent(s, 'audit_log');
  const m = before ? /^(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/.exec(before) : null;
  if (before && !m) throw new GatehouseError('API_VALIDATION', '"before" is not a cursor this page gave.', { field: 'before' });
  const rows = await adminAuditRepo.search(ctx.db, { tenant: s.tenant, product: s.product }, PAGE + 1, m ? [Number(m[1]), m[2]!] : undefined);
  const page = rows.slice(0, PAGE);
  const last = page[page.length - 1];
  return { data: page.map(toPortalEvent), before: rows.length > PAGE && last ? `${last.at}.${last.id}` : null };
}
