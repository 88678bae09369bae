import type { Command } from 'commander';
import path from 'node:path';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { backupDatabase, restoreDatabase } from '../../services/backup.service.ts';
import { progressReporter } from '../progress.ts';

function defaultBackupFile(dialect: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return path.join('backups', `datchuan-${stamp}.${dialect === 'sqlite' ? 'sqlite' : 'pgdump'}`);
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Sao lưu cơ sở dữ liệu khi máy chủ đang chạy (SQLite: sao lưu trực tuyến; PostgreSQL: pg_dump).\n' +
        'Back up the database while the server runs (SQLite online backup; PostgreSQL pg_dump).',
    )
    .option('-o, --out <file>', 'tệp đích / output file (mặc định / default backups/datchuan-<time>.*)')
    .option('--json', 'kết quả dạng JSON / JSON output')
    .action(async (opts: { out?: string; json?: boolean }) => {
      const config = loadConfig();
      const db = openDatabase(config.databaseUrl);
      try {
        const result = await backupDatabase(db, opts.out ?? defaultBackupFile(db.dialect), progressReporter('Sao lưu / backup'));
        if (opts.json) console.log(JSON.stringify(result));
        else console.log(`Đã sao lưu / backed up: ${result.file} (${(result.bytes / 1024).toFixed(0)} KB, ${result.ms} ms)`);
      } finally {
        await db.close();
      }
    });
  program
    .command('restore <file>')
    .description(
      'Khôi phục cơ sở dữ liệu từ bản sao lưu (dừng máy chủ trước với SQLite).\n' +
        'Restore the database from a backup (stop the server first on SQLite).',
    )
    .action(async (file: string) => {
      const config = loadConfig();
      await restoreDatabase(config.databaseUrl, file);
      console.log(`Đã khôi phục / restored from ${file}`);
    });
}
