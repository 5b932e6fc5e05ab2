/**
 * Pure, strict validation of the SAML logout messages an IdP sends (decision 0030): a LogoutRequest (IdP-initiated
 * logout) and a LogoutResponse (the answer to ours). As strict as sign-in responses (decision 0002): a signature
 * from the connection's keys is required (the Redirect binding's query signature, or one enveloped signature that
 * is a direct child of the root and references it by ID), every signature present must verify, no assertion may
 * hide anywhere, IDs are unique, Issuer and Destination must match, times are bounded with the clock skew.
 * Data is read only from the root element, after its signature verified. No I/O; `now` is an input.
 */
import type { KeyObject } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import type { ErrorCode } from '../../errors.ts';
import type { SamlFailure } from './validation-types.ts';
import { NS, attr, childElements, firstChild, isNamed, nonSuccessStatus, parseInstant, parseXmlStrict, scanDocument, textOf, type DocumentScan } from './xml-dom.ts';
import { verifyEnvelopedSignature } from './xml-signature.ts';
import { verifyQuerySignature, type ReceivedLogoutMessage } from './logout-bindings.ts';

/** A logout message parsed once, with the header fields that find its connection or pending request. */
export interface ParsedLogoutMessage {
  kind: 'LogoutRequest' | 'LogoutResponse';
  document: Document;
  root: Element;
  scan: DocumentScan;
  id: string | null;
  issuer: string | null;
  inResponseTo: string | null;
}

export interface LogoutValidationOptions {
  /** The connection's IdP certificate keys (several during rotation); KeyInfo in the message is never used. */
  trustedKeys: KeyObject[];
  allowSha1: boolean;
  /** The connection's IdP entity ID: the Issuer must equal it. */
  idpEntityId: string;
  /** Our single logout URLs the message may be addressed to (the path it arrived at). */
  destinations: readonly string[];
  /** Epoch milliseconds. */
  now: number;
  skewSeconds: number;
}

export interface ValidLogoutRequest {
  id: string;
  issuer: string;
  nameId: string;
  nameIdFormat: string | null;
  /** Empty: every session of the NameID. */
  sessionIndexes: string[];
  /** Until when the request could be accepted at all (epoch ms, skew included): the replay record's lifetime. */
  acceptableUntil: number;
}

export type ValidLogoutResponse = { inResponseTo: string; success: true } | { inResponseTo: string; success: false; status: string };

/** A LogoutRequest without NotOnOrAfter is accepted this long after its IssueInstant. */
export const LOGOUT_REQUEST_MAX_AGE_MS = 5 * 60_000;

type Binding = Pick<ReceivedLogoutMessage, 'binding' | 'querySignature'>;
type Result<T> = { ok: true; value: T } | SamlFailure;

const fail = (code: ErrorCode, detail: string): SamlFailure => ({ ok: false, code, detail });

/** Parses a logout message once; refuses DTDs, malformed XML and any other root. Throws nothing. */
export function parseLogoutMessage(xml: string): { ok: true; parsed: ParsedLogoutMessage } | SamlFailure {
  const r = parseXmlStrict(xml);
  if (!r.ok) return r;
  const { document, root } = r;
  const kind = isNamed(root, NS.protocol, 'LogoutRequest') ? 'LogoutRequest' : isNamed(root, NS.protocol, 'LogoutResponse') ? 'LogoutResponse' : null;
  if (!kind) return fail('SAML_NOT_A_LOGOUT_MESSAGE', `the root element is {${root.namespaceURI ?? ''}}${root.localName}`);
  const scan = scanDocument(root);
  if (scan.tooDeep) return fail('SAML_MALFORMED', 'the XML is nested too deeply');
  if (scan.processingInstruction) return fail('SAML_MALFORMED', 'the message contains a processing instruction');
  const issuer = firstChild(root, NS.assertion, 'Issuer');
  return { ok: true, parsed: { kind, document, root, scan, id: attr(root, 'ID'), issuer: issuer ? textOf(issuer).trim() : null, inResponseTo: attr(root, 'InResponseTo') } };
}

/** A refused LogoutRequest; `verified`: its signature verified with the connection's keys before it was refused (so a LogoutResponse may answer it). */
export type LogoutRequestFailure = SamlFailure & { verified: boolean };

/** Validates an IdP's LogoutRequest against one connection; returns whom to log out. */
export function validateLogoutRequest(parsed: ParsedLogoutMessage, binding: Binding, opts: LogoutValidationOptions): { ok: true; value: ValidLogoutRequest } | LogoutRequestFailure {
  let verified = false;
  try {
    if (parsed.kind !== 'LogoutRequest') return { ...fail('SAML_NOT_A_LOGOUT_MESSAGE', 'expected a LogoutRequest'), verified };
    const signed = checkSigned(parsed, binding, opts);
    if (!signed.ok) return { ...signed, verified };
    verified = true;
    const addressed = checkAddressing(parsed, opts);
    if (!addressed.ok) return { ...addressed, verified };
    const time = checkRequestTime(parsed.root, opts);
    if (!time.ok) return { ...time, verified };
    const subject = readNameId(parsed.root);
    if (!subject.ok) return { ...subject, verified };
    const sessionIndexes = childElements(parsed.root, NS.protocol, 'SessionIndex').map((el) => textOf(el).trim()).filter((s) => s !== '');
    return { ok: true, value: { id: parsed.id!, issuer: opts.idpEntityId, ...subject.value, sessionIndexes, acceptableUntil: time.value } };
  } catch (error) {
    return { ...fail('SAML_MALFORMED', `the logout request could not be processed: ${(error as Error).message}`), verified };
  }
}

/** Validates the IdP's LogoutResponse to our LogoutRequest `expectedInResponseTo`. A non-Success status is a valid answer. */
export function validateLogoutResponse(parsed: ParsedLogoutMessage, binding: Binding, opts: LogoutValidationOptions & { expectedInResponseTo: string }): Result<ValidLogoutResponse> {
  try {
    if (parsed.kind !== 'LogoutResponse') return fail('SAML_NOT_A_LOGOUT_MESSAGE', 'expected a LogoutResponse');
    const signed = checkSigned(parsed, binding, opts);
    if (!signed.ok) return signed;
    const addressed = checkAddressing(parsed, opts);
    if (!addressed.ok) return addressed;
    if (parsed.inResponseTo !== opts.expectedInResponseTo) return fail('SAML_LOGOUT_UNKNOWN_REQUEST', `InResponseTo is "${parsed.inResponseTo ?? ''}"`);
    const issued = parseInstant(attr(parsed.root, 'IssueInstant'));
    if (issued === null) return fail('SAML_MALFORMED', 'the LogoutResponse has no valid IssueInstant');
    if (issued > opts.now + opts.skewSeconds * 1000) return fail('SAML_LOGOUT_EXPIRED', 'the LogoutResponse was issued in the future');
    const status = nonSuccessStatus(parsed.root);
    return { ok: true, value: status === null ? { inResponseTo: parsed.inResponseTo, success: true } : { inResponseTo: parsed.inResponseTo, success: false, status } };
  } catch (error) {
    return fail('SAML_MALFORMED', `the logout response could not be processed: ${(error as Error).message}`);
  }
}

/** Shape and signatures: what both messages must pass before anything in them is trusted. */
function checkSigned(parsed: ParsedLogoutMessage, binding: Binding, opts: LogoutValidationOptions): Result<null> {
  const { root, scan } = parsed;
  if (attr(root, 'Version') !== '2.0') return fail('SAML_MALFORMED', `the ${parsed.kind} is not SAML 2.0`);
  if (!parsed.id) return fail('SAML_MALFORMED', `the ${parsed.kind} has no ID`);
  if (scan.duplicateId !== null) return fail('SAML_MALFORMED', `the ID "${scan.duplicateId}" appears more than once`);
  if (scan.assertions.length > 0) return fail('SAML_MALFORMED', `a ${parsed.kind} carries no assertion, but ${scan.assertions.length} were found`);
  return checkSignatures(parsed, binding, opts);
}

/** Issuer and Destination, read once the signature covering them verified. */
function checkAddressing(parsed: ParsedLogoutMessage, opts: LogoutValidationOptions): Result<null> {
  const { root } = parsed;
  if (parsed.issuer !== opts.idpEntityId) return fail('SAML_ISSUER_MISMATCH', `the ${parsed.kind} Issuer is "${parsed.issuer ?? ''}", expected "${opts.idpEntityId}"`);
  const destination = attr(root, 'Destination');
  // Required: saml-bindings 3.4.5.2 / 3.5.5.2 make Destination mandatory on a signed message.
  if (destination === null || !opts.destinations.includes(destination)) {
    return fail('SAML_LOGOUT_DESTINATION_MISMATCH', `Destination is "${destination ?? '(none)'}", expected "${opts.destinations[0]}"`);
  }
  return { ok: true, value: null };
}

/**
 * The Redirect binding must carry a query signature; the POST binding an enveloped one on the root. Any XML
 * signature present must be a direct child of the root and verify too (every signature present must verify).
 */
function checkSignatures(parsed: ParsedLogoutMessage, binding: Binding, opts: LogoutValidationOptions): Result<null> {
  const { root, scan } = parsed;
  if (scan.signatures.length > 1) return fail('SAML_SIGNATURE_INVALID', `the ${parsed.kind} carries ${scan.signatures.length} signatures; one is accepted`);
  const xmlSignature = scan.signatures[0];
  if (xmlSignature && xmlSignature.parentNode !== root) return fail('SAML_SIGNATURE_INVALID', `a signature inside ${(xmlSignature.parentNode as Element | null)?.nodeName ?? 'the document'} does not cover the ${parsed.kind}`);
  if (binding.binding === 'redirect') {
    if (!binding.querySignature) return fail('SAML_SIGNATURE_MISSING', `the ${parsed.kind} arrived by HTTP-Redirect without SigAlg and Signature`);
    const q = verifyQuerySignature(binding.querySignature, opts);
    if (!q.ok) return q;
  } else if (!xmlSignature) {
    return fail('SAML_SIGNATURE_MISSING', `the ${parsed.kind} arrived by HTTP-POST without a signature`);
  }
  if (xmlSignature) {
    const v = verifyEnvelopedSignature(xmlSignature, root, { trustedKeys: opts.trustedKeys, allowSha1: opts.allowSha1, label: parsed.kind });
    if (!v.ok) return v;
  }
  return { ok: true, value: null };
}

/** IssueInstant not ahead of us; NotOnOrAfter (or, without one, IssueInstant + 5 minutes) not passed; skew both ways. */
function checkRequestTime(root: Element, opts: LogoutValidationOptions): Result<number> {
  const skew = opts.skewSeconds * 1000;
  const issued = parseInstant(attr(root, 'IssueInstant'));
  if (issued === null) return fail('SAML_MALFORMED', 'the LogoutRequest has no valid IssueInstant');
  if (issued > opts.now + skew) return fail('SAML_LOGOUT_EXPIRED', 'the LogoutRequest was issued in the future');
  const rawNotOnOrAfter = attr(root, 'NotOnOrAfter');
  const notOnOrAfter = rawNotOnOrAfter === null ? issued + LOGOUT_REQUEST_MAX_AGE_MS : parseInstant(rawNotOnOrAfter);
  if (notOnOrAfter === null) return fail('SAML_MALFORMED', 'the LogoutRequest NotOnOrAfter is not a valid time');
  if (opts.now >= notOnOrAfter + skew) return fail('SAML_LOGOUT_EXPIRED', `the LogoutRequest expired at ${new Date(notOnOrAfter).toISOString()}`);
  return { ok: true, value: notOnOrAfter + skew };
}

function readNameId(root: Element): Result<{ nameId: string; nameIdFormat: string | null }> {
  const el = firstChild(root, NS.assertion, 'NameID');
  if (!el) {
    const other = firstChild(root, NS.assertion, 'EncryptedID') ?? firstChild(root, NS.assertion, 'BaseID');
    return fail('SAML_SUBJECT_MISSING', other ? `the LogoutRequest names the user with ${other.localName}, which is not supported` : 'the LogoutRequest has no NameID');
  }
  const nameId = textOf(el).trim();
  if (!nameId) return fail('SAML_SUBJECT_MISSING', 'the LogoutRequest NameID is empty');
  return { ok: true, value: { nameId, nameIdFormat: attr(el, 'Format') } };
}

