/**
 * GET /api/oauth/oidc, the upstream OIDC callback, as a pipeline: findFlow(state) → loadConnection →
 * exchangeCode (openid-client validates the response's state and iss, PKCE, and the id_token's issuer,
 * audience, nonce and expiry) → verifyUpstreamIdToken (signature with the provider's JWKS, iat) →
 * mergeUserinfo → mapProfile → the finisher (oauth/finish-login.ts: completeFlow → issueCode → redirect).
 */
import type { AppContext, RequestLog } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { loginFlowsRepo, type LoginFlowRow } from '../../storage/index.ts';
import { connectionForFlow } from '../flow-connection.ts';
import { mapProfile } from '../profile.ts';
import { signInAnswerOf, type SignInAnswer, type SignInFinisher } from '../sign-in-finisher.ts';
import { oidcClientFor } from './client.ts';
import { verifyUpstreamIdToken } from './jwks.ts';
import type { OidcFlowSecrets } from './start-login.ts';
import { countLogin } from '../../observability/hooks.ts';

/** What this layer reads of the flow's params: its own upstream secrets (the app's request is the finisher's). */
type OidcFlowParams = { upstream: OidcFlowSecrets };

async function findFlow(ctx: AppContext, state: string | undefined): Promise<LoginFlowRow> {
  if (!state) throw new GatehouseError('OIDC_STATE_UNKNOWN', 'The answer carries no state.');
  const flow = await loginFlowsRepo.findById(ctx.db, state);
  if (!flow || flow.completed_at !== null || flow.expires_at < ctx.now()) throw new GatehouseError('OIDC_STATE_UNKNOWN');
  return flow;
}

/** Claims as the attribute map mapProfile reads: every value a list of strings. */
function claimsToAttributes(claims: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(claims)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) out[k] = v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
    else out[k] = [typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)];
  }
  return out;
}

/**
 * Sorts openid-client's failures into "the provider is down or broken" (the app may retry) and "the
 * answer is not valid" (access_denied with the reason): only a failed exchange (network, timeout, an
 * answer that is not JSON or not an OAuth answer at all) is the first; anything wrong with the response's
 * iss or state or with the tokens is the second.
 */
function classify(err: unknown): GatehouseError {
  if (err instanceof GatehouseError) return err;
  const e = err as { name?: string; code?: string; message?: string; cause?: { name?: string; code?: string; message?: string; detail?: string }; error?: string; error_description?: string };
  if (e.error) return new GatehouseError('OIDC_IDP_ERROR', `${e.error}${e.error_description ? `: ${e.error_description}` : ''}`);
  const cause = e.cause instanceof GatehouseError ? e.cause.detail : e.cause?.message;
  const detail = e.message ? `(${`${e.message}${cause ? `: ${cause}` : ''}`.slice(0, 200)})` : undefined;
  const network = e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError' || e.cause?.code?.startsWith('OUTBOUND_')
    || /fetch failed|ECONNREFUSED|ECONNRESET|timed? ?out/i.test(`${e.message} ${e.cause?.code ?? ''}`);
  if (network || e.code === 'OAUTH_RESPONSE_IS_NOT_JSON' || e.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') return new GatehouseError('OIDC_IDP_UNAVAILABLE', detail);
  return new GatehouseError('OIDC_TOKEN_INVALID', detail);
}

/** `finish`: what answers the app once the sign-in is settled (federation/finish.ts's `federatedOrAppSignIn`). */
export const consumeOidcCallback = (ctx: AppContext, currentUrl: URL, log: RequestLog, finish: SignInFinisher): Promise<SignInAnswer> => countLogin(ctx, 'oidc', () => consume(ctx, currentUrl, log, finish));

async function consume(ctx: AppContext, currentUrl: URL, log: RequestLog, finish: SignInFinisher): Promise<SignInAnswer> {
  const q = currentUrl.searchParams;
  const flow = await findFlow(ctx, q.get('state') ?? undefined);
  const params = JSON.parse(flow.params) as OidcFlowParams;
  try {
    if (q.get('error')) throw new GatehouseError('OIDC_IDP_ERROR', `${q.get('error')}${q.get('error_description') ? `: ${q.get('error_description')}` : ''}`);
    const row = await connectionForFlow(ctx, flow);
    if (!row || row.active !== 1 || row.kind !== 'oidc') throw new GatehouseError('SAML_CONNECTION_UNKNOWN', 'The connection was deleted or deactivated during sign-in.');
    const { settings, config, oidc } = await oidcClientFor(ctx, row);
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: ctx.secrets.decrypt(params.upstream.codeVerifierEnc), expectedState: flow.id, expectedNonce: params.upstream.nonce, idTokenExpected: true,
      });
      claims = await verifyUpstreamIdToken(ctx, settings, tokens.id_token);
      if (settings.metadata.userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub as string);
        claims = { ...info, ...claims, ...(info.email ? { email: info.email } : {}) };
      }
    } catch (err) {
      throw classify(err);
    }
    const mapped = mapProfile({ subject: String(claims.sub), subjectFormat: null, attributes: claimsToAttributes(claims), mapping: settings.attributeMapping });
    if (!mapped.ok) throw new GatehouseError(mapped.code === 'SAML_EMAIL_MISSING' ? 'OIDC_EMAIL_MISSING' : mapped.code, mapped.detail.replace('an email-format NameID', 'an email-looking subject'));
    return signInAnswerOf(await finish.completed(ctx, { flow, connection: row, profile: mapped.profile, replay: null }));
  } catch (err) {
    throw await finish.refused(ctx, log, flow, err);
  }
}
