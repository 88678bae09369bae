/**
 * Small secrets at rest (TOTP seeds): AES-256-GCM with DATCHUAN_SECRET_KEY, written as
 * `v1:<base64 iv|tag|ciphertext>`. Without a key the value is kept as `plain:<value>` (a laptop
 * or demo install); setting a key later re-encrypts on the next write, and both forms are read.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export function sealSecret(value: string, key: Buffer | null): string {
  if (!key) return `plain:${value}`;
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(value, 'utf8'), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64')}`;
}

export function openSecret(sealed: string, key: Buffer | null): string {
  if (sealed.startsWith('plain:')) return sealed.slice(6);
  if (!sealed.startsWith('v1:')) throw new Error('unknown secret format');
  if (!key) throw new Error('DATCHUAN_SECRET_KEY is needed to read an encrypted secret');
  const raw = Buffer.from(sealed.slice(3), 'base64');
  const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}
