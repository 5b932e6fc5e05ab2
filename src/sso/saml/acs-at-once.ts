/**
 * The ACS's common case on PostgreSQL in one statement (decision 0052): the connection is guessed from the tag in the
 * InResponseTo hint (acs-connections.ts), the response is validated on the pool with what this instance remembers of
 * it, the profile mapped, and the finisher's one statement claims the flow and issues the code only if all of it is
 * still the database's truth. Anything else (nothing remembered, a refusal of any kind, a statement that missed)
 * answers null having written nothing, and the step-by-step path (acs.ts) does it all again, so every refusal is the
 * one it has always been.
 */
import type { AppContext } from '../../context.ts';
import type { ClaimedFlow } from '../../storage/repositories/login-flows.ts';
import type { SignInAnswer, SignInFinisher } from '../sign-in-finisher.ts';
import { loadSamlConnection } from './connection-keys.ts';
import { validationOptions, verifiedAssertion } from './accept-assertion.ts';

/** The validation thread died on this document (out of memory on a hostile one, say): the main thread answers it, not the pool again. */
export const THREAD_FAILED = Symbol('the validation thread failed');

export async function consumeAtOnce(ctx: AppContext, xml: string, hint: string, finish: SignInFinisher): Promise<SignInAnswer | null | typeof THREAD_FAILED> {
  if (ctx.dialect !== 'postgres' || !finish.completedAtOnce) return null;
  const remembered = ctx.acsConnections.get(hint);
  if (!remembered || remembered.row.active !== 1 || remembered.row.kind !== 'saml') return null;
  let settled: ReturnType<typeof verifiedAssertion> | null;
  try {
    const now = ctx.now();
    const conn = loadSamlConnection(remembered.row);
    const opts = await validationOptions(ctx, conn, hint, now);
    const verdict = await ctx.samlValidation.run({ xml, opts }).catch((): typeof THREAD_FAILED => THREAD_FAILED);
    if (verdict === THREAD_FAILED) return THREAD_FAILED;
    settled = verdict.stage === 'validated' && verdict.result.ok ? verifiedAssertion(ctx, conn, verdict.result, now) : null;
  } catch {
    settled = null; // a mapping refusal, keys that do not load: the step-by-step path answers it
  }
  if (!settled) return null;
  const redirectUrl = await finish.completedAtOnce(ctx, { flowId: hint, connection: remembered.row, facts: remembered.facts, ...settled });
  if (redirectUrl === null) {
    ctx.acsConnections.forget(hint, remembered); // the step-by-step path's claim remembers what is current
    return null;
  }
  return { redirectUrl };
}

/**
 * What a claim read, remembered for the next sign-in's one statement: the connection's serving row (a flow on an older
 * version misses the statement anyway; new flows start on the serving one) with its tenant's lookups. A flow the one
 * statement never takes (a setup-link test, a federation request: keys of the params sso keeps unread) makes the
 * connection forgotten instead, so a connection used that way does not pay a missed statement on each sign-in.
 */
export function rememberClaimed(ctx: AppContext, claimed: ClaimedFlow): void {
  if (ctx.dialect !== 'postgres') return;
  const { flow, connection: c, facts } = claimed;
  const takenAtOnce = takesTheOneStatement(flow.params);
  if (c && takenAtOnce && c.active === 1 && c.kind === 'saml') return ctx.acsConnections.remember({ row: c, facts });
  const remembered = ctx.acsConnections.get(flow.id);
  if (remembered && remembered.row.id === flow.connection_id) ctx.acsConnections.forget(flow.id, remembered);
}

/**
 * Whether the one statement can claim a flow with these params, by its own conditions on them: `clientId` and
 * `redirectUri` strings, and neither of the keys it refuses (`-> 'setupTestId' is null`, the
 * same for `federationRequestId`) read as keys of the params object, present with any value (JSON null included, as
 * jsonb's `->` reads it), never as text anywhere in it (a `state` of "setupTestId" is an app's flow like any other).
 */
export function takesTheOneStatement(params: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(params);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const p = parsed as Record<string, unknown>;
  return typeof p.clientId === 'string' && typeof p.redirectUri === 'string' && !Object.hasOwn(p, 'setupTestId') && !Object.hasOwn(p, 'federationRequestId');
}
