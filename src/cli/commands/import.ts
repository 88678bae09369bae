import type { Command } from 'commander';
import { createWriteStream, writeFileSync } from 'node:fs';
import { DomainError } from '../../domain/errors.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { importWorkbook, type ImportResult } from '../../services/import.service.ts';
import type { ImportProblem } from '../../files/imports/review-sheet.ts';
import { writeTemplateFor } from '../../services/import-template.service.ts';
import type { TemplateLayout } from '../../files/imports/template.ts';
import { withDatabase } from '../context.ts';

function csvCell(s: string | number | null): string {
  const t = s === null ? '' : String(s);
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

function problemsCsv(problems: ImportProblem[]): string {
  const head = ['severity', 'code', 'sheet', 'cell', 'row', 'value', 'message_vi', 'message_en'];
  const lines = problems.map((p) => [p.severity, p.code, p.sheet, p.cell, p.row, p.value, p.message.vi, p.message.en].map(csvCell).join(','));
  return `\ufeff${head.join(',')}\n${lines.join('\n')}\n`;
}

function summary(r: ImportResult): string {
  const c = r.counts;
  const head = r.dryRun ? '[kiểm tra / dry run] ' : r.committed ? '[đã ghi / committed] ' : '';
  return (
    `${head}${r.fileName ?? ''} (${r.source === 'template' ? 'mẫu của hệ thống / our template' : 'bảng tự lập / hand-made'}, bộ tiêu chí / set ${r.setId ?? '?'})\n` +
    `${c.rows} dòng / rows: ${c.create} tạo mới / to create, ${c.update} cập nhật / to update, ${c.unchanged} không đổi / unchanged, ${c.withErrors} có lỗi / with errors, ${c.skipped} trống / empty\n` +
    `${r.errors} lỗi / errors, ${r.warnings} cảnh báo / warnings — ${r.ms} ms — sha256 ${r.fileHash}`
  );
}

export function registerImportCommands(program: Command): void {
  const cmd = program.command('import').description('Nhập số liệu rà soát từ Excel; mẫu nhập liệu / import reviews from Excel; templates');
  cmd
    .command('xlsx <file>')
    .description(
      'Nhập bản rà soát từ tệp .xlsx (mẫu của hệ thống hoặc bảng tự lập): kiểm tra toàn bộ trước, rồi ghi tất cả trong một giao dịch, hoặc không ghi gì.\n' +
        'Import reviews from an .xlsx (our template or a hand-made sheet): everything is checked first, then written in one transaction, or nothing.',
    )
    .option('--dry-run', 'chỉ kiểm tra, liệt kê mọi lỗi / check only, list every problem')
    .option('--set <id>', 'bộ tiêu chí của bảng tự lập / criteria set of a hand-made sheet')
    .option('--date <yyyy-mm-dd>', 'ngày rà soát cho các dòng không ghi ngày / review date of rows without one')
    .option('--scope <unitId>', 'chỉ tìm xã theo tên trong tỉnh/huyện này / match commune names within this province or district')
    .option('--submit', 'lưu bản rà soát mới ở trạng thái đã nộp (mặc định: bản nháp) / store new reviews as submitted (default: draft)')
    .option('--problems <file.csv>', 'ghi danh sách lỗi ra CSV / write the problem list as CSV')
    .option('--json', 'kết quả dạng JSON / JSON output')
    .action(async (file: string, opts: { dryRun?: boolean; set?: string; date?: string; scope?: string; submit?: boolean; problems?: string; json?: boolean }) => {
      await withDatabase(async ({ db, actor, config }) => {
        try {
          let result: ImportResult;
          try {
            result = await importWorkbook(db, actor, { path: file }, {
              dryRun: opts.dryRun ?? false,
              ...(opts.set ? { setId: opts.set } : {}),
              ...(opts.date ? { date: opts.date } : {}),
              ...(opts.scope ? { scopeUnitId: opts.scope } : {}),
              status: opts.submit ? 'submitted' : 'draft',
              maxProblems: opts.problems ? 1_000_000 : 5000,
              limits: config.services.importLimits,
              onProgress: (phase, rows) => process.stderr.write(`\r${phase === 'check' ? 'Kiểm tra / checking' : 'Ghi / writing'}: ${rows} dòng / rows `),
            });
          } finally {
            process.stderr.write('\n');
          }
          if (opts.problems) writeFileSync(opts.problems, problemsCsv(result.problems));
          if (opts.json) console.log(JSON.stringify(result));
          else {
            console.log(summary(result));
            for (const p of result.problems.slice(0, 50)) console.log(`${p.severity === 'error' ? 'LỖI / ERROR' : 'Cảnh báo / warning'} ${p.message.vi} / ${p.message.en}`);
            if (result.problems.length > 50) console.log(`… ${result.errors + result.warnings - 50} vấn đề khác / more problems${opts.problems ? ` → ${opts.problems}` : ' (--problems file.csv)'}`);
          }
          if (result.errors > 0) process.exitCode = 2;
        } catch (e) {
          if (e instanceof DomainError && Array.isArray(e.details?.problems)) {
            const problems = e.details.problems as ImportProblem[];
            if (opts.problems) writeFileSync(opts.problems, problemsCsv(problems));
            for (const p of problems.slice(0, 50)) process.stderr.write(`${p.severity === 'error' ? 'LỖI / ERROR' : 'Cảnh báo / warning'} ${p.message.vi} / ${p.message.en}\n`);
          }
          throw e;
        }
      });
    });
  cmd
    .command('template')
    .description('Tạo mẫu Excel nhập số liệu cho một bộ tiêu chí và các xã / make the Excel template for a criteria set and communes')
    .requiredOption('--set <id>', 'bộ tiêu chí / criteria set')
    .requiredOption('--unit <ids...>', 'xã, huyện, tỉnh (các xã của nó) hoặc "all" / communes, districts, provinces (their communes) or "all"')
    .option('--date <yyyy-mm-dd>', 'ngày rà soát mặc định (mặc định hôm nay) / default review date (default today)')
    .option('--layout <matrix|per-commune|both>', 'ma trận xã × chỉ tiêu, mỗi xã một trang, hoặc cả hai / matrix, one sheet per commune, or both', 'matrix')
    .option('--prefill', 'điền sẵn giá trị của bản rà soát gần nhất / prefill the latest review\'s values')
    .option('--include-urban', 'gồm cả phường, thị trấn / include wards and towns')
    .option('-o, --out <file>', 'tệp đích / output file')
    .action(async (opts: { set: string; unit: string[]; date?: string; layout: string; prefill?: boolean; includeUrban?: boolean; out?: string }) => {
      if (!['matrix', 'per-commune', 'both'].includes(opts.layout)) {
        throw new DomainError('validation_failed', { vi: `Kiểu mẫu "${opts.layout}" không hợp lệ (matrix, per-commune, both).`, en: `Invalid layout "${opts.layout}" (matrix, per-commune, both).` });
      }
      await withDatabase(async ({ db, actor }) => {
        const started = Date.now();
        const tmp = opts.out ?? `mau-nhap-lieu-${Date.now()}.xlsx`;
        const stream = createWriteStream(tmp);
        const finished = new Promise<void>((resolve, reject) => {
          stream.on('finish', resolve);
          stream.on('error', reject);
        });
        const r = await writeTemplateFor(
          db,
          { setId: opts.set, unitIds: opts.unit, date: opts.date ?? todayInVietnam(), layout: opts.layout as TemplateLayout, prefill: opts.prefill ? 'latest' : 'none', includeUrban: opts.includeUrban ?? false },
          stream,
          { actor },
        );
        await finished;
        if (!opts.out) {
          const { renameSync } = await import('node:fs');
          renameSync(tmp, r.fileName);
        }
        process.stderr.write(`${r.communes} xã / communes → ${opts.out ?? r.fileName} (${Date.now() - started} ms)\n`);
      });
    });
}
