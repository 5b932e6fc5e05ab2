import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadConfig, parseEncryptionKey, ConfigError } from '../../src/config.ts';
import { createSecretBox, constantTimeEqual, randomBytesPooled, randomToken, tokenHash } from '../../src/crypto/secrets.ts';

const key = randomBytes(32);

test('ENCRYPTION_KEY accepts 64 hex characters, base64 and base64url of 32 bytes', () => {
  assert.deepEqual(parseEncryptionKey(key.toString('hex')), key);
  assert.deepEqual(parseEncryptionKey(key.toString('base64')), key);
  assert.deepEqual(parseEncryptionKey(key.toString('base64url')), key);
  assert.throws(() => parseEncryptionKey('abc'), ConfigError);
  assert.throws(() => parseEncryptionKey(randomBytes(16).toString('hex')), /ENCRYPTION_KEY/);
});

test('defaults: port 5225, host 0.0.0.0, SQLite under ./.data, skew 90 s, issuer = EXTERNAL_URL', () => {
  const c = loadConfig({ ENCRYPTION_KEY: key.toString('hex') });
  assert.equal(c.PORT, 5225);
  assert.equal(c.HOST, '0.0.0.0');
  assert.equal(c.DATABASE_URL, 'sqlite:./.data/gatehouse.db');
  assert.equal(c.SAML_CLOCK_SKEW_SECONDS, 90);
  assert.equal(c.EXTERNAL_URL, 'http://localhost:5225');
  assert.equal(c.acsUrl, 'http://localhost:5225/api/oauth/saml');
  assert.equal(c.SAML_SP_ENTITY_ID, 'http://localhost:5225');
  assert.ok(Object.isFrozen(c));
});

test('production requires ENCRYPTION_KEY and HTTPS except for localhost', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production', EXTERNAL_URL: 'https://sso.example.com' }, () => key.toString('hex')), /ENCRYPTION_KEY is required/);
  assert.throws(() => loadConfig({ NODE_ENV: 'production', EXTERNAL_URL: 'http://sso.example.com', ENCRYPTION_KEY: key.toString('hex') }), /EXTERNAL_URL must use HTTPS/);
  assert.equal(loadConfig({ NODE_ENV: 'production', EXTERNAL_URL: 'http://127.0.0.1:5225', ENCRYPTION_KEY: key.toString('hex') }).EXTERNAL_URL, 'http://127.0.0.1:5225');
  assert.equal(loadConfig({ NODE_ENV: 'development', EXTERNAL_URL: 'http://sso.internal:5225/', ENCRYPTION_KEY: key.toString('hex') }).EXTERNAL_URL, 'http://sso.internal:5225');
});

test('bad values stop the boot with a message naming the variable', () => {
  assert.throws(() => loadConfig({ PORT: 'abc', ENCRYPTION_KEY: key.toString('hex') }), /PORT/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'oracle://x', ENCRYPTION_KEY: key.toString('hex') }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ EXTERNAL_URL: 'not a url', ENCRYPTION_KEY: key.toString('hex') }), /EXTERNAL_URL/);
  assert.throws(() => loadConfig({ LOG_LEVEL: 'loud', ENCRYPTION_KEY: key.toString('hex') }), /LOG_LEVEL/);
});

test('API_KEYS and OUTBOUND_ALLOW_HOSTS are comma-separated lists; SAML_AUDIENCE is an alias', () => {
  const c = loadConfig({ ENCRYPTION_KEY: key.toString('hex'), API_KEYS: 'a, b,,c', OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost', SAML_AUDIENCE: 'https://saml.example.com' });
  assert.deepEqual(c.API_KEYS, ['a', 'b', 'c']);
  assert.deepEqual(c.OUTBOUND_ALLOW_HOSTS, ['127.0.0.1', 'localhost']);
  assert.equal(c.SAML_SP_ENTITY_ID, 'https://saml.example.com');
});

test('the secret box seals with AES-256-GCM and a key id, detects tampering, and decrypts with previous keys after a rotation', () => {
  const old = createSecretBox([key]);
  const sealed = old.encrypt('s3cret');
  assert.match(sealed, new RegExp(`^v1\\.${old.keyId}\\.`));
  assert.ok(!sealed.includes('s3cret'));
  assert.equal(old.decrypt(sealed), 's3cret');
  assert.notEqual(old.encrypt('s3cret'), sealed, 'random IV');
  const parts = sealed.split('.');
  parts[3] = Buffer.from('tampered').toString('base64url');
  assert.throws(() => old.decrypt(parts.join('.')));
  const rotated = createSecretBox([randomBytes(32), key]);
  assert.equal(rotated.decrypt(sealed), 's3cret');
  assert.notEqual(rotated.keyId, old.keyId);
  assert.throws(() => createSecretBox([randomBytes(32)]).decrypt(sealed), /no encryption key with id/);
});

test('the secret box refuses a truncated GCM tag, though a prefix of the right tag would verify in AES-GCM', () => {
  const box = createSecretBox([key]);
  const parts = box.encrypt('s3cret').split('.');
  const tag = Buffer.from(parts[4]!, 'base64url');
  assert.equal(tag.length, 16);
  for (const n of [4, 8, 12, 15]) {
    const truncated = [...parts.slice(0, 4), tag.subarray(0, n).toString('base64url')].join('.');
    assert.throws(() => box.decrypt(truncated), /truncated authentication tag/, `a ${n}-byte tag is refused`);
  }
  assert.equal(box.decrypt(parts.join('.')), 's3cret');
});

test('constant-time equality and token hashing', () => {
  assert.equal(constantTimeEqual('abc', 'abc'), true);
  assert.equal(constantTimeEqual('abc', 'abd'), false);
  assert.equal(constantTimeEqual('abc', 'abcd'), false);
  assert.equal(tokenHash('x'), tokenHash('x'));
  assert.notEqual(tokenHash('x'), tokenHash('y'));
});

test('pooled random bytes: the requested length, never repeated across pool refills, each buffer its own', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const b = randomBytesPooled(16); // 16 kB in all: the 4 KiB pool is refilled several times
    assert.equal(b.length, 16);
    const hex = b.toString('hex');
    assert.ok(!seen.has(hex), 'no 16-byte value repeats');
    seen.add(hex);
    b.fill(0); // the caller owns its buffer: zeroing it changes nothing for the next caller
  }
  assert.ok(![...seen].includes('0'.repeat(32)));
  const odd = randomBytesPooled(4093); // crosses the end of the pool
  assert.equal(odd.length, 4093);
  assert.match(randomToken(), /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(randomToken(), randomToken());
});
