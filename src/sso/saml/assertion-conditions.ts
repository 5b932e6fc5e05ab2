/**
 * The assertion's time window, audience and bearer subject confirmation, and the InResponseTo
 * rule: pure functions of one (already verified) Assertion element and the validation options.
 */
import type { Element } from '@xmldom/xmldom';
import type { ErrorCode } from '../../errors.ts';
import type { SamlFailure, ValidateSamlOptions } from './validation-types.ts';
import { NS, attr, childElements, firstChild, parseInstant, textOf } from './xml-dom.ts';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

export type AssertionPolicy = Pick<ValidateSamlOptions, 'spEntityId' | 'acsUrl' | 'expectedInResponseTo' | 'now' | 'skewSeconds' | 'skipRecipientCheck'>;
/** Passed, with the NotOnOrAfter that bounded it (null when there was none). */
type Bounded = { ok: true; notOnOrAfter: number | null };

const fail = (code: ErrorCode, detail: string): SamlFailure => ({ ok: false, code, detail });

/** A request id was expected: it must be there and equal. None was (unsolicited): there must be none. */
export function inResponseToFailure(actual: string | null, expected: string | null, where: string): SamlFailure | null {
  if (expected === null) {
    return actual === null ? null : fail('SAML_IN_RESPONSE_TO_MISMATCH', `${where} answers request "${actual}" but no request was expected (unsolicited)`);
  }
  if (actual === null) return fail('SAML_IN_RESPONSE_TO_MISMATCH', `${where} has no InResponseTo; expected "${expected}"`);
  if (actual !== expected) return fail('SAML_IN_RESPONSE_TO_MISMATCH', `${where} answers request "${actual}", expected "${expected}"`);
  return null;
}

/** Reads an optional instant attribute: undefined when the attribute is there but is not an xs:dateTime. */
function instantAttr(el: Element, name: string): number | null | undefined {
  const raw = attr(el, name);
  if (raw === null) return null;
  return parseInstant(raw) ?? undefined;
}

function checkTimeBounds(el: Element, what: string, opts: AssertionPolicy): Bounded | SamlFailure {
  const skew = opts.skewSeconds * 1000;
  const notBefore = instantAttr(el, 'NotBefore');
  const notOnOrAfter = instantAttr(el, 'NotOnOrAfter');
  if (notBefore === undefined || notOnOrAfter === undefined) return fail('SAML_MALFORMED', `${what} has a time that is not an xs:dateTime`);
  if (notBefore !== null && opts.now + skew < notBefore) {
    return fail('SAML_NOT_YET_VALID', `${what} NotBefore is ${new Date(notBefore).toISOString()}; now is ${new Date(opts.now).toISOString()}`);
  }
  if (notOnOrAfter !== null && opts.now - skew >= notOnOrAfter) {
    return fail('SAML_EXPIRED', `${what} NotOnOrAfter is ${new Date(notOnOrAfter).toISOString()}; now is ${new Date(opts.now).toISOString()}`);
  }
  return { ok: true, notOnOrAfter };
}

/** Conditions time window and AudienceRestriction (required; every AudienceRestriction must name us). */
export function checkConditions(assertion: Element, opts: AssertionPolicy): Bounded | SamlFailure {
  const all = childElements(assertion, NS.assertion, 'Conditions');
  if (all.length > 1) return fail('SAML_MALFORMED', 'the assertion has more than one Conditions');
  const conditions = all[0];
  if (!conditions) return fail('SAML_AUDIENCE_MISMATCH', 'the assertion has no Conditions, so no AudienceRestriction');
  const bounds = checkTimeBounds(conditions, 'Conditions', opts);
  if (!bounds.ok) return bounds;
  const restrictions = childElements(conditions, NS.assertion, 'AudienceRestriction');
  if (restrictions.length === 0) return fail('SAML_AUDIENCE_MISMATCH', 'the assertion has no AudienceRestriction');
  for (const restriction of restrictions) {
    const audiences = childElements(restriction, NS.assertion, 'Audience').map((a) => textOf(a).trim());
    if (!audiences.includes(opts.spEntityId)) {
      return fail('SAML_AUDIENCE_MISMATCH', `the assertion is for ${audiences.map((a) => `"${a}"`).join(', ') || 'no audience'}, not "${opts.spEntityId}"`);
    }
  }
  return bounds;
}

/** At least one bearer SubjectConfirmation must pass; when none does, the first one's failure is reported. */
export function checkBearerConfirmation(assertion: Element, opts: AssertionPolicy): Bounded | SamlFailure {
  const subject = firstChild(assertion, NS.assertion, 'Subject');
  if (!subject) return fail('SAML_SUBJECT_MISSING', 'the assertion has no Subject');
  const bearers = childElements(subject, NS.assertion, 'SubjectConfirmation').filter((sc) => attr(sc, 'Method') === BEARER);
  if (bearers.length === 0) return fail('SAML_RECIPIENT_MISMATCH', 'the assertion has no bearer SubjectConfirmation');
  let first: SamlFailure | null = null;
  for (const confirmation of bearers) {
    const result = checkBearer(confirmation, opts);
    if (result.ok) return result;
    first ??= result;
  }
  return first!;
}

function checkBearer(confirmation: Element, opts: AssertionPolicy): Bounded | SamlFailure {
  const data = firstChild(confirmation, NS.assertion, 'SubjectConfirmationData');
  if (!data) return fail('SAML_RECIPIENT_MISMATCH', 'the bearer SubjectConfirmation has no SubjectConfirmationData');
  const recipient = attr(data, 'Recipient');
  if (!opts.skipRecipientCheck && recipient !== opts.acsUrl) {
    return fail('SAML_RECIPIENT_MISMATCH', `Recipient is ${recipient === null ? 'missing' : `"${recipient}"`}, expected "${opts.acsUrl}"`);
  }
  if (attr(data, 'NotOnOrAfter') === null) return fail('SAML_EXPIRED', 'the bearer SubjectConfirmationData has no NotOnOrAfter');
  const bounds = checkTimeBounds(data, 'SubjectConfirmationData', opts);
  if (!bounds.ok) return bounds;
  // Optional here (the Response's InResponseTo is the one required), but when present it must agree.
  const inResponseTo = attr(data, 'InResponseTo');
  const failure = inResponseTo === null ? null : inResponseToFailure(inResponseTo, opts.expectedInResponseTo, 'the SubjectConfirmationData');
  return failure ?? bounds;
}
