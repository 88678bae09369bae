/**
 * `datchuan jobs run`: the scheduled jobs once, for a system cron when `serve` does not run them
 * (inactive accounts disabled, audit retention, expired sessions, commenters' personal data).
 */
import type { Command } from 'commander';
import { runJobs } from '../../services/jobs.service.ts';
import { withDatabase } from '../context.ts';
import { out } from '../io.ts';

export function registerJobsCommands(program: Command): void {
  program
    .command('jobs')
    .description('Công việc định kỳ / scheduled jobs')
    .command('run')
    .description(
      'Chạy một lần: vô hiệu hóa tài khoản không dùng quá hạn, xóa nhật ký quá hạn lưu, xóa phiên hết hạn (cho cron; serve tự chạy).\n' +
        'Run once: disable inactive accounts, purge expired audit rows, delete expired sessions (for cron; serve runs them itself).',
    )
    .option('--json', 'JSON')
    .action(async (opts: { json?: boolean }) =>
      withDatabase(async ({ db, config }) => {
        const r = await runJobs({ db, config: config.security, clock: () => new Date() });
        if (opts.json) out(JSON.stringify(r));
        else
          out(
            `Vô hiệu hóa / disabled ${r.inactiveDisabled.length} (${r.inactiveDisabled.join(', ') || '-'}); nhật ký xóa / audit purged ${r.auditDeleted}; phiên xóa / sessions deleted ${r.sessionsDeleted} (${r.ms} ms)`,
          );
      }, { migrate: true }),
    );
}
