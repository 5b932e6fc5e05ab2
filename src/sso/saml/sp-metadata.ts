/**
 * Gatehouse's own SAML SP metadata, the document IT admins upload to their IdP
 * (served at /.well-known/sp-metadata). Pure: builds a string from its inputs.
 */
import { X509Certificate } from 'node:crypto';
import { fail } from '../../errors.ts';

const NS_MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const NS_DS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const BINDING_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const NAMEID_FORMATS = ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'];

/** Encryption algorithms the ACS decrypts, strongest first; IdPs that read them (Shibboleth, Keycloak) pick from the top. */
const ENCRYPTION_METHODS = [
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  'http://www.w3.org/2009/xmlenc11#rsa-oaep',
  'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
];

export interface SpMetadataInput {
  /** Used word for word as entityID (and as the AuthnRequest Issuer). */
  entityId: string;
  /** The HTTP-POST AssertionConsumerService, EXTERNAL_URL + "/api/oauth/saml". */
  acsUrl: string;
  signingCertPem: string;
  /** When given, adds a KeyDescriptor use="encryption" with this certificate. */
  encryptionCertPem?: string;
  /** Default true. */
  wantAssertionsSigned?: boolean;
  /** Default true. */
  authnRequestsSigned?: boolean;
  /** Epoch milliseconds; omitted when not given. */
  validUntil?: number;
  /** When given, SingleLogoutService endpoints at this URL for HTTP-Redirect and HTTP-POST (decision 0030). */
  sloUrl?: string;
}

/**
 * Builds the SP metadata: an EntityDescriptor (entityID = `entityId` word for word) with one SAML 2.0
 * SPSSODescriptor holding a signing KeyDescriptor (and an encryption one when asked), the
 * emailAddress and unspecified NameID formats, SingleLogoutService endpoints (Redirect and POST) at `sloUrl`
 * when given, and exactly one HTTP-POST AssertionConsumerService at `acsUrl` (index 0, isDefault). Throws when a certificate PEM does not parse.
 */
export function buildSpMetadataXml(i: SpMetadataInput): string {
  const descriptorAttrs = [
    `AuthnRequestsSigned="${i.authnRequestsSigned ?? true}"`,
    `WantAssertionsSigned="${i.wantAssertionsSigned ?? true}"`,
    `protocolSupportEnumeration="${SAML2_PROTOCOL}"`,
  ];
  const entityAttrs = [`xmlns:md="${NS_MD}"`, `xmlns:ds="${NS_DS}"`, `entityID="${escapeXml(i.entityId)}"`];
  if (i.validUntil !== undefined) entityAttrs.push(`validUntil="${xsDateTime(i.validUntil)}"`);

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<md:EntityDescriptor ${entityAttrs.join(' ')}>`,
    `  <md:SPSSODescriptor ${descriptorAttrs.join(' ')}>`,
    keyDescriptor('signing', certificateBody(i.signingCertPem, 'signing')),
    ...(i.encryptionCertPem === undefined ? [] : [keyDescriptor('encryption', certificateBody(i.encryptionCertPem, 'encryption'))]),
    // Schema order: KeyDescriptor, SingleLogoutService, NameIDFormat, AssertionConsumerService.
    ...(i.sloUrl === undefined ? [] : [BINDING_REDIRECT, BINDING_POST].map((b) => `    <md:SingleLogoutService Binding="${b}" Location="${escapeXml(i.sloUrl!)}"/>`)),
    ...NAMEID_FORMATS.map((f) => `    <md:NameIDFormat>${f}</md:NameIDFormat>`),
    `    <md:AssertionConsumerService Binding="${BINDING_POST}" Location="${escapeXml(i.acsUrl)}" index="0" isDefault="true"/>`,
    '  </md:SPSSODescriptor>',
    '</md:EntityDescriptor>',
    '',
  ].join('\n');
}

function keyDescriptor(use: 'signing' | 'encryption', body: string): string {
  const methods = use === 'encryption' ? ENCRYPTION_METHODS.map((m) => `\n      <md:EncryptionMethod Algorithm="${m}"/>`).join('') : '';
  return (
    `    <md:KeyDescriptor use="${use}">\n` +
    `      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>${body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>${methods}\n` +
    '    </md:KeyDescriptor>'
  );
}

/** The base64 DER of the first certificate in a PEM, which also proves the PEM is a certificate. */
function certificateBody(pem: string, use: string): string {
  try {
    return new X509Certificate(pem).raw.toString('base64');
  } catch {
    return fail('INTERNAL', `The SP ${use} certificate is not a PEM X.509 certificate.`);
  }
}

const xsDateTime = (t: number): string => {
  if (!Number.isFinite(t)) fail('INTERNAL', 'SP metadata validUntil is not a finite time.');
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
};

/** Escapes text and double-quoted attribute values; whitespace controls become references so attributes keep them. */
function escapeXml(value: string): string {
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(value)) fail('INTERNAL', 'A value for the SP metadata contains a character XML cannot carry.');
  return value.replace(/[&<>"'\t\n\r]/g, (c) => XML_ESCAPES[c]!);
}
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
