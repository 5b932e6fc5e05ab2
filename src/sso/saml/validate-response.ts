/**
 * Pure, strict validation of a SAML 2.0 Response (HTTP-POST binding, already base64-decoded).
 *
 * The XML is parsed once (parseSamlResponse) and walked; validateSamlResponse runs a pipeline of
 * small named checks over that one DOM. Data is read only from the root Response and the single
 * Assertion, and only after the signatures covering them have been verified against the
 * connection's pinned keys. No I/O, no clock: `now` is an input.
 */
import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import type { ErrorCode } from '../../errors.ts';
import type { SamlFailure, ValidateSamlOptions } from './validation-types.ts';
import { checkBearerConfirmation, checkConditions, inResponseToFailure } from './assertion-conditions.ts';
import { decryptAssertion } from './decrypt-assertion.ts';
import { NS, attr, childElements, firstChild, isNamed, nonSuccessStatus, parseInstant, parseXmlStrict, scanDocument, textOf, type DocumentScan } from './xml-dom.ts';
import { verifyEnvelopedSignature } from './xml-signature.ts';

export { MAX_XML_CHARS } from './xml-dom.ts';
export type { SamlFailure, ValidateSamlOptions } from './validation-types.ts';


/** A Response parsed once: the DOM plus the header fields a caller needs to find its login flow and connection. */
export interface ParsedSamlResponse {
  readonly document: Document;
  readonly root: Element;
  /** Findings of the single walk over the whole document (assertions, signatures, IDs). */
  readonly scan: DocumentScan;
  inResponseTo: string | null;
  issuer: string | null;
  destination: string | null;
  responseId: string | null;
}

export type SamlAssertionResult = {
  assertionId: string;
  issuer: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  inResponseTo: string | null;
  /** Keyed by Attribute Name as sent; every AttributeValue's text. */
  attributes: Record<string, string[]>;
  /** The earliest of Conditions@NotOnOrAfter and the bearer SubjectConfirmationData@NotOnOrAfter (add the skew for a replay-cache TTL). */
  notOnOrAfter: number | null;
  authnInstant: number | null;
  /** Added: AuthnStatement@SessionNotOnOrAfter. */
  sessionNotOnOrAfter: number | null;
  responseId: string | null;
  /** Added: which parts carried a verified signature, and whether the assertion was encrypted. */
  signed: { response: boolean; assertion: boolean };
  encrypted: boolean;
};

/**
 * Parses a SAML Response once. Cheap header fields are read so the caller can find the login flow
 * and connection before validating. Throws nothing: returns ok:false for malformed XML, any
 * DOCTYPE/ENTITY, or a root that is not samlp:Response.
 */
export function parseSamlResponse(xml: string): { ok: true; parsed: ParsedSamlResponse } | SamlFailure {
  const result = parseXmlStrict(xml);
  if (!result.ok) return result;
  const { document, root } = result;
  if (!isNamed(root, NS.protocol, 'Response')) {
    return { ok: false, code: 'SAML_NOT_A_RESPONSE', detail: `the root element is {${root.namespaceURI ?? ''}}${root.localName}, not samlp:Response` };
  }
  const scan = scanDocument(root);
  if (scan.tooDeep) return { ok: false, code: 'SAML_MALFORMED', detail: 'the XML is nested too deeply' };
  if (scan.processingInstruction) return { ok: false, code: 'SAML_MALFORMED', detail: 'the response contains a processing instruction (none belongs in a SAML message)' };
  const issuer = firstChild(root, NS.assertion, 'Issuer');
  return {
    ok: true,
    parsed: {
      document,
      root,
      scan,
      inResponseTo: attr(root, 'InResponseTo'),
      issuer: issuer ? textOf(issuer).trim() : null,
      destination: attr(root, 'Destination'),
      responseId: attr(root, 'ID'),
    },
  };
}

/** State handed from check to check. */
interface Context {
  readonly parsed: ParsedSamlResponse;
  readonly opts: ValidateSamlOptions;
  /** The single Assertion or EncryptedAssertion, a direct child of the Response. */
  slot?: Element;
  responseSignature?: Element;
  assertionSignature?: Element;
  /** The Assertion whose data is read (decrypted when the slot was encrypted). */
  assertion?: Element;
  encrypted: boolean;
  responseSigned: boolean;
  assertionSigned: boolean;
  issuer?: string;
  conditionsNotOnOrAfter: number | null;
  confirmationNotOnOrAfter: number | null;
}

type Check = (ctx: Context) => SamlFailure | null;

const fail = (code: ErrorCode, detail: string): SamlFailure => ({ ok: false, code, detail });

/** In this order: cheapest refusals first, every signature before any data is trusted. */
const PIPELINE: readonly Check[] = [
  checkStatus,
  checkAssertionCount,
  checkSignaturePlacement,
  verifyResponseSignature,
  resolveAssertion,
  verifyAssertionSignature,
  requireTrustedSignature,
  checkIssuers,
  checkDestination,
  checkInResponseTo,
  checkAssertionConditions,
  checkSubjectConfirmation,
];

/**
 * Validates a parsed Response: status, exactly one assertion, every signature (at least one of
 * Response/Assertion signed by a trusted key), decryption, issuers, Destination, InResponseTo,
 * time window, Audience and bearer confirmation. Returns the assertion's data or a catalog code.
 */
export function validateSamlResponse(
  parsed: ParsedSamlResponse,
  opts: ValidateSamlOptions,
): { ok: true; assertion: SamlAssertionResult } | SamlFailure {
  const ctx: Context = {
    parsed,
    opts,
    encrypted: false,
    responseSigned: false,
    assertionSigned: false,
    conditionsNotOnOrAfter: null,
    confirmationNotOnOrAfter: null,
  };
  try {
    for (const check of PIPELINE) {
      const failure = check(ctx);
      if (failure) return failure;
    }
    return readAssertion(ctx);
  } catch (error) {
    // Input is attacker-controlled: anything unexpected is still a refusal, never a throw.
    return fail('SAML_MALFORMED', `the response could not be processed: ${(error as Error).message}`);
  }
}

function checkStatus({ parsed }: Context): SamlFailure | null {
  const status = nonSuccessStatus(parsed.root);
  return status === null ? null : fail('SAML_STATUS_NOT_SUCCESS', `status ${status}`);
}

/**
 * Exactly one Assertion or EncryptedAssertion in the whole document: the scan counts every element
 * with that local name, in any namespace and any position (Extensions, ds:Object, Advice...).
 */
function checkAssertionCount(ctx: Context): SamlFailure | null {
  const { root, scan } = ctx.parsed;
  if (scan.assertions.length !== 1) {
    return fail('SAML_ASSERTION_COUNT', `the response contains ${scan.assertions.length} assertions (counted anywhere in the document); exactly one is accepted`);
  }
  const slot = scan.assertions[0]!;
  if (slot.parentNode !== root || slot.namespaceURI !== NS.assertion) {
    return fail('SAML_ASSERTION_COUNT', `the only assertion (${slot.nodeName}) is not a direct child of the Response, so there is no assertion to consume`);
  }
  if (scan.duplicateId !== null) return fail('SAML_MALFORMED', `the ID "${scan.duplicateId}" appears more than once`);
  ctx.slot = slot;
  return null;
}

/**
 * Only a ds:Signature that is a direct child of the Response or of the (plain) Assertion can cover
 * something we read. Any other signature cannot be verified under that rule, and every signature
 * present must verify, so it is refused.
 */
function checkSignaturePlacement(ctx: Context): SamlFailure | null {
  const { root, scan } = ctx.parsed;
  for (const signature of scan.signatures) {
    const parent = signature.parentNode as Element | null;
    const coversResponse = parent === root;
    const coversAssertion = parent === ctx.slot && ctx.slot!.localName === 'Assertion';
    if (!coversResponse && !coversAssertion) {
      return fail('SAML_SIGNATURE_INVALID', `a signature inside ${parent?.nodeName ?? 'the document'} covers neither the Response nor its Assertion`);
    }
    if (coversResponse ? ctx.responseSignature : ctx.assertionSignature) {
      return fail('SAML_SIGNATURE_INVALID', `${parent!.nodeName} carries more than one signature`);
    }
    if (coversResponse) ctx.responseSignature = signature;
    else ctx.assertionSignature = signature;
  }
  return null;
}

function verifyResponseSignature(ctx: Context): SamlFailure | null {
  if (!ctx.responseSignature) return null;
  const result = verifyEnvelopedSignature(ctx.responseSignature, ctx.parsed.root, {
    trustedKeys: ctx.opts.trustedKeys,
    allowSha1: ctx.opts.allowSha1,
    label: 'Response',
  });
  if (!result.ok) return result;
  ctx.responseSigned = true;
  return null;
}

/** The plain Assertion, or the EncryptedAssertion decrypted (after the Response signature was verified on the original). */
function resolveAssertion(ctx: Context): SamlFailure | null {
  const slot = ctx.slot!;
  if (slot.localName === 'Assertion') {
    ctx.assertion = slot;
    return null;
  }
  const decrypted = decryptAssertion(slot, ctx.opts.decryptionKeys ?? [], ctx.parsed.scan.ids);
  if (!decrypted.ok) return decrypted;
  const { assertion, scan } = decrypted.value;
  for (const signature of scan.signatures) {
    if (signature.parentNode !== assertion) return fail('SAML_SIGNATURE_INVALID', 'a signature inside the decrypted assertion does not cover the assertion');
    if (ctx.assertionSignature) return fail('SAML_SIGNATURE_INVALID', 'the decrypted assertion carries more than one signature');
    ctx.assertionSignature = signature;
  }
  ctx.assertion = assertion;
  ctx.encrypted = true;
  return null;
}

function verifyAssertionSignature(ctx: Context): SamlFailure | null {
  if (!ctx.assertionSignature) return null;
  const result = verifyEnvelopedSignature(ctx.assertionSignature, ctx.assertion!, {
    trustedKeys: ctx.opts.trustedKeys,
    allowSha1: ctx.opts.allowSha1,
    label: 'Assertion',
  });
  if (!result.ok) return result;
  ctx.assertionSigned = true;
  return null;
}

function requireTrustedSignature(ctx: Context): SamlFailure | null {
  if (ctx.responseSigned || ctx.assertionSigned) return null;
  return fail('SAML_SIGNATURE_MISSING', 'neither the Response nor the Assertion is signed');
}

function checkIssuers(ctx: Context): SamlFailure | null {
  const issuerEl = firstChild(ctx.assertion!, NS.assertion, 'Issuer');
  const issuer = issuerEl ? textOf(issuerEl).trim() : '';
  if (!issuer) return fail('SAML_ISSUER_MISMATCH', 'the assertion has no Issuer');
  const expected = ctx.opts.idpEntityId;
  if (expected) {
    const responseIssuer = ctx.parsed.issuer;
    if (responseIssuer !== null && responseIssuer !== expected) {
      return fail('SAML_ISSUER_MISMATCH', `the Response Issuer is "${responseIssuer}", expected "${expected}"`);
    }
    if (issuer !== expected) return fail('SAML_ISSUER_MISMATCH', `the Assertion Issuer is "${issuer}", expected "${expected}"`);
  }
  ctx.issuer = issuer;
  return null;
}

function checkDestination({ parsed, opts }: Context): SamlFailure | null {
  if (parsed.destination === null || parsed.destination === opts.acsUrl) return null;
  return fail('SAML_DESTINATION_MISMATCH', `Destination is "${parsed.destination}", expected "${opts.acsUrl}"`);
}

function checkInResponseTo({ parsed, opts }: Context): SamlFailure | null {
  return inResponseToFailure(parsed.inResponseTo, opts.expectedInResponseTo, 'the Response');
}

function checkAssertionConditions(ctx: Context): SamlFailure | null {
  const result = checkConditions(ctx.assertion!, ctx.opts);
  if (!result.ok) return result;
  ctx.conditionsNotOnOrAfter = result.notOnOrAfter;
  return null;
}

function checkSubjectConfirmation(ctx: Context): SamlFailure | null {
  const result = checkBearerConfirmation(ctx.assertion!, ctx.opts);
  if (!result.ok) return result;
  ctx.confirmationNotOnOrAfter = result.notOnOrAfter;
  return null;
}

function readAssertion(ctx: Context): { ok: true; assertion: SamlAssertionResult } | SamlFailure {
  const assertion = ctx.assertion!;
  const assertionId = attr(assertion, 'ID');
  if (!assertionId) return fail('SAML_MALFORMED', 'the assertion has no ID');
  const subject = firstChild(assertion, NS.assertion, 'Subject')!;
  const nameIdEl = firstChild(subject, NS.assertion, 'NameID');
  const nameId = nameIdEl ? textOf(nameIdEl).trim() : '';
  if (!nameId) {
    const encrypted = firstChild(subject, NS.assertion, 'EncryptedID');
    return fail('SAML_SUBJECT_MISSING', encrypted ? 'the Subject has an EncryptedID, which is not supported' : 'the Subject has no NameID');
  }
  const authn = firstChild(assertion, NS.assertion, 'AuthnStatement');
  const bounds = [ctx.conditionsNotOnOrAfter, ctx.confirmationNotOnOrAfter].filter((t): t is number => t !== null);
  return {
    ok: true,
    assertion: {
      assertionId,
      issuer: ctx.issuer!,
      nameId,
      nameIdFormat: attr(nameIdEl!, 'Format'),
      sessionIndex: authn ? attr(authn, 'SessionIndex') : null,
      inResponseTo: ctx.parsed.inResponseTo,
      attributes: readAttributes(assertion),
      notOnOrAfter: bounds.length ? Math.min(...bounds) : null,
      authnInstant: authn ? parseInstant(attr(authn, 'AuthnInstant')) : null,
      sessionNotOnOrAfter: authn ? parseInstant(attr(authn, 'SessionNotOnOrAfter')) : null,
      responseId: ctx.parsed.responseId,
      signed: { response: ctx.responseSigned, assertion: ctx.assertionSigned },
      encrypted: ctx.encrypted,
    },
  };
}

function readAttributes(assertion: Element): Record<string, string[]> {
  // A Map, then fromEntries: an attribute named "__proto__" becomes an own key, not a prototype.
  const values = new Map<string, string[]>();
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of childElements(statement, NS.assertion, 'Attribute')) {
      const name = attr(attribute, 'Name');
      if (!name) continue;
      const list = values.get(name) ?? [];
      for (const value of childElements(attribute, NS.assertion, 'AttributeValue')) list.push(textOf(value));
      values.set(name, list);
    }
  }
  return Object.fromEntries(values);
}

/**
 * The public key of a certificate given as PEM (with armour; whitespace anywhere) or as the bare
 * base64 DER body. A "PUBLIC KEY" PEM is accepted too. Throws when it is neither; call it when a
 * connection is loaded and cache the KeyObject, never per response.
 */
export function publicKeyFromCertificate(certPemOrBase64Der: string): KeyObject {
  const text = certPemOrBase64Der.trim();
  const pem = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  const label = pem ? pem[1] : 'CERTIFICATE';
  const body = (pem ? pem[2]! : text).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new TypeError('not a PEM certificate or a base64 DER certificate');
  const der = Buffer.from(body, 'base64');
  if (label === 'CERTIFICATE') return new X509Certificate(der).publicKey;
  if (label === 'PUBLIC KEY') return createPublicKey({ key: der, format: 'der', type: 'spki' });
  throw new TypeError(`a PEM "${label}" is not a certificate`);
}
