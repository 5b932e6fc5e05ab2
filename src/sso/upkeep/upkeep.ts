/**
 * Connection upkeep, as the connection service and the scheduler (src/maintenance.ts) see it: what happens when a
 * connection is saved or deleted, and one round of the scheduler (docs/decisions/0019-metadata-refresh.md).
 */
import type { AppContext } from '../../context.ts';
import { connectionsRepo, type ConnectionRow } from '../../storage/index.ts';
import { certificateNoticesRepo, metadataRefreshRepo } from '../../storage/repositories/connection-upkeep.ts';
import type { TenantProductKey } from '../../storage/repositories/keyset.ts';
import { checkCertificateExpiry } from './certificate-expiry.ts';
import { refreshDueMetadata, scheduleRefreshOf, type RefreshOutcome } from './metadata-refresh.ts';

export { refreshDueMetadata, checkCertificateExpiry };

/**
 * A connection was created or updated (`fetched`: its metadata or discovery URL was read by this save): schedule (or
 * stop) its refresh, and announce a certificate already near expiry.
 */
export async function connectionSaved(ctx: AppContext, row: ConnectionRow, opts: { fetched: boolean }): Promise<void> {
  await scheduleRefreshOf(ctx, row, opts);
  await checkCertificateExpiry(ctx, row);
}

/** A connection was deleted: nothing is kept about it. */
export async function connectionForgotten(ctx: AppContext, connectionId: string): Promise<void> {
  await metadataRefreshRepo.forget(ctx.db, connectionId);
  await certificateNoticesRepo.forget(ctx.db, connectionId);
}

/** Checks every connection's certificates, one page at a time. */
export async function checkAllCertificates(ctx: AppContext): Promise<number> {
  let after: TenantProductKey | undefined;
  let announced = 0;
  for (;;) {
    const page = await connectionsRepo.page(ctx.db, { limit: 200, after });
    for (const row of page) announced += await checkCertificateExpiry(ctx, row);
    if (page.length < 200) return announced;
    const last = page[page.length - 1]!;
    after = [last.tenant, last.product, last.id];
  }
}

/** One scheduler round: refresh what is due; with `checkExpiry`, check every connection's certificates too. */
export async function connectionUpkeepRound(ctx: AppContext, opts: { checkExpiry: boolean }): Promise<{ refreshed: Record<string, RefreshOutcome>; expiryNotices: number }> {
  const refreshed = await refreshDueMetadata(ctx);
  const expiryNotices = opts.checkExpiry ? await checkAllCertificates(ctx) : 0;
  return { refreshed, expiryNotices };
}
