/**
 * Sao lưu — a consistent copy of the database and of every stored file (evidence and dossier
 * documents, `<data dir>/attachments`) in one bundle (platform/backup-bundle.ts), taken while the
 * server runs. SQLite: the online backup API (pages copied under a read transaction). PostgreSQL:
 * `pg_dump -Fc` when it is installed. Restore puts the files back and replaces the target
 * database's content, after checking every part's checksum, and then checks that every file the
 * restored database refers to is there.
 *
 * With a key (`backup --encrypt`), the bundle is encrypted with AES-256-GCM as it is written
 * (backup-crypto.ts). The parts pass through a private (0600) temporary folder. Restore recognises
 * an encrypted file by its header and needs the same key; it still reads a database-only backup
 * made before bundles (then the files must be restored by hand).
 *
 * Never in a backup: the audit key (`<data dir>/audit.key` or DATCHUAN_AUDIT_KEY) and the audit
 * anchors — a copy of the database must not carry what proves it unchanged.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Db } from '../db/database.ts';
import { DomainError } from '../domain/errors.ts';
import { decryptFile, encryptStream, isEncryptedBackup, missingKeyError } from '../platform/backup-crypto.ts';
import { extractBundle, isBundle, readManifest, writeBundle } from '../platform/backup-bundle.ts';
import { referencedFileHashes } from '../db/attachment.repository.ts';

export interface BackupResult {
  file: string;
  bytes: number;
  dialect: 'sqlite' | 'postgres';
  encrypted: boolean;
  /** Stored files (evidence, dossier documents) in the backup. */
  files: number;
  ms: number;
}

/** A private temporary directory, removed by the returned function. */
function privateTemp(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'datchuan-backup-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('error', (e) =>
      reject(
        new DomainError('validation_failed', {
          vi: `Không chạy được ${cmd}: ${e.message}. Hãy cài đặt công cụ PostgreSQL (pg_dump/pg_restore).`,
          en: `Could not run ${cmd}: ${e.message}. Install the PostgreSQL client tools (pg_dump/pg_restore).`,
        }),
      ),
    );
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}: ${err.trim()}`))));
  });
}

/** Every stored file under `dir` (`ab/<sha-256>`), relative paths, sorted. */
function storedFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const sub of readdirSync(dir).sort()) {
    if (!/^[0-9a-f]{2}$/.test(sub)) continue;
    for (const f of readdirSync(path.join(dir, sub)).sort()) if (/^[0-9a-f]{64}$/.test(f) && f.startsWith(sub)) out.push(`${sub}/${f}`);
  }
  return out;
}

function missingFilesError(where: string, missing: readonly string[]): DomainError {
  const list = missing.slice(0, 10).join(', ') + (missing.length > 10 ? ` … (${missing.length})` : '');
  return new DomainError(
    'validation_failed',
    {
      vi: `${missing.length} tệp minh chứng/tài liệu hồ sơ mà cơ sở dữ liệu tham chiếu không có trong ${where === 'store' ? 'thư mục tệp' : 'bản sao lưu'}: ${list}.`,
      en: `${missing.length} evidence/dossier file(s) the database refers to are missing from the ${where === 'store' ? 'file store' : 'backup'}: ${list}.`,
    },
    { missing: missing.slice(0, 100) },
  );
}

export async function backupDatabase(
  db: Db,
  file: string,
  onProgress?: (done: number, total: number) => void,
  opts: { encryptKey?: Buffer | null; attachmentDir?: string | null } = {},
): Promise<BackupResult> {
  const start = Date.now();
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const key = opts.encryptKey ?? null;
  const tmp = privateTemp();
  try {
    const dbCopy = path.join(tmp.dir, 'database');
    if (db.sqlite) {
      await db.sqlite.backup(dbCopy, {
        progress: ({ totalPages, remainingPages }) => {
          onProgress?.(totalPages - remainingPages, totalPages);
          return 200;
        },
      });
    } else {
      await run('pg_dump', ['-Fc', '--no-owner', '-f', dbCopy, db.url]);
    }
    // Files are written before the rows that name them and never removed: after the database copy,
    // the store holds at least every file the copy refers to.
    const dir = opts.attachmentDir ?? null;
    const files = dir ? storedFiles(dir) : [];
    const referenced = await referencedFileHashes(db.kysely);
    const have = new Set(files.map((f) => f.slice(3)));
    const missing = referenced.filter((h) => !have.has(h));
    if (missing.length) throw missingFilesError('store', missing);
    const parts = [{ name: 'database', file: dbCopy }, ...files.map((f) => ({ name: `files/${f}`, file: path.join(dir!, f) }))];
    const meta = { dialect: db.dialect, createdAt: new Date().toISOString(), referenced };
    if (key) {
      const pass = new PassThrough();
      await Promise.all([writeBundle(pass, parts, meta), encryptStream(pass, file, key)]);
    } else {
      await writeBundle(createWriteStream(file, { mode: 0o600 }), parts, meta);
    }
    return { file, bytes: statSync(file).size, dialect: db.dialect, encrypted: key !== null, files: files.length, ms: Date.now() - start };
  } finally {
    tmp.remove();
  }
}

/**
 * Restore: check the whole backup (every part's checksum; every file the database refers to is in
 * it), put the files into `attachmentDir`, then replace the database — SQLite copies it over the
 * database file (stop the server first); PostgreSQL runs `pg_restore --clean`.
 */
export async function restoreDatabase(url: string, file: string, opts: { key?: Buffer | null; attachmentDir?: string | null } = {}): Promise<{ files: number }> {
  if (!existsSync(file)) {
    throw new DomainError('not_found', { vi: `Không thấy tệp sao lưu "${file}".`, en: `Backup file "${file}" not found.` });
  }
  const tmp = privateTemp();
  try {
    let plain = file;
    if (isEncryptedBackup(file)) {
      if (!opts.key) throw missingKeyError();
      plain = path.join(tmp.dir, 'plain.backup');
      await decryptFile(file, plain, opts.key);
    }
    if (!isBundle(plain)) {
      // A database-only backup made before bundles.
      await restorePlain(url, plain);
      return { files: 0 };
    }
    const manifest = readManifest(plain);
    const names = new Set(manifest.parts.map((p) => p.name));
    if (!names.has('database')) throw new DomainError('validation_failed', { vi: `Tệp sao lưu "${file}" không có cơ sở dữ liệu.`, en: `Backup file "${file}" holds no database.` });
    const missing = manifest.referenced.filter((h) => !names.has(`files/${h.slice(0, 2)}/${h}`));
    if (missing.length) throw missingFilesError('backup', missing);
    const fileParts = manifest.parts.filter((p) => p.name.startsWith('files/'));
    if (fileParts.length && !opts.attachmentDir) {
      throw new DomainError('validation_failed', {
        vi: 'Bản sao lưu có tệp minh chứng nhưng chưa biết thư mục tệp (DATCHUAN_DATA_DIR).',
        en: 'The backup holds evidence files but no file folder was given (DATCHUAN_DATA_DIR).',
      });
    }
    const out = path.join(tmp.dir, 'extracted');
    await extractBundle(plain, out, manifest);
    // Files first: content-addressed, so copying one that already exists changes nothing.
    for (const p of fileParts) {
      const rel = p.name.slice('files/'.length);
      const target = path.join(opts.attachmentDir!, rel);
      if (existsSync(target)) continue;
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(out, p.name), `${target}.restore`);
      renameSync(`${target}.restore`, target);
    }
    await restorePlain(url, path.join(out, 'database'));
    return { files: fileParts.length };
  } finally {
    tmp.remove();
  }
}

/** After a restore: every file the database refers to is in the store (`missing` names the rest). */
export async function checkStoredFiles(db: Db, attachmentDir: string): Promise<{ referenced: number; missing: string[] }> {
  const referenced = await referencedFileHashes(db.kysely);
  return { referenced: referenced.length, missing: referenced.filter((h) => !existsSync(path.join(attachmentDir, h.slice(0, 2), h))) };
}

async function restorePlain(url: string, file: string): Promise<void> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '-d', url, file]);
    return;
  }
  const target = url.replace(/^sqlite:/, '');
  mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  // A stale write-ahead log would be replayed over the restored pages: remove it first.
  for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
  copyFileSync(file, target);
}
