import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP's minimum for scrypt (Password Storage Cheat Sheet): 128 MiB and ~0.3-0.7 s a hash. */
export const SCRYPT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

/** What the first format (`scrypt$salt$hash`, no parameters) was made with: Node's defaults. */
const LEGACY_PARAMS: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };

const KEY_LENGTH = 32;

/**
 * Bounds on parameters read from an agents file: a typo such as N=2^30 must fail the login,
 * not allocate 128 GiB.
 */
const LIMITS = { N: [2 ** 10, 2 ** 20], r: [1, 32], p: [1, 16] } as const;

function scrypt(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  // Node refuses above 32 MiB by default; scrypt needs 128 * N * r bytes, give it twice that.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** `scrypt$N$r$p$<salt base64>$<hash base64>`, the format agents.yaml stores. */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LENGTH, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

interface ParsedHash {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly hash: Buffer;
  readonly legacy: boolean;
}

/** Reads both formats: `scrypt$N$r$p$salt$hash` and the old `scrypt$salt$hash` (Node's default cost). */
export function parsePasswordHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt') return undefined;
  if (parts.length === 3) {
    const [, salt = '', hash = ''] = parts;
    return salt && hash ? { params: LEGACY_PARAMS, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64'), legacy: true } : undefined;
  }
  if (parts.length !== 6) return undefined;
  const [, n, r, p, salt = '', hash = ''] = parts;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const inRange = (value: number, [min, max]: readonly [number, number]) => Number.isInteger(value) && value >= min && value <= max;
  if (!inRange(params.N, LIMITS.N) || (params.N & (params.N - 1)) !== 0 || !inRange(params.r, LIMITS.r) || !inRange(params.p, LIMITS.p)) return undefined;
  if (!salt || !hash) return undefined;
  return { params, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64'), legacy: false };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed || parsed.hash.length === 0) return false;
  const actual = await scrypt(password, parsed.salt, parsed.hash.length, parsed.params);
  return parsed.hash.length === actual.length && timingSafeEqual(parsed.hash, actual);
}

/** True when a stored hash is in the old format or weaker than SCRYPT_PARAMS: regenerate it with agent-cli. */
export function needsRehash(stored: string): boolean {
  const parsed = parsePasswordHash(stored);
  if (!parsed || parsed.legacy) return true;
  const { N, r, p } = parsed.params;
  return N < SCRYPT_PARAMS.N || r < SCRYPT_PARAMS.r || p < SCRYPT_PARAMS.p;
}

/**
 * A well-formed hash at the current cost that no password matches (its hash is 32 zero bytes), so
 * an unknown agent id costs the same time as a wrong password.
 */
export const UNMATCHABLE_HASH = `scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;
