/**
 * Several IdP certificates by hand (docs/decisions/0019-metadata-refresh.md): a connection made from pasted
 * metadata can trust a second certificate beside the current one while its IdP rolls over, and drop the old one
 * once the IdP has switched. Pure: settings in, settings out, or a 400 naming the field. A connection made from a
 * metadata URL takes its certificates from the URL alone.
 */
import { GatehouseError } from '../../errors.ts';
import type { SamlSettings } from '../connection-settings.ts';
import { lintIdpMetadata } from './idp-metadata.ts';
import { parseCertificate, type CertificateInfo } from './x509.ts';

export interface CertificateChange {
  /** A certificate to trust as well (PEM, or its base64 body). */
  addIdpCertificate?: string;
  /** The SHA-256 fingerprint (as `idpMetadata.certificates[].fingerprintSha256` shows it; colons and case optional) of one to stop trusting. */
  removeIdpCertificate?: string;
}

export const hasCertificateChange = (c: CertificateChange) => Boolean(c.addIdpCertificate || c.removeIdpCertificate);

const normalFingerprint = (f: string) => f.replace(/[^0-9a-f]/gi, '').toUpperCase();

export function samlSettingsWithCertificates(prev: SamlSettings, entityId: string, change: CertificateChange, now: number): SamlSettings {
  const field = change.addIdpCertificate ? 'addIdpCertificate' : 'removeIdpCertificate';
  if (prev.metadataUrl) {
    throw new GatehouseError('API_VALIDATION', 'This connection takes its certificates from its metadata URL, which is fetched again on a schedule; publish the certificate in the IdP\'s metadata instead.', { field });
  }
  const certs = prev.signingCertificates.map((body) => parseCertificate(body)).filter((c): c is { body: string; info: CertificateInfo } => c !== null);
  if (change.addIdpCertificate) {
    const added = parseCertificate(change.addIdpCertificate);
    if (!added) throw new GatehouseError('API_VALIDATION', '"addIdpCertificate" is not a readable X.509 certificate (PEM or base64).', { field: 'addIdpCertificate' });
    if (!certs.some((c) => c.body === added.body)) certs.push(added);
  }
  if (change.removeIdpCertificate) {
    const wanted = normalFingerprint(change.removeIdpCertificate);
    const at = certs.findIndex((c) => normalFingerprint(c.info.fingerprintSha256) === wanted);
    if (at < 0) throw new GatehouseError('API_VALIDATION', 'No trusted certificate of this connection has that fingerprint.', { field: 'removeIdpCertificate' });
    if (certs.length === 1) throw new GatehouseError('API_VALIDATION', 'This is the connection\'s only certificate: add the new one before removing it.', { field: 'removeIdpCertificate' });
    certs.splice(at, 1);
  }
  const next = { ...prev, signingCertificates: certs.map((c) => c.body), certificates: certs.map((c) => c.info) };
  const warnings = lintIdpMetadata({
    entityId, ssoRedirectUrl: next.ssoRedirectUrl, ssoPostUrl: next.ssoPostUrl, slo: next.slo ?? {}, sloResponse: next.sloResponse ?? {}, signingCertificates: next.signingCertificates,
    wantAuthnRequestsSigned: next.wantAuthnRequestsSigned, certificates: next.certificates as CertificateInfo[], validUntil: null, cacheDuration: null,
  }, now);
  return { ...next, warnings };
}
