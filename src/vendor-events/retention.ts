/** Upkeep of the vendor event stream, run by the periodic sweep (maintenance.ts): old events and old sign-in counts go. */
import type { AppContext } from '../context.ts';
import { vendorEventsRepo } from '../storage/repositories/vendor-events.ts';
import { connectionLoginHealthRepo } from '../storage/repositories/connection-login-health.ts';
import { HEALTH_WINDOW_MINUTES } from './connection-health.ts';

export async function pruneVendorEvents(ctx: Pick<AppContext, 'db' | 'now' | 'config'>): Promise<number> {
  const days = ctx.config.EVENTS_RETENTION_DAYS;
  return days === 0 ? 0 : vendorEventsRepo.deleteOlderThan(ctx.db, ctx.now() - days * 86_400_000);
}

/** Counts older than the health view's 24 hours (longer than login-failures.ts's window) show nothing any more. */
export const pruneLoginCounts = (ctx: Pick<AppContext, 'db' | 'now'>): Promise<number> =>
  connectionLoginHealthRepo.deleteCountsBefore(ctx.db, Math.floor(ctx.now() / 60_000) - HEALTH_WINDOW_MINUTES);
