/** The secret box (AES-256-GCM with key ids and rotation), constant-time equality, token hashing and pooled random bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createSecretBox, constantTimeEqual, randomBytesPooled, randomToken, tokenHash } from './secrets.ts';

const key = randomBytes(32);

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

test('a context binds a sealed value to where it belongs: it opens only with the same context, after a rotation too', () => {
  const box = createSecretBox([key]);
  const sealed = box.encrypt('s3cret', 'directory:a');
  assert.equal(box.decrypt(sealed, 'directory:a'), 's3cret');
  assert.throws(() => box.decrypt(sealed, 'directory:b'), 'copied into another row, it does not open');
  assert.throws(() => box.decrypt(sealed), 'nor without its context');
  assert.throws(() => box.decrypt(box.encrypt('s3cret'), 'directory:a'), 'a value sealed without context does not open with one');
  assert.equal(createSecretBox([randomBytes(32), key]).decrypt(sealed, 'directory:a'), 's3cret');
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
  // A buffer handed out is a copy: refilling the pool (more than its 4 KiB drawn after it) leaves it as it was.
  const kept = randomBytesPooled(32);
  const snapshot = Buffer.from(kept);
  for (let i = 0; i < 300; i++) randomBytesPooled(16);
  assert.deepEqual(kept, snapshot, 'a refill does not rewrite a buffer already handed out');
  const odd = randomBytesPooled(4093); // crosses the end of the pool
  assert.equal(odd.length, 4093);
  assert.match(randomToken(), /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(randomToken(), randomToken());
});

test('keyedHash: deterministic per key and purpose, tagged with the key id, never a bare HMAC under the encryption key', () => {
  const box = createSecretBox([key]);
  const h = box.keyedHash('connection-client-secret', 's3cret');
  assert.equal(h, createSecretBox([key, randomBytes(32)]).keyedHash('connection-client-secret', 's3cret'), 'the current key decides');
  assert.ok(h.startsWith(`${box.keyId}.`));
  assert.match(h.slice(box.keyId.length + 1), /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(h, box.keyedHash('another-purpose', 's3cret'), 'one key per purpose');
  assert.notEqual(h, box.keyedHash('connection-client-secret', 's3cret '));
  assert.notEqual(h, createSecretBox([randomBytes(32), key]).keyedHash('connection-client-secret', 's3cret'), 'a rotated key hashes differently');
  assert.notEqual(h.split('.')[1], createHmac('sha256', key).update('s3cret').digest('base64url'), 'the key is derived, not the encryption key');
});
