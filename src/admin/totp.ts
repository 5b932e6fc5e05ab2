/** TOTP second factor (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of drift either way) via otpauth. */
import * as OTPAuth from 'otpauth';

export const newTotpSecret = (): string => new OTPAuth.Secret({ size: 20 }).base32;

const totpOf = (secret: string, label = 'admin', issuer = 'Gatehouse') =>
  new OTPAuth.TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });

export const otpauthUrl = (secret: string, email: string, issuer: string) => totpOf(secret, email, issuer).toString();

/** The 30-second step the code belongs to, or null when it is wrong. Pure: the clock is an input. */
export function matchTotp(secret: string, code: unknown, now: number): number | null {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code.trim())) return null;
  const delta = totpOf(secret).validate({ token: code.trim(), timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 30_000) + delta;
}

/** The code for a moment (tests and the CLI). */
export const totpCode = (secret: string, now: number) => totpOf(secret).generate({ timestamp: now });
