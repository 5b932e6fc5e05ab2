/**
 * The signing side of a test IdP: a key + self-signed certificate, IdP metadata, and SAML
 * Responses signed with xml-crypto's SignedXml (exc-c14n, enveloped, rsa-sha256/sha256, Reference
 * URI #ID, Signature right after Issuer) and optionally encrypted for the SP. Used by unit tests,
 * end-to-end tests and benchmarks; never by the app.
 */
import { createPrivateKey, createCipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';

const NS_SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const NS_SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const ALGORITHMS = {
  sha256: { signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256' },
  sha1: { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1' },
} as const;

/** The NameID of the forged, unsigned assertion that `wrapXsw7` puts where the real one was. */
export const XSW_EVIL_NAME_ID = 'attacker@evil.example';

export interface TestIdp {
  entityId: string;
  certPem: string;
  privateKeyPem: string;
  metadataXml(opts: { ssoUrl: string; wantAuthnRequestsSigned?: boolean; postOnly?: boolean }): string;
}

/** An RSA-2048 key and a self-signed certificate (async: selfsigned v5 only generates asynchronously). */
export async function createTestIdp(opts: { entityId?: string } = {}): Promise<TestIdp> {
  const entityId = opts.entityId ?? `https://idp.example.test/${randomBytes(4).toString('hex')}`;
  const pems = await generate([{ name: 'commonName', value: 'Gatehouse Test IdP' }], { keySize: 2048, algorithm: 'sha256' });
  const certPem = pems.cert;
  return {
    entityId,
    certPem,
    privateKeyPem: pems.private,
    metadataXml({ ssoUrl, wantAuthnRequestsSigned = false, postOnly = false }) {
      const redirect = postOnly ? '' : `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(ssoUrl)}"/>`;
      return (
        `<?xml version="1.0" encoding="UTF-8"?>` +
        `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${esc(entityId)}">` +
        `<md:IDPSSODescriptor WantAuthnRequestsSigned="${wantAuthnRequestsSigned}" protocolSupportEnumeration="${NS_SAMLP}">` +
        `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${pemBody(certPem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
        `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
        redirect +
        `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(ssoUrl)}"/>` +
        `</md:IDPSSODescriptor></md:EntityDescriptor>`
      );
    },
  };
}

export interface ResponseOptions {
  idp: TestIdp;
  spEntityId: string;
  acsUrl: string;
  /** Omitted or null: an unsolicited (IdP-initiated) response. */
  inResponseTo?: string | null;
  nameId: string;
  /** Default urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress. */
  nameIdFormat?: string;
  attributes?: Record<string, string | string[]>;
  /** Epoch ms; default Date.now(). IssueInstant, AuthnInstant and (by default) NotBefore. */
  now?: number;
  /** Conditions and SubjectConfirmationData NotOnOrAfter = now + this; default 300. */
  lifetimeSeconds?: number;
  /** Default 'both' (Assertion signed, then the Response around it). */
  sign?: 'response' | 'assertion' | 'both' | 'none';
  signatureAlgorithm?: 'sha256' | 'sha1';
  assertionId?: string;
  /** Default acsUrl; null omits the attribute. */
  destination?: string | null;
  /** SubjectConfirmationData Recipient; default acsUrl. */
  recipient?: string;
  /** Default spEntityId. */
  audience?: string;
  /** Response and Assertion Issuer; default idp.entityId. */
  issuer?: string;
  /** Top-level StatusCode; a non-Success response carries no assertion. */
  statusCode?: string;
  /** Conditions NotBefore (epoch ms); default now. */
  notBefore?: number;
  /** SubjectConfirmationData NotOnOrAfter (epoch ms); default now + lifetime. */
  scdNotOnOrAfter?: number;
  /** Encrypt the (signed) assertion for the SP; key transport rsa-oaep-mgf1p unless keyTransport says otherwise. */
  encryptFor?: { certPem: string; algorithm?: 'aes256-cbc' | 'aes128-cbc' | 'aes128-gcm' | 'aes256-gcm'; keyTransport?: 'rsa-oaep-mgf1p' | 'rsa-oaep' };
  /**
   * XSW7: the genuinely signed assertion is hidden in samlp:Extensions and an unsigned evil copy
   * (NameID XSW_EVIL_NAME_ID, another ID) takes its place. The Response is left unsigned, as an
   * attacker could not re-sign it.
   */
  wrapXsw7?: boolean;
  /** A second, genuinely signed assertion (another ID, same user) beside the first. */
  extraAssertion?: boolean;
}

/** A SAML Response as XML. */
export function buildSamlResponse(opts: ResponseOptions): string {
  const now = opts.now ?? Date.now();
  const sign = opts.sign ?? 'both';
  const algorithm = opts.signatureAlgorithm ?? 'sha256';
  const issuer = opts.issuer ?? opts.idp.entityId;
  const signAssertions = sign === 'assertion' || sign === 'both' || opts.wrapXsw7 === true;
  const signResponse = (sign === 'response' || sign === 'both') && !opts.wrapXsw7;
  const success = (opts.statusCode ?? STATUS_SUCCESS) === STATUS_SUCCESS;

  const assertionFor = (id: string, nameId: string, signIt: boolean): string => {
    const xml = assertionXml(opts, { id, now, issuer, nameId });
    return signIt ? signElement(xml, id, opts.idp, algorithm) : xml;
  };
  const assertionId = opts.assertionId ?? newId();
  let assertions = '';
  let extensions = '';
  if (success) {
    const genuine = assertionFor(assertionId, opts.nameId, signAssertions);
    if (opts.wrapXsw7) {
      extensions = `<samlp:Extensions>${genuine}</samlp:Extensions>`;
      assertions = assertionFor(newId(), XSW_EVIL_NAME_ID, false);
    } else {
      assertions = opts.encryptFor ? encryptAssertion(genuine, opts.encryptFor) : genuine;
    }
    if (opts.extraAssertion) assertions += assertionFor(newId(), opts.nameId, signAssertions);
  }

  const responseId = newId();
  const destination = opts.destination === undefined ? opts.acsUrl : opts.destination;
  const status = success
    ? `<samlp:Status><samlp:StatusCode Value="${STATUS_SUCCESS}"/></samlp:Status>`
    : `<samlp:Status><samlp:StatusCode Value="${esc(opts.statusCode!)}"/><samlp:StatusMessage>Sign-in refused by the test IdP</samlp:StatusMessage></samlp:Status>`;
  const response =
    `<samlp:Response xmlns:samlp="${NS_SAMLP}" xmlns:saml="${NS_SAML}" ID="${responseId}" Version="2.0" IssueInstant="${iso(now)}"` +
    (destination !== null ? ` Destination="${esc(destination)}"` : '') +
    (opts.inResponseTo ? ` InResponseTo="${esc(opts.inResponseTo)}"` : '') +
    `><saml:Issuer>${esc(issuer)}</saml:Issuer>${extensions}${status}${assertions}</samlp:Response>`;
  return signResponse ? signElement(response, responseId, opts.idp, algorithm) : response;
}

/** The same, base64-encoded for the SAMLResponse form field. */
export function buildSamlResponseBase64(opts: ResponseOptions): string {
  return Buffer.from(buildSamlResponse(opts), 'utf8').toString('base64');
}

function assertionXml(opts: ResponseOptions, a: { id: string; now: number; issuer: string; nameId: string }): string {
  const lifetime = (opts.lifetimeSeconds ?? 300) * 1000;
  const notOnOrAfter = a.now + lifetime;
  const inResponseTo = opts.inResponseTo ? ` InResponseTo="${esc(opts.inResponseTo)}"` : '';
  const attributes = Object.entries(opts.attributes ?? {});
  const statement = attributes.length
    ? `<saml:AttributeStatement>${attributes
        .map(([name, value]) =>
          `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">` +
          (Array.isArray(value) ? value : [value]).map((v) => `<saml:AttributeValue xsi:type="xs:string">${esc(v)}</saml:AttributeValue>`).join('') +
          `</saml:Attribute>`)
        .join('')}</saml:AttributeStatement>`
    : '';
  return (
    `<saml:Assertion xmlns:saml="${NS_SAML}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${a.id}" Version="2.0" IssueInstant="${iso(a.now)}">` +
    `<saml:Issuer>${esc(a.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${esc(opts.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress')}">${esc(a.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData${inResponseTo} NotOnOrAfter="${iso(opts.scdNotOnOrAfter ?? notOnOrAfter)}" Recipient="${esc(opts.recipient ?? opts.acsUrl)}"/>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(opts.notBefore ?? a.now)}" NotOnOrAfter="${iso(notOnOrAfter)}">` +
    `<saml:AudienceRestriction><saml:Audience>${esc(opts.audience ?? opts.spEntityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(a.now)}" SessionIndex="${newId()}">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>` +
    `</saml:AuthnStatement>${statement}</saml:Assertion>`
  );
}

// Signing with a cached KeyObject is ~3x faster than re-parsing the PEM each time.
const signingKeys = new Map<string, KeyObject>();
function signingKey(idp: TestIdp): KeyObject {
  let key = signingKeys.get(idp.privateKeyPem);
  if (!key) {
    key = createPrivateKey(idp.privateKeyPem);
    signingKeys.set(idp.privateKeyPem, key);
  }
  return key;
}

/**
 * An enveloped signature by `idp` over the element with this ID, placed right after its Issuer
 * (for tests that edit a response before signing it).
 */
export function signSamlElement(xml: string, id: string, idp: TestIdp, algorithm: 'sha256' | 'sha1' = 'sha256'): string {
  return signElement(xml, id, idp, algorithm);
}

function signElement(xml: string, id: string, idp: TestIdp, algorithm: 'sha256' | 'sha1'): string {
  const signed = new SignedXml({
    privateKey: signingKey(idp),
    publicCert: idp.certPem,
    signatureAlgorithm: ALGORITHMS[algorithm].signature,
    canonicalizationAlgorithm: EXC_C14N,
  });
  signed.addReference({ xpath: `//*[@ID='${id}']`, digestAlgorithm: ALGORITHMS[algorithm].digest, transforms: [ENVELOPED, EXC_C14N] });
  signed.computeSignature(xml, { prefix: 'ds', location: { reference: `//*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' } });
  return signed.getSignedXml();
}

interface XmlEncryptionInternals {
  encryptKeyInfo(symmetricKey: Buffer, options: Record<string, unknown>, callback: (error: Error | null, keyInfo?: string) => void): void;
}
const requireCjs = createRequire(import.meta.url);
const xmlenc = requireCjs('xml-encryption') as XmlEncryptionInternals;
const xmlencTemplates = requireCjs('xml-encryption/lib/utils.js') as { renderTemplate(name: 'encrypted-key', data: Record<string, string>): string };

const CONTENT = {
  'aes128-cbc': { uri: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc', cipher: 'aes-128-cbc', keyLength: 16, ivLength: 16 },
  'aes256-cbc': { uri: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc', cipher: 'aes-256-cbc', keyLength: 32, ivLength: 16 },
  'aes128-gcm': { uri: 'http://www.w3.org/2009/xmlenc11#aes128-gcm', cipher: 'aes-128-gcm', keyLength: 16, ivLength: 12 },
  'aes256-gcm': { uri: 'http://www.w3.org/2009/xmlenc11#aes256-gcm', cipher: 'aes-256-gcm', keyLength: 32, ivLength: 12 },
} as const;

/**
 * xml-encryption's own key transport (encryptKeyInfo) and EncryptedData template; only the bulk
 * AES step is done here, synchronously, because xml-encryption's encrypt() draws its random key
 * and IV asynchronously and would make this whole builder async. Same byte layout as its
 * encryptWithAlgorithm: IV || ciphertext (|| GCM tag).
 */
function encryptAssertion(assertion: string, target: NonNullable<ResponseOptions['encryptFor']>): string {
  const content = CONTENT[target.algorithm ?? 'aes256-gcm'];
  const symmetricKey = randomBytes(content.keyLength);
  const iv = randomBytes(content.ivLength);
  const cipher = createCipheriv(content.cipher, symmetricKey, iv);
  const body = Buffer.concat([cipher.update(assertion, 'utf8'), cipher.final()]);
  const tag = content.cipher.endsWith('gcm') ? (cipher as unknown as { getAuthTag(): Buffer }).getAuthTag() : Buffer.alloc(0);
  const oaep11 = target.keyTransport === 'rsa-oaep';
  let keyInfo: string | undefined;
  let failure: Error | null = null;
  xmlenc.encryptKeyInfo(
    symmetricKey,
    {
      rsa_pub: target.certPem,
      pem: target.certPem,
      keyEncryptionAlgorithm: oaep11 ? 'http://www.w3.org/2009/xmlenc11#rsa-oaep' : 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
      keyEncryptionDigest: oaep11 ? 'sha256' : 'sha1',
      warnInsecureAlgorithm: false,
    },
    (error, result) => {
      failure = error;
      keyInfo = result;
    },
  );
  if (failure || keyInfo === undefined) throw failure ?? new Error('xml-encryption did not produce a KeyInfo synchronously');
  const encryptedData = xmlencTemplates.renderTemplate('encrypted-key', {
    contentEncryptionMethod: content.uri,
    keyInfo,
    encryptedContent: Buffer.concat([iv, body, tag]).toString('base64'),
  });
  return `<saml:EncryptedAssertion xmlns:saml="${NS_SAML}">${encryptedData.trim()}</saml:EncryptedAssertion>`;
}

const newId = (): string => `_${randomBytes(20).toString('hex')}`;
const iso = (ms: number): string => new Date(ms).toISOString();
const pemBody = (pem: string): string => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
