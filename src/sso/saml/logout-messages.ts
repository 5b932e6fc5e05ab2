/**
 * SAML Single Logout messages Gatehouse sends (decision 0030): the LogoutRequest of SP-initiated logout and the
 * LogoutResponse answering an IdP's LogoutRequest, each for HTTP-Redirect (the query signed: SigAlg rsa-sha256 +
 * Signature, via authn-request.ts#redirectBindingUrl) or HTTP-POST (an enveloped signature right after the Issuer,
 * then the auto-submitting form). Always signed. Pure: IDs, the clock and the key are inputs.
 */
import type { KeyObject } from 'node:crypto';
import { fail } from '../../errors.ts';
import { lazyRequire } from '../../lazy-require.ts';
import { postBindingForm, redirectBindingUrl } from './authn-request.ts';
import { NS } from './xml-dom.ts';

const xmlCrypto = lazyRequire<typeof import('xml-crypto')>('xml-crypto');

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export { STATUS_SUCCESS } from './xml-dom.ts';
export const STATUS_REQUESTER = 'urn:oasis:names:tc:SAML:2.0:status:Requester';
export const STATUS_RESPONDER = 'urn:oasis:names:tc:SAML:2.0:status:Responder';
/** A LogoutRequest Gatehouse sends may be acted on for this long. */
export const LOGOUT_REQUEST_LIFETIME_MS = 5 * 60_000;

export interface LogoutRequestInput {
  /** An xs:ID ("_" + random). */
  id: string;
  /** Epoch milliseconds: IssueInstant; NotOnOrAfter is 5 minutes later. */
  now: number;
  /** Our SP entity ID for this connection (its override or the global one), word for word. */
  issuer: string;
  /** The IdP's SingleLogoutService URL for the binding used. */
  destination: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
}

export interface LogoutResponseInput {
  id: string;
  now: number;
  issuer: string;
  /** The IdP's SingleLogoutService (response) URL. */
  destination: string;
  /** The LogoutRequest's ID. */
  inResponseTo: string;
  /** Top-level StatusCode (Success, or Requester/Responder for a refusal) and an optional second-level code and message. */
  status: { code: string; subCode?: string; message?: string };
}

/** Builds an unsigned LogoutRequest (saml-core 3.7.1): Issuer, NameID with its Format, SessionIndex when known. */
export function buildLogoutRequestXml(i: LogoutRequestInput): string {
  checkId(i.id);
  const format = i.nameIdFormat ? ` Format="${escapeXml(i.nameIdFormat)}"` : '';
  return (
    `<samlp:LogoutRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${i.id}" Version="2.0" IssueInstant="${xsDateTime(i.now)}"` +
    ` Destination="${escapeXml(i.destination)}" NotOnOrAfter="${xsDateTime(i.now + LOGOUT_REQUEST_LIFETIME_MS)}">` +
    `<saml:Issuer>${escapeXml(i.issuer)}</saml:Issuer>` +
    `<saml:NameID${format}>${escapeXml(i.nameId)}</saml:NameID>` +
    (i.sessionIndex ? `<samlp:SessionIndex>${escapeXml(i.sessionIndex)}</samlp:SessionIndex>` : '') +
    '</samlp:LogoutRequest>'
  );
}

/** Builds an unsigned LogoutResponse (saml-core 3.7.2) with the given status. */
export function buildLogoutResponseXml(i: LogoutResponseInput): string {
  checkId(i.id);
  const sub = i.status.subCode ? `<samlp:StatusCode Value="${escapeXml(i.status.subCode)}"/>` : '';
  const message = i.status.message ? `<samlp:StatusMessage>${escapeXml(i.status.message)}</samlp:StatusMessage>` : '';
  return (
    `<samlp:LogoutResponse xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${i.id}" Version="2.0" IssueInstant="${xsDateTime(i.now)}"` +
    ` Destination="${escapeXml(i.destination)}" InResponseTo="${escapeXml(i.inResponseTo)}">` +
    `<saml:Issuer>${escapeXml(i.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${escapeXml(i.status.code)}">${sub}</samlp:StatusCode>${message}</samlp:Status>` +
    '</samlp:LogoutResponse>'
  );
}

/** How a logout message travels to the IdP: a 302 (HTTP-Redirect) or an auto-submitting form (HTTP-POST). */
export type LogoutDelivery = { kind: 'redirect'; url: string } | { kind: 'html'; html: string };

/**
 * Sends a message by the binding the IdP lists: HTTP-Redirect when `binding` is redirect (query signed with
 * rsa-sha256), else HTTP-POST with an enveloped signature over the root element. `id` is the root's ID.
 */
export function deliverLogoutMessage(a: {
  binding: 'redirect' | 'post';
  url: string;
  xml: string;
  id: string;
  message: 'SAMLRequest' | 'SAMLResponse';
  relayState: string | null;
  key: KeyObject;
  certPem: string;
}): LogoutDelivery {
  if (a.binding === 'redirect') return { kind: 'redirect', url: redirectBindingUrl(a.url, a.xml, a.relayState, a.key, a.message) };
  return { kind: 'html', html: postBindingForm(a.url, signEnveloped(a.xml, a.id, a.key, a.certPem), a.relayState, { message: a.message }).html };
}

/** An enveloped rsa-sha256 signature (exclusive c14n) over the root element with `id`, placed right after its Issuer. */
export function signEnveloped(xml: string, id: string, key: KeyObject, certPem: string): string {
  if (key.type !== 'private' || key.asymmetricKeyType !== 'rsa') fail('INTERNAL', 'The SAML signing key must be an RSA private key.');
  checkId(id);
  const signed = new (xmlCrypto().SignedXml)({ privateKey: key.export({ type: 'pkcs8', format: 'pem' }), publicCert: certPem, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: NS.excC14n });
  signed.addReference({ xpath: `/*[@ID='${id}']`, digestAlgorithm: SHA256, transforms: [ENVELOPED, NS.excC14n] });
  signed.computeSignature(xml, { prefix: 'ds', location: { reference: `/*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' } });
  return signed.getSignedXml();
}

// ---------------------------------------------------------------- helpers

function checkId(id: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(id)) fail('INTERNAL', `SAML message ID "${id}" is not an xs:ID.`);
}

const xsDateTime = (t: number): string => {
  if (!Number.isFinite(t)) fail('INTERNAL', 'A SAML message time is not finite.');
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
};

function escapeXml(value: string): string {
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(value)) fail('INTERNAL', 'A value for a SAML logout message contains a character XML cannot carry.');
  return value.replace(/[&<>"'\t\n\r]/g, (c) => XML_ESCAPES[c]!);
}
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
