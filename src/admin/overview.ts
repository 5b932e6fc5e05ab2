/**
 * The portal's overview: what a vendor admin needs at a glance, from the database only (every instance answers the
 * same): how many connections, directories, tenants and products there are; what failed recently (SSO sign-ins in
 * the last 24 hours, webhook events waiting or failed); which connections' certificates expire (the vendor event
 * flags, decision 0018); and the setup links still waiting for the customer (live, with nothing created through
 * them yet). Any admin may read it: it needs `sso:read` and `dsync:read`.
 */
import type { AppContext } from '../context.ts';
import { authorize, type Caller } from '../policy/caller.ts';
import { overviewRepo } from '../storage/repositories/overview.ts';
import { ssoTracesRepo } from '../storage/repositories/sso-traces.ts';
import { directoryEventsRepo } from '../storage/index.ts';
import { connectionFlags } from '../vendor-events/flags.ts';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

export async function portalOverview(ctx: AppContext, caller: Caller) {
  authorize(caller, 'sso:read');
  authorize(caller, 'dsync:read');
  const now = ctx.now();
  const since = now - DAY_MS;
  const [counts, ssoFailures24h, recent, webhooks, flags, awaiting] = await Promise.all([
    overviewRepo.counts(ctx.db),
    overviewRepo.ssoFailuresSince(ctx.db, since),
    ssoTracesRepo.list(ctx.db, { since, limit: 5 }),
    directoryEventsRepo.backlog(ctx.db),
    connectionFlags(ctx, caller),
    overviewRepo.awaitingCustomer(ctx.db, now, 10),
  ]);
  const certificates = flags.flatMap((f) => f.events.filter((e) => e.type === 'connection.certificate_expiring' || e.type === 'connection.certificate_expired').map((e) => ({
    clientID: f.clientID, tenant: f.tenant, product: f.product, name: f.name, expired: e.type === 'connection.certificate_expired', notAfter: (e.data.notAfter as string | undefined) ?? null, daysLeft: (e.data.daysLeft as number | undefined) ?? null,
  })));
  return {
    counts: {
      connections: counts.connections, activeConnections: counts.activeConnections, directories: counts.directories,
      directoryUsers: counts.directory_users, tenants: counts.tenants, products: counts.products,
    },
    failures: {
      ssoLast24h: ssoFailures24h,
      recentSso: recent.map((r) => ({ id: r.id, at: iso(r.at), connectionId: r.connection_id, tenant: r.tenant, product: r.product, code: r.code, message: r.message })),
      webhooks: { pending: webhooks.pending, failed: webhooks.failed },
    },
    certificates,
    awaitingCustomer: awaiting.map((l) => ({ id: l.id, service: l.service, tenant: l.tenant, product: l.product, name: l.name, createdAt: iso(l.created_at), expiresAt: iso(l.expires_at) })),
  };
}
