/**
 * Writing down what the receivers answered, through a database restart (issue 18, decision 0037). A receiver's
 * 2xx is the only proof that an event was delivered; if the write fails because the database is away (a restart
 * or failover: 57P01/57P03, refused or lost connections), dropping the outcomes would leave the events leased
 * until the lease ends and then another instance would send them again. So the outcomes stay in memory and the
 * write is tried again, with a short backoff, until the database takes it. While the claim's lease stands no
 * other instance can claim those events, so an outage shorter than what is left of the lease sends nothing twice.
 * Past the lease another instance may claim and send them again (at least once, same event id): the late write
 * only applies to events still leased by this claim, and says how many it lost. Errors that do not mean "the
 * database is away" are not retried here.
 */
import type { AppContext } from '../../context.ts';
import { directoryEventsRepo, isUnavailable, type DeliveryOutcome } from '../../storage/index.ts';
import type { NewDirectoryEventAttempt } from '../../storage/repositories/directory-events.ts';

export interface RecordEnv {
  ctx: AppContext;
  /** True once the deliverer is stopping: give up when the lease ends instead of trying on. */
  stopping(): boolean;
}

/** The round's claim and what it decided for each event. */
export interface RoundRecord {
  claimId: string;
  /** When the claim's lease ends (the earliest `lease_until` of its events). */
  leaseUntil: number;
  outcomes: DeliveryOutcome[];
  attempts: NewDirectoryEventAttempt[];
}

/** The wait before try `n + 1` (n ≥ 1 failed tries): 50 ms doubling to 1 s, so the write lands within a second of the database's return. */
export const recordRetryDelayMs = (failedTries: number): number => Math.min(1000, 50 * 2 ** Math.min(failedTries - 1, 10));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Records the round's outcomes, retrying while the database is unavailable (see the file comment); never resolves before they are written or given up. */
export async function recordOutcomes(env: RecordEnv, rec: RoundRecord): Promise<void> {
  const { ctx } = env;
  const startedAt = Date.now();
  for (let failed = 0; ; ) {
    let applied: number;
    try {
      applied = await directoryEventsRepo.settle(ctx.db, rec.claimId, rec.outcomes, rec.attempts, { again: failed > 0 });
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      failed++;
      if (failed === 1) ctx.log.warn({ err, claimId: rec.claimId, events: rec.outcomes.length, leaseEndsInMs: rec.leaseUntil - ctx.now() }, 'recording webhook outcomes failed: the database is unavailable; keeping them and trying again');
      if (env.stopping() && ctx.now() >= rec.leaseUntil) {
        ctx.log.error({ claimId: rec.claimId, eventIds: eventIdsOf(rec) }, 'stopping with webhook outcomes not recorded (the database stayed unavailable past the lease); these events will be sent again');
        return;
      }
      await sleep(recordRetryDelayMs(failed));
      continue;
    }
    if (failed > 0) {
      const lost = rec.outcomes.length - applied;
      const fields = { claimId: rec.claimId, tries: failed + 1, afterMs: Date.now() - startedAt, events: rec.outcomes.length };
      if (lost > 0) ctx.log.warn({ ...fields, lost }, 'webhook outcomes recorded after the lease ended: another instance had claimed some of these events and may send them again');
      else ctx.log.info(fields, 'webhook outcomes recorded once the database was back');
    }
    return;
  }
}

const eventIdsOf = (rec: RoundRecord) => [...new Set(rec.attempts.map((a) => a.event_id))].slice(0, 50);
