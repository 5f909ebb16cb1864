import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes for broker users and dashboard accounts: `scrypt$N$r$p$saltB64$hashB64`.
 * scrypt (RFC 7914) is memory-hard, so a stolen users file is slow to brute-force; the cost
 * parameters travel inside the hash, so they can be raised later without breaking old entries.
 */
export const SCRYPT_PREFIX = 'scrypt';

/** Cost parameters for new hashes: N=2^14, r=8, p=1 (16 MiB, ~50 ms on one core). */
export const DEFAULT_SCRYPT_COST = { N: 16384, r: 8, p: 1 } as const;

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse hashes whose cost would let a crafted users file exhaust memory (128 * N * r bytes). */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

interface ParsedHash extends ScryptCost {
  salt: Buffer;
  hash: Buffer;
}

function derive(password: string, salt: Buffer, length: number, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: MAX_SCRYPT_MEMORY + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** Parses a stored hash; returns a reason instead of throwing, so config loaders can name the field. */
export function parseSecretHash(encoded: string): ParsedHash | { error: string } {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== SCRYPT_PREFIX)
    return { error: `expected "${SCRYPT_PREFIX}$N$r$p$salt$hash" (run "aftercare broker hash-password")` };
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((value) => Number.isSafeInteger(value) && value > 0))
    return { error: 'N, r and p must be positive integers' };
  if (cost.N < 2 || (cost.N & (cost.N - 1)) !== 0) return { error: 'N must be a power of two' };
  if (128 * cost.N * cost.r > MAX_SCRYPT_MEMORY) return { error: 'cost N*r is too large' };
  const saltBytes = Buffer.from(salt, 'base64');
  const hashBytes = Buffer.from(hash, 'base64');
  if (saltBytes.length < 8 || hashBytes.length < 16) return { error: 'salt or hash is too short' };
  return { ...cost, salt: saltBytes, hash: hashBytes };
}

/** Hashes a password for a users file. */
export async function hashSecret(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  if (password.length === 0) throw new Error('refusing to hash an empty password');
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, cost);
  return [SCRYPT_PREFIX, cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when the password matches the hash; false for a wrong password or a malformed hash. */
export async function verifySecret(password: string, encoded: string): Promise<boolean> {
  const parsed = parseSecretHash(encoded);
  if ('error' in parsed) return false;
  const key = await derive(password, parsed.salt, parsed.hash.length, parsed);
  return timingSafeEqual(key, parsed.hash);
}
