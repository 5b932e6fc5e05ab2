/**
 * Password hashing with scrypt (node:crypto). The cost parameters are stored in each hash, so they can be
 * raised later without invalidating existing hashes.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { GatehouseError } from '../errors.ts';
import { ADMIN_PASSWORD_MIN_LENGTH } from '../config.ts';

const N = 32768;
const R = 8;
const P = 1;
const KEYLEN = 32;

const derive = (password: string, salt: Buffer, n: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) => scrypt(password.normalize('NFKC'), salt, KEYLEN, { N: n, r, p, maxmem: 256 * n * r }, (err, key) => (err ? reject(err) : resolve(key))));

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A hash of nothing, verified against when the account does not exist, so timing does not reveal emails. */
let dummy: Promise<string> | undefined;

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const hash = stored ?? (await (dummy ??= hashPassword(randomBytes(16).toString('hex'))));
  const [alg, n, r, p, salt, key] = hash.split('$');
  if (alg !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const got = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return timingSafeEqual(got, expected) && stored !== null;
}

/** Refuses passwords that are too short or too long, naming the field. */
export function checkPasswordPolicy(password: unknown, field = 'password'): string {
  if (typeof password !== 'string') throw new GatehouseError('API_VALIDATION', `"${field}" is required.`, { field });
  if (password.length < ADMIN_PASSWORD_MIN_LENGTH) throw new GatehouseError('API_VALIDATION', `"${field}" must have at least ${ADMIN_PASSWORD_MIN_LENGTH} characters.`, { field });
  if (password.length > 256) throw new GatehouseError('API_VALIDATION', `"${field}" must have at most 256 characters.`, { field });
  return password;
}
