import type { Command } from 'commander';
import { createWriteStream, writeFileSync } from 'node:fs';
import { DomainError } from '../../domain/errors.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { REPORT_FORMATS, REPORT_KINDS, buildReport, checkFormat, matrixReport, renderReport, streamXlsxReport, type ReportFormat, type ReportKind } from '../../services/report.service.ts';
import type { OfficialOptions } from '../../files/reports/builders/official.ts';
import { progressReporter } from '../progress.ts';
import { withDatabase } from '../context.ts';

interface ExportOpts {
  unit: string[];
  date?: string;
  format?: string;
  out?: string;
  review?: string;
  number?: string;
  place?: string;
  signer?: string;
  documentDate?: string;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export <report>')
    .description(
      'Xuất báo cáo: matrix (ma trận xã × tiêu chí), summary (tổng hợp), commune-detail (chi tiết một xã), history (diễn biến),\n' +
        'self-assessment (báo cáo tự đánh giá của xã, Word), examination (biểu thẩm tra từng tiêu chí, Word).\n' +
        'Export a report: matrix | summary | commune-detail | history | self-assessment | examination.\n' +
        `Dạng / formats: ${REPORT_KINDS.map((k) => `${k}: ${REPORT_FORMATS[k].join('/')}`).join('; ')}.`,
    )
    .requiredOption('--unit <ids...>', 'đơn vị (mã@danh mục); matrix nhận nhiều đơn vị hoặc "all" (toàn quốc) / unit ids; a matrix takes several or "all"')
    .option('--date <yyyy-mm-dd>', 'ngày số liệu (mặc định hôm nay) / data date (default today)')
    .option('--format <xlsx|docx|json>', 'dạng tệp (mặc định: dạng đầu tiên của báo cáo) / file format (default: the report\'s first)')
    .option('-o, --out <file>', 'tệp đích (mặc định: tên gợi ý trong thư mục hiện tại) / output file (default: suggested name here)')
    .option('--review <id>', 'bản rà soát cụ thể (báo cáo của xã) / a specific review (commune reports)')
    .option('--number <số/ký hiệu>', 'số, ký hiệu văn bản, ví dụ 05/BC-UBND / document number, e.g. 05/BC-UBND')
    .option('--place <địa danh>', 'địa danh trên dòng ngày tháng / place on the date line')
    .option('--signer <họ tên>', 'người ký / signer')
    .option('--document-date <yyyy-mm-dd>', 'ngày ban hành văn bản (mặc định: ngày số liệu) / document date (default: the data date)')
    .action(async (kindArg: string, opts: ExportOpts) => {
      if (!(REPORT_KINDS as readonly string[]).includes(kindArg)) {
        throw new DomainError('validation_failed', { vi: `Không có báo cáo "${kindArg}" (có: ${REPORT_KINDS.join(', ')}).`, en: `No report "${kindArg}" (available: ${REPORT_KINDS.join(', ')}).` });
      }
      const kind = kindArg as ReportKind;
      const format = (opts.format ?? REPORT_FORMATS[kind][0]) as ReportFormat;
      checkFormat(kind, format);
      const date = opts.date ?? todayInVietnam();
      const official: OfficialOptions = {
        ...(opts.number ? { number: opts.number } : {}),
        ...(opts.place ? { place: opts.place } : {}),
        ...(opts.signer ? { signerName: opts.signer } : {}),
        ...(opts.documentDate ? { documentDate: opts.documentDate } : {}),
      };
      await withDatabase(async ({ db, actor }) => {
        const started = Date.now();
        if (kind === 'matrix' && format === 'xlsx') {
          // A national matrix is large: rows are streamed to the file.
          const report = await matrixReport(db, opts.unit, date, progressReporter('Tổng hợp / summarising'), actor);
          const out = opts.out ?? `${report.fileName}.xlsx`;
          const stream = createWriteStream(out);
          const finished = new Promise<void>((resolve, reject) => {
            stream.on('finish', resolve);
            stream.on('error', reject);
          });
          await streamXlsxReport(report, stream);
          await finished;
          const rows = report.blocks.reduce((n, b) => n + (b.type === 'table' ? b.table.rows.length : 0), 0);
          process.stderr.write(`${rows} xã / communes → ${out} (${Date.now() - started} ms)\n`);
          return;
        }
        const report = await buildReport(db, { kind, unitIds: opts.unit, date, ...(opts.review ? { reviewId: Number(opts.review) } : {}), official }, actor);
        const r = await renderReport(report, format);
        const out = opts.out ?? r.fileName;
        if (out === '-') process.stdout.write(r.body);
        else {
          writeFileSync(out, r.body);
          process.stderr.write(`${report.title.vi} → ${out} (${(r.body.length / 1024).toFixed(0)} KB, ${Date.now() - started} ms)\n`);
        }
        // Migrated and with the database's published criteria sets installed: reviews on a province's set are reported too.
      }, { migrate: true });
    });
}
