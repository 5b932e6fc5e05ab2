/**
 * Jackson keeps a SAML connection's IdP metadata parsed (entity ID, SSO and SLO URLs, signing certificates),
 * not as XML. This rebuilds an equivalent EntityDescriptor (pure) so that Gatehouse's own metadata parser and
 * lint read it exactly as they read pasted metadata.
 */
import type { JacksonSamlConnection } from './records.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/** IdP metadata XML equivalent to what Jackson parsed for `c`. */
export function idpMetadataXmlOf(c: JacksonSamlConnection): string {
  const { idp } = c;
  const keys = idp.certificates.map((b64) => `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${esc(b64)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`).join('');
  const service = (tag: string, binding: string, url: string | null) => (url ? `<md:${tag} Binding="${binding}" Location="${esc(url)}"/>` : '');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${esc(idp.entityID)}">` +
    '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' +
    keys +
    service('SingleLogoutService', REDIRECT, idp.sloRedirectUrl) +
    service('SingleLogoutService', POST, idp.sloPostUrl) +
    service('SingleSignOnService', REDIRECT, idp.ssoRedirectUrl) +
    service('SingleSignOnService', POST, idp.ssoPostUrl) +
    '</md:IDPSSODescriptor></md:EntityDescriptor>'
  );
}
