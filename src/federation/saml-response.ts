/**
 * Identity Federation's answer to an app: a SAML 2.0 Response with one assertion about the user who
 * signed in upstream, the assertion signed and then the response signed around it (rsa-sha256,
 * exclusive c14n, enveloped, the Signature right after each Issuer), as Jackson sends it, so an SP that
 * wants either signature is served. Pure: the clock, the IDs and the key are inputs.
 */
import type { KeyObject } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { lazyRequire } from '../lazy-require.ts';
import { NS, xmldom } from '../sso/saml/xml-dom.ts';

const xmlCrypto = lazyRequire<typeof import('xml-crypto')>('xml-crypto');

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const NS_XS = 'http://www.w3.org/2001/XMLSchema';
const NS_XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const NAMEID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';
const ATTR_UNSPECIFIED = 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified';
const ATTR_URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';
/** Apps' clocks may run a little behind ours: the assertion is valid from a minute before it was made. */
export const NOT_BEFORE_SKEW_MS = 60_000;

export interface FederatedResponseInput {
  /** xs:IDs for the response and the assertion ("_" + random hex). */
  responseId: string;
  assertionId: string;
  /** Epoch milliseconds. */
  now: number;
  /** How long the assertion may be used, in milliseconds. */
  lifetimeMs: number;
  /** Gatehouse's IdP entity ID: both Issuers. */
  issuer: string;
  /** The app's SP entity ID: the Audience. */
  audience: string;
  /** The app's registered ACS URL: Destination and Recipient. */
  acsUrl: string;
  /** The app's AuthnRequest ID, or null for an answer nobody asked for. */
  inResponseTo: string | null;
  nameId: string;
  nameIdIsEmail: boolean;
  /** Attribute name → values, in the order they are sent. */
  attributes: ReadonlyMap<string, readonly string[]>;
  signingKey: KeyObject;
  certPem: string;
}

const xsDateTime = (t: number): string => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Builds and signs the Response; returns its XML. */
export function buildFederatedResponse(i: FederatedResponseInput): string {
  const doc = new (xmldom().DOMImplementation)().createDocument(NS.protocol, 'samlp:Response', null);
  const response = doc.documentElement!;
  response.setAttributeNS(NS.xmlns, 'xmlns:saml', NS.assertion);
  setAttrs(response, { ID: i.responseId, Version: '2.0', IssueInstant: xsDateTime(i.now), Destination: i.acsUrl, InResponseTo: i.inResponseTo });
  response.appendChild(issuer(doc, i.issuer));
  const status = add(doc, response, NS.protocol, 'samlp:Status');
  setAttrs(add(doc, status, NS.protocol, 'samlp:StatusCode'), { Value: 'urn:oasis:names:tc:SAML:2.0:status:Success' });
  response.appendChild(assertion(doc, i));
  const xml = new (xmldom().XMLSerializer)().serializeToString(doc);
  return sign(sign(xml, i.assertionId, i), i.responseId, i);
}

function assertion(doc: Document, i: FederatedResponseInput): Element {
  const notOnOrAfter = xsDateTime(i.now + i.lifetimeMs);
  const a = doc.createElementNS(NS.assertion, 'saml:Assertion');
  a.setAttributeNS(NS.xmlns, 'xmlns:xs', NS_XS);
  a.setAttributeNS(NS.xmlns, 'xmlns:xsi', NS_XSI);
  setAttrs(a, { ID: i.assertionId, Version: '2.0', IssueInstant: xsDateTime(i.now) });
  a.appendChild(issuer(doc, i.issuer));

  const subject = add(doc, a, NS.assertion, 'saml:Subject');
  const nameId = add(doc, subject, NS.assertion, 'saml:NameID', i.nameId);
  setAttrs(nameId, { Format: i.nameIdIsEmail ? NAMEID_EMAIL : NAMEID_UNSPECIFIED });
  const confirmation = add(doc, subject, NS.assertion, 'saml:SubjectConfirmation');
  setAttrs(confirmation, { Method: 'urn:oasis:names:tc:SAML:2.0:cm:bearer' });
  setAttrs(add(doc, confirmation, NS.assertion, 'saml:SubjectConfirmationData'), { InResponseTo: i.inResponseTo, NotOnOrAfter: notOnOrAfter, Recipient: i.acsUrl });

  const conditions = add(doc, a, NS.assertion, 'saml:Conditions');
  setAttrs(conditions, { NotBefore: xsDateTime(i.now - NOT_BEFORE_SKEW_MS), NotOnOrAfter: notOnOrAfter });
  add(doc, add(doc, conditions, NS.assertion, 'saml:AudienceRestriction'), NS.assertion, 'saml:Audience', i.audience);

  const authn = add(doc, a, NS.assertion, 'saml:AuthnStatement');
  setAttrs(authn, { AuthnInstant: xsDateTime(i.now), SessionIndex: i.assertionId });
  add(doc, add(doc, authn, NS.assertion, 'saml:AuthnContext'), NS.assertion, 'saml:AuthnContextClassRef', 'urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified');

  if (i.attributes.size > 0) {
    const statement = add(doc, a, NS.assertion, 'saml:AttributeStatement');
    for (const [name, values] of i.attributes) {
      const attribute = add(doc, statement, NS.assertion, 'saml:Attribute');
      setAttrs(attribute, { Name: name, NameFormat: /^(urn:|https?:\/\/)/.test(name) ? ATTR_URI : ATTR_UNSPECIFIED });
      for (const v of values) add(doc, attribute, NS.assertion, 'saml:AttributeValue', v).setAttributeNS(NS_XSI, 'xsi:type', 'xs:string');
    }
  }
  return a;
}

function issuer(doc: Document, entityId: string): Element {
  const el = doc.createElementNS(NS.assertion, 'saml:Issuer');
  el.setAttribute('Format', ENTITY_FORMAT);
  el.appendChild(doc.createTextNode(entityId));
  return el;
}

function add(doc: Document, parent: Element, ns: string, name: string, text?: string): Element {
  const el = doc.createElementNS(ns, name);
  if (text !== undefined) el.appendChild(doc.createTextNode(text));
  parent.appendChild(el);
  return el;
}

function setAttrs(el: Element, attrs: Record<string, string | null>): void {
  for (const [k, v] of Object.entries(attrs)) if (v !== null) el.setAttribute(k, v);
}

/** An enveloped signature over the element with `id` (ours, made of hex), placed right after its Issuer. */
function sign(xml: string, id: string, i: FederatedResponseInput): string {
  const signed = new (xmlCrypto().SignedXml)({ privateKey: i.signingKey.export({ type: 'pkcs8', format: 'pem' }), publicCert: i.certPem, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: NS.excC14n });
  signed.addReference({ xpath: `//*[@ID='${id}']`, digestAlgorithm: SHA256, transforms: [ENVELOPED, NS.excC14n] });
  signed.computeSignature(xml, { prefix: 'ds', location: { reference: `//*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' } });
  return signed.getSignedXml();
}
