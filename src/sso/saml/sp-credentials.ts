/**
 * The deployment's SAML SP key and certificate (signs AuthnRequests, decrypts assertions). Kept in the
 * database, sealed, so every instance uses the same one; created on first boot.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.ts';
import { signingKeysRepo, type SigningKeyRow } from '../../storage/index.ts';
import type { SecretBox } from '../../crypto/secrets.ts';
import type { SpCredentials } from '../../crypto/deployment-keys.ts';
import { generateSpCertificateOffThread } from './sp-cert-thread.ts';

/** `known`: the active rows when the caller has just read them. */
export async function loadSpCredentials(db: Kysely<Database>, secrets: SecretBox, commonName: string, now: number, known?: SigningKeyRow[]): Promise<SpCredentials> {
  let rows = known ?? (await signingKeysRepo.listActive(db, 'saml_sp'));
  if (rows.length === 0) {
    const { certPem, privateKeyPem } = await generateSpCertificateOffThread({ commonName, now });
    await signingKeysRepo.insertIfAbsent(db, { id: 'saml-sp-1', use: 'saml_sp', private_key_enc: secrets.encrypt(privateKeyPem), public_pem: certPem, created_at: now, retired_at: null });
    rows = await signingKeysRepo.listActive(db, 'saml_sp');
  }
  const row = rows[0]!;
  const privateKey = createPrivateKey(secrets.decrypt(row.private_key_enc));
  return { kid: row.id, certPem: row.public_pem, privateKey, publicKey: createPublicKey(privateKey) };
}
