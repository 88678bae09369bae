import type { Command } from 'commander';
import path from 'node:path';
import { backupDatabase, checkStoredFiles, restoreDatabase } from '../../services/backup.service.ts';
import { missingKeyError } from '../../platform/backup-crypto.ts';
import { loadCliConfig, withDatabase } from '../context.ts';
import { progressReporter } from '../progress.ts';

function defaultBackupFile(dialect: string, encrypted: boolean): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return path.join('backups', `datchuan-${stamp}-${dialect}.backup${encrypted ? '.enc' : ''}`);
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Sao lưu cơ sở dữ liệu và mọi tệp đã tải lên (minh chứng, tài liệu hồ sơ) vào một tệp khi máy chủ đang chạy (SQLite: sao lưu trực tuyến; PostgreSQL: pg_dump).\n' +
        'Back up the database and every stored file (evidence, dossier documents) into one file while the server runs (SQLite online backup; PostgreSQL pg_dump).',
    )
    .option('-o, --out <file>', 'tệp đích / output file (mặc định / default backups/datchuan-<time>.*)')
    .option('--encrypt', 'mã hóa AES-256-GCM bằng DATCHUAN_BACKUP_KEY / encrypt with AES-256-GCM using DATCHUAN_BACKUP_KEY')
    .option('--json', 'kết quả dạng JSON / JSON output')
    .action(async (opts: { out?: string; encrypt?: boolean; json?: boolean }) => {
      const config = loadCliConfig();
      if (opts.encrypt && !config.backupKey) throw missingKeyError();
      await withDatabase(
        async ({ db }) => {
          const key = opts.encrypt ? config.backupKey : null;
          const result = await backupDatabase(db, opts.out ?? defaultBackupFile(db.dialect, key !== null), progressReporter('Sao lưu / backup'), {
            encryptKey: key,
            attachmentDir: config.services.attachmentDir,
          });
          if (opts.json) console.log(JSON.stringify(result));
          else console.log(`Đã sao lưu${result.encrypted ? ' (mã hóa)' : ''} / backed up${result.encrypted ? ' (encrypted)' : ''}: ${result.file} (${result.files} tệp / files, ${(result.bytes / 1024).toFixed(0)} KB, ${result.ms} ms)`);
        },
        { config },
      );
    });
  program
    .command('restore <file>')
    .description(
      'Khôi phục cơ sở dữ liệu và các tệp từ bản sao lưu, kiểm tra cả hai (dừng máy chủ trước với SQLite); bản mã hóa được nhận ra và cần DATCHUAN_BACKUP_KEY.\n' +
        'Restore the database and the stored files from a backup, checking both (stop the server first on SQLite); an encrypted one is recognised and needs DATCHUAN_BACKUP_KEY.',
    )
    .action(async (file: string) => {
      const config = loadCliConfig();
      const r = await restoreDatabase(config.databaseUrl, file, { key: config.backupKey, attachmentDir: config.services.attachmentDir });
      const check = await withDatabase(({ db }) => checkStoredFiles(db, config.services.attachmentDir), { config });
      console.log(`Đã khôi phục / restored from ${file}: ${r.files} tệp / files; ${check.referenced} tệp được tham chiếu / files referenced, thiếu / missing ${check.missing.length}`);
      if (check.missing.length) {
        for (const h of check.missing.slice(0, 20)) console.log(`  thiếu / missing ${h}`);
        process.exitCode = 3;
      }
    });
}
