/**
 * Password hashing with Node's scrypt: a random 16-byte salt per hash, and the cost parameters
 * written into the hash (`scrypt$N$r$p$salt$hash`) so they can be raised later without breaking
 * old hashes (a login with an older cost re-hashes — `needsRehash`). Runs on libuv's thread pool:
 * the event loop is not blocked.
 *
 * Default cost N=2^14, r=8, p=3 (16 MiB): the aim is a 50–150 ms sign-in on the reference
 * 2-core machine, where a 32 MiB block (N=2^15) falls out of the cache and costs ~5× a 16 MiB one.
 * 2^14/8/3 does 1.5× the work of the former 2^15/8/1 in ≈100 ms instead of ≈190 ms. OWASP's
 * minimum equivalents are 2^17/8/1 = 2^15/8/3 = 2^14/8/5: `DATCHUAN_SCRYPT_P=5` reaches them at
 * ≈150–200 ms here (`npm run bench -- --only auth`).
 * Tests use a lower N through configuration.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = Object.freeze({ N: 1 << 14, r: 8, p: 3 });
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 1 << 22) return null;
  return { params: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parse(stored);
  if (!h) return false;
  const key = await derive(password, h.salt, h.params);
  return key.length === h.key.length && timingSafeEqual(key, h.key);
}

/** True when the hash was made with other (older) parameters than `params`. */
export function needsRehash(stored: string, params: ScryptParams): boolean {
  const h = parse(stored);
  return !h || h.params.N !== params.N || h.params.r !== params.r || h.params.p !== params.p;
}

/**
 * A hash to compare against when the account does not exist, so that an unknown username takes
 * as long as a wrong password (no account enumeration by timing).
 */
const dummyHashes = new Map<string, Promise<string>>();
export function dummyHash(params: ScryptParams): Promise<string> {
  const key = `${params.N}/${params.r}/${params.p}`;
  let h = dummyHashes.get(key);
  if (!h) {
    h = hashPassword(randomBytes(12).toString('hex'), params);
    dummyHashes.set(key, h);
  }
  return h;
}

/** SHA-256 hex: for high-entropy random secrets (session ids, API tokens, recovery codes). */
export function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** A random secret, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
