/**
 * The single logout endpoint (`/api/oauth/saml/slo`, and Jackson's `/api/logout`), decision 0030. Two messages
 * arrive there, by HTTP-Redirect or HTTP-POST:
 * - an IdP's LogoutRequest: parse → connectionsOfIssuer → validate against each (pure) → recordOnce (replay) →
 *   end the NameID's sessions (`saml_slo`) → a signed LogoutResponse to the IdP;
 * - the IdP's LogoutResponse to ours: parse → pendingLogout → validate (pure) → complete once → the app's verified
 *   post_logout_redirect_uri with its state.
 * A refusal is an error page and ends no session; a LogoutRequest whose signature verified but that is refused
 * (expired, wrong Destination, unsupported NameID) is answered with a non-success LogoutResponse.
 */
import type { AppContext } from '../context.ts';
import { GatehouseError } from '../errors.ts';
import { assertionReplaysRepo, connectionsRepo, pendingLogoutsRepo } from '../storage/index.ts';
import { idpKeyOf } from '../sso/connections.ts';
import { loadSamlConnection, type LoadedSamlConnection } from '../sso/saml/connection-keys.ts';
import type { ReceivedLogoutMessage } from '../sso/saml/logout-bindings.ts';
import { STATUS_REQUESTER, STATUS_SUCCESS } from '../sso/saml/logout-messages.ts';
import { logoutRequestKey } from '../sso/saml/replay-key.ts';
import { answerIdpLogout } from '../sso/saml/sp-logout.ts';
import { parseLogoutMessage, validateLogoutRequest, validateLogoutResponse, type LogoutRequestFailure, type ParsedLogoutMessage, type ValidLogoutRequest } from '../sso/saml/validate-logout.ts';
import type { SamlFailure } from '../sso/saml/validation-types.ts';
import { withParams } from './codes.ts';
import type { LogoutOutcome } from './end-session.ts';
import { endAppSessions, nameidKeyOf } from './sessions.ts';

/** `arrivedAt`: the absolute URL of the path the message came to, the only Destination accepted. */
export async function receiveSloMessage(ctx: AppContext, received: ReceivedLogoutMessage, arrivedAt: string): Promise<LogoutOutcome> {
  const parsed = parseLogoutMessage(received.xml);
  if (!parsed.ok) throw refusal(parsed);
  if (parsed.parsed.kind === 'LogoutRequest') return idpInitiated(ctx, parsed.parsed, received, arrivedAt);
  return finishSpInitiated(ctx, parsed.parsed, received, arrivedAt);
}

// ---------------------------------------------------------------- IdP-initiated

async function idpInitiated(ctx: AppContext, parsed: ParsedLogoutMessage, received: ReceivedLogoutMessage, arrivedAt: string): Promise<LogoutOutcome> {
  const candidates = await connectionsOfIssuer(ctx, parsed.issuer);
  const accepted: { conn: LoadedSamlConnection; request: ValidLogoutRequest }[] = [];
  const refused: { conn: LoadedSamlConnection; failure: LogoutRequestFailure }[] = [];
  for (const conn of candidates) {
    const v = validateLogoutRequest(parsed, received, { ...validationOptions(ctx, conn, arrivedAt) });
    if (v.ok) accepted.push({ conn, request: v.value });
    else refused.push({ conn, failure: v });
  }
  if (accepted.length === 0) return refuseRequest(ctx, parsed, received, refused);
  const request = accepted[0]!.request;
  const keepUntil = request.acceptableUntil + 3600_000;
  if (!(await assertionReplaysRepo.recordOnce(ctx.db, logoutRequestKey(request.issuer, request.id), keepUntil))) {
    throw new GatehouseError('SAML_LOGOUT_REPLAYED', `LogoutRequest ${request.id.slice(0, 100)} from ${request.issuer.slice(0, 200)} was already processed; no session was ended.`);
  }
  for (const { conn, request: r } of accepted) await endMatchingSessions(ctx, conn.row.id, r);
  const answer = await answerIdpLogout(ctx, accepted[0]!.conn.settings, { inResponseTo: request.id, status: { code: STATUS_SUCCESS }, relayState: echoed(received.relayState) });
  return answer ?? { kind: 'signed-out' };
}

/** Active SAML connections whose IdP entity ID is the Issuer (several only when created deliberately for several tenants). */
async function connectionsOfIssuer(ctx: AppContext, issuer: string | null): Promise<LoadedSamlConnection[]> {
  if (!issuer) throw new GatehouseError('SAML_ISSUER_MISMATCH', 'The LogoutRequest has no Issuer.');
  const rows = (await connectionsRepo.listByIdpKey(ctx.db, idpKeyOf(issuer))).filter((r) => r.kind === 'saml' && r.active === 1 && r.idp_entity_id === issuer);
  if (rows.length === 0) throw new GatehouseError('SAML_CONNECTION_UNKNOWN', `No active SAML connection has the IdP entity ID "${issuer.slice(0, 200)}".`);
  return rows.map(loadSamlConnection);
}

/**
 * No connection accepted it. When a connection verified its signature (the issuer is known and it really sent
 * this) the IdP gets a non-success LogoutResponse saying why; otherwise the browser gets the error page, and
 * nothing is signed for a message we cannot attribute.
 */
async function refuseRequest(ctx: AppContext, parsed: ParsedLogoutMessage, received: ReceivedLogoutMessage, refused: { conn: LoadedSamlConnection; failure: LogoutRequestFailure }[]): Promise<LogoutOutcome> {
  const verified = refused.find((r) => r.failure.verified);
  if (!verified) throw refusal(refused[0]!.failure);
  const answer = await answerIdpLogout(ctx, verified.conn.settings, {
    inResponseTo: parsed.id!,
    status: { code: STATUS_REQUESTER, message: `${verified.failure.code}: ${verified.failure.detail}`.slice(0, 500) },
    relayState: echoed(received.relayState),
  });
  if (!answer) throw refusal(verified.failure);
  return answer;
}

/** The NameID's sessions of this connection, narrowed to the SessionIndexes the IdP named (all of them when none). */
async function endMatchingSessions(ctx: AppContext, connectionId: string, r: ValidLogoutRequest): Promise<void> {
  const nameidKey = nameidKeyOf(r.nameId);
  if (r.sessionIndexes.length === 0) {
    await endAppSessions(ctx, { connectionId, nameidKey }, 'saml_slo');
    return;
  }
  for (const sessionIndex of r.sessionIndexes) await endAppSessions(ctx, { connectionId, nameidKey, sessionIndex }, 'saml_slo');
}

// ---------------------------------------------------------------- SP-initiated, the answer

async function finishSpInitiated(ctx: AppContext, parsed: ParsedLogoutMessage, received: ReceivedLogoutMessage, arrivedAt: string): Promise<LogoutOutcome> {
  const pending = parsed.inResponseTo ? await pendingLogoutsRepo.find(ctx.db, parsed.inResponseTo) : undefined;
  if (!pending || pending.completed_at !== null || pending.expires_at <= ctx.now()) throw new GatehouseError('SAML_LOGOUT_UNKNOWN_REQUEST');
  const row = await connectionsRepo.findById(ctx.db, pending.connection_id);
  if (!row || row.kind !== 'saml') throw new GatehouseError('SAML_CONNECTION_UNKNOWN', 'The connection this logout started on was deleted.');
  const conn = loadSamlConnection(row);
  const v = validateLogoutResponse(parsed, received, { ...validationOptions(ctx, conn, arrivedAt), expectedInResponseTo: pending.id });
  if (!v.ok) throw refusal(v);
  if (!(await pendingLogoutsRepo.complete(ctx.db, pending.id, ctx.now()))) throw new GatehouseError('SAML_LOGOUT_UNKNOWN_REQUEST');
  const back = pending.redirect_uri ? withParams(pending.redirect_uri, { state: pending.state ?? undefined }) : null;
  if (!v.value.success) {
    throw new GatehouseError('SAML_LOGOUT_FAILED', `The identity provider answered: ${v.value.status}`, back ? { action: { href: back, label: 'Continue to the application' } } : {});
  }
  return back ? { kind: 'redirect', url: back } : { kind: 'signed-out' };
}

// ---------------------------------------------------------------- shared

function validationOptions(ctx: AppContext, conn: LoadedSamlConnection, arrivedAt: string) {
  return {
    trustedKeys: conn.trustedKeys,
    allowSha1: conn.settings.allowSha1,
    idpEntityId: conn.row.idp_entity_id,
    destinations: [arrivedAt],
    now: ctx.now(),
    skewSeconds: ctx.config.SAML_CLOCK_SKEW_SECONDS,
  };
}

/** RelayState is echoed as received (saml-bindings allow 80 bytes; IdPs send more), but never an unbounded one. */
const echoed = (relayState: string | null): string | null => (relayState !== null && relayState.length <= 2048 ? relayState : null);

const refusal = (f: SamlFailure): GatehouseError => new GatehouseError(f.code, f.detail);
