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

/** After the pure validator (on whichever thread): the replay guard (a unique key, so across instances) and the profile mapping. */
export async function acceptVerdict(ctx: AppContext, conn: LoadedSamlConnection, v: ReturnType<typeof validateSamlResponse>, now: number): Promise<MappedProfile> {
  if (!v.ok) throw new GatehouseError(v.code, v.detail);
  const a = v.assertion;
  // Keep the ID until the assertion could no longer be accepted anyway (plus margin).
  const keepUntil = Math.max(a.notOnOrAfter ?? now, now) + ctx.config.SAML_CLOCK_SKEW_SECONDS * 1000 + 3600_000;
  if (!(await assertionReplaysRepo.recordOnce(ctx.db, assertionKey(a.issuer, a.assertionId), keepUntil))) throw new GatehouseError('SAML_REPLAYED');
  const mapped = mapProfile({ subject: a.nameId, subjectFormat: a.nameIdFormat, attributes: a.attributes, mapping: conn.settings.attributeMapping });
  if (!mapped.ok) throw new GatehouseError(mapped.code, mapped.detail);
  return { ...mapped.profile, upstreamSession: { nameIdFormat: a.nameIdFormat, sessionIndex: a.sessionIndex } };
}
