/**
 * Verifying the webhooks Gatehouse sends (Directory Sync events and the vendor event stream). Gatehouse signs each
 * POST with `Gatehouse-Signature` (and the same value as `BoxyHQ-Signature`, for Jackson-era receivers):
 * `t=<unix ms>,s=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. A receiver must recompute the HMAC over the raw body
 * exactly as received, compare in constant time, refuse timestamps too far from its clock (a replayed old request),
 * and de-duplicate on the event `id` (delivery is at least once).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.ts';
import type { WebhookBody } from './types.ts';

/** The headers Gatehouse signs with, in the order they are tried. */
export const SIGNATURE_HEADERS = ['gatehouse-signature', 'boxyhq-signature'] as const;
/** How far a signature's timestamp may be from the receiver's clock by default: 5 minutes, as docs/directory-sync.md says. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Headers as `fetch` (a `Headers`), Node's `req.headers`, or a plain object in any letter case. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** Refuse signatures older or newer than this many seconds (default 300). */
  toleranceSeconds?: number;
  /** The receiver's clock, Unix ms (default `Date.now()`). */
  now?: number;
}

function headerOf(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).has === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** `t=…,s=…` → the timestamp and the signatures (one today; several are accepted for a future key rollover). */
function parseSignature(value: string): { t: number; signedT: string; signatures: string[] } {
  let signedT: string | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,16}$/.test(v)) signedT = v;
    else if (key === 's' && /^[0-9a-f]{64}$/i.test(v)) signatures.push(v.toLowerCase());
  }
  if (signedT === undefined || signatures.length === 0) throw new WebhookVerificationError('SIGNATURE_MALFORMED', 'The signature header is not "t=<unix ms>,s=<hex HMAC-SHA256>".');
  // The HMAC covers the header's digits as sent; the clock check reads them as a number.
  return { t: Number(signedT), signedT, signatures };
}

function bytesOf(rawBody: string | Uint8Array | ArrayBuffer): Buffer {
  if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
  if (rawBody instanceof ArrayBuffer) return Buffer.from(rawBody);
  if (rawBody instanceof Uint8Array) return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  throw new TypeError('verifyWebhook needs the raw request body (a string or bytes exactly as received), not parsed JSON: re-serialising changes the bytes the signature covers.');
}

/**
 * Verifies a webhook from Gatehouse and returns its parsed body, or throws `WebhookVerificationError` (with a
 * `reason`) when it must not be trusted: no or malformed signature header, an HMAC that does not match any of the
 * `secret`s (several may be given while you rotate the directory's webhook secret), or a timestamp more than
 * `toleranceSeconds` in the past or the future.
 *
 * @param rawBody the body exactly as received (before any JSON parsing).
 * @param headers the request's headers.
 * @param secret the webhook secret you gave Gatehouse (`webhook_secret` of the directory, or the events webhook's).
 */
export function verifyWebhook<T = WebhookBody>(rawBody: string | Uint8Array | ArrayBuffer, headers: HeaderSource, secret: string | readonly string[], opts: VerifyWebhookOptions = {}): T {
  const secrets = (typeof secret === 'string' ? [secret] : [...secret]).filter((s) => typeof s === 'string' && s.length > 0);
  if (secrets.length === 0) throw new TypeError('verifyWebhook needs the webhook secret (an empty secret would let anyone sign).');
  const body = bytesOf(rawBody);
  const header = SIGNATURE_HEADERS.map((h) => headerOf(headers, h)).find((v) => v !== undefined && v !== '');
  if (header === undefined) throw new WebhookVerificationError('SIGNATURE_MISSING', 'The request has no Gatehouse-Signature (or BoxyHQ-Signature) header.');
  const { t, signedT, signatures } = parseSignature(header);

  // The HMAC is checked before the clock, so a forged request learns nothing about the tolerance.
  const given = signatures.map((s) => Buffer.from(s, 'hex'));
  let matched = false;
  for (const key of secrets) {
    const expected = createHmac('sha256', key).update(`${signedT}.`).update(body).digest();
    for (const g of given) matched = (g.length === expected.length && timingSafeEqual(g, expected)) || matched;
  }
  if (!matched) throw new WebhookVerificationError('SIGNATURE_MISMATCH', 'The signature does not match the body with this secret (a changed body, or another secret).');

  const toleranceMs = (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) * 1000;
  const now = opts.now ?? Date.now();
  if (t < now - toleranceMs) throw new WebhookVerificationError('TIMESTAMP_TOO_OLD', `The signature is older than ${toleranceMs / 1000} s: a replay, or a clock far behind.`);
  if (t > now + toleranceMs) throw new WebhookVerificationError('TIMESTAMP_IN_FUTURE', `The signature is dated more than ${toleranceMs / 1000} s ahead: check this server's clock.`);

  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new WebhookVerificationError('BODY_NOT_JSON', 'The signed body is not JSON.');
  }
}
