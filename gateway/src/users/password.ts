/**
 * Password hashing with scrypt (node:crypto): a per-user random salt, N = 2^15, r = 8, p = 1, a 64-byte key,
 * stored with its parameters ("scrypt$N$r$p$salt$hash") so that they can be raised later without breaking
 * existing accounts.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'crypto';
import type { ScryptOptions } from 'crypto';

/** The cost parameters of new hashes. */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;
/** Longest password accepted (scrypt reads all of it; a cap keeps a login request cheap). */
export const MAX_PASSWORD_LENGTH = 256;

const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** Why a new password is not acceptable, or undefined. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  return undefined;
}

/** Hashes a password with a fresh salt. */
export async function hashPassword(
  password: string,
  params: Readonly<{ N: number; r: number; p: number }> = SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, KEY_LENGTH, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True if the password matches the stored hash; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = FORMAT.exec(stored);
  if (!match) return false;
  const [, n, r, p, salt, hash] = match;
  const expected = Buffer.from(hash ?? '', 'base64');
  if (expected.length === 0) return false;
  const key = await derive(password, Buffer.from(salt ?? '', 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(key, expected);
}

/** A hash of a random password, verified against when the user is unknown so that timing does not tell. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64'));
  return dummy;
}

function derive(
  password: string,
  salt: Buffer,
  length: number,
  params: Readonly<{ N: number; r: number; p: number }>,
): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}
