/**
 * Encrypted backups: AES-256-GCM, streamed (a backup of any size never sits in memory), with a key
 * from DATCHUAN_BACKUP_KEY / DATCHUAN_BACKUP_KEY_FILE (32 bytes, hex or base64).
 *
 * File layout: MAGIC (28 bytes) | key id (8 bytes: first bytes of SHA-256 of the key, to say
 * "wrong key" rather than "corrupt") | IV (12 bytes) | ciphertext | GCM tag (16 bytes).
 * Decryption writes to a temporary file and succeeds only when the tag checks out, so a changed or
 * truncated backup is refused before anything is restored.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, openSync, readSync, closeSync, statSync, rmSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../domain/errors.ts';

export const BACKUP_MAGIC = Buffer.from('DATCHUAN-BACKUP-AES256GCM-1\n', 'ascii');
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = BACKUP_MAGIC.length + KEY_ID_BYTES + IV_BYTES;

function keyId(key: Buffer): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);
}

export function isEncryptedBackup(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(BACKUP_MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.equals(BACKUP_MAGIC);
  } finally {
    closeSync(fd);
  }
}

/** Encrypt a stream into `dst` (created with mode 0600). */
export async function encryptStream(source: Readable, dst: string, key: Buffer): Promise<void> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const out = createWriteStream(dst, { mode: 0o600 });
  out.write(Buffer.concat([BACKUP_MAGIC, keyId(key), iv]));
  // Append the tag after the last ciphertext block.
  const withTag = new Transform({
    transform(chunk, _enc, done) {
      done(null, chunk);
    },
    flush(done) {
      done(null, cipher.getAuthTag());
    },
  });
  await pipeline(source, cipher, withTag, out);
}

export async function encryptFile(src: string, dst: string, key: Buffer): Promise<void> {
  await encryptStream(createReadStream(src), dst, key);
}

function corrupt(file: string): DomainError {
  return new DomainError('validation_failed', {
    vi: `Tệp sao lưu "${file}" bị hỏng hoặc đã bị sửa đổi (kiểm tra toàn vẹn thất bại): không khôi phục.`,
    en: `Backup file "${file}" is corrupt or has been altered (integrity check failed): nothing restored.`,
  });
}

/** Decrypt `src` into `dst`; `dst` exists afterwards only if the file was intact. */
export async function decryptFile(src: string, dst: string, key: Buffer): Promise<void> {
  const size = statSync(src).size;
  if (size < HEADER_BYTES + TAG_BYTES) throw corrupt(src);
  const fd = openSync(src, 'r');
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    readSync(fd, header, 0, HEADER_BYTES, 0);
    readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    closeSync(fd);
  }
  if (!header.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) throw corrupt(src);
  if (!header.subarray(BACKUP_MAGIC.length, BACKUP_MAGIC.length + KEY_ID_BYTES).equals(keyId(key))) {
    throw new DomainError('validation_failed', {
      vi: `Tệp sao lưu "${src}" được mã hóa bằng khóa khác với DATCHUAN_BACKUP_KEY hiện tại.`,
      en: `Backup file "${src}" was encrypted with a different key than the current DATCHUAN_BACKUP_KEY.`,
    });
  }
  const iv = header.subarray(BACKUP_MAGIC.length + KEY_ID_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  const ciphertextEnd = size - TAG_BYTES - 1;
  const input = ciphertextEnd >= HEADER_BYTES ? createReadStream(src, { start: HEADER_BYTES, end: ciphertextEnd }) : createReadStream(src, { start: HEADER_BYTES, end: HEADER_BYTES - 1 });
  try {
    await pipeline(input, decipher, createWriteStream(dst, { mode: 0o600 }));
  } catch {
    rmSync(dst, { force: true });
    throw corrupt(src);
  }
}

export function missingKeyError(): DomainError {
  return new DomainError('validation_failed', {
    vi: 'Cần khóa mã hóa sao lưu: đặt DATCHUAN_BACKUP_KEY (hoặc DATCHUAN_BACKUP_KEY_FILE), 32 byte dạng hex (64 ký tự) hoặc base64.',
    en: 'A backup key is needed: set DATCHUAN_BACKUP_KEY (or DATCHUAN_BACKUP_KEY_FILE), 32 bytes as hex (64 characters) or base64.',
  });
}
