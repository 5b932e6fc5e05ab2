/**
 * The deployment's keys (src/crypto/deployment-keys.ts) on a real SQLite database: made once on a first
 * boot (in the background), the same ones read back on every restart and by every instance, and a restart
 * with the wrong ENCRYPTION_KEY refused at boot rather than at the first sign-in.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { openDatabase, migrateToLatest, signingKeysRepo, type OpenedDatabase } from '../../src/storage/index.ts';
import { createSecretBox } from '../../src/crypto/secrets.ts';
import { openDeploymentKeys } from '../../src/crypto/deployment-keys.ts';
import { deploymentKeyLoaders } from '../../src/boot.ts';
import { createTestDatabase } from '../support/databases.ts';

const log = pino({ level: 'silent' });
const opened: OpenedDatabase[] = [];
const drops: (() => Promise<void>)[] = [];
after(async () => {
  for (const o of opened) await o.db.destroy();
  for (const d of drops) await d();
});

async function freshDatabase(): Promise<OpenedDatabase> {
  const t = (await createTestDatabase('sqlite'))!;
  drops.push(t.drop);
  const o = await openDatabase(t.url);
  opened.push(o);
  await migrateToLatest(o.db, o.dialect);
  return o;
}

test('a first boot makes one SP key and one id_token key; restarts and other instances read the same ones', async () => {
  const { db } = await freshDatabase();
  const secrets = createSecretBox([randomBytes(32)]);
  const opts = { spCommonName: 'sso.example.com', now: Date.now, log, load: deploymentKeyLoaders };
  const [a, b] = await Promise.all([openDeploymentKeys(db, secrets, opts), openDeploymentKeys(db, secrets, opts)]); // two instances, first boot together
  const [spA, spB, jwtA, jwtB] = await Promise.all([a.sp(), b.sp(), a.jwt(), b.jwt()]);
  assert.equal(spA.certPem, spB.certPem);
  assert.match(spA.certPem, /^-----BEGIN CERTIFICATE-----/);
  assert.equal(jwtA.current.kid, jwtB.current.kid);
  assert.equal((await signingKeysRepo.listActive(db, 'saml_sp')).length, 1);
  assert.equal((await signingKeysRepo.listActive(db, 'jwt')).length, 1);
  assert.equal(a.sp(), a.sp(), 'one load, shared by every caller');

  const restarted = await openDeploymentKeys(db, secrets, opts);
  assert.equal((await restarted.sp()).certPem, spA.certPem);
  assert.equal((await restarted.jwt()).current.kid, jwtA.current.kid);
  assert.deepEqual((await restarted.jwt()).all.map((k) => k.publicJwk), jwtA.all.map((k) => k.publicJwk));
});

test('the subject key is made once, shared by instances booting together, and survives a restart and an ENCRYPTION_KEY rotation', async () => {
  const { db } = await freshDatabase();
  const oldKey = randomBytes(32);
  const opts = { spCommonName: 'sso.example.com', now: Date.now, log, load: deploymentKeyLoaders };
  const [a, b] = await Promise.all([openDeploymentKeys(db, createSecretBox([oldKey]), opts), openDeploymentKeys(db, createSecretBox([oldKey]), opts)]);
  const [ka, kb] = await Promise.all([a.subject(), b.subject()]);
  assert.equal(ka.length, 32);
  assert.ok(ka.equals(kb), 'two instances on a first boot agree on one subject key');
  assert.equal((await signingKeysRepo.listAll(db, 'subject')).length, 1);
  const rotated = await openDeploymentKeys(db, createSecretBox([randomBytes(32), oldKey]), opts);
  assert.ok((await rotated.subject()).equals(ka), 'a new ENCRYPTION_KEY (old one kept as previous) reads the same subject key');
});

test('a restart whose ENCRYPTION_KEY cannot unseal the stored keys stops at boot', async () => {
  const { db } = await freshDatabase();
  const opts = { spCommonName: 'sso.example.com', now: Date.now, log, load: deploymentKeyLoaders };
  const first = await openDeploymentKeys(db, createSecretBox([randomBytes(32)]), opts);
  await Promise.all([first.sp(), first.jwt()]);
  await assert.rejects(openDeploymentKeys(db, createSecretBox([randomBytes(32)]), opts));
});
