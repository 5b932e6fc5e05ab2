import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { generateSpCertificate } from './sp-keys.ts';
import { GatehouseError } from '../../errors.ts';

const now = Date.parse('2026-03-01T12:00:00.500Z');

describe('generateSpCertificate', async () => {
  const { certPem, privateKeyPem } = await generateSpCertificate({ commonName: 'gatehouse.example.com', now });
  const cert = new X509Certificate(certPem);

  test('a PEM certificate and a PEM PKCS#8 private key', () => {
    assert.match(certPem, /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n?$/);
    assert.match(privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/);
  });

  test('self-signed with subject CN, RSA-2048', () => {
    assert.equal(cert.subject, 'CN=gatehouse.example.com');
    assert.equal(cert.issuer, 'CN=gatehouse.example.com');
    assert.equal(cert.verify(cert.publicKey), true);
    assert.equal(cert.publicKey.asymmetricKeyType, 'rsa');
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(cert.ca, false);
  });

  test('signed with SHA-256 (sha256WithRSAEncryption)', () => {
    const sha256WithRsaOid = Buffer.from('06092a864886f70d01010b', 'hex'); // OID 1.2.840.113549.1.1.11
    assert.ok(cert.raw.includes(sha256WithRsaOid));
    const sha1WithRsaOid = Buffer.from('06092a864886f70d010105', 'hex');
    assert.ok(!cert.raw.includes(sha1WithRsaOid));
  });

  test('valid from now (whole seconds) for 10 years by default', () => {
    assert.equal(Date.parse(cert.validFrom), Date.parse('2026-03-01T12:00:00Z'));
    assert.equal(Date.parse(cert.validTo), Date.parse('2036-03-01T12:00:00Z'));
  });

  test('the public key matches the private key', () => {
    const privateKey = createPrivateKey(privateKeyPem);
    assert.equal(cert.checkPrivateKey(privateKey), true);
    const data = Buffer.from('SAMLRequest=abc&SigAlg=x');
    assert.equal(verify('sha256', data, cert.publicKey, sign('sha256', data, privateKey)), true);
    assert.deepEqual(
      createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
      cert.publicKey.export({ type: 'spki', format: 'der' }),
    );
  });

  test('each call makes a new key', async () => {
    const other = await generateSpCertificate({ commonName: 'gatehouse.example.com', now });
    assert.notEqual(other.privateKeyPem, privateKeyPem);
    assert.equal(new X509Certificate(other.certPem).checkPrivateKey(createPrivateKey(privateKeyPem)), false);
  });

  test('a chosen validity in years', async () => {
    const short = new X509Certificate((await generateSpCertificate({ commonName: 'sp', years: 2, now })).certPem);
    assert.equal(Date.parse(short.validTo), Date.parse('2028-03-01T12:00:00Z'));
  });

  test('refuses nonsense options', async () => {
    await assert.rejects(generateSpCertificate({ commonName: 'sp', years: 0, now }), GatehouseError);
    await assert.rejects(generateSpCertificate({ commonName: 'sp', years: 1.5, now }), GatehouseError);
    await assert.rejects(generateSpCertificate({ commonName: ' ', now }), GatehouseError);
    await assert.rejects(generateSpCertificate({ commonName: 'sp', now: Number.NaN }), GatehouseError);
  });
});
