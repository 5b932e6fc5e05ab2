/**
 * The SP's own key pair and self-signed certificate, used to sign AuthnRequests and to receive
 * encrypted assertions. IdPs pin the certificate from the SP metadata; nobody checks its chain.
 */
import { fail } from '../../errors.ts';
import { lazyRequire } from '../../lazy-require.ts';

// Loaded on first use: only a first start (or a rotation) makes a certificate, and the X.509 stack is large.
const selfsigned = lazyRequire<typeof import('selfsigned')>('selfsigned');

const DEFAULT_YEARS = 10;

/**
 * A fresh SP key pair and a self-signed X.509 certificate (RSA-2048, SHA-256, subject CN =
 * `commonName`, valid from `now` for `years`, default 10). Key usage digitalSignature and
 * keyEncipherment, not a CA. The key is random; the clock is the input `now`.
 */
export async function generateSpCertificate(opts: { commonName: string; years?: number; now: number }): Promise<{ certPem: string; privateKeyPem: string }> {
  const years = opts.years ?? DEFAULT_YEARS;
  if (!Number.isInteger(years) || years < 1) fail('INTERNAL', 'SP certificate validity must be a whole number of years, at least 1.');
  if (!Number.isFinite(opts.now)) fail('INTERNAL', 'SP certificate generation needs a finite `now`.');
  if (opts.commonName.trim() === '') fail('INTERNAL', 'SP certificate common name is empty.');

  const notBefore = new Date(Math.floor(opts.now / 1000) * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);

  const pems = await selfsigned().generate([{ name: 'commonName', value: opts.commonName }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    // Without explicit extensions selfsigned adds TLS server/client usages and a DNS SAN of the CN,
    // which mean nothing for a SAML key and read oddly when an admin inspects the certificate.
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    ],
  });
  return { certPem: pems.cert, privateKeyPem: pems.private };
}
