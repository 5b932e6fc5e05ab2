/** The pure rules of refresh tokens (decision 0024): scope on refresh is narrowed, never widened; expiry never passes the family's end. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { narrowScope, refreshExpiry, scopesOf } from './token-issuance.ts';

const scopeWord = fc.constantFrom('openid', 'email', 'profile', 'offline_access', 'groups', 'admin');
const scopeText = fc.array(scopeWord, { maxLength: 6 }).map((w) => w.join(' '));

test('narrowScope: the answer is within the granted scope; absent is the granted scope; asking for more is refused', () => {
  fc.assert(
    fc.property(scopeText, fc.option(scopeText, { nil: undefined }), (granted, requested) => {
      const out = narrowScope(granted, requested);
      if (requested === undefined) return assert.equal(out, granted);
      const widens = scopesOf(requested).some((s) => !scopesOf(granted).includes(s));
      if (widens) return assert.equal(out, null);
      assert.ok(out !== null);
      assert.ok(scopesOf(out).every((s) => scopesOf(granted).includes(s)));
      assert.deepEqual(new Set(scopesOf(out)), new Set(scopesOf(requested)));
    }),
  );
  assert.equal(narrowScope('openid email', '  openid   openid '), 'openid', 'extra spaces and repeats are tolerated');
});

test('refreshExpiry: idle time from now, never past the family end, whatever the chain of rotations', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 60_000, max: 10 ** 10 }), fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { maxLength: 20 }), fc.integer({ min: 1, max: 10 ** 10 }), (start, idleMs, gaps, lifetime) => {
      const familyEnd = start + lifetime;
      let now = start;
      let expires = refreshExpiry(now, idleMs, familyEnd);
      for (const gap of gaps) {
        if (now + gap >= expires) break; // the chain ended: the token expired before it was used
        now += gap;
        expires = refreshExpiry(now, idleMs, familyEnd);
        assert.ok(expires <= familyEnd);
        assert.ok(expires <= now + idleMs);
      }
    }),
  );
});
