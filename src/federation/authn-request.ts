/**
 * Reads the AuthnRequest an app sends to Gatehouse's IdP endpoint, over HTTP-Redirect (raw DEFLATE,
 * base64, in the query) or HTTP-POST (base64 in a form). Pure: what it returns is only what the app
 * asked; whether the app is known and its ACS URL the registered one is decided by the caller.
 */
import { inflateRawSync } from 'node:zlib';
import { GatehouseError } from '../errors.ts';
import { parseRedirectBindingRequest } from '../sso/saml/authn-request.ts';
import { NS, attr, firstChild, isNamed, parseXmlStrict, textOf } from '../sso/saml/xml-dom.ts';

/** An AuthnRequest is a few hundred bytes; 64 KiB of XML is not one. */
const MAX_REQUEST_CHARS = 64 * 1024;
/** RelayState is at most 80 bytes by the SAML bindings; apps send more, so take up to 1 KiB as Jackson does. */
const MAX_RELAY_STATE = 1024;

export interface AppAuthnRequest {
  /** The request's ID: the response's InResponseTo. */
  id: string;
  /** The app's SP entity ID. */
  issuer: string;
  /** AssertionConsumerServiceURL, when the request names one. */
  acsUrl: string | null;
  /** ProtocolBinding, when the request names one (only HTTP-POST can be answered). */
  protocolBinding: string | null;
  relayState: string | null;
}

export type BindingInput = { binding: 'redirect'; url: string } | { binding: 'post'; samlRequest: unknown; relayState: unknown };

const invalid = (detail: string) => new GatehouseError('FEDERATION_REQUEST_INVALID', detail);

/** Decodes the binding and reads the request; a 400 page names what is wrong. */
export function readAppAuthnRequest(input: BindingInput): AppAuthnRequest {
  const { xml, relayState } = decodeBinding(input);
  if (relayState !== null && relayState.length > MAX_RELAY_STATE) throw invalid(`RelayState is longer than ${MAX_RELAY_STATE} characters.`);
  const parsed = parseXmlStrict(xml, { maxChars: MAX_REQUEST_CHARS });
  if (!parsed.ok) throw invalid(`SAMLRequest is ${parsed.detail}.`);
  const root = parsed.root;
  if (!isNamed(root, NS.protocol, 'AuthnRequest')) throw invalid('SAMLRequest is not an AuthnRequest.');
  const id = attr(root, 'ID');
  if (!id || !/^[A-Za-z_][\w.-]{0,255}$/.test(id)) throw invalid('The AuthnRequest has no valid ID.');
  const issuerEl = firstChild(root, NS.assertion, 'Issuer');
  const issuer = issuerEl ? textOf(issuerEl).trim() : '';
  if (!issuer) throw invalid('The AuthnRequest has no Issuer (the application\'s entity ID).');
  return { id, issuer, acsUrl: attr(root, 'AssertionConsumerServiceURL'), protocolBinding: attr(root, 'ProtocolBinding'), relayState };
}

function decodeBinding(input: BindingInput): { xml: string; relayState: string | null } {
  if (input.binding === 'redirect') {
    try {
      const r = parseRedirectBindingRequest(input.url);
      return { xml: r.xml, relayState: r.relayState || null };
    } catch (err) {
      throw invalid((err as Error).message);
    }
  }
  const b64 = typeof input.samlRequest === 'string' ? input.samlRequest.replace(/\s+/g, '') : '';
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw invalid('The SAMLRequest form field is missing or not base64.');
  const relayState = typeof input.relayState === 'string' && input.relayState !== '' ? input.relayState : null;
  return { xml: postedXml(Buffer.from(b64, 'base64')), relayState };
}

/**
 * The POST binding carries the XML as is; some SP libraries (node-saml, passport-saml) DEFLATE it as for
 * the Redirect binding, so bytes that are not XML are inflated (capped) before giving up.
 */
function postedXml(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (/^\s*(?:\uFEFF)?</.test(text)) return text;
  try {
    return inflateRawSync(bytes, { maxOutputLength: MAX_REQUEST_CHARS }).toString('utf8');
  } catch {
    throw invalid('SAMLRequest is neither XML nor DEFLATEd XML.');
  }
}
