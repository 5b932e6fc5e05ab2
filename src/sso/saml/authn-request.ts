/**
 * SP-initiated sign-in: the SAML AuthnRequest and the two browser bindings that carry it to the IdP
 * (HTTP-Redirect, optionally signed with SigAlg/Signature query parameters, and HTTP-POST as an
 * auto-submitting form that works without JavaScript). Pure: no I/O, the clock is an input.
 */
import { sign, type KeyObject } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { fail } from '../../errors.ts';

export const SIG_ALG_RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const NS_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const NS_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
/** An AuthnRequest is a few hundred bytes; anything inflating past this is not one. */
const MAX_INFLATED_BYTES = 256 * 1024;

/** The path the POST-binding page loads its auto-submit script from (serve `AUTOSUBMIT_JS` there). */
export const AUTOSUBMIT_JS_PATH = '/assets/autosubmit.js';

/**
 * The auto-submit script for the HTTP-POST binding page, served as a static file so the page needs
 * no inline script and a strict CSP (`script-src 'self'`) allows it. It submits the form with id
 * "saml-post"; the prototype call still works if a field were ever named "submit".
 */
export const AUTOSUBMIT_JS = `(function () {
  var form = document.getElementById('saml-post');
  if (form) HTMLFormElement.prototype.submit.call(form);
})();
`;

export interface AuthnRequestInput {
  /** Must be an xs:ID (start with a letter or underscore), e.g. "_" + random hex. */
  id: string;
  /** Epoch milliseconds. */
  issueInstant: number;
  /** Used word for word as the Issuer; IdPs put it in the Audience. */
  spEntityId: string;
  /** Must match the SP metadata's HTTP-POST AssertionConsumerService exactly. */
  acsUrl: string;
  /** The IdP's SingleSignOnService URL the request is sent to. */
  destination: string;
  forceAuthn?: boolean;
  /** Default urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified (with AllowCreate=true). */
  nameIdFormat?: string;
}

/** What `parseRedirectBindingRequest` found in an HTTP-Redirect binding URL. */
export interface RedirectBindingRequest {
  xml: string;
  relayState: string | null;
  sigAlg: string | null;
  signature: Buffer | null;
  /** The exact "SAMLRequest=…[&RelayState=…]&SigAlg=…" octets the signature covers, or null when unsigned. */
  signedOctets: string | null;
}

/**
 * Builds a SAML 2.0 AuthnRequest. It names the ACS URL and the HTTP-POST protocol binding (both as in
 * the SP metadata), never sets IsPassive, and asks for no particular authentication context (which
 * would make Entra and AD FS refuse users who signed in with MFA or Windows authentication).
 */
export function buildAuthnRequestXml(i: AuthnRequestInput): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(i.id)) fail('INTERNAL', `AuthnRequest ID "${i.id}" is not an xs:ID (it must start with a letter or underscore).`);
  if (!Number.isFinite(i.issueInstant)) fail('INTERNAL', 'AuthnRequest issueInstant is not a finite time.');
  const attrs = [
    `xmlns:samlp="${NS_PROTOCOL}"`,
    `xmlns:saml="${NS_ASSERTION}"`,
    `ID="${escapeXml(i.id)}"`,
    'Version="2.0"',
    `IssueInstant="${xsDateTime(i.issueInstant)}"`,
    `Destination="${escapeXml(i.destination)}"`,
    `AssertionConsumerServiceURL="${escapeXml(i.acsUrl)}"`,
    `ProtocolBinding="${BINDING_POST}"`,
    ...(i.forceAuthn ? ['ForceAuthn="true"'] : []),
  ];
  return (
    `<samlp:AuthnRequest ${attrs.join(' ')}>` +
    `<saml:Issuer>${escapeXml(i.spEntityId)}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="${escapeXml(i.nameIdFormat ?? NAMEID_UNSPECIFIED)}" AllowCreate="true"/>` +
    '</samlp:AuthnRequest>'
  );
}

/**
 * HTTP-Redirect binding URL (SAML bindings 3.4.4): SAMLRequest is the raw-DEFLATEd, base64, URL-encoded
 * XML; RelayState is added when non-empty. With a signing key (RSA), SigAlg is rsa-sha256 and Signature
 * covers the exact "SAMLRequest=…&RelayState=…&SigAlg=…" octets as they appear in the URL (3.4.4.1).
 * A query string already on `ssoUrl` is kept and the parameters are appended with "&". `message`: SAMLResponse
 * for a LogoutResponse (Single Logout, decision 0030); the signed octets then start with "SAMLResponse=".
 */
export function redirectBindingUrl(ssoUrl: string, xml: string, relayState: string | null, signingKey?: KeyObject, message: 'SAMLRequest' | 'SAMLResponse' = 'SAMLRequest'): string {
  let query = `${message}=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`;
  if (relayState) query += `&RelayState=${encodeURIComponent(relayState)}`;
  if (signingKey) {
    if (signingKey.type !== 'private' || signingKey.asymmetricKeyType !== 'rsa') {
      fail('INTERNAL', 'The AuthnRequest signing key must be an RSA private key.');
    }
    query += `&SigAlg=${encodeURIComponent(SIG_ALG_RSA_SHA256)}`;
    const signature = sign('sha256', Buffer.from(query, 'utf8'), signingKey);
    query += `&Signature=${encodeURIComponent(signature.toString('base64'))}`;
  }
  return appendQuery(ssoUrl, query);
}

/**
 * HTTP-POST binding: a page with a form (id "saml-post") posting SAMLRequest (base64 of the XML) and
 * RelayState (when non-empty) to the IdP, or, with `message: 'SAMLResponse'`, Identity Federation's
 * signed response to an app's ACS (src/federation/). A `<noscript>` submit button makes it work without
 * JavaScript; with JavaScript the external script at `scriptSrc` (default `AUTOSUBMIT_JS_PATH`,
 * content `AUTOSUBMIT_JS`) submits it, so the page has no inline script. All values are HTML-escaped.
 * The page's CSP must allow `form-action` to the IdP's origin.
 */
export function postBindingForm(ssoUrl: string, xml: string, relayState: string | null, opts: { scriptSrc?: string; message?: 'SAMLRequest' | 'SAMLResponse' } = {}): { html: string } {
  if (!/^https?:\/\//i.test(ssoUrl)) fail('INTERNAL', 'The IdP single sign-on URL must be an http(s) URL.');
  const message = opts.message ?? 'SAMLRequest';
  const goingTo = message === 'SAMLRequest' ? 'your identity provider' : 'the application';
  const fields = [
    hiddenInput(message, Buffer.from(xml, 'utf8').toString('base64')),
    ...(relayState ? [hiddenInput('RelayState', relayState)] : []),
  ];
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Continue to sign in</title>',
    '</head>',
    '<body>',
    `<form id="saml-post" method="post" action="${escapeHtml(ssoUrl)}">`,
    ...fields,
    `<noscript><p>JavaScript is turned off, so press Continue to go on to ${goingTo}.</p><button type="submit">Continue</button></noscript>`,
    '</form>',
    `<script src="${escapeHtml(opts.scriptSrc ?? AUTOSUBMIT_JS_PATH)}"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { html };
}

/**
 * Reads an HTTP-Redirect binding URL the way an IdP does: inflates SAMLRequest and returns RelayState,
 * SigAlg, the decoded Signature and the exact octets the signature covers (taken from the URL as
 * sent, not re-encoded). Throws an Error when SAMLRequest is missing, repeated or cannot be inflated.
 */
export function parseRedirectBindingRequest(url: string): RedirectBindingRequest {
  const raw = rawQueryParams(url);
  const samlRequest = raw.get('SAMLRequest');
  if (samlRequest === undefined) throw new Error('The URL has no SAMLRequest parameter.');
  const relayState = raw.get('RelayState');
  const sigAlg = raw.get('SigAlg');
  const signature = raw.get('Signature');
  const signedOctets =
    sigAlg !== undefined && signature !== undefined
      ? `SAMLRequest=${samlRequest}${relayState !== undefined ? `&RelayState=${relayState}` : ''}&SigAlg=${sigAlg}`
      : null;
  return {
    xml: inflateBase64(decodeBase64Param(samlRequest)),
    relayState: relayState === undefined ? null : decodeFormValue(relayState),
    sigAlg: sigAlg === undefined ? null : decodeFormValue(sigAlg),
    signature: signature === undefined ? null : Buffer.from(decodeBase64Param(signature), 'base64'),
    signedOctets,
  };
}

// ---------------------------------------------------------------- helpers

/** xs:dateTime in UTC without milliseconds, the form every IdP accepts. */
const xsDateTime = (t: number): string => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

function appendQuery(url: string, query: string): string {
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? '' : url.slice(hash);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${query}${fragment}`;
}

/** Escapes text and double-quoted attribute values; whitespace controls become references so attributes keep them. */
function escapeXml(value: string): string {
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(value)) fail('INTERNAL', 'A value for the AuthnRequest contains a character XML cannot carry.');
  return value.replace(/[&<>"'\t\n\r]/g, (c) => XML_ESCAPES[c]!);
}
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

const hiddenInput = (name: string, value: string): string => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The SAML parameters of a query string, still URL-encoded; a repeated one is refused. */
function rawQueryParams(url: string): Map<string, string> {
  const start = url.indexOf('?');
  const end = url.indexOf('#', start + 1);
  const query = start === -1 ? '' : url.slice(start + 1, end === -1 ? undefined : end);
  const params = new Map<string, string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeFormValue(eq === -1 ? part : part.slice(0, eq));
    if (!['SAMLRequest', 'RelayState', 'SigAlg', 'Signature'].includes(name)) continue;
    if (params.has(name)) throw new Error(`The URL has more than one ${name} parameter.`);
    params.set(name, eq === -1 ? '' : part.slice(eq + 1));
  }
  return params;
}

const decodeFormValue = (raw: string): string => decodeURIComponent(raw.replace(/\+/g, ' '));

/** Base64 never contains spaces, so a literal "+" in a base64 parameter is a "+" left unencoded by the sender. */
function decodeBase64Param(raw: string): string {
  const value = decodeURIComponent(raw).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw new Error('A SAML parameter is not valid base64.');
  return value;
}

function inflateBase64(b64: string): string {
  try {
    return inflateRawSync(Buffer.from(b64, 'base64'), { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch {
    throw new Error('SAMLRequest could not be inflated (it must be raw DEFLATE, then base64).');
  }
}
