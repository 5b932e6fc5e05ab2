/**
 * Issues an authorization code for a completed login: stored by hash, short-lived, single use. The login opens
 * an app session (src/oauth/sessions.ts) whose `sid` the code, its tokens and the id_token carry.
 */
import type { AppContext } from '../context.ts';
import { oauthCodesRepo } from '../storage/index.ts';
import { randomToken, tokenHash } from '../crypto/secrets.ts';
import type { FlowParams } from './flow-params.ts';
import type { Profile, UpstreamSession } from '../sso/profile.ts';
import type { ConnectionRow } from '../storage/index.ts';
import { newAppSession } from './sessions.ts';
import { GatehouseError } from '../errors.ts';
import type { ReplayGuard } from '../sso/sign-in-finisher.ts';

/**
 * `replay`: the SAML assertion's single use, recorded with the code (SAML_REPLAYED, and nothing issued, when it was
 * seen before). The connection's success (`connection.login_failures`) is counted with it too (decision 0042).
 */
export async function issueCode(ctx: AppContext, a: { flowId: string; connection: ConnectionRow; params: FlowParams; profile: Profile; upstream?: UpstreamSession; replay?: ReplayGuard }): Promise<string> {
  const code = randomToken(32);
  const session = newAppSession(ctx, { connection: a.connection, clientId: a.params.clientId, profile: a.profile, upstream: a.upstream });
  const now = ctx.now();
  // The session and the code go in together: one statement on PostgreSQL (decisions 0039, 0042).
  const stored = await oauthCodesRepo.insertWithSession(ctx.db, ctx.dialect, session, {
    ...codeRowBase(ctx, { code, flowId: a.flowId, connectionId: a.connection.id, sid: session.sid, profile: a.profile, now }),
    client_id: a.params.clientId, redirect_uri: a.params.redirectUri, code_challenge: a.params.codeChallenge,
    code_challenge_method: a.params.codeChallengeMethod, nonce: a.params.nonce, scope: a.params.scope,
  }, { replay: a.replay, success: { connectionId: a.connection.id, now } });
  if (!stored) throw new GatehouseError('SAML_REPLAYED');
  return code;
}

/**
 * A code's row less what the flow's params give (client_id, redirect_uri, PKCE, nonce, scope): the profile sealed, the
 * expiry from CODE_TTL_SECONDS. issueCode adds the params; the ACS's one statement (finish-at-once.ts) takes them from
 * the flow it claims.
 */
export function codeRowBase(ctx: AppContext, a: { code: string; flowId: string; connectionId: string; sid: string; profile: Profile; now: number }) {
  return {
    code_hash: tokenHash(a.code), flow_id: a.flowId, connection_id: a.connectionId, profile_enc: ctx.secrets.encrypt(JSON.stringify(a.profile)),
    created_at: a.now, expires_at: a.now + ctx.config.CODE_TTL_SECONDS * 1000, redeemed_at: null, sid: a.sid,
  };
}

/** The app's redirect URI with the given parameters added (existing query kept). */
export function withParams(redirectUri: string, params: Record<string, string | undefined>): string {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.href;
}
