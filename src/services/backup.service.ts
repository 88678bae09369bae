/**
 * Sao lưu — a consistent copy of the database while the server runs. SQLite: the online backup
 * API (pages copied under a read transaction). PostgreSQL: `pg_dump -Fc` when it is installed.
 * Restore replaces the target database's content from such a copy.
 *
 * With a key (`backup --encrypt`), the copy is encrypted with AES-256-GCM as it is written
 * (backup-crypto.ts): PostgreSQL's dump is streamed straight into the cipher; SQLite's online
 * backup needs a file, kept for the moment of encryption in a private (0600) temporary file.
 * Restore recognises an encrypted file by its header and needs the same key.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Db } from '../db/database.ts';
import { DomainError } from '../domain/errors.ts';
import { decryptFile, encryptFile, encryptStream, isEncryptedBackup, missingKeyError } from '../platform/backup-crypto.ts';

export interface BackupResult {
  file: string;
  bytes: number;
  dialect: 'sqlite' | 'postgres';
  encrypted: boolean;
  ms: number;
}

/** A private temporary directory, removed by the returned function. */
function privateTemp(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'datchuan-backup-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function pgDumpTo(url: string): { stdout: Readable; done: Promise<void> } {
  const p = spawn('pg_dump', ['-Fc', '--no-owner', url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += String(d)));
  const done = new Promise<void>((resolve, reject) => {
    p.on('error', (e) =>
      reject(new DomainError('validation_failed', { vi: `Không chạy được pg_dump: ${e.message}.`, en: `Could not run pg_dump: ${e.message}.` })),
    );
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pg_dump exited with ${code}: ${err.trim()}`))));
  });
  return { stdout: p.stdout, done };
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

export async function backupDatabase(db: Db, file: string, onProgress?: (done: number, total: number) => void, opts: { encryptKey?: Buffer | null } = {}): Promise<BackupResult> {
  const start = Date.now();
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const key = opts.encryptKey ?? null;
  const sqliteBackup = async (to: string) =>
    db.sqlite!.backup(to, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.(totalPages - remainingPages, totalPages);
        return 200;
      },
    });
  if (db.sqlite) {
    if (key) {
      const tmp = privateTemp();
      try {
        const plain = path.join(tmp.dir, 'plain.sqlite');
        await sqliteBackup(plain);
        await encryptFile(plain, file, key);
      } finally {
        tmp.remove();
      }
    } else await sqliteBackup(file);
  } else if (key) {
    const dump = pgDumpTo(db.url);
    await Promise.all([encryptStream(dump.stdout, file, key), dump.done]);
  } else {
    await run('pg_dump', ['-Fc', '--no-owner', '-f', file, db.url]);
  }
  return { file, bytes: statSync(file).size, dialect: db.dialect, encrypted: key !== null, ms: Date.now() - start };
}

/**
 * Restore: SQLite copies the backup over the database file (the server must be stopped);
 * PostgreSQL runs `pg_restore --clean` into the target database.
 */
export async function restoreDatabase(url: string, file: string, opts: { key?: Buffer | null } = {}): Promise<void> {
  if (!existsSync(file)) {
    throw new DomainError('not_found', { vi: `Không thấy tệp sao lưu "${file}".`, en: `Backup file "${file}" not found.` });
  }
  if (isEncryptedBackup(file)) {
    if (!opts.key) throw missingKeyError();
    const tmp = privateTemp();
    try {
      const plain = path.join(tmp.dir, 'plain.backup');
      await decryptFile(file, plain, opts.key);
      await restorePlain(url, plain);
    } finally {
      tmp.remove();
    }
    return;
  }
  await restorePlain(url, file);
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
