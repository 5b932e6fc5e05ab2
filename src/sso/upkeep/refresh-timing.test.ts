import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRefreshAfterFailure, nextRefreshAfterSuccess } from './refresh-timing.ts';
import { parseXsDuration } from '../saml/idp-metadata.ts';

const now = 1_000_000_000_000;
const H = 3_600_000;
const base = { now, periodMs: 6 * H, cacheControl: null, validUntil: null, cacheDurationMs: null };

test('the period, when nothing says otherwise', () => {
  assert.deepEqual(nextRefreshAfterSuccess(base), { nextRefreshAt: now + 6 * H, keepValidators: true });
});

test('a shorter max-age, cacheDuration or validUntil brings the fetch forward; a longer one never delays it', () => {
  assert.equal(nextRefreshAfterSuccess({ ...base, cacheControl: 'public, max-age=3600' }).nextRefreshAt, now + H);
  assert.equal(nextRefreshAfterSuccess({ ...base, cacheControl: 'max-age=86400' }).nextRefreshAt, now + 6 * H);
  assert.equal(nextRefreshAfterSuccess({ ...base, cacheDurationMs: 2 * H }).nextRefreshAt, now + 2 * H);
  assert.equal(nextRefreshAfterSuccess({ ...base, cacheDurationMs: 48 * H }).nextRefreshAt, now + 6 * H);
  assert.equal(nextRefreshAfterSuccess({ ...base, validUntil: now + 3 * H, cacheDurationMs: 4 * H }).nextRefreshAt, now + 3 * H);
});

test('never sooner than the floor: 5 minutes, or the period when shorter', () => {
  assert.equal(nextRefreshAfterSuccess({ ...base, cacheControl: 'max-age=0' }).nextRefreshAt, now + 5 * 60_000);
  assert.equal(nextRefreshAfterSuccess({ ...base, validUntil: now - H }).nextRefreshAt, now + 5 * 60_000);
  assert.equal(nextRefreshAfterSuccess({ ...base, periodMs: 5000, cacheControl: 'max-age=0' }).nextRefreshAt, now + 5000);
  assert.equal(nextRefreshAfterFailure(now, 6 * H), now + 5 * 60_000);
  assert.equal(nextRefreshAfterFailure(now, 5000), now + 5000);
});

test('no-store drops the validators; no-cache keeps them', () => {
  assert.equal(nextRefreshAfterSuccess({ ...base, cacheControl: 'no-store' }).keepValidators, false);
  assert.equal(nextRefreshAfterSuccess({ ...base, cacheControl: 'No-Cache, max-age="600"' }).keepValidators, true);
  assert.equal(nextRefreshAfterSuccess({ ...base, cacheControl: 'No-Cache, max-age="600"' }).nextRefreshAt, now + 600_000);
});

test('xs:duration (SAML cacheDuration)', () => {
  assert.equal(parseXsDuration('PT6H'), 6 * H);
  assert.equal(parseXsDuration('P1D'), 24 * H);
  assert.equal(parseXsDuration('P1DT30M'), 24 * H + 30 * 60_000);
  assert.equal(parseXsDuration('PT1.5S'), 1500);
  for (const bad of ['', 'P', 'PT', '6H', '-PT6H', 'P1H']) assert.equal(parseXsDuration(bad), null, bad);
});
