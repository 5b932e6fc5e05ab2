/**
 * Webhook signatures: `t=<unix ms>,s=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, sent both as
 * `BoxyHQ-Signature` (what Jackson-era apps verify) and `Gatehouse-Signature`. Pure.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADERS = ['BoxyHQ-Signature', 'Gatehouse-Signature'] as const;

/** Thrown instead of signing with an empty key, which anyone could reproduce. */
export class EmptyWebhookKeyError extends Error {
  constructor() {
    super('refusing to sign a webhook with an empty secret');
    this.name = 'EmptyWebhookKeyError';
  }
}

/** The signature header value. Throws EmptyWebhookKeyError for an empty secret: there is no unsigned or empty-key mode. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  if (typeof secret !== 'string' || secret.length === 0) throw new EmptyWebhookKeyError();
  const s = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},s=${s}`;
}

/**
 * Verifies a signature header the way a receiving app should: HMAC match in constant time and a
 * timestamp within `toleranceMs` of `now`.
 */
export function verifyWebhookSignature(secret: string, header: string, body: string, now: number, toleranceMs = 5 * 60_000): boolean {
  if (!secret) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || !parts.s || Math.abs(now - t) > toleranceMs) return false;
  const expected = Buffer.from(signWebhook(secret, t, body).split(',s=')[1]!, 'hex');
  const given = Buffer.from(parts.s, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
