/**
 * GET|POST /api/oauth/authorize as a pipeline of small checks:
 * checkClient → checkRedirectUri → checkRequest (response_type, state, PKCE) → resolveConnection → startLogin.
 * A request naming a connection's clientID has its flow stored with the connection's read (anticipatedFlow, decision
 * 0042) when its redirect_uri is one the connection lists exactly (decision 0047).
 * Until the redirect URI is verified every error is a page; after, it is an OAuth error redirect.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError, type ErrorCode } from '../errors.ts';
import { loginFlowsRepo, type ConnectionRow } from '../storage/index.ts';
import { candidateConnections, isConnectionClientId, redirectAllowList, resolveClient, type ClientRef } from './client.ts';
import type { FlowParams } from './flow-params.ts';
import { allowedRedirects, isAllowedRedirect, normaliseRedirectUri, redirectMatchingOf, type RedirectMatching } from '../sso/redirect-urls.ts';
import { newSamlFlow, startSamlLogin, type StartLoginOutcome } from '../sso/saml/start-login.ts';
import { startOidcLogin } from '../sso/oidc/start-login.ts';
import { tenantForEmail } from '../tenancy/domains.ts';

export interface AuthorizeParams {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  state?: string;
  scope?: string;
  nonce?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  tenant?: string;
  product?: string;
  idp_hint?: string;
  login_hint?: string;
}

/** An error to send back to the app's verified redirect URI. */
export class RedirectableError extends Error {
  constructor(readonly redirectUri: string, readonly error: string, readonly description: string, readonly state: string | undefined, readonly code: ErrorCode) {
    super(description);
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function readAuthorizeParams(source: Record<string, unknown>): AuthorizeParams {
  const keys = ['response_type', 'client_id', 'redirect_uri', 'state', 'scope', 'nonce', 'code_challenge', 'code_challenge_method', 'tenant', 'product', 'idp_hint', 'login_hint'] as const;
  const out: AuthorizeParams = {};
  for (const k of keys) out[k] = str(source[k]);
  return out;
}

/** `client_id=dummy&product=…&login_hint=alice@acme.com` without a tenant: the verified email domain names it. */
async function tenantFromLoginHint(ctx: AppContext, p: AuthorizeParams): Promise<string | undefined> {
  if (p.tenant || p.client_id !== 'dummy' || !p.login_hint) return p.tenant;
  const tenant = await tenantForEmail(ctx, p.login_hint);
  if (!tenant) throw new GatehouseError('LOGIN_DOMAIN_UNKNOWN', `No organisation has verified the domain of ${p.login_hint}.`);
  return tenant;
}

async function checkClient(ctx: AppContext, p: AuthorizeParams, read?: { connection: ConnectionRow | undefined }) {
  const client = await resolveClient(ctx, p.client_id, { tenant: await tenantFromLoginHint(ctx, p), product: p.product }, read);
  const candidates = await candidateConnections(ctx, client);
  if (candidates.length === 0) {
    throw new GatehouseError('OAUTH_NO_CONNECTION', `Tenant "${client.tenant}", product "${client.product}" has no active SSO connection. Ask the administrator to set one up.`);
  }
  return { client, candidates };
}

function checkRedirectUri(p: AuthorizeParams, client: ClientRef, candidates: ConnectionRow[], matching: RedirectMatching): string {
  const { allowed, perConnection } = redirectAllowList(client, candidates);
  // A connection's default redirect URL stands in for a missing one; a federation app always names its own.
  const redirectUri = p.redirect_uri ?? (perConnection && candidates.length === 1 ? candidates[0]!.default_redirect_url : undefined);
  if (!redirectUri) throw new GatehouseError('OAUTH_INVALID_REQUEST', 'The "redirect_uri" parameter is missing.', { field: 'redirect_uri' });
  if (!isAllowedRedirect(redirectUri, allowed, matching)) {
    const rule = matching === 'exact' ? 'Allowed URLs must match exactly (scheme, host, port and path).' : 'Allowed URLs match as in SAML Jackson (JACKSON_COMPAT).';
    throw new GatehouseError('OAUTH_INVALID_REDIRECT_URI', `"${redirectUri}" is not an allowed redirect URL for tenant "${client.tenant}", product "${client.product}". ${rule}`, { field: 'redirect_uri' });
  }
  return redirectUri;
}

/**
 * response_type, PKCE and state; answers the PKCE method stored with the code (null without PKCE).
 * `state` may be left out when PKCE carries the CSRF protection (OAuth 2.1; Auth.js's BoxyHQ provider does),
 * never otherwise. `plain` PKCE only under JACKSON_COMPAT.
 */
function checkRequest(ctx: AppContext, p: AuthorizeParams, redirectUri: string): 'S256' | 'plain' | null {
  const fail = (error: string, description: string, code: ErrorCode = 'OAUTH_INVALID_REQUEST'): never => {
    throw new RedirectableError(redirectUri, error, description, p.state, code);
  };
  if (p.response_type !== 'code') fail('unsupported_response_type', 'Only response_type=code is supported.', 'OAUTH_UNSUPPORTED_RESPONSE_TYPE');
  if (!p.code_challenge) {
    if (p.code_challenge_method) fail('invalid_request', 'code_challenge_method was sent without code_challenge.');
    if (!p.state) fail('invalid_request', 'The "state" parameter is required (it may be left out only when the request uses PKCE).');
    return null;
  }
  if (p.code_challenge_method === 'plain' && ctx.config.JACKSON_COMPAT) {
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(p.code_challenge)) fail('invalid_request', 'code_challenge is not a valid plain challenge (43 to 128 unreserved characters).');
    return 'plain';
  }
  if (p.code_challenge_method !== 'S256') fail('invalid_request', 'code_challenge_method must be S256 (plain is not accepted).');
  if (!/^[A-Za-z0-9_-]{43,128}$/.test(p.code_challenge)) fail('invalid_request', 'code_challenge is not a valid S256 challenge.');
  return 'S256';
}

const definedParams = (p: AuthorizeParams): Record<string, string> => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Record<string, string>;

/** Several connections and nothing to choose between them: the user picks on /idp/select. */
export class PickerNeeded extends Error {}

function resolveConnection(p: AuthorizeParams, client: ClientRef, candidates: ConnectionRow[], redirectUri: string, matching: RedirectMatching): ConnectionRow {
  let chosen: ConnectionRow | undefined;
  if (p.idp_hint) {
    chosen = candidates.find((c) => c.id === p.idp_hint);
    if (!chosen) throw new RedirectableError(redirectUri, 'invalid_request', 'idp_hint does not name a connection of this tenant and product.', p.state, 'OAUTH_INVALID_REQUEST');
  } else if (candidates.length > 1) {
    throw new PickerNeeded();
  } else {
    chosen = candidates[0];
  }
  if (!chosen || (redirectAllowList(client, candidates).perConnection && !isAllowedRedirect(redirectUri, allowedRedirects(chosen), matching))) {
    throw new RedirectableError(redirectUri, 'invalid_request', 'The redirect URI is not allowed by the chosen connection.', p.state, 'OAUTH_INVALID_REDIRECT_URI');
  }
  return chosen;
}

/** The app's request as the flow keeps it. */
const flowParamsFor = (clientId: string, redirectUri: string, p: AuthorizeParams, pkce: 'S256' | 'plain' | null): FlowParams => ({
  clientId, redirectUri, state: p.state ?? '', nonce: p.nonce ?? null, scope: p.scope ?? '', codeChallenge: p.code_challenge ?? null, codeChallengeMethod: pkce,
});

/**
 * The flow a request naming a connection's clientID and a redirect_uri will start if every check passes, stored with
 * the connection's read where the dialect allows (decision 0042): one statement instead of two. null for any other
 * request, and for one whose own parameters already fail (the checks then refuse it in their order, as always).
 */
function anticipatedFlow(ctx: AppContext, p: AuthorizeParams) {
  if (!p.client_id || !p.redirect_uri || !isConnectionClientId(p.client_id) || (p.idp_hint && p.idp_hint !== p.client_id)) return null;
  // The statement stores the flow only if the connection lists this URI as sent or normalised, which is then an
  // allowed redirect under either matching rule (isAllowedRedirect compares normalised forms, and normalising is
  // idempotent); a URI that does not normalise is never allowed, so it is not anticipated.
  const normalised = normaliseRedirectUri(p.redirect_uri);
  if (normalised === null) return null;
  try {
    return { flow: newSamlFlow(ctx, p.client_id), params: flowParamsFor(p.client_id, p.redirect_uri, p, checkRequest(ctx, p, p.redirect_uri)), redirectUris: [...new Set([p.redirect_uri, normalised])] };
  } catch {
    return null;
  }
}

export async function authorize(ctx: AppContext, p: AuthorizeParams): Promise<StartLoginOutcome> {
  const anticipated = anticipatedFlow(ctx, p);
  if (!anticipated) return authorizeWith(ctx, p);
  const read = await loginFlowsRepo.readConnectionStartingFlow(ctx.db, ctx.dialect, p.client_id!, { ...anticipated.flow, params: JSON.stringify(anticipated.params) }, anticipated.redirectUris);
  try {
    return await authorizeWith(ctx, p, { connection: read.connection, started: read.started ? anticipated : null });
  } catch (err) {
    // A flow is stored only for a request every check passes (an active SAML connection, a listed redirect URI, its
    // own parameters checked first): this is a failure after the checks (signing the AuthnRequest, say). The flow's
    // id was never sent anywhere; it goes (or expires), and the error stands.
    if (read.started) await loginFlowsRepo.delete(ctx.db, anticipated.flow.id).catch(() => undefined);
    throw err;
  }
}

type Anticipated = NonNullable<ReturnType<typeof anticipatedFlow>>;

async function authorizeWith(ctx: AppContext, p: AuthorizeParams, read?: { connection: ConnectionRow | undefined; started: Anticipated | null }): Promise<StartLoginOutcome> {
  const { client, candidates } = await checkClient(ctx, p, read);
  const matching = redirectMatchingOf(ctx.config);
  const redirectUri = checkRedirectUri(p, client, candidates, matching);
  const pkce = checkRequest(ctx, p, redirectUri);
  let connection: ConnectionRow;
  try {
    connection = resolveConnection(p, client, candidates, redirectUri, matching);
  } catch (err) {
    if (err instanceof PickerNeeded) return { kind: 'redirect', url: `/idp/select?${new URLSearchParams(definedParams(p))}` };
    throw err;
  }
  const flow = flowParamsFor(client.clientId, redirectUri, p, pkce);
  const started = read?.started;
  if (started && connection.id === p.client_id && connection.kind === 'saml' && JSON.stringify(flow) === JSON.stringify(started.params)) {
    return startSamlLogin(ctx, connection, flow, started.flow);
  }
  if (started) await loginFlowsRepo.delete(ctx.db, started.flow.id);
  return startLogin(ctx, connection, flow);
}

/** The picker's choices for an authorize request: its tenant+product's active connections, after the same checks. */
export async function authorizeChoices(ctx: AppContext, p: AuthorizeParams) {
  const { client, candidates } = await checkClient(ctx, p);
  const matching = redirectMatchingOf(ctx.config);
  const redirectUri = checkRedirectUri(p, client, candidates, matching);
  checkRequest(ctx, p, redirectUri);
  const { perConnection } = redirectAllowList(client, candidates);
  const usable = candidates.filter((c) => !perConnection || isAllowedRedirect(redirectUri, allowedRedirects(c), matching));
  const { idp_hint: _h, ...base } = definedParams(p);
  return { client, choices: usable.map((c) => ({ connection: c, href: `/api/oauth/authorize?${new URLSearchParams({ ...base, idp_hint: c.id })}` })) };
}

/** Sends the browser to the connection's IdP (SAML or OIDC). */
export const startLogin = (ctx: AppContext, connection: ConnectionRow, flow: FlowParams): Promise<StartLoginOutcome> =>
  connection.kind === 'oidc' ? startOidcLogin(ctx, connection, flow) : startSamlLogin(ctx, connection, flow);
