import type { Command } from 'commander';
import { buildApp } from '../../http/app.ts';
import { seedDemoData, databaseIsEmpty } from '../../seed/demo.ts';
import { seedSynthetic, SYNTHETIC_DEFAULT_PROVINCE } from '../../seed/synthetic.ts';
import { DomainError } from '../../domain/errors.ts';
import { startScheduler } from '../../services/jobs.service.ts';
import { startReminderScheduler } from '../../services/reminder.service.ts';
import { loadStoredSets, refreshStoredSetsIfChanged } from '../../services/criteria-authoring.service.ts';
import { createSmtpMailer } from '../../platform/mailer.ts';
import { invalidateLocalAuthCaches } from '../../platform/auth-cache.ts';
import { listenForChanges } from '../../db/change-channel.ts';
import { invalidateLocalScopes } from '../../services/access.service.ts';
import { migrateDatabase, openCliContext, withDatabase, type CliContext } from '../context.ts';
import { progressReporter } from '../progress.ts';
import { ensureWebBuilt } from '../web-build.ts';

async function prepare({ db, actor }: CliContext, seed: boolean): Promise<void> {
  await migrateDatabase(db, 'latest');
  if (seed && (await databaseIsEmpty(db))) {
    process.stderr.write('Cơ sở dữ liệu trống: nạp dữ liệu minh họa / empty database: seeding demo data…\n');
    const r = await seedDemoData(db, actor, progressReporter('Dữ liệu minh họa / demo data'));
    process.stderr.write(`  ${r.units} đơn vị / units, ${r.reviews} bản rà soát / reviews, ${r.recognitions} quyết định công nhận / recognitions (${r.ms} ms)\n`);
  }
  await loadStoredSets(db);
}

async function serve(opts: { seed: boolean }): Promise<void> {
  // The database stays open while the server runs; `close` below shuts it.
  const ctx = openCliContext();
  const { config, db } = ctx;
  await prepare(ctx, opts.seed && config.seedDemo);
  const app = await buildApp({
    db,
    logger: { level: config.logLevel },
    security: config.security,
    trustedProxies: config.trustedProxies,
    bodyLimit: config.bodyLimit,
    securityContact: config.securityContact,
    services: config.services,
  });
  // Inactive accounts, audit retention, expired sessions: now and every DATCHUAN_JOBS_INTERVAL_MINUTES.
  const stopJobs = startScheduler({ db, config: config.security, clock: () => new Date() }, config.jobsIntervalMinutes, (msg, err) =>
    err ? app.log.error({ err }, msg) : app.log.info(msg),
  );
  // Task reminders once a day (inbox log, e-mail through DATCHUAN_SMTP_URL when set, committee digests).
  const mailer = config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.smtpFrom) : null;
  const stopReminders = config.jobsIntervalMinutes > 0 ? startReminderScheduler(db, mailer, (msg, err) => (err ? app.log.error({ err }, msg) : app.log.info(msg))) : () => {};
  if (!config.auditKey) app.log.warn('DATCHUAN_AUDIT_KEY is not set: the audit chain is keyed with <data dir>/audit.key (set the variable in production, from a secret store)');
  if (!config.security.secretKey) app.log.warn('DATCHUAN_SECRET_KEY is not set: TOTP secrets are stored unencrypted (set it in production)');
  // A set published through another server reaches this one's catalogue within a few seconds.
  const setsTimer = setInterval(() => void refreshStoredSetsIfChanged(db).catch((err: unknown) => app.log.error({ err }, 'criteria sets reload failed')), 3000);
  setsTimer.unref();
  // On PostgreSQL, changes announced by the other servers (sign-outs, revoked grants, published
  // sets) reach this one at once; the TTLs and the poll above bound a missed notification.
  const listener = listenForChanges(
    db,
    {
      auth: invalidateLocalAuthCaches,
      sets: () => void refreshStoredSetsIfChanged(db).catch((err: unknown) => app.log.error({ err }, 'criteria sets reload failed')),
      units: invalidateLocalScopes,
    },
    (msg, err) => app.log.warn({ err }, msg),
  );
  await listener.ready;
  const close = async () => {
    clearInterval(setsTimer);
    await listener.stop();
    stopJobs();
    stopReminders();
    mailer?.close();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  const shown = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  process.stderr.write(`Đạt Chuẩn đang chạy / running at http://${shown}:${config.port} (${db.dialect})\n`);
}

export function registerServerCommands(program: Command): void {
  program
    .command('start')
    .description(
      'Dựng giao diện web nếu cần, chuyển đổi CSDL, nạp dữ liệu minh họa lần đầu rồi chạy máy chủ (npm start).\n' +
        'Build the web app if needed, migrate, seed demo data on first start, then serve (npm start).',
    )
    .action(async () => {
      ensureWebBuilt(() => process.stderr.write('Đang dựng giao diện web / building the web app…\n'));
      await serve({ seed: true });
    });
  program
    .command('serve')
    .description('Chạy máy chủ API và web (PORT, DATABASE_URL) / serve the API and the web app')
    .option('--no-seed', 'không nạp dữ liệu minh họa / do not seed demo data')
    .action(async (opts: { seed: boolean }) => serve(opts));
  program
    .command('migrate')
    .description('Chuyển đổi cấu trúc CSDL lên bản mới nhất / migrate the database to the latest schema')
    .option('--down', 'lùi một bước / undo the last migration')
    .option('--reset', 'lùi toàn bộ (xóa dữ liệu!) / undo all migrations (deletes data!)')
    .action(async (opts: { down?: boolean; reset?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const r = await migrateDatabase(db, opts.reset ? 'reset' : opts.down ? 'down' : 'latest');
        for (const m of r.results ?? []) console.log(`${m.direction === 'Up' ? '↑' : '↓'} ${m.migrationName}: ${m.status}`);
        if (!r.results?.length) console.log('Không có gì để làm / nothing to do');
      });
    });
  program
    .command('seed')
    .description(
      'Nạp dữ liệu minh họa (Hà Nam trước 7/2025, Ninh Bình sau sáp nhập) vào CSDL trống.\n' +
        'Seed the demo data (Hà Nam before 7/2025, Ninh Bình after the merger) into an empty database.',
    )
    .option('--force', 'nạp cả khi CSDL đã có dữ liệu / seed even if the database is not empty')
    .option('--synthetic <variant>', 'dữ liệu tổng hợp: province | national / synthetic data: province | national')
    .option('--seed <n>', 'hạt giống của dữ liệu tổng hợp / seed of the synthetic data', '1')
    .option('--province <code>', `mã tỉnh (danh mục từ 1/7/2025) cho --synthetic province / province code (list from 1/7/2025), default ${SYNTHETIC_DEFAULT_PROVINCE}`)
    .action(async (opts: { force?: boolean; synthetic?: string; seed: string; province?: string }) => {
      await withDatabase(
        async ({ db, actor }) => {
          if (opts.synthetic !== undefined) {
            const variant = opts.synthetic;
            const seed = Number(opts.seed);
            if ((variant !== 'province' && variant !== 'national') || !Number.isInteger(seed)) {
              throw new DomainError('validation_failed', {
                vi: '--synthetic cần province hoặc national, --seed cần một số nguyên.',
                en: '--synthetic takes province or national, --seed an integer.',
              });
            }
            const r = await seedSynthetic(db, actor, {
              variant,
              seed,
              province: opts.province,
              force: opts.force,
              onProgress: progressReporter('Dữ liệu tổng hợp / synthetic data'),
            });
            console.log(
              `${r.units} đơn vị / units, ${r.communesBefore}+${r.communesAfter} xã / communes, ${r.reviews} bản rà soát / reviews, ` +
                `${r.values} giá trị / values, ${r.sets} bộ tiêu chí tổng hợp / synthetic sets, ${r.groups} nhóm xã / commune groups, ` +
                `${r.recognitions} công nhận / recognitions, ${r.accounts} tài khoản / accounts (${r.ms} ms, RSS ≤ ${r.peakRssMb} MB)` +
                (r.skippedDates.length ? `; bỏ qua / skipped ${r.skippedDates.join(', ')} (bộ tiêu chí chưa có chỉ tiêu / set has no indicators)` : ''),
            );
            return;
          }
          if (!opts.force && !(await databaseIsEmpty(db))) {
            console.log('CSDL đã có dữ liệu, bỏ qua (dùng --force) / database not empty, skipped (use --force)');
            return;
          }
          const r = await seedDemoData(db, actor, progressReporter('Dữ liệu minh họa / demo data'));
          console.log(`${r.units} đơn vị / units, ${r.reviews} bản rà soát / reviews, ${r.recognitions} công nhận / recognitions (${r.ms} ms)`);
        },
        { migrate: true },
      );
    });
}
