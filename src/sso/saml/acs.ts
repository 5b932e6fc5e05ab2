/**
 * POST /api/oauth/saml, the Assertion Consumer Service, as a pipeline (on PostgreSQL first as one statement, from
 * what this instance remembers of the connection: acs-at-once.ts, decision 0052; a miss comes here):
 * decodeBody → parse → findFlow (claimed with its connection) → validate (pure) → mapProfile →
 * (for an SP-initiated response, found by its InResponseTo hint: findFlow → parse + validate on the pool's worker
 * thread → mapProfile) →
 * the finisher (oauth/finish-login.ts: recordAssertionOnce with issueCode → redirect to the app; decision 0042).
 * Failures before the flow is known are pages (and a `login.refused` event); after, the finisher turns
 * them into OAuth error redirects to the verified URI.
 */
import type { AppContext, RequestLog } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { loginFlowsRepo } from '../../storage/index.ts';
import type { ClaimedFlow } from '../../storage/repositories/login-flows.ts';
import { connectionForFlow } from '../flow-connection.ts';
import { signInAnswerOf, type SignInAnswer, type SignInFinisher } from '../sign-in-finisher.ts';
import { loadSamlConnection } from './connection-keys.ts';
import { validationOptions, verifiedAssertion, verifyAssertion } from './accept-assertion.ts';
import { inResponseToHint } from './response-hint.ts';
import { consumeUnsolicited } from './idp-initiated.ts';
import { parseSamlResponse, type ParsedSamlResponse } from './validate-response.ts';
import { countLogin } from '../../observability/hooks.ts';
import { THREAD_FAILED, consumeAtOnce, rememberClaimed } from './acs-at-once.ts';

export interface AcsBody {
  SAMLResponse?: unknown;
  RelayState?: unknown;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The SAMLResponse's XML. Most IdPs send base64 on one line, so the whitespace is stripped (a second pass over ~10 KB) only when the value is not base64 as sent. */
function decodeBody(body: AcsBody): string {
  const sent = typeof body?.SAMLResponse === 'string' ? body.SAMLResponse : '';
  if (BASE64.test(sent)) return Buffer.from(sent, 'base64').toString('utf8');
  const b64 = sent.replace(/\s+/g, '');
  if (!b64 || !BASE64.test(b64)) throw new GatehouseError('SAML_MALFORMED', 'The SAMLResponse form field is missing or not base64.');
  return Buffer.from(b64, 'base64').toString('utf8');
}

function parse(xml: string): ParsedSamlResponse {
  const r = parseSamlResponse(xml);
  if (!r.ok) throw new GatehouseError(r.code, r.detail);
  return r.parsed;
}

/**
 * The flow this response answers, claimed for this request with its connection's row in one statement (decisions
 * 0039, 0042): every outcome from here on closes it anyway (a code, or an error redirect), so a second answer for the
 * same request never gets this far. Only a refusal reads the flow again, to say whether it was unknown or already used/expired.
 */
async function findFlow(ctx: AppContext, inResponseTo: string): Promise<ClaimedFlow> {
  const claimed = await loginFlowsRepo.claimWithConnection(ctx.db, ctx.dialect, inResponseTo, ctx.now());
  if (claimed) {
    rememberClaimed(ctx, claimed);
    return claimed;
  }
  const flow = await loginFlowsRepo.findById(ctx.db, inResponseTo);
  if (!flow) throw new GatehouseError('SAML_IN_RESPONSE_TO_MISMATCH', 'The response answers a sign-in request this service did not make (or that was cleaned up).');
  throw new GatehouseError('SAML_FLOW_EXPIRED');
}

export type AcsResult = SignInAnswer;

/** `finish`: what answers the app once the sign-in is settled (federation/finish.ts's `federatedOrAppSignIn`). */
export async function consumeSamlResponse(ctx: AppContext, body: AcsBody, log: RequestLog, finish: SignInFinisher): Promise<AcsResult> {
  try {
    return await countLogin(ctx, 'saml', () => consume(ctx, body, log, finish));
  } catch (err) {
    // Refusals before the flow was known are announced here; after it, the finisher announces them.
    if (err instanceof GatehouseError && err.code !== 'INTERNAL') await ctx.events.emit('login.refused', { ctx, log, kind: 'saml', error: err, samlPost: body });
    throw err;
  }
}

async function consume(ctx: AppContext, body: AcsBody, log: RequestLog, finish: SignInFinisher): Promise<AcsResult> {
  const xml = decodeBody(body);
  const hint = inResponseToHint(xml);
  if (hint === null) return consumeHere(ctx, xml, body, log, finish);
  const atOnce = await consumeAtOnce(ctx, xml, hint, finish);
  if (atOnce === THREAD_FAILED) {
    log.warn('SAML validation thread failed; validating on the main thread');
    return consumeHere(ctx, xml, body, log, finish);
  }
  return atOnce || (await consumeOnPool(ctx, xml, hint, log, finish)) || consumeHere(ctx, xml, body, log, finish);
}

/**
 * The common case, its CPU on a worker thread (decision 0038): the flow claimed with its connection by the hint (one
 * statement, decision 0042), then one parse and the validation on the pool. null when anything before the verdict
 * does not go as expected: the claim is given back and the main-thread path does it all again, so every refusal is
 * the one it has always been, in the same order.
 */
async function consumeOnPool(ctx: AppContext, xml: string, hint: string, log: RequestLog, finish: SignInFinisher): Promise<AcsResult | null> {
  const claimedAt = ctx.now();
  const claimed = await loginFlowsRepo.claimWithConnection(ctx.db, ctx.dialect, hint, claimedAt);
  if (!claimed) return null;
  rememberClaimed(ctx, claimed);
  const { flow } = claimed;
  const handOver = async () => {
    await loginFlowsRepo.releaseClaim(ctx.db, flow.id, claimedAt);
    return null;
  };
  const row = await connectionForFlow(ctx, flow, { row: claimed.connection }).catch(() => null);
  if (!row || row.active !== 1) return handOver();
  const now = ctx.now();
  // Whatever fails before a verdict (the connection's keys, the SP key, the thread) gives the claim back: the main
  // thread then does it all again and answers as it always has.
  let conn: ReturnType<typeof loadSamlConnection>;
  let verdict: Awaited<ReturnType<typeof ctx.samlValidation.run>> | null;
  try {
    conn = loadSamlConnection(row);
    const opts = await validationOptions(ctx, conn, flow.id, now);
    verdict = await ctx.samlValidation.run({ xml, opts }).catch((err: Error) => {
      // A thread that died (out of memory on a hostile document, say) is replaced by the pool; this one is answered here.
      log.warn({ err: { code: (err as { code?: string }).code, message: err.message } }, 'SAML validation thread failed; validating on the main thread');
      return null;
    });
  } catch {
    return handOver();
  }
  if (verdict === null || verdict.stage === 'header') return handOver();
  if (verdict.stage === 'parse') {
    await handOver();
    throw new GatehouseError(verdict.failure.code, verdict.failure.detail);
  }
  try {
    const { profile, replay } = verifiedAssertion(ctx, conn, verdict.result, now);
    return signInAnswerOf(await finish.completed(ctx, { flow, connection: row, profile, replay, facts: factsFor(claimed, row) }));
  } catch (err) {
    throw await finish.refused(ctx, log, flow, err, { kind: 'saml', samlXml: xml });
  }
}

/** The lookups read with the claim are for the serving row's tenant+product: a flow on another version (same tenant and product) uses them too. */
const factsFor = (claimed: ClaimedFlow, row: { tenant: string; product: string }) =>
  claimed.connection && claimed.connection.tenant === row.tenant && claimed.connection.product === row.product ? claimed.facts : undefined;

async function consumeHere(ctx: AppContext, xml: string, body: AcsBody, log: RequestLog, finish: SignInFinisher): Promise<AcsResult> {
  const parsed = parse(xml);
  if (!parsed.inResponseTo) return { redirectUrl: await consumeUnsolicited(ctx, parsed, typeof body.RelayState === 'string' ? body.RelayState : undefined, finish) };
  const claimed = await findFlow(ctx, parsed.inResponseTo);
  const { flow, connection } = claimed;
  try {
    const row = await connectionForFlow(ctx, flow, { row: connection });
    if (!row || row.active !== 1) throw new GatehouseError('SAML_CONNECTION_UNKNOWN', 'The connection was deleted or deactivated during sign-in.');
    const { profile, replay } = await verifyAssertion(ctx, parsed, loadSamlConnection(row), flow.id);
    return signInAnswerOf(await finish.completed(ctx, { flow, connection: row, profile, replay, facts: factsFor(claimed, row) }));
  } catch (err) {
    throw await finish.refused(ctx, log, flow, err, { kind: 'saml', samlXml: xml });
  }
}
