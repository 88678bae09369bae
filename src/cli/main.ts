/**
 * `datchuan` — the command line of Đạt Chuẩn. Every subcommand lives in `commands/<name>.ts` and
 * registers itself here. Errors: a DomainError prints one line (Vietnamese / English) and exits 2;
 * anything else exits 1.
 */
import { Command, CommanderError } from 'commander';
import { isDomainError } from '../domain/errors.ts';
import { registerCatalogCommands } from './commands/catalog.ts';
import { registerEvaluateCommand } from './commands/evaluate.ts';
import { registerUnitsCommands } from './commands/units.ts';
import { registerServerCommands } from './commands/server.ts';
import { registerReviewsCommands } from './commands/reviews.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerBenchCommand } from './commands/bench.ts';
import { registerRemindersCommands } from './commands/reminders.ts';
import { registerUserCommands } from './commands/user.ts';
import { registerTokenCommands } from './commands/token.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerJobsCommands } from './commands/jobs.ts';
import { registerSetCommands } from './commands/sets.ts';
import { registerExportCommand } from './commands/export.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerFeedCommands } from './commands/feed.ts';
import { registerDossierCommands } from './commands/dossier.ts';
import { registerPlanCommands } from './commands/plan.ts';

export const EXIT_BAD_INPUT = 2;

const program = new Command()
  .name('datchuan')
  .description(
    'Đạt Chuẩn — theo dõi và đánh giá xây dựng nông thôn mới.\n' +
      'Đạt Chuẩn — New Rural Development (NTM) monitoring and evaluation.\n\n' +
      'Cơ sở dữ liệu / database: DATABASE_URL (mặc định / default sqlite:./data/datchuan.sqlite).',
  )
  .showHelpAfterError()
  .exitOverride();

registerServerCommands(program);
registerCatalogCommands(program);
registerEvaluateCommand(program);
registerUnitsCommands(program);
registerReviewsCommands(program);
registerBackupCommands(program);
registerBenchCommand(program);
registerRemindersCommands(program);
registerUserCommands(program);
registerTokenCommands(program);
registerAuditCommands(program);
registerJobsCommands(program);
registerSetCommands(program);
registerExportCommand(program);
registerImportCommands(program);
registerFeedCommands(program);
registerDossierCommands(program);
registerPlanCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
  }
  if (isDomainError(e)) {
    process.stderr.write(`${e.oneLine}\n`);
    process.exit(EXIT_BAD_INPUT);
  }
  process.stderr.write(`Lỗi / Error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
