/**
 * The app-facing end of a SAML sign-in the ACS settled before reading its flow (decision 0052): the profile, the app
 * session and the code built from the connection and tenant lookups the ACS remembered, then one statement
 * (login-flows.ts#claimAndIssue) that claims the flow, proves those inputs current, and stores the replay key, the
 * session, the code and the success count — or writes nothing, and the ACS takes the step-by-step path
 * (finish-login.ts#finishLogin), which answers every refusal as it always has.
 */
import type { AppContext } from '../context.ts';
import { loginFlowsRepo, type ConnectionRow, type TenantSignInFacts } from '../storage/index.ts';
import { randomToken } from '../crypto/secrets.ts';
import type { MappedProfile } from '../sso/profile.ts';
import { profileForApp } from '../sso/app-profile.ts';
import type { ReplayGuard } from '../sso/sign-in-finisher.ts';
import { codeRowBase, withParams } from './codes.ts';
import { flowParamsOf } from './flow-params.ts';
import { newAppSession } from './sessions.ts';

/** The redirect to the app with its code, or null when the one statement missed or failed (nothing written). PostgreSQL only. */
export async function finishAtOnce(ctx: AppContext, a: { flowId: string; connection: ConnectionRow; facts: TenantSignInFacts; profile: MappedProfile; replay: ReplayGuard }): Promise<string | null> {
  if (ctx.dialect !== 'postgres') return null;
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare(ctx, a);
  } catch {
    return null; // whatever failed here fails again on the step-by-step path, and is answered there as it always was
  }
  const { settled, code, profile } = prepared;
  let flow: Awaited<ReturnType<typeof loginFlowsRepo.claimAndIssue>>;
  try {
    flow = await loginFlowsRepo.claimAndIssue(ctx.db, ctx.dialect, settled);
  } catch (err) {
    // A database error. One statement, so as a rule nothing was written and the flow is still open; answering the
    // error here would leave it open, where the step-by-step path closes a flow before anything else can fail. That
    // path runs from the start instead, so the outcome is its own: the flow claimed, then a code, or its error. (If
    // the statement did commit and only its answer was lost, that path finds the flow used and refuses; the code
    // written is never handed out. Decision 0059.)
    ctx.log.warn({ err: { code: (err as { code?: string }).code, message: (err as Error).message } }, 'the ACS\'s one statement failed; taking the step-by-step path');
    return null;
  }
  if (!flow) return null;
  const params = flowParamsOf(flow);
  await ctx.events.emit('login.completed', { ctx, flow, connection: a.connection, profile, successRecorded: true });
  return withParams(params.redirectUri, { code, state: params.state || undefined });
}

/** The same rows oauth/codes.ts#issueCode builds, less what the flow's params give (the statement reads those). */
async function prepare(ctx: AppContext, a: Parameters<typeof finishAtOnce>[1]) {
  const profile = await profileForApp(ctx, a.connection, a.profile, a.facts);
  const code = randomToken(32);
  const { client_id: _fromTheFlow, ...session } = newAppSession(ctx, { connection: a.connection, clientId: '', profile, upstream: a.profile.upstreamSession });
  const now = ctx.now();
  const settled = {
    flowId: a.flowId, now, connection: a.connection, facts: a.facts, session, replay: a.replay,
    code: codeRowBase(ctx, { code, flowId: a.flowId, connectionId: a.connection.id, sid: session.sid, profile, now }),
  };
  return { settled, code, profile };
}
