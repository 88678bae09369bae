/**
 * Sao lưu — a consistent copy of the database while the server runs. SQLite: the online backup
 * API (pages copied under a read transaction). PostgreSQL: `pg_dump -Fc` when it is installed.
 * Restore replaces the target database's content from such a copy.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database.ts';
import { DomainError } from '../domain/errors.ts';

export interface BackupResult {
  file: string;
  bytes: number;
  dialect: 'sqlite' | 'postgres';
  ms: number;
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

export async function backupDatabase(db: Db, file: string, onProgress?: (done: number, total: number) => void): Promise<BackupResult> {
  const start = Date.now();
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (db.sqlite) {
    await db.sqlite.backup(file, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.(totalPages - remainingPages, totalPages);
        return 200;
      },
    });
  } else {
    await run('pg_dump', ['-Fc', '--no-owner', '-f', file, db.url]);
  }
  return { file, bytes: statSync(file).size, dialect: db.dialect, ms: Date.now() - start };
}

/**
 * Restore: SQLite copies the backup over the database file (the server must be stopped);
 * PostgreSQL runs `pg_restore --clean` into the target database.
 */
export async function restoreDatabase(url: string, file: string): Promise<void> {
  if (!existsSync(file)) {
    throw new DomainError('not_found', { vi: `Không thấy tệp sao lưu "${file}".`, en: `Backup file "${file}" not found.` });
  }
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
