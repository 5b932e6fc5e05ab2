/**
 * IdP metadata: a strict parser for the SAML 2.0 metadata an IT admin pastes (or a metadata URL
 * returns), and a lint that turns what it found into plain-language warnings before saving.
 * Pure: no I/O, and the clock is an argument of the lint.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { childElements, parseXmlStrict, textOf } from './xml-dom.ts';
import { isAbsoluteHttpUrl } from '../../input/http-url.ts';
import { parseCertificate, WEAK_SIGNATURE_ALGORITHMS, type CertificateInfo } from './x509.ts';

export type { CertificateInfo } from './x509.ts';

const NS_MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const NS_DS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const BINDING_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const DAY_MS = 24 * 60 * 60 * 1000;
const EXPIRY_WARNING_DAYS = 30;

/** What Gatehouse keeps from an IdP's metadata. */
export interface IdpMetadata {
  entityId: string;
  /** SingleSignOnService with Binding HTTP-Redirect (the first one), or null. */
  ssoRedirectUrl: string | null;
  /** SingleSignOnService with Binding HTTP-POST (the first one), or null. */
  ssoPostUrl: string | null;
  /** SingleLogoutService locations by binding (the first of each); shown as Jackson's `idpMetadata.slo`. */
  slo: { redirectUrl?: string; postUrl?: string };
  /** The ResponseLocation of those same SingleLogoutService elements, where one is given (LogoutResponses go there; decision 0030). */
  sloResponse: { redirectUrl?: string; postUrl?: string };
  /** Base64 DER bodies (no armour, no whitespace) of the IdP's signing certificates, deduplicated, in document order. */
  signingCertificates: string[];
  wantAuthnRequestsSigned: boolean;
  /** One entry per signing certificate, same order as `signingCertificates`. Times are epoch milliseconds. */
  certificates: CertificateInfo[];
  /** The earliest validUntil on the EntityDescriptor, its IDPSSODescriptor or an enclosing EntitiesDescriptor (epoch ms). */
  validUntil: number | null;
  /** The shortest cacheDuration on the same elements (milliseconds), or null: how long the metadata may be used before fetching it again. */
  cacheDuration: number | null;
}

/** Why metadata was refused: `field` names the part of the metadata at fault, `message` is for an IT admin. */
export type MetadataProblem = { field: string; code: 'SAML_METADATA_INVALID'; message: string };

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: MetadataProblem };

const problem = (field: string, message: string): { ok: false; problem: MetadataProblem } => ({
  ok: false,
  problem: { field, code: 'SAML_METADATA_INVALID', message },
});

/**
 * Parses the metadata of one SAML 2.0 identity provider.
 *
 * Refuses: DOCTYPE/ENTITY declarations, XML that is not well-formed, documents without exactly one
 * EntityDescriptor holding a SAML 2.0 IDPSSODescriptor (an EntitiesDescriptor with exactly one such
 * entity is accepted), no HTTP-Redirect or HTTP-POST SingleSignOnService, no signing certificate, and
 * any signing certificate that does not parse. The metadata's own XML signature is not checked here.
 */
export function parseIdpMetadata(xml: string): { ok: true; metadata: IdpMetadata } | { ok: false; problem: MetadataProblem } {
  const doc = parseXml(xml);
  if (!doc.ok) return doc;
  const entity = selectIdpEntity(doc.value);
  if (!entity.ok) return entity;
  const { entityDescriptor, idp, enclosing } = entity.value;

  const entityId = entityDescriptor.getAttribute('entityID') ?? '';
  if (entityId.trim() === '') return problem('entityID', 'The metadata has no entityID on its EntityDescriptor.');

  const sso = readSsoUrls(idp);
  if (!sso.ok) return sso;
  const certs = readSigningCertificates(idp);
  if (!certs.ok) return certs;
  const validUntil = readValidUntil([...enclosing, entityDescriptor, idp]);
  if (!validUntil.ok) return validUntil;

  return {
    ok: true,
    metadata: {
      entityId,
      ssoRedirectUrl: sso.value.redirect,
      ssoPostUrl: sso.value.post,
      ...readSloUrls(idp),
      signingCertificates: certs.value.map((c) => c.body),
      wantAuthnRequestsSigned: isXsdTrue(idp.getAttribute('WantAuthnRequestsSigned')),
      certificates: certs.value.map((c) => c.info),
      validUntil: validUntil.value,
      cacheDuration: readCacheDuration([...enclosing, entityDescriptor, idp]),
    },
  };
}

/**
 * Plain-language warnings about metadata that parsed: certificates expired, not yet valid or expiring
 * within 30 days, certificates signed only with SHA-1 (or MD5), single sign-on URLs over plain HTTP
 * (other than localhost/127.0.0.1), and a metadata validUntil that has passed. Empty when all is well.
 */
export function lintIdpMetadata(md: IdpMetadata, now: number): string[] {
  const warnings: string[] = [];
  const currentCount = md.certificates.filter((c) => c.notBefore <= now && now < c.notAfter).length;
  for (const cert of md.certificates) {
    const warning = certificateDateWarning(cert, now, currentCount);
    if (warning) warnings.push(warning);
  }
  if (md.certificates.length > 0 && md.certificates.every((c) => WEAK_SIGNATURE_ALGORITHMS.has(c.signatureAlgorithm))) {
    warnings.push(
      md.certificates.length === 1
        ? 'The signing certificate is itself signed with SHA-1 (or MD5), an outdated algorithm. Ask the identity provider for a certificate signed with SHA-256.'
        : 'Every signing certificate is itself signed with SHA-1 (or MD5), an outdated algorithm. Ask the identity provider for a certificate signed with SHA-256.',
    );
  }
  for (const url of new Set([md.ssoRedirectUrl, md.ssoPostUrl])) {
    if (url && isPlainHttpToRemoteHost(url)) {
      warnings.push(`The single sign-on URL ${url} uses plain HTTP, not HTTPS, so sign-in requests to it travel unencrypted.`);
    }
  }
  if (md.validUntil !== null && md.validUntil <= now) {
    warnings.push(`The metadata says it is valid only until ${isoDay(md.validUntil)}, which has passed. Download fresh metadata from the identity provider.`);
  }
  return warnings;
}

// ---------------------------------------------------------------- XML

function parseXml(xml: string): Parsed<Document> {
  // A UTF-8 byte order mark is common in Microsoft metadata (parseXmlStrict drops it too).
  if (xml.replace(/^\uFEFF/, '').trim() === '') return problem('metadata', 'The metadata is empty. Paste the identity provider\'s SAML metadata XML.');
  // A sign-in page or a portal's HTML where metadata was expected: say so, before its DOCTYPE is blamed.
  if (/^\s*(<!--[\s\S]*?-->\s*)*(<!doctype\s+html|<html[\s>])/i.test(xml.replace(/^\uFEFF/, ''))) {
    return problem('html', 'This is a web page (HTML), not SAML metadata. Paste the SAML metadata XML of your identity provider.');
  }
  // Metadata is not a signed message: xmldom's warnings are tolerated, and federation files may pass 2 MiB.
  const parsed = parseXmlStrict(xml, { allowWarnings: true, maxChars: Number.POSITIVE_INFINITY });
  if (parsed.ok) return { ok: true, value: parsed.document };
  if (parsed.code === 'SAML_DOCTYPE_FORBIDDEN') {
    return problem('metadata', 'The metadata contains a DOCTYPE or ENTITY declaration, which is never allowed. Download the metadata again from the identity provider.');
  }
  return problem('metadata', `The metadata is not well-formed XML${parsed.cause ? ` (${parsed.cause})` : ''}. Check that you copied the whole file.`);
}

// ---------------------------------------------------------------- entity selection

interface IdpEntity { entityDescriptor: Element; idp: Element; enclosing: Element[] }

function selectIdpEntity(doc: Document): Parsed<IdpEntity> {
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== NS_MD || (root.localName !== 'EntityDescriptor' && root.localName !== 'EntitiesDescriptor')) {
    const found = root ? `<${root.nodeName}>` : 'no element';
    return problem('metadata', `This is not SAML metadata: expected an EntityDescriptor (namespace ${NS_MD}) but found ${found}.`);
  }
  const entities: { entityDescriptor: Element; enclosing: Element[] }[] = [];
  collectEntities(root, [], entities);
  const idps = entities.filter((e) => childElements(e.entityDescriptor, NS_MD, 'IDPSSODescriptor').length > 0);
  if (idps.length === 0) {
    return problem('IDPSSODescriptor', 'The metadata describes no identity provider (no EntityDescriptor with an IDPSSODescriptor). Make sure you copied the identity provider\'s metadata, not a service provider\'s.');
  }
  if (idps.length > 1) {
    return problem('EntityDescriptor', `The metadata lists ${idps.length} identity providers. Paste the metadata of the single identity provider you want to use.`);
  }
  const chosen = idps[0]!;
  const idp = childElements(chosen.entityDescriptor, NS_MD, 'IDPSSODescriptor').find((d) =>
    (d.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML2_PROTOCOL),
  );
  if (!idp) {
    return problem('IDPSSODescriptor', `The identity provider in the metadata does not offer SAML 2.0 (its protocolSupportEnumeration lacks ${SAML2_PROTOCOL}).`);
  }
  return { ok: true, value: { entityDescriptor: chosen.entityDescriptor, idp, enclosing: chosen.enclosing } };
}

function collectEntities(el: Element, enclosing: Element[], out: { entityDescriptor: Element; enclosing: Element[] }[]): void {
  if (el.localName === 'EntityDescriptor') {
    out.push({ entityDescriptor: el, enclosing });
    return;
  }
  const inner = [...enclosing, el];
  for (const child of childElements(el, NS_MD, 'EntitiesDescriptor')) collectEntities(child, inner, out);
  for (const child of childElements(el, NS_MD, 'EntityDescriptor')) collectEntities(child, inner, out);
}

// ---------------------------------------------------------------- single sign-on URLs

function readSsoUrls(idp: Element): Parsed<{ redirect: string | null; post: string | null }> {
  let redirect: string | null = null;
  let post: string | null = null;
  for (const sso of childElements(idp, NS_MD, 'SingleSignOnService')) {
    const binding = (sso.getAttribute('Binding') ?? '').trim();
    if (binding !== BINDING_REDIRECT && binding !== BINDING_POST) continue;
    const location = (sso.getAttribute('Location') ?? '').trim();
    if (!isAbsoluteHttpUrl(location)) {
      return problem('SingleSignOnService', `The single sign-on URL "${location}" is not an absolute http:// or https:// URL.`);
    }
    if (binding === BINDING_REDIRECT) redirect ??= location;
    else post ??= location;
  }
  if (redirect === null && post === null) {
    return problem('SingleSignOnService', 'The metadata has no single sign-on URL (SingleSignOnService with the HTTP-Redirect or HTTP-POST binding).');
  }
  return { ok: true, value: { redirect, post } };
}

/**
 * Logout URLs (the first of each binding) and their ResponseLocations. No sign-in depends on them, so one that is
 * not http(s) is skipped, not refused; without any, Single Logout with this IdP is simply skipped.
 */
function readSloUrls(idp: Element): Pick<IdpMetadata, 'slo' | 'sloResponse'> {
  const slo: IdpMetadata['slo'] = {};
  const sloResponse: IdpMetadata['sloResponse'] = {};
  for (const el of childElements(idp, NS_MD, 'SingleLogoutService')) {
    const binding = (el.getAttribute('Binding') ?? '').trim();
    const location = (el.getAttribute('Location') ?? '').trim();
    if (!isAbsoluteHttpUrl(location)) continue;
    const key = binding === BINDING_REDIRECT ? 'redirectUrl' : binding === BINDING_POST ? 'postUrl' : null;
    if (!key || slo[key]) continue;
    slo[key] = location;
    const responseLocation = (el.getAttribute('ResponseLocation') ?? '').trim();
    if (isAbsoluteHttpUrl(responseLocation)) sloResponse[key] = responseLocation;
  }
  return { slo, sloResponse };
}

function isPlainHttpToRemoteHost(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- certificates

function readSigningCertificates(idp: Element): Parsed<{ body: string; info: CertificateInfo }[]> {
  const bodies: string[] = [];
  for (const kd of childElements(idp, NS_MD, 'KeyDescriptor')) {
    const use = (kd.getAttribute('use') ?? '').trim();
    if (use !== '' && use !== 'signing') continue;
    for (const keyInfo of childElements(kd, NS_DS, 'KeyInfo')) {
      for (const data of childElements(keyInfo, NS_DS, 'X509Data')) {
        for (const cert of childElements(data, NS_DS, 'X509Certificate')) bodies.push(textOf(cert));
      }
    }
  }
  if (bodies.length === 0) {
    return problem('KeyDescriptor', 'The metadata has no signing certificate (KeyDescriptor use="signing").');
  }
  const out: { body: string; info: CertificateInfo }[] = [];
  const seen = new Set<string>();
  for (const [i, text] of bodies.entries()) {
    const parsed = parseCertificate(text);
    const label = bodies.length === 1 ? 'The signing certificate' : `Signing certificate ${i + 1}`;
    if (!parsed) return problem('X509Certificate', `${label} in the metadata is not a readable X.509 certificate. Download the metadata again; it may have been cut or altered.`);
    if (seen.has(parsed.body)) continue;
    seen.add(parsed.body);
    out.push(parsed);
  }
  return { ok: true, value: out };
}

// ---------------------------------------------------------------- validUntil and booleans

function readValidUntil(elements: Element[]): Parsed<number | null> {
  let earliest: number | null = null;
  for (const el of elements) {
    const raw = el.getAttribute('validUntil');
    if (raw === null || raw.trim() === '') continue;
    const t = Date.parse(raw.trim());
    if (Number.isNaN(t)) return problem('validUntil', `The metadata's validUntil "${raw}" is not a valid date and time.`);
    earliest = earliest === null ? t : Math.min(earliest, t);
  }
  return { ok: true, value: earliest };
}

/** The shortest cacheDuration (xs:duration, e.g. PT6H, P1D); one that does not parse is ignored, as it only shortens a refresh. */
function readCacheDuration(elements: Element[]): number | null {
  let shortest: number | null = null;
  for (const el of elements) {
    const ms = parseXsDuration(el.getAttribute('cacheDuration') ?? '');
    if (ms !== null) shortest = shortest === null ? ms : Math.min(shortest, ms);
  }
  return shortest;
}

/** xs:duration as milliseconds (a year is 365 days, a month 30), or null when it is not one or is negative. */
export function parseXsDuration(raw: string): number | null {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(raw.trim());
  if (!m || raw.trim() === 'P' || raw.trim().endsWith('T')) return null;
  const [y, mo, d, h, mi, sec] = m.slice(1).map((v) => (v ? Number(v) : 0)) as [number, number, number, number, number, number];
  return ((((y * 365 + mo * 30 + d) * 24 + h) * 60 + mi) * 60 + sec) * 1000;
}

const isXsdTrue = (value: string | null): boolean => value !== null && ['true', '1'].includes(value.trim());

// ---------------------------------------------------------------- lint helpers

function certificateDateWarning(cert: CertificateInfo, now: number, currentCount: number): string | null {
  const name = `The signing certificate "${commonName(cert.subject)}"`;
  if (cert.notAfter <= now) {
    const otherIsCurrent = currentCount > 0;
    return otherIsCurrent
      ? `${name} expired on ${isoDay(cert.notAfter)}. The metadata also has a current certificate, so sign-in keeps working; the expired one can be removed at the identity provider.`
      : `${name} expired on ${isoDay(cert.notAfter)}. Ask the identity provider for its current certificate and update the metadata.`;
  }
  if (cert.notBefore > now) {
    return `${name} is not valid until ${isoDay(cert.notBefore)}.`;
  }
  const daysLeft = Math.ceil((cert.notAfter - now) / DAY_MS);
  if (daysLeft <= EXPIRY_WARNING_DAYS) {
    return `${name} expires on ${isoDay(cert.notAfter)} (in ${daysLeft} day${daysLeft === 1 ? '' : 's'}). Update the metadata when the identity provider rolls over to its new certificate.`;
  }
  return null;
}

/** The CN of a one-line subject, which is what admins recognise; the whole subject when there is none. */
const commonName = (subject: string): string => /(?:^|, )CN=((?:\\.|[^,])*)/.exec(subject)?.[1] ?? subject;

const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);
