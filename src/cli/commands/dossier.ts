/**
 * `datchuan dossier diagram [--procedure <id>] [--write docs/dossier.md]`: the state diagrams of the
 * recognition procedures, drawn from the workflow data (Mermaid). `datchuan dossier due --from
 * <date> --days <n>`: when a limit of n working days ends (holidays and Tết skipped).
 * `datchuan dossier list [--open] [--json]`: the dossiers in the database with their step and due date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DomainError } from '../../domain/errors.ts';
import { formatDateVi, parseDateVi } from '../../domain/dates.ts';
import { PROCEDURE_IDS, PROCEDURES, toMermaid, type ProcedureId } from '../../domain/dossier-workflow.ts';
import { DEFAULT_CALENDAR } from '../../domain/working-days.ts';
import { listDossiers } from '../../services/dossier.service.ts';
import { withDatabase } from '../context.ts';

const BEGIN = '<!-- BEGIN GENERATED: datchuan dossier diagram -->';
const END = '<!-- END GENERATED -->';

/** The generated part of docs/dossier.md: one Mermaid diagram per procedure. */
export function diagramsMarkdown(ids: readonly ProcedureId[] = PROCEDURE_IDS): string {
  return ids.map((id) => `### ${PROCEDURES[id].name.vi} — ${PROCEDURES[id].name.en}\n\n\`\`\`mermaid\n${toMermaid(id)}\n\`\`\`\n`).join('\n');
}

/** Replace the generated block of a Markdown file (between the markers) with the diagrams. */
export function withDiagrams(markdown: string): string {
  const i = markdown.indexOf(BEGIN);
  const j = markdown.indexOf(END);
  if (i < 0 || j < i) throw new DomainError('validation_failed', { vi: `Không thấy cặp dấu ${BEGIN} … ${END} trong tệp.`, en: `The file has no ${BEGIN} … ${END} markers.` });
  return `${markdown.slice(0, i + BEGIN.length)}\n\n${diagramsMarkdown()}\n${markdown.slice(j)}`;
}

function date(raw: string, field: string): string {
  const d = parseDateVi(raw);
  if (!d) throw new DomainError('validation_failed', { vi: `${field}: ngày "${raw}" không hợp lệ (dd/mm/yyyy).`, en: `${field}: date "${raw}" is invalid (dd/mm/yyyy).` }, { fields: [{ field }] });
  return d;
}

export function registerDossierCommands(program: Command): void {
  const dossier = program.command('dossier').description('Hồ sơ công nhận: sơ đồ quy trình, hạn xử lý, danh sách / recognition dossiers: procedure diagrams, due dates, list');
  dossier
    .command('diagram')
    .description('Sơ đồ trạng thái của quy trình (Mermaid), sinh từ dữ liệu quy trình / the procedures as Mermaid state diagrams, from the workflow data')
    .option('--procedure <id>', `một quy trình / one procedure (${PROCEDURE_IDS.join(', ')})`)
    .option('--write <file>', 'ghi vào phần sinh tự động của tệp Markdown (vd. docs/dossier.md) / update the generated block of a Markdown file')
    .action((opts: { procedure?: string; write?: string }) => {
      if (opts.procedure && !(PROCEDURE_IDS as readonly string[]).includes(opts.procedure)) {
        throw new DomainError('validation_failed', { vi: `--procedure: không có quy trình "${opts.procedure}" (có: ${PROCEDURE_IDS.join(', ')}).`, en: `--procedure: no procedure "${opts.procedure}" (known: ${PROCEDURE_IDS.join(', ')}).` });
      }
      if (opts.write) {
        writeFileSync(opts.write, withDiagrams(readFileSync(opts.write, 'utf8')));
        process.stdout.write(`Đã cập nhật / updated ${opts.write}\n`);
        return;
      }
      process.stdout.write(opts.procedure ? `${toMermaid(opts.procedure as ProcedureId)}\n` : diagramsMarkdown());
    });
  dossier
    .command('due')
    .description('Ngày hết hạn của thời hạn n ngày làm việc (bỏ qua lễ, Tết, cuối tuần) / when a limit of n working days ends')
    .requiredOption('--from <date>', 'ngày bắt đầu tính (dd/mm/yyyy) / the day the step began')
    .requiredOption('--days <n>', 'số ngày làm việc / working days')
    .action((opts: { from: string; days: string }) => {
      const n = Number(opts.days);
      if (!Number.isInteger(n) || n < 0 || n > 1000) throw new DomainError('validation_failed', { vi: `--days: "${opts.days}" phải là số nguyên từ 0 đến 1000.`, en: `--days: "${opts.days}" must be a whole number from 0 to 1000.` }, { fields: [{ field: '--days' }] });
      const from = date(opts.from, '--from');
      process.stdout.write(`${formatDateVi(DEFAULT_CALENDAR.addWorkingDays(from, n))}\n`);
    });
  dossier
    .command('list')
    .description('Danh sách hồ sơ: bước hiện tại, hạn, mức rủi ro / dossiers with their step, due date and risk')
    .option('--open', 'chỉ hồ sơ đang xử lý / open dossiers only')
    .option('--json', 'JSON')
    .action(async (opts: { open?: boolean; json?: boolean }) => {
      await withDatabase(
        async ({ db, actor }) => {
          const items = await listDossiers(db, actor, { open: opts.open ? true : undefined });
          if (opts.json) process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
          else
            for (const d of items) {
              const due = d.dueOn ? ` — hạn ${formatDateVi(d.dueOn)} (${d.workingDaysLeft} ngày làm việc, ${d.stepRisk})` : '';
              process.stdout.write(`#${d.id} ${d.unitName} · ${d.levelName.vi} · ${d.stateName.vi}${due}\n`);
            }
        },
        { migrate: true },
      );
    });
}
