/**
 * `datchuan reminders run [--date] [--json]`: the daily reminder job (overdue recorded, reminders
 * logged, e-mail through DATCHUAN_SMTP_URL when set, one digest per committee) — for a system cron
 * when `serve` does not run it. `datchuan reminders inbox --user <name> [--unit <id>…]`: what a
 * user's inbox shows on a date.
 */
import type { Command } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import { parseDateVi } from '../../domain/dates.ts';
import { createSmtpMailer } from '../../platform/mailer.ts';
import { runReminders } from '../../services/reminder.service.ts';
import { inboxFor } from '../../services/inbox.service.ts';
import { withDatabase } from '../context.ts';

function dateOption(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const d = parseDateVi(raw);
  if (!d) throw new DomainError('validation_failed', { vi: `Ngày "${raw}" không hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd).`, en: `Date "${raw}" is invalid (dd/mm/yyyy or yyyy-mm-dd).` }, { fields: [{ field: '--date' }] });
  return d;
}

export function registerRemindersCommands(program: Command): void {
  const reminders = program.command('reminders').description('Nhắc việc: chạy nhắc việc hằng ngày, xem hộp thư / reminders: daily run, inbox');
  reminders
    .command('run')
    .description('Chạy nhắc việc của một ngày (mặc định hôm nay) / run the daily reminders for a date (default today)')
    .option('--date <date>', 'ngày (dd/mm/yyyy hoặc yyyy-mm-dd) / the date')
    .option('--json', 'kết quả dạng JSON / JSON output')
    .action(async (opts: { date?: string; json?: boolean }) => {
      await withDatabase(
        async ({ db, config }) => {
          const mailer = config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.smtpFrom) : null;
          try {
            const r = await runReminders(db, { date: dateOption(opts.date), mailer });
            if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
            else {
              process.stdout.write(
                `${r.date}: ${r.overdueMarked.length} nhiệm vụ mới quá hạn / newly overdue, ${r.recorded} nhắc việc ghi nhận / reminders logged, ` +
                  `${r.emailsSent} thư đã gửi / e-mails sent${r.emailsFailed ? `, ${r.emailsFailed} lỗi / failed` : ''}${mailer ? '' : ' (chưa cấu hình SMTP / no SMTP configured)'}\n`,
              );
              for (const d of r.digests) process.stdout.write(`\n${d.subject}\n${d.text}\n`);
            }
          } finally {
            mailer?.close();
          }
        },
        { migrate: true },
      );
    });
  reminders
    .command('inbox')
    .description('Hộp thư nhắc việc của một người dùng / a user’s reminder inbox')
    .requiredOption('--user <name>', 'tên đăng nhập / user name')
    .option('--unit <ids...>', 'đơn vị được giao việc của người đó / the units whose tasks land with them')
    .option('--date <date>', 'ngày / the date')
    .option('--json', 'JSON')
    .action(async (opts: { user: string; unit?: string[]; date?: string; json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const inbox = await inboxFor(db, { username: opts.user, unitIds: opts.unit ?? [] }, dateOption(opts.date));
        if (opts.json) process.stdout.write(`${JSON.stringify(inbox, null, 2)}\n`);
        else for (const i of inbox.items) process.stdout.write(`[${i.label.vi}] ${i.message.vi} — ${i.task.unitName}\n`);
      });
    });
}
