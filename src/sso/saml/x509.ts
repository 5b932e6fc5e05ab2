/**
 * Reading X.509 certificates as IdP metadata and connection settings carry them (base64 DER, with or without
 * PEM armour): the facts the metadata lint and expiry warnings need. Pure; node:crypto does the parsing, and
 * the few DER headers Node 20 does not expose (the certificate's own signature algorithm) are read here.
 */
import { X509Certificate } from 'node:crypto';

/** Facts about one signing certificate, for lint and expiry warnings. */
export interface CertificateInfo {
  notBefore: number;
  notAfter: number;
  /** Subject distinguished name on one line, e.g. "C=US, O=Okta, CN=dev-123". */
  subject: string;
  /** Colon-separated upper-case hex, as node:crypto prints it. */
  fingerprintSha256: string;
  /** Name of the algorithm the certificate itself is signed with, e.g. "sha256WithRSAEncryption" (a dotted OID when unknown). */
  signatureAlgorithm: string;
}

/** The certificate's canonical base64 body and its facts, or null when it is not a readable certificate. */
export function parseCertificate(text: string): { body: string; info: CertificateInfo } | null {
  const b64 = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  try {
    const cert = new X509Certificate(Buffer.from(b64, 'base64'));
    const notBefore = Date.parse(cert.validFrom);
    const notAfter = Date.parse(cert.validTo);
    if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) return null;
    return {
      body: cert.raw.toString('base64'),
      info: {
        notBefore,
        notAfter,
        subject: cert.subject.split('\n').join(', '),
        fingerprintSha256: cert.fingerprint256,
        signatureAlgorithm: certificateSignatureAlgorithm(cert.raw),
      },
    };
  } catch {
    return null;
  }
}

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSASignature',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '1.2.840.10045.4.1': 'ecdsaWithSHA1',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.3.2': 'ecdsaWithSHA256',
  '1.2.840.10045.4.3.3': 'ecdsaWithSHA384',
  '1.2.840.10045.4.3.4': 'ecdsaWithSHA512',
  '1.3.101.112': 'ed25519',
};

export const WEAK_SIGNATURE_ALGORITHMS = new Set(['md5WithRSAEncryption', 'sha1WithRSAEncryption', 'sha1WithRSASignature', 'dsaWithSHA1', 'ecdsaWithSHA1']);

/**
 * The certificate's signatureAlgorithm (Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, … }).
 * node:crypto in Node 20 does not expose it, so read the few DER headers needed.
 */
function certificateSignatureAlgorithm(der: Buffer): string {
  const outer = derHeader(der, 0);
  if (!outer) return 'unknown';
  const tbs = derHeader(der, outer.contentStart);
  if (!tbs) return 'unknown';
  const algId = derHeader(der, tbs.contentStart + tbs.length);
  if (!algId || algId.tag !== 0x30) return 'unknown';
  const oid = derHeader(der, algId.contentStart);
  if (!oid || oid.tag !== 0x06) return 'unknown';
  const dotted = decodeOid(der.subarray(oid.contentStart, oid.contentStart + oid.length));
  return SIGNATURE_ALGORITHMS[dotted] ?? dotted;
}

function derHeader(buf: Buffer, offset: number): { tag: number; length: number; contentStart: number } | null {
  if (offset + 2 > buf.length) return null;
  const tag = buf[offset]!;
  const first = buf[offset + 1]!;
  if (first < 0x80) return { tag, length: first, contentStart: offset + 2 };
  const count = first & 0x7f;
  if (count === 0 || count > 4 || offset + 2 + count > buf.length) return null;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + buf[offset + 2 + i]!;
  return { tag, length, contentStart: offset + 2 + count };
}

function decodeOid(bytes: Buffer): string {
  if (bytes.length === 0) return '';
  const parts: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if (b < 0x80) {
      parts.push(value);
      value = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}
