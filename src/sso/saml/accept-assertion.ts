/**
 * The step SP-initiated and IdP-initiated SAML share: validate the response (pure) against the connection,
 * accept its assertion ID once (a unique key, so across instances), and map the profile.
 */
import type { AppContext } from '../../context.ts';
import { GatehouseError } from '../../errors.ts';
import { assertionReplaysRepo } from '../../storage/index.ts';
import { mapProfile, type MappedProfile } from '../profile.ts';
import { spIdentityOf } from '../connection-settings.ts';
import type { LoadedSamlConnection } from './connection-keys.ts';
import type { ReplayGuard } from '../sign-in-finisher.ts';
import { assertionKey } from './replay-key.ts';
import { validateSamlResponse, type ParsedSamlResponse, type ValidateSamlOptions } from './validate-response.ts';

/** The pure validator's inputs for one connection and one sign-in (the clock read once, here). */
export async function validationOptions<T extends string | null>(ctx: AppContext, conn: LoadedSamlConnection, expectedInResponseTo: T, now: number): Promise<ValidateSamlOptions & { expectedInResponseTo: T }> {
  return {
    trustedKeys: conn.trustedKeys,
    ...spIdentityOf(conn.settings, { spEntityId: ctx.config.SAML_SP_ENTITY_ID, acsUrl: ctx.config.acsUrl }),
    idpEntityId: conn.row.idp_entity_id,
    expectedInResponseTo,
    decryptionKeys: [(await ctx.keys.sp()).privateKey],
    now,
    skewSeconds: ctx.config.SAML_CLOCK_SKEW_SECONDS,
    allowSha1: conn.settings.allowSha1,
  };
}

/** Validates on the calling thread (IdP-initiated responses, and the fallback of the pooled path in acs.ts). */
export async function acceptAssertion(ctx: AppContext, parsed: ParsedSamlResponse, conn: LoadedSamlConnection, expectedInResponseTo: string | null): Promise<MappedProfile> {
  const now = ctx.now();
  return acceptVerdict(ctx, conn, validateSamlResponse(parsed, await validationOptions(ctx, conn, expectedInResponseTo, now)), now);
}

/** The same on the calling thread, the replay guard left to the finisher (see `verifiedAssertion`). */
export async function verifyAssertion(ctx: AppContext, parsed: ParsedSamlResponse, conn: LoadedSamlConnection, expectedInResponseTo: string): Promise<{ profile: MappedProfile; replay: ReplayGuard }> {
  const now = ctx.now();
  return verifiedAssertion(ctx, conn, validateSamlResponse(parsed, await validationOptions(ctx, conn, expectedInResponseTo, now)), now);
}

type Verdict = ReturnType<typeof validateSamlResponse>;

/** The assertion's replay key and how long to keep it: until the assertion could no longer be accepted anyway (plus margin). */
function replayGuardOf(ctx: AppContext, a: Extract<Verdict, { ok: true }>['assertion'], now: number): ReplayGuard {
  return { key: assertionKey(a.issuer, a.assertionId), keepUntil: Math.max(a.notOnOrAfter ?? now, now) + ctx.config.SAML_CLOCK_SKEW_SECONDS * 1000 + 3600_000 };
}

function mappedProfileOf(conn: LoadedSamlConnection, a: Extract<Verdict, { ok: true }>['assertion']): MappedProfile {
  const mapped = mapProfile({ subject: a.nameId, subjectFormat: a.nameIdFormat, attributes: a.attributes, mapping: conn.settings.attributeMapping });
  if (!mapped.ok) throw new GatehouseError(mapped.code, mapped.detail);
  return { ...mapped.profile, upstreamSession: { nameIdFormat: a.nameIdFormat, sessionIndex: a.sessionIndex } };
}

/** After the pure validator (on whichever thread): the replay guard (a unique key, so across instances) and the profile mapping. */
export async function acceptVerdict(ctx: AppContext, conn: LoadedSamlConnection, v: Verdict, now: number): Promise<MappedProfile> {
  if (!v.ok) throw new GatehouseError(v.code, v.detail);
  const replay = replayGuardOf(ctx, v.assertion, now);
  if (!(await assertionReplaysRepo.recordOnce(ctx.db, replay.key, replay.keepUntil))) throw new GatehouseError('SAML_REPLAYED');
  return mappedProfileOf(conn, v.assertion);
}

/**
 * The same, with the replay guard left for the finisher to record in the statement that issues the code (an
 * SP-initiated response, decision 0042): nothing is issued or announced for an assertion seen before.
 */
export function verifiedAssertion(ctx: AppContext, conn: LoadedSamlConnection, v: Verdict, now: number): { profile: MappedProfile; replay: ReplayGuard } {
  if (!v.ok) throw new GatehouseError(v.code, v.detail);
  return { profile: mappedProfileOf(conn, v.assertion), replay: replayGuardOf(ctx, v.assertion, now) };
}
