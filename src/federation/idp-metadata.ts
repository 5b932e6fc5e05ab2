/**
 * Gatehouse's SAML IdP metadata for Identity Federation apps (served at /.well-known/idp-metadata), as
 * Jackson publishes it: the entity ID (the deployment's SP entity ID, or an app's audience override), the
 * signing certificate (the deployment's SP certificate, which signs the federated responses), and one
 * SingleSignOnService per binding at EXTERNAL_URL/api/identity-federation/sso. Pure.
 */
import { X509Certificate } from 'node:crypto';
import { fail } from '../errors.ts';
import { NS, xmldom } from '../sso/saml/xml-dom.ts';

const NS_MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const BINDINGS = ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST'];
const NAMEID_FORMATS = ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'];

export interface IdpMetadataInput {
  entityId: string;
  ssoUrl: string;
  signingCertPem: string;
}

/** The IdP's entity ID, SSO URL and certificate, as Jackson's metadata API answers them beside the XML. */
export function idpMetadataXml(i: IdpMetadataInput): string {
  const doc = new (xmldom().DOMImplementation)().createDocument(NS_MD, 'md:EntityDescriptor', null);
  const root = doc.documentElement!;
  root.setAttributeNS(NS.xmlns, 'xmlns:ds', NS.dsig);
  root.setAttribute('entityID', i.entityId);
  const descriptor = doc.createElementNS(NS_MD, 'md:IDPSSODescriptor');
  descriptor.setAttribute('WantAuthnRequestsSigned', 'false');
  descriptor.setAttribute('protocolSupportEnumeration', NS.protocol);
  root.appendChild(descriptor);
  const key = doc.createElementNS(NS_MD, 'md:KeyDescriptor');
  key.setAttribute('use', 'signing');
  const keyInfo = doc.createElementNS(NS.dsig, 'ds:KeyInfo');
  const data = doc.createElementNS(NS.dsig, 'ds:X509Data');
  const cert = doc.createElementNS(NS.dsig, 'ds:X509Certificate');
  cert.appendChild(doc.createTextNode(certificateBody(i.signingCertPem)));
  data.appendChild(cert);
  keyInfo.appendChild(data);
  key.appendChild(keyInfo);
  descriptor.appendChild(key);
  for (const f of NAMEID_FORMATS) {
    const el = doc.createElementNS(NS_MD, 'md:NameIDFormat');
    el.appendChild(doc.createTextNode(f));
    descriptor.appendChild(el);
  }
  for (const binding of BINDINGS) {
    const el = doc.createElementNS(NS_MD, 'md:SingleSignOnService');
    el.setAttribute('Binding', binding);
    el.setAttribute('Location', i.ssoUrl);
    descriptor.appendChild(el);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new (xmldom().XMLSerializer)().serializeToString(doc)}\n`;
}

/** The base64 DER of the certificate (what metadata readers expect, without PEM armour). */
export function certificateBody(pem: string): string {
  try {
    return new X509Certificate(pem).raw.toString('base64');
  } catch {
    return fail('INTERNAL', 'The IdP signing certificate is not a PEM X.509 certificate.');
  }
}
