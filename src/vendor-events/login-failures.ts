/**
 * `connection.login_failures`: a connection that was working (a successful sign-in within WORKING_MS) starts
 * failing most sign-ins — over the last WINDOW_MINUTES, at least MIN_ATTEMPTS attempts and more than half
 * refused, with at least MIN_FAILURES_SINCE_SUCCESS refusals since the last success (so one success amid
 * failures does not end an episode only for the next refusal to start another). Announced once per episode, with the most frequent refusal code as the reason; the next successful
 * sign-in ends the episode. Counts and the episode live in the database (a success that issues a code is counted in its
 * statement, oauth/codes.ts, decision 0042; others are one statement on PostgreSQL, decision 0039; one conditional UPDATE opens an episode), so many instances count together and exactly one announces.
 * Setup-link tests are not sign-ins of the live connection and are not counted.
 * The rule is docs/decisions/0018-vendor-event-stream.md.
 */
import type { AppContext } from '../context.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { LoginCompleted, LoginRefused } from '../sso/login-events.ts';
import { announceConnectionEvent } from '../sso/connection-events.ts';
import { connectionsRepo } from '../storage/index.ts';
import { connectionLoginHealthRepo, loginMinuteOf } from '../storage/repositories/connection-login-health.ts';

export const WINDOW_MINUTES = 15;
export const MIN_ATTEMPTS = 5;
export const MIN_FAILURES_SINCE_SUCCESS = 3;
export const WORKING_MS = 7 * 86_400_000;
const OK = 'ok';

const minuteOf = loginMinuteOf;

async function succeeded(e: LoginCompleted): Promise<void> {
  const { ctx } = e;
  const now = ctx.now();
  await connectionLoginHealthRepo.recordSuccess(ctx.db, ctx.dialect, e.connection.id, minuteOf(now), now);
}

/** The window's attempts, failures and refusal counts by code, most frequent first. */
function tally(counts: Map<string, number>) {
  const reasons = [...counts].filter(([k]) => k !== OK).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const failures = reasons.reduce((n, [, c]) => n + c, 0);
  return { attempts: failures + (counts.get(OK) ?? 0), failures, reasons };
}

async function refused(e: LoginRefused & { flow: NonNullable<LoginRefused['flow']> }): Promise<void> {
  const { ctx, flow } = e;
  const now = ctx.now();
  const id = flow.connection_id;
  const health = await connectionLoginHealthRepo.batch(ctx.db, ctx.dialect, async (db) => {
    await connectionLoginHealthRepo.count(db, ctx.dialect, id, minuteOf(now), e.error.code);
    await connectionLoginHealthRepo.failed(db, ctx.dialect, id);
    return connectionLoginHealthRepo.get(db, id);
  });
  if (health.failingSince !== null || health.lastSuccessAt === null || now - health.lastSuccessAt > WORKING_MS) return;
  if (health.failuresSinceSuccess < MIN_FAILURES_SINCE_SUCCESS) return;
  const t = tally(await connectionLoginHealthRepo.window(ctx.db, id, minuteOf(now) - WINDOW_MINUTES + 1));
  if (t.attempts < MIN_ATTEMPTS || t.failures * 2 <= t.attempts) return;
  if (!(await connectionLoginHealthRepo.openEpisode(ctx.db, ctx.dialect, id, now))) return;
  const row = await connectionsRepo.findById(ctx.db, id);
  await announceConnectionEvent(ctx, {
    type: 'connection.login_failures',
    tenant: flow.tenant,
    product: flow.product,
    connectionId: id,
    data: {
      clientID: id,
      name: row?.name ?? '',
      kind: row?.kind ?? e.kind,
      reason: t.reasons[0]![0],
      attempts: t.attempts,
      failures: t.failures,
      failuresSinceLastSuccess: health.failuresSinceSuccess,
      reasons: Object.fromEntries(t.reasons),
      windowMinutes: WINDOW_MINUTES,
      lastSuccessAt: new Date(health.lastSuccessAt).toISOString(),
    },
  });
}

/** Counting must never fail or hold up a sign-in's answer beyond its own writes: errors are logged. */
const guarded = <E extends { ctx: AppContext }>(fn: (e: E) => Promise<void>) => async (e: E) => {
  try {
    await fn(e);
  } catch (err) {
    e.ctx.log.warn({ err }, 'sign-in outcome could not be counted for connection.login_failures');
  }
};

export function watchLoginFailures(events: EventHub): void {
  events.on('login.completed', guarded((e: LoginCompleted) => (e.setupTestId || e.successRecorded ? Promise.resolve() : succeeded(e))));
  events.on('login.refused', guarded((e: LoginRefused) => (e.setupTestId || !e.flow ? Promise.resolve() : refused({ ...e, flow: e.flow }))));
}
