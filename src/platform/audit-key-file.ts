/**
 * The audit key when DATCHUAN_AUDIT_KEY is not set: `<data dir>/audit.key` (64 hex digits, mode
 * 0600), made on first use. The chain is then never unkeyed, even on a laptop demo; a production
 * server should still set DATCHUAN_AUDIT_KEY(_FILE) from a secret store, away from the database
 * and its backups (`datchuan backup` never copies this file).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const AUDIT_KEY_FILE = 'audit.key';

export function auditKeyFile(dataDir: string): string {
  return path.join(dataDir, AUDIT_KEY_FILE);
}

/** Read the key file in `dataDir`, or create it; `created` tells the caller to warn. */
export function loadOrCreateAuditKey(dataDir: string): { key: Buffer; file: string; created: boolean } {
  const file = auditKeyFile(dataDir);
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} does not hold a 32-byte key in hex: fix or remove it (a new key cannot verify the existing chain)`);
    return { key: Buffer.from(hex, 'hex'), file, created: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // wx: never overwrite a key another process has just written.
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, file, created: true };
}
