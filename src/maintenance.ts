/** Deletes expired login flows, federation requests, replay records, codes, access and refresh tokens, app sessions, pending logouts, portal links and sessions, admin sessions, SSO traces and SCIM inspector entries older than 7 days, ended rate-limit windows, vendor events past EVENTS_RETENTION_DAYS and sign-in counts past their window. Idempotent, so every instance may run it. */
import type { AppContext } from './context.ts';
import { portalRepo } from './storage/repositories/portal.ts';
import { appSessionsRepo, assertionReplaysRepo, federationRequestsRepo, loginFlowsRepo, oauthCodesRepo, oauthTokensRepo, pendingLogoutsRepo, refreshTokensRepo } from './storage/index.ts';
import { adminSessionsRepo } from './storage/repositories/admin-accounts.ts';
import { pruneTraces } from './admin/traces.ts';
import { signInFailuresRepo } from './storage/repositories/admin-trust.ts';
import { FAILURE_ROW_TTL_MS } from './admin/sign-in-throttle.ts';
import { rateLimitsRepo } from './storage/repositories/rate-limits.ts';
import { pruneLoginCounts, pruneVendorEvents } from './vendor-events/retention.ts';
import { connectionUpkeepRound } from './sso/upkeep/upkeep.ts';
import { pruneScimRequests } from './directory-sync/inspector/requests.ts';
import { refreshSqliteStatistics } from './storage/sqlite-statistics.ts';

export async function sweepExpired(ctx: Pick<AppContext, 'db' | 'now' | 'config'>): Promise<Record<string, number>> {
  const now = ctx.now();
  return {
    loginFlows: await loginFlowsRepo.deleteExpired(ctx.db, now),
    assertionReplays: await assertionReplaysRepo.deleteExpired(ctx.db, now),
    codes: await oauthCodesRepo.deleteExpired(ctx.db, now),
    tokens: await oauthTokensRepo.deleteExpired(ctx.db, now),
    refreshTokens: await refreshTokensRepo.deleteExpired(ctx.db, now),
    appSessions: await appSessionsRepo.deleteExpired(ctx.db, now),
    pendingLogouts: await pendingLogoutsRepo.deleteExpired(ctx.db, now),
    portal: await portalRepo.deleteExpired(ctx.db, now),
    adminSessions: await adminSessionsRepo.deleteExpired(ctx.db, now),
    ssoTraces: await pruneTraces(ctx),
    signInFailures: await signInFailuresRepo.deleteOlderThan(ctx.db, now - FAILURE_ROW_TTL_MS),
    rateLimitWindows: await rateLimitsRepo.deleteExpired(ctx.db, now),
    federationRequests: await federationRequestsRepo.deleteExpired(ctx.db, now),
    vendorEvents: await pruneVendorEvents(ctx),
    loginCounts: await pruneLoginCounts(ctx),
    scimRequests: await pruneScimRequests(ctx),
  };
}

/**
 * Runs the sweep every `intervalMs` until stopped, then (SQLite) refreshes the planner's statistics of the tables
 * that changed a lot (storage/sqlite-statistics.ts); failures are logged, never fatal.
 */
export function scheduleSweeps(ctx: AppContext, intervalMs = 10 * 60_000, firstStatisticsMs = 5_000): () => void {
  const statistics = () => {
    if (ctx.dialect !== 'sqlite') return Promise.resolve();
    return refreshSqliteStatistics(ctx.db).catch((err) => ctx.log.warn({ err }, 'refreshing the SQLite planner statistics failed'));
  };
  const timer = setInterval(() => {
    sweepExpired(ctx).then(
      (n) => ctx.log.debug({ swept: n }, 'expired rows removed'),
      (err) => ctx.log.warn({ err }, 'sweep of expired rows failed'),
    ).then(statistics);
  }, intervalMs);
  timer.unref();
  // Once soon after start too (SQLite's advice for a connection that stays open), off the boot's critical path.
  const first = setTimeout(statistics, firstStatisticsMs);
  first.unref();
  return () => {
    clearInterval(timer);
    clearTimeout(first);
  };
}

/**
 * Connection upkeep on every instance (docs/decisions/0019-metadata-refresh.md): a round every
 * min(METADATA_REFRESH_SECONDS, 60 s) refreshes the metadata URLs that are due (each claimed by one instance),
 * and every METADATA_REFRESH_SECONDS every connection's certificates are checked for expiry. Rounds never
 * overlap; failures are logged, never fatal; the timer does not keep the process alive.
 */
export function scheduleConnectionUpkeep(ctx: AppContext): () => void {
  const periodMs = ctx.config.METADATA_REFRESH_SECONDS * 1000;
  let running = false;
  let lastExpiryCheck = Number.NEGATIVE_INFINITY;
  const round = () => {
    if (running) return;
    running = true;
    const checkExpiry = ctx.now() - lastExpiryCheck >= periodMs;
    if (checkExpiry) lastExpiryCheck = ctx.now();
    connectionUpkeepRound(ctx, { checkExpiry }).then(
      (r) => ctx.log.debug(r, 'connection upkeep round'),
      (err) => ctx.log.warn({ err }, 'connection upkeep round failed'),
    ).finally(() => { running = false; });
  };
  const timer = setInterval(round, Math.min(periodMs, 60_000));
  timer.unref();
  return () => clearInterval(timer);
}
